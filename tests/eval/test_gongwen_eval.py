"""`zhengwu eval gongwen` on the sample of real State Council documents (GONGWEN)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from zhengwu.eval.gongwen import run_benchmark

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "official_docs_sample.jsonl"


def test_benchmark_on_sample():
    r = run_benchmark(FIXTURE, limit=3)
    assert r["documents"] == 3
    assert r["clean"]["measure_deviations"] == 0 and r["clean"]["docx_errors"] == 0 and r["clean"]["text_errors"] == 0
    assert r["injected_total"] >= 3 * 8
    assert r["detection_rate"] >= 0.95
    assert all(v["found"] == v["applicable"] for v in r["kinds"].values())


def test_eval_cli_json(zw_env):
    out = run_cli("eval", "gongwen", "--docs", str(FIXTURE), "--limit", "1", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["documents"] == 1 and set(data["kinds"]) >= {"number_brackets", "cc_full_stop"}
