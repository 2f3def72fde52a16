"""Q&A test fixtures: an isolated installation with real government documents ingested."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
REAL_DOCS = DATA / "real_docs.jsonl"
DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
DEPARTMENT = "default"
# provenance fields of the demo records: not text a citizen's answer could come from
DEMO_META_FIELDS = {"id", "url", "index_number", "source_url", "source_url_origin", "source_repo", "source_path",
                    "source_commit", "source_platform", "retrieved_approx", "record_format", "duplicate_paths",
                    "eligibility_excerpts_method", "implementing_agency_note"}


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


@pytest.fixture
def demo_kb(zw_env):
    """Every demo document (160: guides, benefit policies, State Council texts) in knowledge base "demo"."""
    from zhengwu.kb.ingest import ingest_paths
    from zhengwu.kb.search import clear_indexes

    clear_indexes()
    rep = ingest_paths(sorted(DEMO.glob("*.jsonl")), kb="demo", caller=caller(), progress=False)
    assert not rep.failed
    return zw_env


def write_subset(tmp: Path, docids: set[str], name: str = "subset.jsonl") -> Path:
    out = tmp / name
    with REAL_DOCS.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            if json.loads(line)["docid"] in docids:
                dst.write(line)
    return out


def ingest_demo(tmp: Path, ids: set[str], kb: str = "demo") -> None:
    """Ingest the bundled demo documents with these ids (a few of the 160: a test's fixture stays quick)."""
    subset = tmp / "demo_subset.jsonl"
    with subset.open("w", encoding="utf-8") as out:
        for f in sorted(DEMO.glob("*.jsonl")):
            for line in f.read_text(encoding="utf-8").splitlines():
                if json.loads(line).get("id") in ids:
                    out.write(line + "\n")
    ingest(subset, kb=kb)


def read_as_answered(tmp: Path, ids: set[str], queries: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Ingest the demo documents `ids`, then search `queries` and keep each found document's text the way the
    answer path reads it (answer_inputs): external id -> (text, title). Asserts every id was found."""
    from zhengwu.qa.evidence import answer_inputs
    from zhengwu.store.db import session_scope

    ingest_demo(tmp, ids)
    docs: dict[str, tuple[str, str]] = {}
    with session_scope() as session:
        for query in queries:
            ev = answer_inputs(session, caller(), query, kb="demo")
            for text, doc in ev.texts.values():
                docs[str(doc.external_id)] = (text, doc.title or "")
    assert ids <= set(docs), set(docs)
    return docs


@pytest.fixture
def demo_docs(zw_env, tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, tuple[str, str]]:
    """external id -> (the document's text as the answer path reads it, its title), for the test module's `DOCS`,
    found by its `QUERIES` (read_as_answered)."""
    return read_as_answered(tmp_path, request.module.DOCS, request.module.QUERIES)


def gateway_conftest():  # noqa: ANN201
    """The gateway tests' conftest module: its real tiny OpenAI-compatible server is reused, not copied."""
    path = Path(__file__).resolve().parent.parent / "gateway" / "conftest.py"
    spec = importlib.util.spec_from_file_location("zw_gateway_conftest_for_qa", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def demo_texts() -> dict[str, str]:
    """Every demo document's text (all its fields but provenance), by id: what a key fact must be found in."""
    texts = {}
    for path in sorted(DEMO.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts[record["id"]] = "\n".join(s for k, v in record.items() if k not in DEMO_META_FIELDS
                                            for s in _strings(v))
    return texts


KINDS = {"materials", "procedure", "time", "amount", "condition", "place", "contact", "yesno", "other"}


def question_set(path: Path) -> tuple[dict, list[dict]]:
    """The NOTICE object and the rows of an everyday question or conversation file."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[0], lines[1:]


def licensed_rows(path: Path) -> list[dict]:
    """The rows of a question set whose first line is a NOTICE naming its licence (a set without one cannot ship)."""
    notice, rows = question_set(path)
    assert set(notice) == {"notice"} and "licence" in notice["notice"].lower(), f"{path.name}: NOTICE line"
    return rows


def check_key_facts(where: str, gold: list[str], facts: list[str], docs: dict[str, str]) -> None:
    """Gold ids are demo documents and every key fact (one of its 'a|b' alternatives) is verbatim in one of them:
    the evaluator scores an answer by string match, so a fact not in the text could never be met."""
    assert gold and len(set(gold)) == len(gold), f"{where}: gold must be non-empty and without repeats"
    unknown = [g for g in gold if g not in docs]
    assert not unknown, f"{where}: unknown demo ids {unknown}"
    assert 1 <= len(facts) <= 3, f"{where}: 1-3 key facts"
    for fact in facts:
        for alternative in fact.split("|"):
            assert 2 <= len(alternative) <= 12, f"{where}: key fact {alternative!r} should be 2-12 characters"
            assert any(alternative in docs[g] for g in gold), f"{where}: {alternative!r} is in no gold document"


def judged(question: str) -> tuple[str | None, dict]:
    """(The external id of the document the answer would cite, abstention aside; the abstention's evidence), computed
    along the product's path so that the abstention tests judge what it would see."""
    from zhengwu.qa.answer import _INJECTION
    from zhengwu.qa.evidence import answer_inputs, basis_features
    from zhengwu.qa.ranker import choose_answer
    from zhengwu.qa.rewrite import rewrite
    from zhengwu.store.db import session_scope

    query = rewrite(question).query
    with session_scope() as session:
        ev = answer_inputs(session, caller(), query, kb="demo")
        sn = choose_answer(query, ev.passages, priors=ev.priors, titles=ev.titles, exclude=_INJECTION,
                           dense=ev.dense) if ev.cands else None
        if sn is None:
            return None, {}
        return str(ev.cands[sn.hit_index].external_id), basis_features(query, ev, sn)


def first_document(question: str) -> str | None:
    """The external id of the document the answer would cite, abstention aside (None: nothing covers it)."""
    from zhengwu.qa.answer import _INJECTION
    from zhengwu.qa.evidence import answer_inputs
    from zhengwu.qa.ranker import choose_answer
    from zhengwu.qa.rewrite import rewrite
    from zhengwu.store.db import session_scope

    query = rewrite(question).query
    with session_scope() as session:
        ev = answer_inputs(session, caller(), query, kb="demo")
        sn = choose_answer(query, ev.passages, priors=ev.priors, titles=ev.titles, exclude=_INJECTION,
                           dense=ev.dense) if ev.cands else None
        return str(ev.cands[sn.hit_index].external_id) if sn is not None else None
