"""Which value of the right document answers: the value of the question's own action, on real demo documents.

The documents of data/demo are ingested into a real store and read the way the answer path reads them
(answer_inputs). Questions are phrased here, in a citizen's words, not taken from the evaluation sets. Asserted:
among the document's sentences that state a value of the asked kind, the `value_*` evidence marks the one whose
value belongs to the question's action (拿到 ~ 领卡, 批下来 ~ 办结, 出结果 ~ 作出决定), and the shipped ranker
picks it; the same question gets the same answer every time.
"""

from __future__ import annotations

import pytest

from zhengwu.qa import extract as X
from zhengwu.qa import ranker
from zhengwu.qa.whole import whole_answer

# demo_docs (tests/qa/conftest.py) reads these documents, found by these queries
DOCS = {"gz-guide-06", "gz-guide-22", "gz-guide-23", "gz-guide-35b", "law-工伤保险条例-2010-12-20",
        "govcn-000014349/2018-00213"}
QUERIES = ("社会保障卡申领领卡", "养老金申领办理时限", "人才引进入户审核办理时效", "工伤认定申请决定",
           "2019年节假日安排春节", "城乡居民医保集中参保缴费时间")


def _valued(question: str, text: str) -> list[tuple[str, tuple[float, float, float]]]:
    """The document's sentences holding a value of the asked narrow kind, with their value features."""
    q = ranker.analyse(question)
    out = []
    for s, _ in X.sections(text):
        f = ranker.value_features(q, s)
        if ranker.answer_types.holds(s, tuple(t for t in q.types if t in ranker.NARROW_TYPES)):
            out.append((s, f))
    return out


@pytest.mark.parametrize("doc, question, right, wrong", [
    # the card's delivery (领卡)
    ("gz-guide-22", "社保卡申请以后大概要等几天才能领到卡", "12个工作日领卡", None),
    # 拿到 is 领卡, and the photo review's 1–5 days are not it: the 领 of "申领人" after them is applying, not taking
    ("gz-guide-22", "社保卡多久能拿到", "12个工作日领卡", "1个至5个工作日内完成审核"),
    # the time to approve, not the 60 days to appeal against the decision
    ("gz-guide-23", "退休了申请养老金，一般几天能批下来", "承诺办结时限：10个工作日", "60日内"),
    # the action after the asked words, not the 申请 before them
    ("gz-guide-23", "养老金申请交上去几个工作日能办结", "承诺办结时限：10个工作日", "60日内"),
    # the time to decide, not the employer's 30 days to apply
    ("law-工伤保险条例-2010-12-20", "工伤认定的申请递上去以后要过多久才出结果", "60日内作出工伤认定的决定",
     "30日内"),
    # the review's period, not the period of the public notice after it
    ("gz-guide-35b", "人才引进落户，材料交上去审核需要多少天", "15个工作日内完成审核", "5个工作日的公示"),
    # the payment period's last day, not the day a newborn's cover starts (its 缴纳 is a condition: "…的，")
    ("gz-guide-06", "城乡居民医保最晚哪天之前要交钱", "2025年12月20日（集中参保期）", "自出生次年1月1日起"),
])
def test_the_value_of_the_question_s_action_is_marked_over_another_of_its_kind(demo_docs, doc, question, right,
                                                                               wrong):
    rows = _valued(question, demo_docs[doc][0])
    hits = [f for s, f in rows if right in s]
    assert hits, [s for s, _ in rows]
    assert all(f[1] == 1.0 and f[2] == 0.0 for f in hits), hits  # the question's action, nothing foreign
    if wrong:
        others = [f for s, f in rows if wrong in s and right not in s]
        assert others, [s for s, _ in rows]
        assert all(f[1] == 0.0 for f in others), others


def test_a_holiday_question_s_value_is_the_line_labelled_with_its_holiday(demo_docs):
    text = demo_docs["govcn-000014349/2018-00213"][0]
    rows = _valued("春节一共放几天假", text)
    spring = [f for s, f in rows if s.startswith("二、春节")]
    others = [f for s, f in rows if s.startswith(("一、元旦", "七、国庆节"))]
    assert spring and len(others) == 2
    # 春节 is the line's label, outside the clauses holding its periods: the label counts for every value
    assert all(spring[0][0] > f[0] for f in others), (spring, others)


@pytest.mark.parametrize("doc, question, fact", [
    # answered by the newborn's rule without the value_action rule (checked when this test was written)
    ("gz-guide-06", "城乡居民医保最晚哪天之前要交钱", "12月20日"),
    ("gz-guide-06", "居民医保缴费哪天截止", "12月20日"),
    ("gz-guide-22", "社保卡申请以后大概要等几天才能领到卡", "12个工作日"),
    ("gz-guide-23", "退休了申请养老金，一般几天能批下来", "10个工作日"),
    ("gz-guide-23", "养老金申请交上去几个工作日能办结", "10个工作日"),
    ("law-工伤保险条例-2010-12-20", "工伤认定的申请递上去以后要过多久才出结果", "作出工伤认定的决定"),
    ("govcn-000014349/2018-00213", "春节一共放几天假", "春节"),
])
def test_the_shipped_ranker_answers_with_the_value_of_the_question_s_action(demo_docs, doc, question, fact):
    text, title = demo_docs[doc]
    shown = set()
    for _ in range(3):
        sn = ranker.choose_answer(question, [text], priors=[1.0], titles=[title])
        assert fact in sn.sentence
        shown.add(whole_answer(text, sn.text, sn.heading, question)[0])
    assert len(shown) == 1  # the same question, the same answer
    body = shown.pop()
    assert fact in body
    for line in body.split("\n"):  # whole: no line cut after a comma
        assert not line.endswith(("，", ",", "、")), line


@pytest.mark.parametrize("doc, question, fact, other", [
    # the value asked belongs to the action reaching a quantity before the asking words (交够 ~ 缴费), not to the
    # 领 after them: the contribution years' line, not another value of taking the pension
    ("gz-guide-23", "养老保险得交够几年 到点了才能按月领钱", "满15年", None),
    # a sum stated as months of one's wage is a sum: the lump sum's line is among the values, by its grade
    ("law-工伤保险条例-2010-12-20", "评了九级伤残 一次性伤残补助金给多少", "九级伤残为9个月的本人工资", "伤残津贴"),
])
def test_a_value_in_words_answer_types_do_not_read_is_still_a_value_of_the_kind_asked(demo_docs, doc, question,
                                                                                    fact, other):
    text, title = demo_docs[doc]
    q = ranker.analyse(question)
    narrow = tuple(t for t in q.types if t in ranker.NARROW_TYPES)
    line = next(s for s, _ in X.sections(text) if fact in s)
    assert ranker.states_value(line, narrow)
    assert ranker.value_features(q, line)[1] == 1.0  # a value of the question's own action
    sn = ranker.choose_answer(question, [text], priors=[1.0], titles=[title])
    assert fact in sn.chosen[0]
    if other:
        assert other not in sn.chosen[0]
