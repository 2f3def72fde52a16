"""The ranker's close second choice inside the right document, shown after its first (whole.with_second), on real
demo documents.

The documents of data/demo are ingested into a real store and read the way the answer path reads them
(answer_inputs). Questions are phrased here, in a citizen's words, not taken from the evaluation sets. Asserted:
the second choice is another sentence of the same document (never the first's neighbour, which the span model
already weighs), it is shown only when the "within" model's scores are close and it is short, whole, not already
shown, and the two stand in the document's order.
"""

from __future__ import annotations

import pytest

from zhengwu.qa import extract as X
from zhengwu.qa import ranker
from zhengwu.qa.whole import SECOND_GAP, SECOND_LIMIT, whole_answer, with_second

# demo_docs (tests/qa/conftest.py) reads these documents, found by these queries
DOCS = {"law-工伤保险条例-2010-12-20", "gz-policy-33", "govcn-000014349/2018-00219"}
QUERIES = ("工伤认定申请时限", "老年人优待办法乘车半价", "个人所得税专项附加扣除住房租金")


def _shown(text: str, title: str, question: str) -> tuple[ranker.Snippet, str, str]:
    sn = ranker.choose_answer(question, [text], priors=[1.0], titles=[title])
    first = whole_answer(text, sn.text, sn.heading, question)
    return sn, first[0], with_second(text, first, sn.second, question)[0]


@pytest.mark.parametrize("doc, question", [
    ("law-工伤保险条例-2010-12-20", "老板一直拖着不给报工伤，我们自己最迟多长时间内还能去申请认定"),
    ("gz-policy-33", "我妈63岁了，在广州坐地铁能打折吗"),
    ("govcn-000014349/2018-00219", "孩子读幼儿园个税一个月扣多少"),
    ("law-工伤保险条例-2010-12-20", "工伤认定的申请递上去以后要过多久才出结果"),
])
def test_the_second_choice_is_another_sentence_of_the_same_document(demo_docs, doc, question):
    text, title = demo_docs[doc]
    sn, first, body = _shown(text, title, question)
    sentences = [s for s, _ in X.sections(text)]
    if sn.second is not None:
        assert sn.second[0] in sentences and sn.second[0] not in sn.sentence
        chosen = next(k for k, s in enumerate(sentences) if sn.sentence.startswith(s))  # a pair starts with it
        assert abs(sentences.index(sn.second[0]) - chosen) > ranker.NEIGHBOURS
    assert first in body  # the first choice is always shown whole
    assert len(body) <= len(first) + SECOND_LIMIT + 20  # the second adds little (its label at most)
    assert _shown(text, title, question)[2] == body  # the same question, the same answer


def test_a_close_second_brings_the_fact_the_first_lacks(demo_docs):
    # the article on who is entitled comes first; the 60–65 year olds' half fare, a close second, is article six
    text, title = demo_docs["gz-policy-33"]
    sn, first, body = _shown(text, title, "我妈63岁了，在广州坐地铁能打折吗")
    assert "半价" not in first and sn.second is not None and sn.second[2] < SECOND_GAP
    assert "半价" in body and body.startswith(first)
    for line in body.split("\n"):  # whole: no line cut after a comma
        assert not line.endswith(("，", ",", "、")), line


def test_only_a_close_short_unshown_second_is_added_in_the_document_s_order(demo_docs):
    text, _ = demo_docs["gz-policy-33"]
    sentences = [s for s, _ in X.sections(text)]
    sixth = next(s for s in sentences if s.startswith("第六条"))
    seventh = next(s for s in sentences if s.startswith("第七条"))
    q = "老人坐公交有什么优惠"
    first = whole_answer(text, seventh, "第七条", q)
    body, label = with_second(text, first, (sixth, "", SECOND_GAP / 2), q)
    assert body.index("第六条") < body.index("第七条") and label == first[1]  # the document's order
    assert with_second(text, first, (sixth, "", SECOND_GAP), q) == first  # not close enough
    assert with_second(text, first, None, q) == first
    assert with_second(text, first, (seventh, "", 0.0), q) == first  # already shown
    law, _ = demo_docs["law-工伤保险条例-2010-12-20"]
    long = next(s for s, _ in X.sections(law) if len(whole_answer(law, s, "", q)[0]) > SECOND_LIMIT)
    first = whole_answer(law, "第一条", "", q)
    assert with_second(law, first, (long, "", 0.0), q) == first  # too long to add
