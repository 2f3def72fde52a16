"""Extractive summaries of real State Council documents."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EVAL, ROOT, run_cli
from zhengwu.context import Caller

CALLER = Caller(user="tester", department="办公厅", role="officer")


def _docs() -> list[dict]:
    sample = ROOT / "tests" / "fixtures" / "official_docs_sample.jsonl"
    path = sample if sample.exists() else EVAL / "official_docs" / "state_council_2018_2019.jsonl"
    if not path.exists():
        pytest.skip(f"no official documents: neither {sample} nor {path}")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if len(r.get("text", "")) > 1500][:3]


def test_extractive_summary_of_real_documents(zw_env):
    from zhengwu.writing.summarize import summarize

    for doc in _docs():
        r = summarize(CALLER, doc["text"], title=doc["title"], ratio=0.15, use_model=False)
        assert r.mode == "extractive" and not r.ai_generated
        assert 0 < r.chars_out <= 0.15 * r.chars_in + 200  # budget, plus at most one sentence over
        idx = [s["index"] for s in r.sentences]
        assert idx == sorted(idx) and len(idx) >= 2  # document order kept
        for s in r.sentences:  # extractive: every sentence is verbatim from the document
            assert s["text"] in doc["text"]
            assert not s["text"].startswith(("一、", "二、"))  or len(s["text"]) > 30
        assert r.summary == "".join(s["text"] for s in r.sentences)
        assert r.audit_id


def test_title_words_pull_sentences(zw_env):
    from zhengwu.writing.summarize import extractive_summary

    doc = _docs()[0]
    _, picked = extractive_summary(doc["text"], title=doc["title"], max_chars=200)
    from zhengwu.writing.summarize import _words

    title_words = set(_words(doc["title"]))
    assert any(title_words & set(_words(p["text"])) for p in picked)


def test_empty_and_bad_ratio(zw_env):
    from zhengwu.errors import ZhengwuError
    from zhengwu.writing.summarize import summarize

    with pytest.raises(ZhengwuError):
        summarize(CALLER, "   ", use_model=False)
    with pytest.raises(ZhengwuError):
        summarize(CALLER, "正文。" * 10, ratio=1.5, use_model=False)


def test_cli_summarize_stdin(zw_env):
    doc = _docs()[0]
    res = run_cli("write", "summarize", "-", "--ratio", "0.1", "--json", input=doc["text"])
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["mode"] == "extractive" and data["chars_out"] > 0 and data["summary"][:10] in doc["text"]


def test_summarize_docx_input(zw_env):
    from zhengwu.cli.office import _read_input
    from zhengwu.errors import ZhengwuError
    from zhengwu.writing.summarize import summarize

    docx = ROOT / "tests" / "fixtures" / "guofa_2019_5_shuangsuiji.docx"
    if not docx.exists():
        pytest.skip(f"fixture missing: {docx}")
    r = summarize(CALLER, _read_input(str(docx)), ratio=0.05, use_model=False)
    assert r.chars_in > 3000 and 0 < r.chars_out < 400
    assert all(not s["text"].startswith("国务院关于") for s in r.sentences)  # the title is not content
    assert all(len(s["text"]) >= 10 for s in r.sentences)
    with pytest.raises(ZhengwuError) as exc:
        _read_input("/nonexistent/x.txt")
    assert exc.value.code == "file_not_found"
