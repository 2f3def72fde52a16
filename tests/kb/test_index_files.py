"""Persisted search indexes: a saved index loads equal to a fresh build, goes stale with a version, is rebuilt
when a file is damaged, never half-written (a failed save leaves the previous one serving), survives two
processes saving at once; one update at a time (single flight across threads and, by a lock file, across
processes: the others answer from the previous index meanwhile), a full disk while saving; queries are cut the same over jieba's saved dictionary; `zhengwu --help` stays light.

Real documents: State Council documents of the bundled demo corpus, ingested through the real ingestion path
into the test's own SQLite store.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
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


def _ingest_unsaved(monkeypatch: pytest.MonkeyPatch, tmp: Path, rows: list[dict]) -> None:
    """Ingest without the ingesting process saving the new index (as an ingestion that failed to save it, or a
    change made elsewhere): the servers find their index stale, the case these tests are about. The normal
    path, where the ingesting process saves it, is tested in tests/kb/test_index_after_ingest.py."""
    import zhengwu.kb.ingest as ingest_mod

    with monkeypatch.context() as m:
        m.setattr(ingest_mod, "save_index_after_ingest", lambda _kb_id: [])
        _ingest(tmp, rows, "second")


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
    _ingest_unsaved(monkeypatch, stocked, ROWS[5:6])
    clear_indexes()
    calls: list[str] = []
    real_cut = search_mod.index_tokens
    for module in (search_mod, search_mod.delta):  # a full build or an update (zhengwu/kb/delta.py)
        monkeypatch.setattr(module, "index_tokens", lambda text: calls.append(text) or real_cut(text))
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
    _ingest_unsaved(monkeypatch, stocked, ROWS[5:6])
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
    _ingest_unsaved(monkeypatch, stocked, ROWS[5:6])
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


# --- one update at a time, across threads and processes --------------------------------------------------

def _counting_build(monkeypatch, delay: float = 0.0) -> list[tuple]:
    """Count (and optionally slow down) the real updates of the index, full builds and incremental ones alike,
    so overlapping requests really overlap."""
    calls: list[tuple] = []
    real = search_mod._build_and_save

    def build(session, versions, old, fingerprint):
        calls.append(versions)
        time.sleep(delay)
        return real(session, versions, old, fingerprint)
    monkeypatch.setattr(search_mod, "_build_and_save", build)
    return calls


def _in_threads(n: int, fn) -> list:
    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(lambda _i: fn(), range(n)))


def test_threads_after_a_change_cause_one_build_and_keep_answering(stocked, monkeypatch):
    old = _collection()
    _ingest_unsaved(monkeypatch, stocked, ROWS[5:6])
    calls = _counting_build(monkeypatch, delay=1.0)
    barrier = threading.Barrier(8)

    def ask():
        barrier.wait()
        t = time.perf_counter()
        col = _collection()
        return col, time.perf_counter() - t
    got = _in_threads(8, ask)
    assert len(calls) == 1, "one rebuild, not one per thread"
    new = [c for c, _ in got if c.kb_versions != old.kb_versions]
    stale = [(c, s) for c, s in got if c.kb_versions == old.kb_versions]
    assert len(new) == 1, "the request that found the index stale waits for the rebuild (small collection)"
    assert len(stale) == 7 and all(c is old for c, _ in stale), "the others answer from the previous index"
    assert max(s for _, s in stale) < 1.0, "without waiting for the rebuild"
    assert _collection() is new[0] and new[0].n_docs == old.n_docs + 1
    assert _hits(ROWS[5]["title"])[0][0] == int(new[0].doc_ids[-1]), "the new document is found once built"


def test_threads_of_a_fresh_process_share_the_first_build(stocked, monkeypatch):
    shutil.rmtree(index_files.index_root(), ignore_errors=True)  # no saved index to answer from
    clear_indexes()
    calls = _counting_build(monkeypatch, delay=0.5)
    cols = _in_threads(6, _collection)
    assert len(calls) == 1 and all(c is cols[0] for c in cols), "nothing to answer from: all wait for one build"


_HOLD_LOCK = """
import sys
from zhengwu.kb import index_files
with index_files.build_lock([int(x) for x in sys.argv[1:]], wait=True):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_process_answers_from_its_index_while_another_process_builds(stocked, monkeypatch, caplog):
    old = _collection()
    _ingest_unsaved(monkeypatch, stocked, ROWS[5:6])
    ids = [str(k) for k, _ in old.kb_versions]
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, *ids], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        calls = _counting_build(monkeypatch)
        with caplog.at_level(logging.INFO, logger="zhengwu.kb.index"):
            assert _collection() is old and _collection() is old
        assert calls == [], "the other process holds the build: this one does not build too"
        assert any("另一进程" in r.getMessage() and "another process" in r.getMessage() for r in caplog.records)
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.wait(timeout=60) == 0
    finally:
        holder.kill()
    # the other process builds and saves (here `zhengwu kb reindex`); this one loads what it saved
    r = run_cli("kb", "reindex", "--json", "--no-progress", env_extra={"ZHENGWU_DEPARTMENT": CALLER.department})
    assert r.returncode == 0, r.stderr
    monkeypatch.setattr(search_mod.Collection, "build", _no_build)
    new = wait_for(lambda: (c := _collection()).kb_versions != old.kb_versions and c, timeout=10)
    assert new.n_docs == old.n_docs + 1 and calls == []


def test_a_full_disk_while_saving_keeps_the_previous_index(stocked, monkeypatch, caplog):
    """A real write failure (RLIMIT_FSIZE: the kernel refuses to grow a file, as on a full disk)."""
    resource = pytest.importorskip("resource")
    old = _collection()
    old_dir = index_files.index_root() / index_files.dir_name(old.kb_versions)
    _ingest_unsaved(monkeypatch, stocked, ROWS[5:6])
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails with EFBIG instead of a signal
    try:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, limits[1]))
        with caplog.at_level(logging.WARNING, logger="zhengwu.kb.index"):
            new = _collection()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, handler)
    msgs = [r.getMessage() for r in caplog.records]
    assert any("检索索引未能保存" in m and "could not be saved" in m and "previous index" in m for m in msgs), msgs
    assert new.n_docs == old.n_docs + 1, "this process answers from the index it built in memory"
    assert [p.name for p in _saved_dirs()] == [old_dir.name], "no half-written index left behind"
    clear_indexes()
    monkeypatch.setattr(search_mod.Collection, "build", _no_build)
    assert index_files.load_previous(new.kb_versions).kb_versions == old.kb_versions, \
        "another process finds the previous index intact (checksums hold)"
