"""Follow-up turns through the real answer path: the demo documents in a real SQLite store, one conversation id.

Asserted: an elliptic follow-up is answered from the document the previous answer cited, with a fact of the kind
it asks for, and says so; a question naming another matter is searched on its own, judged as if asked first, and
never cites the old topic's document; a follow-up the previous document cannot answer gets "no basis", not a
citation of it.
"""

from __future__ import annotations

import pytest

from tests.qa.conftest import caller
from zhengwu.qa import answer_types
from zhengwu.qa.answer import ask
from zhengwu.qa.followup import holds_kind_asked, previous_document
from zhengwu.qa.rewrite import rewrite


def _conversation(*questions: str) -> list:
    answers, cid = [], None
    for q in questions:
        a = ask(q, caller=caller(), kb="demo", conversation_id=cid)
        cid = a.conversation_id
        answers.append(a)
    return answers


def _cited(a) -> str | None:  # noqa: ANN001
    return None if a.no_basis or not a.citations else a.citations[0].external_id


def test_an_elliptic_follow_up_is_answered_from_the_previous_document_with_the_kind_asked(demo_kb):
    first, how_much, how_long = _conversation("失业金怎么领？", "能领多少钱？", "最多能领多久")
    assert _cited(first) == "gz-policy-19"
    for a, kind in ((how_much, "money"), (how_long, "duration")):
        assert a.followup and _cited(a) == "gz-policy-19", a.answer
        assert "previous_document" in a.checks
        assert answer_types.holds(a.body, (kind,)), a.body  # "how much" gets an amount, "how long" a period
        assert any("广州市失业保险常见问题解答" in n for n in a.notes)  # it says which document it answers from
    assert "2250" in how_much.body and "二十四个月" in how_long.body


def test_a_greeting_between_two_turns_leaves_the_topic_and_its_document(demo_kb):
    card, hello, materials = _conversation("社保卡怎么办？", "你好", "要带什么材料？")
    assert _cited(card) == "gz-guide-22" and hello.reply_kind == "greeting"
    assert materials.followup and "你好" not in materials.rewritten and _cited(materials) == "gz-guide-22"
    assert "previous_document" in materials.checks


def test_a_new_topic_is_searched_on_its_own_and_never_cites_the_old_document(demo_kb):
    card, permit = _conversation("社保卡怎么办？", "如何办理居住证？")
    assert _cited(card) == "gz-guide-22"
    assert not permit.followup and permit.rewritten == "如何办理居住证？"
    assert "gz-guide-22" not in [c.external_id for c in permit.citations]
    assert "previous_document" not in permit.checks and "continuation" not in permit.checks


def test_a_follow_up_the_previous_document_does_not_answer_gets_no_basis(demo_kb):
    # the 租赁备案 guide says nothing about a fee: its passages hold no sum of money
    first, fee = _conversation("租房合同备案怎么弄", "办这个要交费吗")
    assert _cited(first) == "gz-guide-14"
    assert fee.followup and fee.no_basis and not fee.citations, fee.answer
    assert "previous_document:kind_not_held" in fee.checks


def test_a_subject_of_the_previous_document_continues_its_topic(demo_kb):
    """"学生呢" after the 医保 contribution: the same question for students, from the same notice."""
    first, students = _conversation("广州居民医保一年交多少钱", "学生呢")
    assert _cited(first) == "gz-guide-06"
    assert students.followup and _cited(students) == "gz-guide-06", students.answer
    assert "413" in students.body


def test_the_previous_document_is_that_of_the_current_topic():
    turn = {"topic": "社保卡", "cited": [7], "no_basis": False}
    assert previous_document([turn, {"topic": "社保卡", "cited": [], "no_basis": True}]) == 7
    # a new topic that found no basis leaves no document to answer from
    assert previous_document([turn, {"topic": "居住证", "cited": [], "no_basis": True}]) is None
    assert previous_document([]) is None
    assert previous_document([turn, {"topic": "", "cited": [], "no_basis": True}]) == 7  # a greeting in between


def test_the_kind_asked_and_the_words_asked():
    assert holds_kind_asked("能领多少钱？", "目前发放标准为每月2250元。")
    assert not holds_kind_asked("能领多少钱？", "失业保险金领取期限最长为二十四个月。")
    assert holds_kind_asked("哪些银行能办", "目前我市社保卡服务银行有工商银行、农业银行…")
    assert not holds_kind_asked("忘了认证会怎么样", "单位或个人应在申领人符合条件当月申报领取基本养老金。")


def test_the_topic_carried_is_the_matter_not_the_question_s_wording(zw_env):
    first = rewrite("在广州被裁员了，失业金一个月能领多少")
    assert first.topic.split()[0] == "失业金" and "一个月" not in first.topic and "能领" not in first.topic
    h = [{"question": first.original, "topic": first.topic}]
    follow = rewrite("能领几个月", h)
    assert follow.followup and follow.topic == first.topic  # a follow-up's own words name an aspect, not a topic
    same = rewrite("学生呢", [{"question": "广州居民医保一年交多少钱", "topic": "居民医保 广州"}], continuing=True)
    assert same.asks == "广州居民医保一年交多少钱 学生" and "学生" in same.standalone


@pytest.mark.parametrize("first,lead_in,question", [("社保卡怎么办？", "顺便问一下，", "生育津贴怎么申请"),
                                                     ("失业金怎么领？", "另外想问 ", "租房合同备案怎么弄"),
                                                     ("电子居住证怎么申请", "换个问题，", "工伤认定要在多长时间内申请"),
                                                     ("租房合同备案怎么弄", "对了 ", "驾驶证过期了去哪换")])
def test_a_new_topic_is_judged_exactly_as_if_asked_first(demo_kb, first, lead_in, question):
    """The turn's lead-in aside, a new topic gets the reply, the citation and the abstention's probability the
    same question gets as a conversation's first question: nothing of the earlier topic reaches its search or
    its abstention."""
    _, turn = _conversation(first, lead_in + question)
    (alone,) = _conversation(question)
    assert not turn.followup and turn.rewritten == alone.rewritten
    assert (turn.reply_kind, _cited(turn), turn.basis_probability, turn.body) == \
        (alone.reply_kind, _cited(alone), alone.basis_probability, alone.body), (turn.answer, alone.answer)
    assert "continuation" not in turn.checks and "previous_document" not in turn.checks


def test_question_words_and_details_continue_the_topic_through_the_answer_path(demo_kb):
    """"喺边度办" (where do I do it) and "照片要审核多久" after a 社保卡 answer are its follow-ups, answered from
    the 社保卡 guide, not searched as new topics."""
    card, where, photo = _conversation("社保卡怎么申领", "喺边度办", "照片要审核多久")
    assert _cited(card) == "gz-guide-22"
    for a in (where, photo):
        assert a.followup and "社保卡" in a.rewritten, a.rewritten
        assert _cited(a) in (None, "gz-guide-22"), a.answer  # never another document's passage
    assert _cited(photo) == "gz-guide-22" and answer_types.holds(photo.body, ("duration",)), photo.answer
