"""Follow-ups naming where the asker is, the other party, or sending by post, and how an answer from the previous
answer's document is judged (seventeenth round), through the rewrite, the follow-up tests and the real answer path
(the demo documents in a real SQLite store, one conversation id).

Asserted: a place said relative to the asker ("外地", "老家") or where they say they are ("我在深圳…") names no matter,
nor does the other party ("房东") or a paper's form ("原件"), nor a name the tagger makes of a noun and a modal
("卡能"); such a turn continues its topic, while a real matter it names still makes it a new one; "寄过去行不行" is
answered by a line saying it may be sent by post, not by the materials list; the conversation's operating point is
the abstention's with the odds shifted (0 stays 0, a stricter point stays stricter), and a continuation answered from
the previous document through the answer path says so.
"""

from __future__ import annotations

from tests.qa.test_followup import _cited, _conversation
from zhengwu.qa.followup import continued_point, holds_kind_asked
from zhengwu.qa.rewrite import is_followup, own_subjects, rewrite


def test_where_the_asker_is_names_no_matter():
    assert own_subjects("我人在外省 户口本可以寄回去吗") == ["户口本"]  # 外省: where the asker is
    assert own_subjects("我现在在深圳上班 能不能办") == []
    assert own_subjects("我妈在老家 她也能领吗") == []
    assert is_followup("我人在外地 这些东西能寄过去不", True)
    # a matter it names still makes it a new topic, wherever the asker is
    assert own_subjects("我在深圳 公积金能取吗") == ["公积金"]
    assert not is_followup("我在深圳 公积金能取吗", True)
    assert "广州" in own_subjects("在广州怎么申请社保卡")  # a place the question asks about is kept


def test_the_other_party_a_paper_s_form_and_a_tagger_s_fragment_are_no_matter():
    assert own_subjects("业主需要签字吗") == [] and own_subjects("房东那边要出啥") == []
    assert own_subjects("复印件行不行") == []
    assert own_subjects("办好了卡能直接寄到家里吗") == []  # "卡能" is the tagger's, not a name
    h = [{"question": "天河区租房合同备案要带些啥", "topic": "租赁 合同 备案 天河区"}]
    rw = rewrite("房东要到场吗", h)
    assert rw.followup and "租赁" in rw.standalone


def test_sending_by_post_is_answered_by_the_line_saying_it_may_be_posted():
    line = "申请人到派出所提交材料原件或将材料原件邮寄到派出所。"
    assert holds_kind_asked("材料寄过去行不行", line)  # asks whether it can be posted, not which materials
    assert holds_kind_asked("能快递到家吗", "（一）网上办理（可选付费邮寄或银行网点现场领卡）")
    assert not holds_kind_asked("能快递到家吗", "需等待12个工作日领卡。")
    assert not holds_kind_asked("能不能邮寄", "请收到邮政公司的领卡通知后再办理领卡。")  # names the post office only
    assert not holds_kind_asked("邮寄要几天能到", "可选付费邮寄")  # a period is asked: none, no answer
    assert not holds_kind_asked("要带什么材料", "可选付费邮寄领卡")  # post not asked: no materials list, no answer


def test_the_conversation_s_operating_point_shifts_the_odds_only():
    assert continued_point(0.0) == 0.0 and continued_point(1.0) == 1.0
    assert 0.25 < continued_point(0.55) < 0.35
    assert continued_point(0.5) < continued_point(0.55) < continued_point(0.8) < 0.8  # monotone, below the point


def test_a_posted_papers_follow_up_is_answered_from_the_previous_guide(demo_kb, monkeypatch):
    from zhengwu.config import reset_settings

    monkeypatch.setenv("ZHENGWU_QA_ABSTAIN_THRESHOLD", "0")  # the path and the kind test, not the abstention
    reset_settings()
    first, posted = _conversation("临沂市租房落户需要提交哪些申请材料", "我在外省 原件能寄过去吗")
    assert _cited(first) == "linyi-huzheng-RentSettleInstructions", first.answer
    assert posted.followup and _cited(posted) == "linyi-huzheng-RentSettleInstructions", posted.checks
    assert "邮寄" in posted.body and "previous_document" in posted.checks
    reset_settings()
