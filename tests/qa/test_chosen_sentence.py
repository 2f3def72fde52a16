"""The "within" model's own sentence, shown when the answer span lies beside it (whole.with_chosen), on real demo
documents.

The documents of data/demo are ingested into a real store and read the way the answer path reads them
(answer_inputs). Questions are phrased here, in a citizen's words, not taken from the evaluation sets. Asserted:
when the span model's pick lies in a neighbouring line, the line the "within" model chose is shown too, whole, in
the document's order, and the answer the span gave is kept whole; nothing is added when the chosen sentence is
already shown, absent or too long.
"""

from __future__ import annotations

from zhengwu.qa import extract as X
from zhengwu.qa import ranker
from zhengwu.qa.whole import SECOND_LIMIT, whole_answer, with_chosen

# demo_docs (tests/qa/conftest.py) reads these documents, found by these queries
DOCS = {"gz-guide-06", "gz-guide-14"}
QUERIES = ("城乡居民医保缴费标准", "房屋租赁登记备案")


def _shown(text: str, title: str, question: str) -> tuple[ranker.Snippet, str, str]:
    sn = ranker.choose_answer(question, [text], priors=[1.0], titles=[title])
    first = whole_answer(text, sn.text, sn.heading, question)
    return sn, first[0], with_chosen(text, first, sn.chosen, question)[0]


def test_the_chosen_line_is_shown_when_the_span_moved_to_its_neighbour(demo_docs):
    # the within model picks the line saying a tenant may file alone; the span model moves to the next item
    # (rental companies and agents), which alone does not answer "can I do it without the landlord"
    text, title = demo_docs["gz-guide-14"]
    sn, first, body = _shown(text, title, "房东不配合 租客自己能去做租赁备案吗")
    assert sn.chosen is not None and any(sn.chosen[0] in s for s, _ in X.sections(text))
    assert "单方" in sn.chosen[0] and "单方" not in first
    assert first in body and "单方" in body  # the span's answer kept whole, the chosen line added
    for line in body.split("\n"):
        assert not line.endswith(("，", ",", "、")), line  # whole lines, not cut after a comma


def test_two_parallel_lines_stand_in_the_document_s_order(demo_docs):
    # a grown-up's contribution asked: the span is the 其他参保人员 line, the within model chose the 在校学生 line
    # beside it; both are shown, (一) before (二), so the citizen reads which applies
    text, title = demo_docs["gz-guide-06"]
    sn, first, body = _shown(text, title, "没工作的大人参加居民医保个人缴多少钱")
    assert "在校学生" in sn.chosen[0] and sn.chosen[0] not in first and "549元" in first
    assert first in body and sn.chosen[0] in body
    assert "413元" in body and "549元" in body and body.index("413元") < body.index("549元")


def test_nothing_is_added_when_shown_absent_or_too_long(demo_docs):
    text, _ = demo_docs["gz-guide-06"]
    lines = [s for s, _ in X.sections(text)]
    student = next(s for s in lines if "413元" in s)
    q = "居民医保交多少钱"
    first = whole_answer(text, student, "", q)
    assert with_chosen(text, first, None, q) == first
    assert with_chosen(text, first, (student, ""), q) == first  # already shown
    long = next(s for s in lines if len(whole_answer(text, s, "", q)[0]) > SECOND_LIMIT)
    assert with_chosen(text, first, (long, ""), q) == first  # too long to add
    other = next(s for s in lines if "549元" in s)
    body, label = with_chosen(text, first, (other, ""), q)
    assert body.startswith(first[0]) and "549元" in body and label == first[1]
