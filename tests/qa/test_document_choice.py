"""The document the answer comes from (twelfth round), on real demo documents with phrasings written for these
tests (not the everyday sets' questions).

- An expired document that answers the question clearly better than every current one gets the expired reply
  (named, its dates, no longer in force, the 12345 hand-off), not an answer from a weaker current document; a
  current document that answers well is still answered from.
- The ranker's document evidence (ranker.document_evidence): the title's conditions the question does not state,
  the title's leading word, a place the question names against the document's, a rule text for a how-to question,
  a title written for citizens.
- The evaluator's keys for it: expired_reply_gold_rate, wrong_answer_rate_answerable.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.qa.conftest import DEMO, caller, ingest_demo

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


def _demo(docid: str) -> tuple[str, str]:
    """(title, text) of a demo record as the ranker reads it (title, then the text)."""
    for f in sorted(DEMO.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("id") == docid:
                title = row.get("title") or row.get("item_name") or ""
                text = row.get("full_text") or json.dumps({k: v for k, v in row.items() if k != "id"},
                                                          ensure_ascii=False)
                return title, text
    raise KeyError(docid)


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


def test_another_citys_expired_standard_is_not_the_questions_expired_policy(demo_kb):
    from zhengwu.qa.answer import ask

    # the only 低保 standard in the store is 广州's, expired: a question naming 临沂 is not about it
    for q in ("我在临沂，低保一个月能领多少钱", "临沂市的最低生活保障标准现在是多少"):
        a = ask(q, caller=caller(), kb="demo", lang="zh")
        assert a.reply_kind != "expired" and not a.expired, q
        assert LOW_INCOME not in [c.external_id for c in a.citations], q
    # (the question naming 广州 still gets it: test_the_expired_reply_when_the_best_document_has_expired)


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


# --- the ranker's document evidence ----------------------------------------------------------------------------

def _evidence(question: str, docid: str) -> dict[str, float]:
    from zhengwu.qa.ranker import analyse, document_evidence
    from zhengwu.qa.rewrite import rewrite

    title, text = _demo(docid)
    return document_evidence(analyse(rewrite(question).query), title, text)


def test_sibling_guides_the_one_whose_title_leads_with_who_the_question_names():
    q = "想让我爸妈把户口迁过来跟我一起住"
    assert _evidence(q, "linyi-huzheng-ParentsChildrenDependenceInstructions")["title_lead"] == 1.0  # 父母投靠…
    assert _evidence(q, "linyi-huzheng-ChildrenParentsDependenceInstructions")["title_lead"] == 0.0  # 子女投靠…


def test_sibling_guides_a_title_full_of_conditions_the_question_does_not_state():
    q = "宝宝刚生下来，怎么给他报户口"
    plain = _evidence(q, "linyi-huzheng-MarriageBabiesRegistrationInstructions")["title_extra"]
    special = _evidence(q, "linyi-huzheng-GrandparentsBabiesRegistrationInstructions")["title_extra"]
    assert special > plain  # 随祖父母、外祖父母…（父母双方属现役军人、在校学生或华侨…）: conditions not asked


def test_a_document_of_another_place_than_the_question_names():
    from zhengwu.qa.ranker import document_place, other_place

    q = "我在临沂，流动人口居住证怎么办"
    assert _evidence(q, "gz-guide-34")["place_other"] == 1.0  # a 广州 guide
    assert _evidence(q, "linyi-huzheng-FlowCardInstructions")["place_other"] == 0.0
    assert _evidence(q, "law-居住证暂行条例-2015-11-26")["place_other"] == 0.0  # national: never "other"
    assert _evidence("流动人口居住证怎么办", "gz-guide-34")["place_other"] == 0.0  # no place asked
    assert document_place(*_demo("gz-policy-19")).name == "广州市"
    assert document_place(*_demo("law-失业保险条例-1999-01-22")) is None
    assert other_place("我在临沂，低保一个月能领多少钱", *_demo(LOW_INCOME))  # 广州's standard
    assert not other_place("番禺区的低保一个月能领多少钱", *_demo(LOW_INCOME))  # a district of 广州
    # a district of the document's own city is that city ("天河" is 广州's)
    assert _evidence("在天河区开公司的港澳青年有什么补贴", "gz-policy-17")["place_other"] == 0.0


def test_a_rule_text_for_a_how_to_question_and_a_title_written_for_citizens():
    q = "失业保险金怎么申领，要带什么"
    law, faq = _evidence(q, "law-失业保险条例-1999-01-22"), _evidence(q, "gz-policy-19")
    assert law["rule_howto"] == 1.0 and faq["rule_howto"] == 0.0
    assert faq["citizen_doc"] == 1.0 and law["citizen_doc"] == 0.0
    # a question of what the rule says is not a how-to question
    assert _evidence("失业保险金最长能领多少个月", "law-失业保险条例-1999-01-22")["rule_howto"] == 0.0
    # "关于印发…办法的通知" is the measures it issues: a rule text
    assert _evidence("辅助器具补贴怎么申请", AIDS)["rule_howto"] == 1.0


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
