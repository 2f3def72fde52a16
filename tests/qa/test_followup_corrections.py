"""Turns that correct the answer before ("不是 …"), ask for more of the same ("还有别的吗"), ask what follows when
something is not done ("会怎样"), or name an act in two characters ("寄卡") (sixteenth round).

Asserted: a correction that asks nothing of its own is the previous question read again with its words, not a
follow-up, and one that asks a whole question is read on its own, the mark dropped; "不是本地户口…" corrects nothing;
"还有别的吗" continues the topic and asks the previous turn's kind again; what follows ("暂停发放") answers "会怎样";
a site named as where rules are published is no channel; "资料" asks materials in a follow-up; a two-character
clipping is found in the guide's full wording; the rejected document is dropped from the candidates; through the
real answer path a corrected turn never cites the document it rejects.
"""

from __future__ import annotations

from tests.qa.test_followup import _cited, _conversation
from zhengwu.kb.search import SearchHit
from zhengwu.qa.evidence import AnswerInputs
from zhengwu.qa.followup import holds_kind_asked, in_document, without, written
from zhengwu.qa.rewrite import rewrite

FIRST = {"question": "在临沂给孩子上户口要带什么", "rewritten": "在临沂给孩子上户口要带什么", "topic": "临沂 孩子 上户口",
         "cited": [7]}


def test_a_correction_fragment_asks_the_previous_question_again_with_its_words():
    r = rewrite("不对 我们俩没领结婚证", [FIRST])
    assert r.corrects and not r.followup
    assert r.standalone.startswith("在临沂给孩子上户口要带什么") and "没领结婚证" in r.standalone
    assert "不对" not in r.standalone and "结婚证" in r.topic


def test_a_correction_asking_a_whole_question_is_read_on_its_own():
    r = rewrite("不是，我问的是长护险在养老机构一天能报多少", [FIRST])
    assert r.corrects and not r.followup
    assert r.standalone == "长护险在养老机构一天能报多少" and "临沂" not in r.topic
    # a negation inside the question is no correction mark
    assert not rewrite("不是本地户口能办吗", [FIRST]).corrects
    assert not rewrite("不是 我们俩没领结婚证").corrects  # nothing before to correct


def test_more_of_the_same_continues_and_asks_the_previous_kind():
    for q in ("还有别的吗", "还有其他要带的吗", "孩子随他爸落户的话 还要别的不"):
        r = rewrite(q, [FIRST])
        assert r.followup and "临沂" in r.standalone, q
        assert holds_kind_asked(r.asks, "居民户口簿、出生医学证明"), q  # the materials asked before
    assert not rewrite("还有 社保卡怎么办", [FIRST]).followup  # a lead-in before a question of its own
    assert not rewrite("我毕业两年 还有没有别的创业补贴", [FIRST]).followup  # it names the other thing it wants


def test_what_follows_answers_what_happens_if_it_is_not_done():
    assert holds_kind_asked("过期没做会咋样", "逾期未认证人员，将按规定暂停发放相关待遇。")
    assert not holds_kind_asked("过期没做会咋样", "可通过“粤省事”微信小程序进行远程人脸识别认证。")
    # a site where rules are published is no channel to do it on
    assert not holds_kind_asked("手机上能弄吗", "具体标准见省人力资源和社会保障厅网站发布的通知。")
    assert holds_kind_asked("手机上能弄吗", "也可登录国家社会保险公共服务平台门户网站办理。")
    assert holds_kind_asked("要交些什么资料", "a.病历资料：职工住院生育的，提供医疗机构盖章的出院记录。")
    assert not holds_kind_asked("要交些什么资料", "生育津贴直接发放至个人。")


def test_a_two_character_clipping_is_found_in_the_full_wording():
    assert written("寄卡", "网上办理（可选付费邮寄领卡或银行网点现场领卡）")
    assert not written("寄卡", "邮寄至银行网点，领取社保卡")  # too far apart
    assert not written("寄卡", "邮寄，领卡")  # not across a clause
    assert in_document(["寄卡"], "可选付费邮寄领卡") and not in_document(["护照"], "可选付费邮寄领卡")


def _hit(docid: int, score: float) -> SearchHit:
    return SearchHit(chunk_id=docid, document_id=docid, kb="demo", title=f"文件{docid}", doc_number="", issuer="",
                     doc_type="", validity="effective", pub_date=None, heading_path="", text="", score=score, source="",
                     external_id=None)


def test_the_rejected_document_is_dropped_from_the_candidates():
    hits = [_hit(1, 4.0), _hit(2, 2.0)]
    ev = AnswerInputs(current=[(h, 1.0) for h in hits], old=[], texts={}, cands=hits, passages=["甲", "乙"],
                      priors=[1.0, 0.5], titles=["文件1", "文件2"], checks=[], dense=[[0.1], [0.2]])
    kept = without(ev, 1)
    assert [h.document_id for h in kept.cands] == [2] and kept.passages == ["乙"] and kept.priors == [1.0]
    assert [h.document_id for h, _ in kept.current] == [2] and kept.dense == [[0.2]]
    assert without(ev, 9) is ev


def test_a_correction_never_cites_the_document_it_rejects(demo_kb):
    first, corrected = _conversation("广州失业金每个月领多少钱", "不是 我想问生育津贴现在是发到谁手上")
    assert _cited(first) == "gz-policy-19"
    assert not corrected.followup and "不是" not in corrected.rewritten
    assert _cited(corrected) != "gz-policy-19", corrected.answer


def test_more_of_the_same_and_what_follows_are_answered_from_the_previous_document(demo_kb):
    first, more = _conversation("天河区租房合同备案要带些啥", "还有其他要带的吗")
    assert _cited(first) == "gz-guide-14"
    assert more.followup and _cited(more) == "gz-guide-14" and "previous_document" in more.checks
    first, late = _conversation("养老金资格认证多久要做一回", "过期没做会咋样")
    assert _cited(first) == "gz-guide-24"
    assert late.followup and _cited(late) == "gz-guide-24" and "暂停发放" in late.body, late.checks
