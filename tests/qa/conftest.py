"""Q&A test fixtures: an isolated installation with real government documents ingested."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
REAL_DOCS = DATA / "real_docs.jsonl"
DEPARTMENT = "default"


def caller(role: str = "admin", department: str = DEPARTMENT):  # noqa: ANN201
    from zhengwu.context import Caller

    return Caller(user="tester", department=department, role=role)


def ingest(path: Path, kb: str = "demo") -> None:
    from zhengwu.kb.ingest import ingest_paths
    from zhengwu.kb.search import clear_indexes

    clear_indexes()
    rep = ingest_paths([path], kb=kb, caller=caller(), progress=False)
    assert not rep.failed, rep.failed


@pytest.fixture
def qa_kb(zw_env):
    """The real test documents (guides + both versions of two laws) in knowledge base "demo"."""
    ingest(REAL_DOCS)
    return zw_env


def write_subset(tmp: Path, docids: set[str], name: str = "subset.jsonl") -> Path:
    out = tmp / name
    with REAL_DOCS.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            if json.loads(line)["docid"] in docids:
                dst.write(line)
    return out


def gateway_conftest():  # noqa: ANN201
    """The gateway tests' conftest module: its real tiny OpenAI-compatible server is reused, not copied."""
    path = Path(__file__).resolve().parent.parent / "gateway" / "conftest.py"
    spec = importlib.util.spec_from_file_location("zw_gateway_conftest_for_qa", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod
