"""The retrieval benchmark command on a tiny subset of the policy-QA set (skipped when ../shared/eval is absent).

The subset is made at test time from the shared evaluation files (they may not be copied into the repository).
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import EVAL, run_cli

POLICY_QA = EVAL / "policy_qa"


@pytest.fixture
def tiny_set(zw_env, tmp_path):
    corpus, questions = POLICY_QA / "corpus.jsonl", POLICY_QA / "questions.dev.jsonl"
    if not corpus.is_file() or not questions.is_file():
        pytest.skip(f"policy-QA evaluation data not found under {POLICY_QA}")
    qs = [json.loads(line) for line in questions.open(encoding="utf-8")][:20]
    docs = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    gold = {q["docid"] for q in qs}
    keep = [d for d in docs if d["docid"] in gold] + [d for d in docs if d["docid"] not in gold][:30]
    c, q = tmp_path / "corpus.jsonl", tmp_path / "questions.jsonl"
    c.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in keep), encoding="utf-8")
    q.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in qs), encoding="utf-8")
    return c, q, len(qs)


def test_eval_retrieval_json_on_a_tiny_subset(tiny_set):
    corpus, questions, n = tiny_set
    r = run_cli("eval", "retrieval", "--corpus", str(corpus), "--questions", str(questions), "--json", "--k", "10")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["n"] == n and res["documents"] >= n // 2
    for key in ("recall@1", "recall@5", "mrr@10", "p95_ms"):
        assert key in res and key in res["baseline"]
    assert 0 <= res["recall@1"] <= res["recall@5"] <= 1
    assert res["recall@1"] - 1e-9 <= res["mrr@10"] <= 1
    # 20 questions over ~50 documents: the product must find most gold documents in the top 5
    assert res["recall@5"] >= 0.8
    assert res["baseline"]["n"] == n and 0 <= res["baseline"]["recall@1"] <= 1
    # timings are reported, not judged here (one slow first query can lift the mean above the p95 on a loaded machine)
    assert res["p95_ms"] > 0 and res["mean_ms"] > 0
    # the temporary store is gone and the user's store was not touched
    assert not (tiny_set[0].parent / "zhengwu.db").exists()


def test_eval_retrieval_text_report(tiny_set):
    corpus, questions, n = tiny_set
    r = run_cli("eval", "retrieval", "--corpus", str(corpus), "--questions", str(questions), "--limit", "5")
    assert r.returncode == 0, r.stderr
    assert "R@1" in r.stdout and "baseline BM25" in r.stdout and "5 问题 questions" in r.stdout


def test_eval_retrieval_missing_file_is_a_clear_error(zw_env, tmp_path):
    r = run_cli("eval", "retrieval", "--corpus", str(tmp_path / "nope.jsonl"), "--questions",
                str(tmp_path / "nope.jsonl"), "--json")
    assert r.returncode == 2 and "找不到" in r.stderr and "not found" in r.stderr
