"""Follow-ups that ask one detail in a few words, returns to an earlier topic, and a turn after an expired reply,
through the real answer path (the demo documents in a real SQLite store, one conversation id) and the rewrite.

Asserted: a Cantonese follow-up is searched and answered in Mandarin ("去边度办" as "去哪里办"); a demonstrative
before a subject it names ("我那个失业金") does not make the latest topic its topic; a return to an earlier topic
continues *that* turn (its topic, its document) and never cites the topic in between; "再回到社保卡" is a lead-in;
"几时有卡拿" is answered by the period it takes, "什么时候开始申报" is not, nor by the rules' own validity clause;
"要钱吗" by "付费"; the family member a
follow-up names is not a word its answer must hold; the previous answer's document is found by a wider search when
the turn's own search does not rank it; a turn on an expired reply's matter gets the expired reply again, not
another province's rules.
"""

from __future__ import annotations

from tests.qa.conftest import caller
from tests.qa.test_followup import _cited, _conversation
from zhengwu.match.cantonese import question_in_mandarin, to_mandarin
from zhengwu.qa import answer_types
from zhengwu.qa.followup import holds_kind_asked, previous_document, previous_expired, previous_inputs
from zhengwu.qa.rewrite import is_followup, returned_topic, rewrite


def test_one_cantonese_table_reads_a_question_in_mandarin():
    assert question_in_mandarin("去边度办") == "去哪里办"  # no other Cantonese in it: still read
    assert question_in_mandarin("攞卡要几耐") == "拿卡要多久"
    assert question_in_mandarin("几时可以拎到") == "什么时候可以拎到"
    assert question_in_mandarin("使唔使本人去") == "要不要本人去"
    assert question_in_mandarin("寄到屋企要几多钱") == "寄到家里要多少钱"
    assert question_in_mandarin("社保卡怎么办理") == "社保卡怎么办理"  # Mandarin unchanged
    # the matching rules' reading keeps the text's length (positions point at the resident's words)
    assert len(to_mandarin("我喺海珠住咗三年")) == len("我喺海珠住咗三年")


def test_a_cantonese_follow_up_is_searched_in_mandarin():
    h = [{"question": "电子居住证要怎么办", "topic": "电子居住证"}]
    where = rewrite("喺边度申请", h)
    assert where.followup and "在哪里申请" in where.standalone and "电子居住证" in where.standalone
    assert answer_types.asked(where.asks) == ("place",)
    home = rewrite("寄唔寄到屋企", h)
    assert home.followup and "家里" in home.standalone, home  # 屋企 is no matter of its own
    # a first question is read exactly as asked: the Mandarin reading is for turns after others
    assert rewrite("电子居住证喺边度办").standalone == "电子居住证喺边度办"


def test_a_demonstrative_before_a_subject_is_no_pronoun():
    assert is_followup("那个要带什么", True) and is_followup("这个多久能办好", True)
    assert not is_followup("我那个公积金能不能取", True)  # it names its matter


def test_a_return_names_an_earlier_turn_s_matter():
    h = [{"question": "广州失业金怎么领", "topic": "失业金 广州"},
         {"question": "对了 生育津贴怎么申请", "topic": "生育津贴"}]
    assert returned_topic("我那个失业金能领几个月", h) == "失业金 广州"
    assert returned_topic("那公积金呢", h) == ""  # a matter never spoken of: a new topic
    assert returned_topic("生育津贴要交什么材料", h) == ""  # the current topic: no return
    back = rewrite("再回到失业金 每个月能领多少", h)
    assert back.followup and back.returns_to == "失业金 广州" and back.topic == "失业金 广州"
    assert "再回到" not in back.standalone and "生育" not in back.standalone


def test_the_previous_document_of_a_return_is_that_of_its_topic():
    h = [{"topic": "失业金", "cited": [3], "no_basis": False}, {"topic": "失业金", "cited": [], "no_basis": True},
         {"topic": "生育津贴", "cited": [9], "no_basis": False}]
    assert previous_document(h) == 9
    assert previous_document(h, "失业金") == 3
    assert previous_document(h, "公积金") is None


def test_the_expired_reply_s_document_is_remembered_for_its_topic():
    h = [{"topic": "低保 广州", "cited": [], "expired": [5], "no_basis": True}]
    assert previous_expired(h) == 5
    assert previous_expired(h + [{"topic": "低保 广州", "cited": [8], "expired": [], "no_basis": False}]) is None
    assert previous_expired(h + [{"topic": "居住证", "cited": [], "expired": [], "no_basis": True}]) is None
    assert previous_expired(h + [{"topic": "居住证", "cited": [2], "expired": [], "no_basis": False}],
                            "低保 广州") == 5


def test_when_something_is_ready_is_answered_by_the_period_it_takes():
    ready = "网上办理（可选付费邮寄或银行网点现场领卡，需等待12个工作日领卡）"
    assert holds_kind_asked("网上申请什么时候有卡拿", ready)
    assert holds_kind_asked("什么时候能批下来", "后台工作人员将在2个工作日内完成审批")
    assert not holds_kind_asked("什么时候开始申报", "审核期限为5个工作日")  # a date is asked, not a period
    assert holds_kind_asked("寄到家里要钱吗", ready)  # it says it is paid for
    assert not holds_kind_asked("寄到家里要钱吗", "需等待12个工作日领卡")


def test_the_rules_own_validity_is_no_date_of_their_matter():
    rules = "经市人民政府同意，现将《关于印发广州市积分制入户管理办法的通知》重新发布，有效期调整至2026年12月31日。"
    assert not holds_kind_asked("积分入户什么时候开始报名", rules)
    assert not holds_kind_asked("补贴能领多久", "本办法自2024年3月1日起施行，有效期5年。")
    assert holds_kind_asked("这个办法有效期到什么时候", rules)  # asked about the rules themselves
    assert holds_kind_asked("办好了能用多久", "自本办法实施之日起申领、补办的本市老年人优待凭证设置2年有效期。")
    assert holds_kind_asked("电子居住证能用多久", "电子居住证有效期为一年，每年签注一次。")  # the matter's own validity
    assert holds_kind_asked("什么时候申报", "积分制入户申报时间是：2025年10月10日9时至2025年11月10日17时。")


def test_the_family_a_follow_up_names_is_not_what_its_answer_must_hold():
    materials = "双方居民户口簿、居民身份证；结婚证；出生医学证明（限随迁未成年子女）"
    assert holds_kind_asked("那我老婆孩子能一起迁吗", materials)
    assert holds_kind_asked("我妈也要做吗", "离退休人员每年须按规定办理基本养老金领取资格认证")
    assert not holds_kind_asked("利息政府贴不贴", materials)  # a word of its own the answer lacks


def test_a_return_continues_its_own_turn_through_the_answer_path(demo_kb):
    first, other, back = _conversation("失业金怎么领？", "对了 生育津贴怎么申请", "我那个失业金最多能领几个月")
    assert _cited(first) == "gz-policy-19" and _cited(other) == "gz-policy-09"
    assert back.followup and _cited(back) == "gz-policy-19", back.answer
    assert answer_types.holds(back.body, ("duration",)) and "二十四个月" in back.body
    assert "gz-policy-09" not in [c.external_id for c in back.citations]  # never the topic in between


def test_a_return_with_a_lead_in_is_answered_from_the_first_topic(demo_kb):
    card, _, back = _conversation("社保卡怎么申领", "顺便问下 居住证怎么办", "再回到社保卡 网上申请多久能拿到卡")
    assert _cited(card) == "gz-guide-22"
    assert back.followup and "再回到" not in back.rewritten and _cited(back) == "gz-guide-22", back.answer
    assert "12个工作日" in back.body


def test_a_turn_on_an_expired_reply_s_matter_gets_the_expired_reply_again(demo_kb):
    first, edge = _conversation("广州低保每人每月多少钱", "低保边缘家庭标准呢")
    assert first.reply_kind == "expired" and first.citations[0].external_id == "gz-policy-26"
    assert edge.reply_kind == "expired" and "previous_expired" in edge.checks, edge.answer
    assert [c.external_id for c in edge.citations] == ["gz-policy-26"] and not edge.citations[0].current


def test_another_matter_whose_subject_the_expired_notice_shares_is_searched_on_its_own(demo_kb):
    # 临时救助 reads as the subject 救助, which the 低保 notice's 社会救助 holds; 临时 is the matter it does not speak of
    for q in ("对了 临时救助标准是多少", "临时救助一次最多给多少钱"):
        _, other = _conversation("广州低保每人每月多少钱", q)
        assert "previous_expired" not in other.checks and "gz-policy-26" not in _cited_all(other), other.answer
    _, orphan = _conversation("广州低保每人每月多少钱", "特困人员供养标准呢")  # a matter the notice states
    assert orphan.reply_kind == "expired" and _cited_all(orphan) == ["gz-policy-26"], orphan.answer


def test_a_new_topic_after_an_expired_reply_is_searched_on_its_own(demo_kb):
    _, card = _conversation("广州低保每人每月多少钱", "对了 社保卡怎么申领")
    assert "previous_expired" not in card.checks and _cited(card) == "gz-guide-22", card.answer


def test_the_previous_document_is_found_beyond_the_turn_s_own_search(demo_kb):
    from sqlalchemy import select

    from zhengwu.kb.models import Document
    from zhengwu.store.db import session_scope

    with session_scope() as session:
        docid = session.scalar(select(Document.id).where(
            Document.external_id == "linyi-huzheng-CoupleDependenceInstructions"))
        got = previous_inputs(session, caller(), "户口 临沂 在哪里办", docid, kb="demo", gov=None)
        assert got is not None and [h.document_id for h in got.cands] == [docid]
        assert "派出所" in got.passages[0] and got.texts[docid][1].external_id.endswith("CoupleDependenceInstructions")
        # a document the wider search does not find either gives nothing to answer from
        assert previous_inputs(session, caller(), "户口 临沂 在哪里办", -1, kb="demo", gov=None) is None


def _cited_all(ans) -> list[str]:  # noqa: ANN001 - an Answer
    return [c.external_id for c in ans.citations]
