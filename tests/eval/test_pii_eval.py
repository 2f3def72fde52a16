"""`zhengwu eval pii` on the copied argus-redact cases (Apache-2.0, tests/fixtures/pii) and on span files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EVAL, run_cli
from zhengwu.eval import pii as ev

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "pii"


def test_eval_cli_on_argus_cases_json(zw_env):
    r = run_cli("eval", "pii", "--cases", str(FIX / "argus_cases.dev.jsonl"), "--json")
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["n_cases"] > 80
    s = rep["structured"]
    assert s["recall"] >= 0.99 and s["precision"] >= 0.97
    for t in ("id_card", "credit_code", "phone", "bank_card", "license_plate", "email"):
        assert rep["per_type"][t]["recall"] >= 0.99, t
    assert rep["leak_rate"] <= 0.05
    assert rep["chars_per_s"] > 0
    assert "medical" in rep["skipped_types"]  # sensitive categories we do not mask are reported, not scored


def test_span_file_format_and_label_maps(tmp_path):
    # two real argus texts rewritten as span annotations (start/end/type) with NER label names
    rows = [
        {"id": "a", "text": "联系人王小明，电话13912345678", "entities": [{"start": 3, "end": 6, "type": "PER.NAM"}]},
        {"id": "b", "text": "户籍地址：浙江省杭州市西湖区文三路391号",
         "entities": [{"start": 5, "end": 21, "type": "address", "text": "浙江省杭州市西湖区文三路391号"},
                      {"start": 5, "end": 8, "type": "organization"}]},
        {"id": "c", "text": "今天天气不错", "entities": []},
    ]
    f = tmp_path / "spans.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    cases, _ = ev.load_cases(f)
    assert [g.type for c in cases for g in c.gold] == ["person", "address"]
    assert cases[0].scope == {"person", "address"}
    rep = ev.run(f)
    assert rep["per_type"]["person"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0}
    assert rep["per_type"]["address"]["tp"] == 1
    # keep_region=False in the benchmark: the whole address is masked, nothing leaks
    assert rep["leak_rate"] == 0.0
    rep2 = ev.run(f, keep_region=True)
    assert rep2["leak_by_type"]["address"]["leaked"] == 0  # the kept head alone is not the gold value


def test_false_positive_trap_cases_count_as_negatives(tmp_path):
    f = tmp_path / "traps.jsonl"
    f.write_text(json.dumps({"id": "t", "text": "Order #110101199003074610 has shipped", "should_find_pii": True,
                             "expected_pii_count": None, "category": "false_positive"}), encoding="utf-8")
    rep = ev.run(f)
    assert rep["structured"]["fp"] == 0


@pytest.mark.skipif(not (EVAL / "pii" / "weibo_ner.dev.jsonl").exists(), reason="shared eval data not present")
def test_weibo_dev_runs(tmp_path):
    rep = ev.run(EVAL / "pii" / "weibo_ner.dev.jsonl", limit=60)
    assert rep["n_cases"] == 60 and "person" in rep["leak_by_type"]
