"""After an ingestion the ingesting process (the upload's child, `zhengwu ingest`) builds and saves the new index
before the job is done, so servers load it and never rebuild the collection themselves; while a process is
ingesting into a knowledge base, a server whose index went stale answers from its previous index without
building, even with the build lock free.

Real documents (State Council documents of the bundled demo corpus) through the real ingestion path into the
test's own SQLite store; other processes are real processes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, wait_for
from zhengwu.context import Caller
from zhengwu.kb import index_files
from zhengwu.kb import search as search_mod
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.manage import readable_kbs
from zhengwu.kb.search import clear_indexes, get_collection, search
from zhengwu.store.db import session_scope

DEMO = ROOT / "data" / "demo" / "state_council_2018_2019.jsonl"
CALLER = Caller(user="indexer", department="gz-zwfw", role="officer")
ROWS = [json.loads(line) for line in DEMO.open(encoding="utf-8")]


def _ingest(tmp: Path, rows: list[dict], name: str, kb: str = "policies") -> None:
    f = tmp / f"{name}.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert ingest_paths([f], kb=kb, caller=CALLER).added == len(rows)


def _collection(kb: str | None = None):
    with session_scope() as s:
        kbs = [k for k in readable_kbs(s, CALLER) if kb is None or k.name == kb]
        return get_collection(s, kbs)


def _hits(query: str) -> list[tuple]:
    with session_scope() as s:
        return [(h.document_id, h.chunk_id, round(h.score, 4)) for h in search(s, CALLER, query, k=5, mode="lexical")]


def _counting_build(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count this process's updates of an index: full builds and incremental ones (zhengwu/kb/delta.py)."""
    calls: list[int] = []
    real = search_mod._build_and_save

    def counting(*a, **k):  # noqa: ANN001, ANN202
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(search_mod, "_build_and_save", counting)
    return calls


@pytest.fixture
def stocked(zw_env, tmp_path):
    clear_indexes()
    _ingest(tmp_path, ROWS[:4], "first")
    _ingest(tmp_path, ROWS[4:6], "guides", kb="guides")
    yield tmp_path
    clear_indexes()


def test_after_an_ingestion_servers_load_the_saved_index_and_never_build(stocked, monkeypatch):
    both, one = _collection(), _collection("policies")  # the sets servers search: all, and one knowledge base
    queries = [ROWS[6]["title"][:14], ROWS[1]["title"][:10], "养老服务 补贴"]
    _ingest(stocked, ROWS[6:7], "second")
    expected = [_hits(q) for q in queries]  # answered from what the ingestion saved, in this process
    clear_indexes()  # a server process: its collections are the stale ones above; it must load, not build
    calls = _counting_build(monkeypatch)
    new_both, new_one = _collection(), _collection("policies")
    assert calls == [], "the servers loaded the saved indexes"
    assert new_both.n_docs == both.n_docs + 1 and new_one.n_docs == one.n_docs + 1
    assert new_both.kb_versions != both.kb_versions and new_one.kb_versions != one.kb_versions
    assert [_hits(q) for q in queries] == expected
    assert _hits(ROWS[6]["title"])[0][0] == int(new_one.doc_ids[-1])  # the new document is found
    kb_id = new_one.kb_versions[0][0]
    with_kb = {p.name for p in index_files.index_root().iterdir()
               if "@" in p.name and str(kb_id) in p.name.partition("@")[0].split("-")}
    assert with_kb == {index_files.dir_name(new_both.kb_versions), index_files.dir_name(new_one.kb_versions)}


_HOLD_INGEST = """
import sys
from zhengwu.kb import index_files
with index_files.ingest_lock(int(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.readline()
"""

_SAVE = "import sys; from zhengwu.kb.search import save_index_after_ingest; print(save_index_after_ingest(int(sys.argv[1])))"


def test_while_a_process_ingests_a_server_answers_from_its_previous_index(stocked, monkeypatch):
    old = _collection("policies")
    kb_id = old.kb_versions[0][0]
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_INGEST, str(kb_id)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        import zhengwu.kb.ingest as ingest_mod

        with monkeypatch.context() as m:  # the documents are stored; their index is not saved yet
            m.setattr(ingest_mod, "save_index_after_ingest", lambda _kb_id: [])
            _ingest(stocked, ROWS[6:7], "second")
        calls = _counting_build(monkeypatch)
        assert _collection("policies") is old, "stale, but the ingesting process will save the new index"
        assert calls == [], "no build while another process ingests, though the build lock is free"
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.wait(timeout=60) == 0
    finally:
        holder.kill()
    r = subprocess.run([sys.executable, "-c", _SAVE, str(kb_id)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    new = wait_for(lambda: (c := _collection("policies")).kb_versions != old.kb_versions and c, timeout=10)
    assert new.n_docs == old.n_docs + 1 and calls == []


def test_a_process_without_any_index_builds_its_own_while_another_ingests(stocked, monkeypatch):
    """Nothing to answer from (no index in memory or on disk): the process builds rather than wait for an
    ingestion that may last minutes."""
    import shutil

    kb_id = _collection("policies").kb_versions[0][0]
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_INGEST, str(kb_id)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        shutil.rmtree(index_files.index_root())
        clear_indexes()
        calls = _counting_build(monkeypatch)
        assert _collection("policies").n_docs == 4 and len(calls) == 1
    finally:
        holder.kill()


def test_saving_after_ingest_never_raises(stocked, monkeypatch, caplog):
    """A failed save after ingestion is logged; the documents stay stored and a server rebuilds the index."""
    def refuse(*_a, **_k):  # noqa: ANN202
        raise index_files.IndexSaveError("index_save_failed", "检索索引未能保存", "The search index could not be saved")

    monkeypatch.setattr(index_files, "save", refuse)
    with caplog.at_level("WARNING", logger="zhengwu.kb.index"):
        _ingest(stocked, ROWS[6:7], "second")  # did not raise: the documents are stored
    assert any("could not be saved" in r.getMessage() for r in caplog.records)
    clear_indexes()
    assert _collection("policies").n_docs == 5  # a server builds it then


def test_the_upload_job_saves_the_index_under_its_ingest_lock(stocked, monkeypatch):
    """The REST upload's job body (run in its child process by the server; here in this one): the job is done
    with the new index saved, and its ingest lock is free again."""
    from zhengwu.kb import background, jobs

    old = _collection("policies")
    kb_id = old.kb_versions[0][0]
    f = stocked / "upload.jsonl"
    f.write_text(json.dumps(ROWS[7], ensure_ascii=False) + "\n", encoding="utf-8")
    job_id, _ = jobs.create_job([f], kb="policies", caller=CALLER)
    seen: list[tuple[bool, bool]] = []
    real_save = search_mod.save_index_after_ingest

    def watching(kb: int) -> list[str]:  # during the save the job holds the ingest lock, and never waits on it
        seen.append((kb in index_files._ingesting, index_files.writers_done([kb])))
        return real_save(kb)

    import zhengwu.kb.ingest as ingest_mod

    monkeypatch.setattr(ingest_mod, "save_index_after_ingest", watching)
    background.run(job_id, CALLER)
    assert seen == [(True, True)]
    assert index_files.writers_done([kb_id])  # released after the job
    clear_indexes()
    calls = _counting_build(monkeypatch)
    assert _collection("policies").n_docs == old.n_docs + 1 and calls == []


@pytest.mark.parametrize("resume", [False, True])
def test_the_cli_ingest_holds_its_ingest_lock_until_the_index_is_saved(stocked, monkeypatch, resume):
    """`zhengwu ingest` (and `--resume`) hold the knowledge base's ingest lock for the whole job, as the upload's
    child does: a server finding its index stale meanwhile answers from the previous one and loads the saved one."""
    from zhengwu.cli.kb import ingest as cli_ingest
    from zhengwu.context import cli_caller
    from zhengwu.kb import jobs
    import zhengwu.kb.ingest as ingest_mod

    f = stocked / "cli.jsonl"
    f.write_text(json.dumps(ROWS[8], ensure_ascii=False) + "\n", encoding="utf-8")
    seen: list[tuple[bool, bool]] = []
    real_save = search_mod.save_index_after_ingest

    def watching(kb: int) -> list[str]:
        seen.append((kb in index_files._ingesting, index_files.writers_done([kb])))
        return real_save(kb)

    monkeypatch.setattr(ingest_mod, "save_index_after_ingest", watching)
    options = dict(kb="policies", no_embed=True, as_json=True, no_progress=True, wait=False)
    if resume:
        job_id, _ = jobs.create_job([f], kb="policies", caller=cli_caller())
        cli_ingest(paths=None, resume=job_id, **options)
    else:
        cli_ingest(paths=[f], resume=None, **options)
    [(held, free_to_me)] = seen
    assert held and free_to_me  # held by this process during the save, which did not wait on itself
    with session_scope() as s:
        kb_id = jobs.job_kb(max(j["id"] for j in jobs.list_jobs(s, cli_caller())), cli_caller())[0]
    assert index_files.writers_done([kb_id]) and kb_id not in index_files._ingesting  # released after the job
