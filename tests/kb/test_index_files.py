"""Persisted search indexes: a saved index loads equal to a fresh build, goes stale with a version, is rebuilt
when a file is damaged, never half-written (a failed save leaves the previous one serving), survives two
processes saving at once; queries are cut the same over jieba's saved dictionary; `zhengwu --help` stays light.

Real documents: State Council documents of the bundled demo corpus, ingested through the real ingestion path
into the test's own SQLite store.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT, run_cli, wait_for
from zhengwu.context import Caller
from zhengwu.kb import index_files, query_dict
from zhengwu.kb import search as search_mod
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.manage import readable_kbs
from zhengwu.kb.search import clear_indexes, get_collection, rank, search
from zhengwu.store.db import session_scope

DEMO = ROOT / "data" / "demo" / "state_council_2018_2019.jsonl"
CALLER = Caller(user="indexer", department="gz-zwfw", role="officer")
ROWS = [json.loads(line) for line in DEMO.open(encoding="utf-8")]


def _ingest(tmp: Path, rows: list[dict], name: str) -> None:
    f = tmp / f"{name}.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    report = ingest_paths([f], kb="policies", caller=CALLER, progress=False)
    assert report.added == len(rows)


def _collection():
    with session_scope() as s:
        return get_collection(s, readable_kbs(s, CALLER))


def _hits(query: str) -> list[tuple]:
    with session_scope() as s:
        return [(h.document_id, h.chunk_id, round(h.score, 4)) for h in search(s, CALLER, query, k=5, mode="lexical")]


def _saved_dirs() -> list[Path]:
    return sorted(p for p in index_files.index_root().iterdir() if "@" in p.name or p.name.startswith(".tmp-"))


@pytest.fixture
def stocked(zw_env, tmp_path):
    clear_indexes()
    _ingest(tmp_path, ROWS[:5], "first")
    yield tmp_path
    clear_indexes()


def _no_build(*_a, **_k):
    raise AssertionError("the collection was rebuilt instead of loaded")


def test_saved_index_loads_equal_to_the_build(stocked, monkeypatch):
    built = _collection()
    queries = [r["title"][:12] for r in ROWS[:5]] + ["国务院办公厅关于加强三级公立医院绩效考核", "养老服务 补贴"]
    before = [_hits(q) for q in queries]
    clear_indexes()
    monkeypatch.setattr(search_mod.Collection, "build", _no_build)  # a fresh process: from the files only
    loaded = _collection()
    assert loaded is not built and loaded.kb_versions == built.kb_versions
    for name in ("doc_ids", "chunk_ids", "chunk_doc", "chunk_kb", "seg_start", "doc_span"):
        assert np.array_equal(getattr(loaded, name), getattr(built, name)), name
    assert list(loaded.doc_type) == list(built.doc_type) and list(loaded.doc_validity) == list(built.doc_validity)
    with session_scope() as s:
        for q in queries:
            a, b = rank(built, s, q, mode="lexical"), rank(loaded, s, q, mode="lexical")
            assert np.allclose(a.total, b.total) and np.allclose(a.chunk_score, b.chunk_score), q
    assert [_hits(q) for q in queries] == before
    assert all(before), "every query found something"


def test_a_new_document_makes_the_index_stale_and_reuses_the_cuts(stocked, monkeypatch):
    old = _collection()
    old_dir = index_files.index_root() / index_files.dir_name(old.kb_versions)
    assert (old_dir / "manifest.json").exists()
    _ingest(stocked, ROWS[5:6], "second")
    clear_indexes()
    calls: list[str] = []
    real_cut = search_mod.index_tokens
    monkeypatch.setattr(search_mod, "index_tokens", lambda text: calls.append(text) or real_cut(text))
    new = _collection()
    assert new.kb_versions != old.kb_versions and new.n_docs == old.n_docs + 1
    # jieba ran on the new document's title and headings only, the others came from the saved index
    assert 0 < len(calls) and not set(calls) & set(old.token_memo)
    assert ROWS[5]["title"] in calls
    assert not old_dir.exists(), "the older version is removed after the new one is saved"
    assert [p.name for p in _saved_dirs()] == [index_files.dir_name(new.kb_versions)]
    assert _hits(ROWS[5]["title"])[0][0] == int(new.doc_ids[-1])


@pytest.mark.parametrize("damage", ["flipped byte", "missing file", "garbled manifest"])
def test_a_damaged_index_is_detected_and_rebuilt(stocked, monkeypatch, caplog, damage):
    col = _collection()
    expected = _hits("三级公立医院绩效考核")
    path = index_files.index_root() / index_files.dir_name(col.kb_versions)
    target = path / "chunk_lex" / "data.csc.index.npy"
    if damage == "flipped byte":
        data = bytearray(target.read_bytes())
        data[-3] ^= 0xFF
        target.write_bytes(bytes(data))
    elif damage == "missing file":
        target.unlink()
    else:
        (path / "manifest.json").write_text("{not json", encoding="utf-8")
    clear_indexes()
    with caplog.at_level(logging.WARNING, logger="zhengwu.kb.index"):
        assert index_files.load(col.kb_versions, None) is None
    assert any("重建" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
    assert _hits("三级公立医院绩效考核") == expected  # rebuilt from the database: nothing lost
    assert index_files.load(col.kb_versions, None) is not None, "the rebuilt index replaced the damaged one"


@pytest.mark.parametrize("failure", ["rename", "write"])
def test_a_failed_save_leaves_the_previous_index_serving(stocked, monkeypatch, caplog, failure):
    old = _collection()
    old_dir = index_files.index_root() / index_files.dir_name(old.kb_versions)
    manifest = (old_dir / "manifest.json").read_text(encoding="utf-8")
    _ingest(stocked, ROWS[5:6], "second")
    clear_indexes()

    def disk_full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    if failure == "rename":
        monkeypatch.setattr(index_files.os, "rename", disk_full)
    else:
        real_save = np.save

        def save_half(path, arr, **kw):  # the third array's file is cut off, as a full disk does
            if "chunk_doc" in str(path):
                Path(path).write_bytes(b"\x93NUMPY")
                disk_full()
            real_save(path, arr, **kw)
        monkeypatch.setattr(np, "save", save_half)
    with caplog.at_level(logging.WARNING, logger="zhengwu.kb.index"):
        hits = _hits(ROWS[5]["title"])
    assert hits, "the search still answers (from the index built in memory)"
    msgs = [r.getMessage() for r in caplog.records]
    assert any("检索索引未能保存" in m and "could not be saved" in m and "No space left" in m for m in msgs), msgs
    assert (old_dir / "manifest.json").read_text(encoding="utf-8") == manifest
    assert index_files.load(old.kb_versions, None) is not None, "the previous index is intact and verifies"
    assert [p.name for p in _saved_dirs()] == [old_dir.name], "no half-written directory left behind"
    with pytest.raises(index_files.IndexSaveError) as e:
        with session_scope() as s:
            search_mod.reindex(s, CALLER)
    assert "磁盘空间" in e.value.zh and "disk space" in e.value.en


def test_a_large_stale_index_answers_while_the_server_rebuilds(stocked, monkeypatch):
    old = _collection()
    _ingest(stocked, ROWS[5:6], "second")
    clear_indexes()  # a server process starting after the ingest: only the older saved index exists
    monkeypatch.setattr(search_mod, "SYNC_REBUILD_MAX_CHUNKS", 0)
    stale = _collection()
    assert stale.kb_versions == old.kb_versions, "answered at once from the previous saved index"
    fresh = wait_for(lambda: (c := _collection()).kb_versions != old.kb_versions and c, timeout=120)
    assert fresh.n_docs == old.n_docs + 1
    assert (index_files.index_root() / index_files.dir_name(fresh.kb_versions) / "manifest.json").exists()


def test_two_processes_saving_the_same_index(stocked):
    env = dict(os.environ, ZHENGWU_DEPARTMENT=CALLER.department)
    for _ in range(3):
        procs = [subprocess.Popen([sys.executable, "-m", "zhengwu", "kb", "reindex", "--json", "--no-progress"],
                                  cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        outs = [p.communicate(timeout=600) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
        assert all(json.loads(o[0])["chunks"] > 0 for o in outs)
    dirs = _saved_dirs()
    assert len(dirs) == 1 and not dirs[0].name.startswith(".tmp-")
    col = _collection()
    assert index_files.load(col.kb_versions, None) is not None


def test_reindex_cli(stocked):
    env = {"ZHENGWU_DEPARTMENT": CALLER.department}
    r = run_cli("kb", "reindex", "--json", "--no-progress", env_extra=env)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["documents"] == 5 and report["chunks"] > 5 and Path(report["path"]).is_dir()
    r = run_cli("kb", "reindex", "--kb", "没有这个库", env_extra=env)
    assert r.returncode == 2 and "不存在" in r.stderr and "does not exist" in r.stderr


# --- queries cut over jieba's saved dictionary -----------------------------------------------------------

def test_query_cut_over_the_saved_dictionary_equals_jieba(tmp_path):
    import jieba

    jieba.dt.check_initialized()
    path = tmp_path / "jieba.sqlite"
    query_dict.save_dict(path)
    tk = query_dict._open(path)
    assert tk is not None and tk is not jieba.dt
    texts = [r["title"] for r in ROWS] + [r["text"][:200] for r in ROWS[:40]] + ["社保卡怎么办理", "我想问下公积金提取要什么材料"]
    for t in texts:
        assert list(tk.cut_for_search(t)) == list(jieba.dt.cut_for_search(t)), t
        assert list(tk.cut(t)) == list(jieba.dt.cut(t)), t
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert query_dict._open(path) is None, "an altered dictionary file is refused (checksum)"


def test_a_fresh_process_cuts_a_query_without_loading_jieba(zw_env):
    script = ("import jieba; from zhengwu.kb.tokenize import query_bigrams, query_tokens; "
              "q = '社保卡怎么办理和养老保险转移'; r = [query_tokens(q), query_bigrams(q)]; "
              "import json; print(json.dumps([r, jieba.dt.initialized]))")
    run = [sys.executable, "-c", script]
    first = json.loads(subprocess.run(run, cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    assert first[1] is True, "no saved dictionary yet: jieba loads its own (and saves it)"
    assert query_dict.dict_path().exists()
    second = json.loads(subprocess.run(run, cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    assert second == [first[0], False], "same tokens, without loading jieba's dictionary"


def test_help_imports_none_of_the_heavy_modules():
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "zhengwu", "--help"], cwd=ROOT,
                       capture_output=True, text=True, check=True)
    loaded = {line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}
    for heavy in ("jieba", "numpy", "sqlalchemy", "bm25s", "zhengwu.gateway", "fastapi"):
        assert heavy not in loaded, heavy
    for command in ("search", "ask", "ingest", "kb", "eval", "serve"):
        assert command in r.stdout
