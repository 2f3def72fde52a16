"""The document the answer comes from (twelfth round), on real demo documents with phrasings written for these
tests (not the everyday sets' questions).

- An expired document that answers the question clearly better than every current one gets the expired reply
  (named, its dates, no longer in force, the 12345 hand-off), not an answer from a weaker current document; a
  current document that answers well is still answered from.
- The evaluator's keys for it: expired_reply_gold_rate, wrong_answer_rate_answerable.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.qa.conftest import caller, ingest_demo

LOW_INCOME = "gz-policy-26"  # 广州 2025 低保 and related standards, expired 2026-06-01
AIDS = "gz-policy-27b"  # 广州 assistive-device measures, expired 2024-01-31
DISABILITY_2026 = "gz-policy-27"  # 广州 disability allowances 2026: current
# with current documents that compete for the same questions (housing, the national 救助 and 低保 rules, 广州's
# disability allowances and unemployment FAQ)
DOCS = {LOW_INCOME, AIDS, DISABILITY_2026, "gz-policy-27c", "gz-policy-13", "gz-policy-19",
        "law-社会救助暂行办法-2019-03-02", "law-城市居民最低生活保障条例-1999-09-28"}


@pytest.fixture
def demo_kb(zw_env, tmp_path: Path):
    ingest_demo(tmp_path, DOCS)
    return zw_env


# --- the expired reply -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("question, old", [
    ("请问广州现在的低保标准是每人每月多少钱", LOW_INCOME),
    ("广州残疾人适配辅助器具，政府补贴最多给多少", AIDS),
])
def test_the_expired_reply_when_the_best_document_has_expired(demo_kb, question, old):
    from zhengwu.qa.answer import ask

    a = ask(question, caller=caller(), kb="demo")
    assert a.reply_kind == "expired" and a.expired and a.no_basis and a.body == ""
    assert a.citations[0].external_id == old and a.citations[0].current is False
    assert "已失效" in a.answer and "不能作为现行政策依据" in a.answer and "12345" in a.answer and a.handoff_id
    assert any(c.startswith("expired_best:") for c in a.checks)


def test_a_current_document_that_answers_well_is_answered_from(demo_kb):
    from zhengwu.qa.answer import ask

    # 广州's 2026 disability allowances (current) answer it; the expired assistive-device measures compete
    a = ask("广州重度残疾人护理补贴今年每月发多少钱", caller=caller(), kb="demo", lang="zh")
    assert a.reply_kind != "expired" and not any(c.startswith("expired_best:") for c in a.checks)
    if not a.no_basis:
        assert a.citations[0].external_id == DISABILITY_2026 and a.citations[0].current


def test_an_old_version_of_a_current_document_never_gets_the_expired_reply(zw_env, tmp_path):
    from tests.qa.conftest import ingest, write_subset
    from zhengwu.qa.answer import ask

    new, old = "lrb-a719366336c28362", "lrb-4e108576bacc9155"  # the holiday rules, current and superseded
    ingest(write_subset(tmp_path, {new, old}))
    answered = 0
    for q in ("春节一共放几天假", "国庆节放几天假", "劳动节放假几天"):
        a = ask(q, caller=caller())
        assert a.reply_kind != "expired" and not any(c.startswith("expired_best:") for c in a.checks), q
        if not a.no_basis:  # the abstention may decline a phrasing; answered, it is from the version in force
            answered += 1
            assert a.citations[0].external_id == new and a.citations[0].current, q
    assert answered


def test_the_expired_reply_names_the_document_without_calling_it_the_only_one():
    from zhengwu.qa.evidence import Citation
    from zhengwu.qa.replies import expired

    c = Citation(n=1, title="广州市残疾人辅助器具适配工作管理办法", doc_number="", heading_path="", docid=1,
                 external_id="x", validity="expired", text="", effective_date="2019-02-01",
                 expiry_date="2024-01-31")
    en = expired("en", c, 7)
    assert "2024-01-31" in en and "12345" in en and "only document" not in en
    assert "失效日期 2024-01-31" in expired("zh", c, 7)


# --- the evaluator's keys --------------------------------------------------------------------------------------

def test_the_evaluator_counts_expired_replies_and_wrong_answers_of_answerable_questions():
    from zhengwu.eval.everyday import score_questions

    cases = [{"gold": ["a"], "key_facts": []}, {"gold": ["b"], "key_facts": []}, {"gold": ["c"], "key_facts": []},
             {"gold": ["d"], "key_facts": []}, {"gold": [], "key_facts": []}]
    answers = [
        {"no_basis": True, "reply_kind": "expired", "citations": [{"external_id": "a"}]},  # expired, a gold one
        {"no_basis": True, "reply_kind": "expired", "citations": [{"external_id": "x"}]},  # expired, not gold
        {"no_basis": False, "reply_kind": "answer", "citations": [{"external_id": "y"}]},  # a wrong answer
        {"no_basis": False, "reply_kind": "answer", "citations": [{"external_id": "d"}]},  # right
        {"no_basis": True, "reply_kind": "no_basis", "citations": []},
    ]
    r = score_questions(cases, answers)
    assert r["expired_reply_gold_rate"] == 0.25 and r["wrong_answer_rate_answerable"] == 0.25
    assert r["first_citation_accuracy"] == 0.25 and r["no_basis_rate_unanswerable"] == 1.0
