"""Search: filters, department isolation, hit fields, lexical search straight after ingest, bad queries, CLI, REST.

Real documents: State Council documents of the bundled demo corpus and two real laws about 契税 (one in
force, one no longer), ingested through the real ingestion path into a fresh SQLite store.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import api_key, run_cli
from zhengwu.config import reset_settings
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.gateway.models import AuditRecord
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.models import Document
from zhengwu.kb.search import clear_indexes, search
from zhengwu.store.db import reset_engines, session_scope

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEMO = ROOT / "data" / "demo" / "state_council_2018_2019.jsonl"
LAWS = HERE / "search_data" / "laws_qishui.jsonl"

CALLER = Caller(user="searcher", department="gz-zwfw", role="officer")
OTHER = Caller(user="other", department="gz-minzheng", role="officer")


def _demo_subset(tmp: Path, n: int = 6) -> Path:
    """The first n State Council documents of the demo corpus as a JSONL file."""
    rows = [json.loads(line) for line in DEMO.open(encoding="utf-8")][:n]
    out = tmp / "state_council_subset.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def stocked(tmp_path_factory):
    """KB "policies" (6 State Council documents) and KB "laws" (契税法 in force, 契税暂行条例 expired) of
    one department, and KB "policies" of another department holding only the laws.

    Built once for the module (ingestion is the slow part); tests only read it, except
    test_index_follows_new_documents, which writes to its own KB.
    """


    tmp = tmp_path_factory.mktemp("search")
    mp = pytest.MonkeyPatch()
    for key in list(os.environ):
        if key.startswith("ZHENGWU_") and key != "ZHENGWU_SHARED":
            mp.delenv(key, raising=False)
    mp.setenv("ZHENGWU_DATA_DIR", str(tmp / "data"))
    mp.setenv("ZHENGWU_CONFIG", str(tmp / "zhengwu.toml"))
    mp.setenv("ZHENGWU_EMBEDDER", "none")
    reset_settings()
    reset_engines()
    clear_indexes()
    r1 = ingest_paths([_demo_subset(tmp)], kb="policies", caller=CALLER, progress=False)
    r2 = ingest_paths([LAWS], kb="laws", caller=CALLER, progress=False)
    r3 = ingest_paths([LAWS], kb="policies", caller=OTHER, progress=False)
    assert (r1.added, r2.added, r3.added) == (6, 2, 2)
    yield tmp
    mp.undo()
    reset_settings()
    reset_engines()
    clear_indexes()


@pytest.fixture(scope="module")
def server(stocked):
    """The real `zhengwu serve` over the module's store."""
    from tests.conftest import running_server

    with running_server() as base:
        yield base


def _search(caller: Caller = CALLER, query: str = "", **kw):  # noqa: ANN202

    with session_scope() as s:
        return search(s, caller, query, **kw)


def test_lexical_search_right_after_ingest_finds_the_document_with_its_heading_and_number(stocked):
    hits = _search(query="三级公立医院绩效考核指标体系", kb="policies", k=3)
    assert hits, "no hits"
    top = hits[0]
    assert "三级公立医院绩效考核" in top.title
    assert top.doc_number == "国办发〔2019〕4号"
    assert top.kb == "policies"
    assert top.external_id and top.source.startswith("jsonl:")
    assert top.score > 0 and top.score >= hits[-1].score
    # hits are one per document and ordered by score
    assert len({h.document_id for h in hits}) == len(hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    d = top.to_dict()
    assert json.dumps(d, ensure_ascii=False)  # serialisable
    assert set(d) >= {"chunk_id", "document_id", "kb", "title", "doc_number", "issuer", "doc_type", "validity",
                      "pub_date", "heading_path", "text", "score", "source", "external_id"}


def test_hits_carry_the_heading_path_of_their_passage(stocked):
    hits = _search(query="建立健全跨部门随机抽查事项清单", kb="policies", k=1)
    assert hits and hits[0].doc_number == "国发〔2019〕5号"
    # the passage sits under a numbered section of the 意见
    assert hits[0].heading_path, "passage without heading path"
    assert any(m in hits[0].heading_path for m in ("一、", "二、", "三、", "四、", "（"))


def test_department_isolation(stocked):
    # the other department has only the laws, in a KB that has the same name
    hits = _search(OTHER, query="三级公立医院绩效考核", kb="policies", k=5)
    assert all("契税" in h.title for h in hits)
    assert not any("医院" in h.title for h in hits)
    # without a kb name: all KBs of the caller's department, never another's
    mine = _search(CALLER, query="契税 纳税人", k=10)
    assert {h.kb for h in mine} <= {"policies", "laws", "growing"}
    theirs = _search(OTHER, query="契税 纳税人", k=10)
    assert theirs and {h.kb for h in theirs} == {"policies"}
    mine_ids = {h.document_id for h in mine}
    assert not mine_ids & {h.document_id for h in theirs}
    # a KB that exists only in another department is "not found"
    with pytest.raises(ZhengwuError) as exc:
        _search(OTHER, query="契税", kb="laws")
    assert exc.value.code == "kb_not_found"


def test_validity_filter(stocked):
    both = _search(query="契税 税率 纳税义务", kb="laws", k=5)
    by_title = {h.title: h.validity for h in both}
    assert by_title.get("中华人民共和国契税法") == "effective"
    assert by_title.get("中华人民共和国契税暂行条例") == "expired"
    current = _search(query="契税 税率 纳税义务", kb="laws", k=5, validity=["effective"])
    assert [h.title for h in current] == ["中华人民共和国契税法"]
    old = _search(query="契税 税率 纳税义务", kb="laws", k=5, validity=["expired", "repealed"])
    assert [h.title for h in old] == ["中华人民共和国契税暂行条例"]
    with pytest.raises(ZhengwuError) as exc:
        _search(query="契税", validity=["valid"])
    assert exc.value.code == "bad_validity"


def test_doc_type_filter(stocked):
    from sqlalchemy import select


    with session_scope() as s:
        types = {t for (t,) in s.execute(select(Document.doc_type).where(Document.department == CALLER.department))}
    assert "意见" in types and "通知" in types
    hits = _search(query="国务院 工作", kb="policies", k=10, doc_types=["意见"])
    assert hits and all(h.doc_type == "意见" for h in hits)
    hits = _search(query="国务院 工作", kb="policies", k=10, doc_types=["通知"])
    assert hits and all(h.doc_type == "通知" for h in hits)


def test_index_follows_new_documents(stocked, tmp_path):

    ingest_paths([LAWS], kb="growing", caller=CALLER, progress=False)
    assert all("职业教育" not in h.title for h in _search(query="国家职业教育改革实施方案", kb="growing", k=3))
    ingest_paths([_demo_subset(tmp_path, 3)], kb="growing", caller=CALLER, progress=False)
    hits = _search(query="国家职业教育改革实施方案", kb="growing", k=3)
    assert hits and "职业教育" in hits[0].title


def test_empty_and_oversized_queries_are_refused_quickly(stocked):
    for q in ("", "   \n "):
        with pytest.raises(ZhengwuError) as exc:
            _search(query=q)
        assert exc.value.code == "query_empty" and exc.value.zh and exc.value.en
    t = time.perf_counter()
    with pytest.raises(ZhengwuError) as exc:
        _search(query="契税" * 5000)
    assert exc.value.code == "query_too_long"
    assert "1000" in exc.value.zh and "1000" in exc.value.en
    assert time.perf_counter() - t < 1.0
    with pytest.raises(ZhengwuError):
        _search(query="契税", mode="fuzzy")


def test_dense_mode_without_vectors_is_a_clear_error(stocked):
    with pytest.raises(ZhengwuError) as exc:
        _search(query="契税", mode="dense")
    assert exc.value.code == "no_vectors"
    # hybrid falls back to lexical while there are no vectors
    assert _search(query="契税法", kb="laws", mode="hybrid", k=1)[0].title == "中华人民共和国契税法"


def test_cli_search_json_and_errors(stocked):
    env = {"ZHENGWU_DEPARTMENT": CALLER.department, "ZHENGWU_USER": "cli-user"}
    r = run_cli("search", "契税 税率", "--kb", "laws", "--k", "2", "--json", "--validity", "effective",
                env_extra=env)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [x["title"] for x in rows] == ["中华人民共和国契税法"]
    assert rows[0]["validity"] == "effective" and rows[0]["kb"] == "laws" and rows[0]["score"] > 0
    r = run_cli("search", "三级公立医院绩效考核", "--kb", "policies", env_extra=env)
    assert r.returncode == 0 and "国办发〔2019〕4号" in r.stdout
    r = run_cli("search", "税" * 10000, env_extra=env)
    assert r.returncode == 2 and "过长" in r.stderr and "too long" in r.stderr


def test_rest_search(server):
    live_server = server
    h = api_key(CALLER.department)
    r = httpx.post(f"{live_server}/api/search", json={"q": "三级公立医院绩效考核", "kb": "policies", "k": 2},
                   headers=h, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["hits"][0]["doc_number"] == "国办发〔2019〕4号" and len(body["hits"]) <= 2
    r = httpx.post(f"{live_server}/api/search", json={"q": "契税 税率", "kb": "laws", "validity": ["expired"]},
                   headers=h, timeout=30)
    assert r.status_code == 200 and [x["title"] for x in r.json()["hits"]] == ["中华人民共和国契税暂行条例"]
    # another department sees nothing of this one
    r = httpx.post(f"{live_server}/api/search", json={"q": "三级公立医院绩效考核"},
                   headers=api_key(OTHER.department), timeout=30)
    assert r.status_code == 200 and all("医院" not in x["title"] for x in r.json()["hits"])
    r = httpx.post(f"{live_server}/api/search", json={"q": ""}, headers=h, timeout=30)
    assert r.status_code == 400 and r.json()["error"]["code"] == "query_empty"
    t = time.perf_counter()
    r = httpx.post(f"{live_server}/api/search", json={"q": "政" * 10000}, headers=h, timeout=30)
    assert r.status_code == 400 and r.json()["error"]["code"] == "query_too_long"
    assert r.json()["error"]["message_zh"] and r.json()["error"]["message_en"]
    assert time.perf_counter() - t < 5
    r = httpx.post(f"{live_server}/api/search", json={"q": "政" * 1500}, headers=h, timeout=30)
    assert r.status_code == 400 and r.json()["error"]["code"] == "query_too_long"
    r = httpx.get(f"{live_server}/api/search", params={"q": "三级公立医院绩效考核"}, headers=h, timeout=30)
    assert r.status_code == 405 and "POST /api/search" in r.json()["error"]["message_en"]


def test_every_search_is_audited(stocked):
    """One kb_search audit record per search, with the caller, the query and the hits as sources."""
    from sqlalchemy import func, select


    with session_scope() as s:
        before = s.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.scenario == "kb_search"))
    hits = _search(query="契税 税率", kb="laws", k=2)
    with session_scope() as s:
        rows = list(s.scalars(select(AuditRecord).where(AuditRecord.scenario == "kb_search")
                              .order_by(AuditRecord.seq)))
    assert len(rows) == before + 1
    last = rows[-1]
    assert last.action == "search" and last.user == CALLER.user and last.department == CALLER.department
    sources = json.loads(last.sources) if isinstance(last.sources, str) else last.sources
    assert len(sources) == len(hits) and sources[0]["document_id"] == hits[0].document_id
    assert "契税" in (last.input_text or "")
