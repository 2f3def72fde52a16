"""bench/load.py end to end: a real `zhengwu serve` over the demo knowledge base, 3 users for a few seconds, a
real upload meanwhile; the report has the keys docs/benchmarks.md quotes and no request failed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL_DOCS = ROOT / "tests" / "qa" / "data" / "real_docs.jsonl"


@pytest.mark.slow
def test_load_bench_runs_end_to_end(tmp_path):
    r = subprocess.run([sys.executable, "bench/load.py", "--users", "3", "--duration", "4", "--think", "0.2",
                        "--ingest", str(REAL_DOCS), "--cache", str(tmp_path), "--json"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout)
    assert out["users"] == 3 and out["embedder"] == "none"
    assert out["requests"] >= 3 and out["errors"] == 0, out["errors_by_kind"]
    assert out["search"]["n"] + out["ask"]["n"] == out["requests"]
    for kind in ("search", "ask"):
        p = out[kind]
        if p["n"]:
            assert 0 < p["p50_ms"] <= p["p95_ms"] <= p["p99_ms"] <= p["max_ms"]
    assert out["ingest"]["status"] == "done" and out["ingest"]["mb_per_s"] > 0
    assert "during_ingest" in out and len(out["loadavg_before"]) == 3
    assert not list(tmp_path.glob("run-*")), "the run's copy of the demo home is removed"
