"""Ingestion on every core, and its processes (issue 15): the pool gives the serial path's tokens and
signature; a large document reports its progress; the upload child dies with its parent and its memory is
capped; a failure (out of memory, a full disk) leaves the document absent, never half-written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from tests.conftest import sqlite_only
from tests.kb.conftest import DEMO, ROOT
from zhengwu.kb import dedup, jobs, parallel
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.models import Chunk, Document
from zhengwu.kb.parsers.base import Parsed
from zhengwu.kb.store import prepare_document
from zhengwu.store import session_scope

TWO_CORES = pytest.mark.skipif(parallel.cores() < 2 or not sys.platform.startswith("linux"),
                               reason="the pool needs 2 cores on Linux")


def _demo_text(copies: int = 1) -> str:
    texts = [f"{r['title']}\n\n{r['text']}" for r in map(json.loads, DEMO.open(encoding="utf-8"))]
    return "\n\n".join(texts * copies)


def _prepare(text: str, threshold: int, monkeypatch) -> tuple[list[dict], np.ndarray]:  # noqa: ANN001
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", threshold)
    p = prepare_document(Parsed([], text, "txt"), source="x", content_hash="h")
    return p.chunks, p.signature


@TWO_CORES
def test_pool_gives_the_serial_tokens_and_signature(monkeypatch):
    text = _demo_text()  # 184,036 characters of State Council documents: many batches and pieces
    monkeypatch.setattr(parallel, "BATCH_CHARS", 20_000)
    monkeypatch.setattr(dedup, "PIECE", 50_000)
    serial_rows, serial_sig = _prepare(text, 10**12, monkeypatch)
    pool_rows, pool_sig = _prepare(text, 0, monkeypatch)
    assert parallel._pool is not None, "the pool was not used"
    assert len(serial_rows) > 300
    assert pool_rows == serial_rows
    assert np.array_equal(pool_sig, serial_sig)
    assert np.array_equal(serial_sig, dedup.combine([dedup.piece_minima(dedup._DROP.sub("", text))]))


def test_small_documents_stay_serial_large_ones_use_the_pool():
    assert parallel.Tokeniser(parallel.PARALLEL_MIN_CHARS - 1).ex is None
    large = parallel.Tokeniser(parallel.PARALLEL_MIN_CHARS)
    assert (large.ex is not None) == (parallel.cores() >= 2 and sys.platform.startswith("linux"))


def test_signature_in_pieces_is_the_whole_set_signature(monkeypatch):
    text = _demo_text()[:30_000]
    whole = dedup.combine([dedup.piece_minima(dedup._DROP.sub("", text))])
    for piece in (7, 1000, 8_192):  # piece boundaries everywhere: no shingle lost or invented
        monkeypatch.setattr(dedup, "PIECE", piece)
        assert len(dedup.pieces(text)) > 1
        assert np.array_equal(dedup.signature(text), whole)
    for tiny in ("", "。", "一二三", "一二三四五", "一二三四五六"):  # at or below one shingle
        kept = dedup._DROP.sub("", tiny)
        assert np.array_equal(dedup.signature(tiny), dedup.combine([dedup.piece_minima(kept)] if kept else []))


def test_a_large_file_reports_its_volume_as_it_goes(zw_env, caller, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "BATCH_CHARS", 20_000)
    big = tmp_path / "汇编.txt"
    big.write_text(_demo_text(), encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(_demo_text()[:3000], encoding="utf-8")
    seen: list[tuple[int, int]] = []
    rep = ingest_paths([big, small], kb="v", caller=caller, on_volume=lambda d, t: seen.append((d, t)))
    assert rep.added == 2
    total = big.stat().st_size + small.stat().st_size
    assert {t for _, t in seen} == {total}
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == total
    assert len({d for d in done if 0 < d < big.stat().st_size}) >= 5, "no progress inside the large file"


def test_job_json_shows_rate_and_eta_while_running(zw_env, caller, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(_demo_text()[:50_000], encoding="utf-8")
    job_id, _ = jobs.create_job([f], kb="r", caller=caller)
    jobs.start_job(job_id)
    time.sleep(0.3)
    jobs.touch(job_id, f.stat().st_size // 4)
    with session_scope() as s:
        j = jobs.get_job(s, caller, job_id)
    assert j["bytes_total"] == f.stat().st_size and j["bytes_done"] == f.stat().st_size // 4
    assert j["rate"] > 0 and j["eta"] > 0
    assert {"progress", "done", "total", "status"} <= set(j)  # the keys clients already read stay
    jobs.set_status(job_id, "done")
    with session_scope() as s:
        assert jobs.get_job(s, caller, job_id)["rate"] is None


def _pids_of_children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal: Linux")
def test_upload_child_dies_with_a_killed_server(zw_env, caller, tmp_path):
    big = tmp_path / "汇编.txt"
    big.write_text(_demo_text(copies=12), encoding="utf-8")  # ~2.2 M characters: several seconds of work
    job_id, _ = jobs.create_job([big], kb="kill", caller=caller)
    server = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        from zhengwu.context import Caller
        from zhengwu.kb import background
        background._run_in_child({job_id}, Caller(user="tester", department={caller.department!r}, role="admin"))
        """)], cwd=ROOT, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 60
        kids: list[int] = []
        while time.monotonic() < deadline and not kids:
            kids = _pids_of_children(server.pid)
            time.sleep(0.2)
        assert kids, "the ingestion child did not start"
        while time.monotonic() < deadline:  # killed while it works: its job is running
            with session_scope() as s:
                if jobs.get_job(s, caller, job_id)["status"] == "running":
                    break
            time.sleep(0.2)
        family = kids + [g for k in kids for g in _pids_of_children(k)]
        os.kill(server.pid, signal.SIGKILL)
        server.wait(10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(map(_alive, family)):
            time.sleep(0.1)
        assert not any(map(_alive, family)), [p for p in family if _alive(p)]
    finally:
        if server.poll() is None:
            server.kill()
    with session_scope() as s:  # killed mid-way: the document is absent, not half-written
        assert s.scalar(select(func.count(Chunk.id))) == s.scalar(select(func.count(Chunk.id)).where(
            Chunk.document_id.in_(select(Document.id))))


def _ingest_in_child(setup: str, path: Path, caller) -> dict:  # noqa: ANN001
    """Ingest `path` in a fresh process after `setup` (limits) -> the report as JSON."""
    code = textwrap.dedent(f"""
        import json, resource, signal, sys
        from pathlib import Path
        from zhengwu.context import Caller
        from zhengwu.kb.ingest import ingest_paths
        from zhengwu.store.db import init_db
        init_db()
        {setup}
        rep = ingest_paths([Path({str(path)!r})], kb="lim",
                           caller=Caller(user="tester", department={caller.department!r}, role="admin"))
        print(json.dumps(rep.to_dict(), ensure_ascii=False))
        """)
    env = os.environ | {"ZHENGWU_PII_NAME_MODEL": "false"}  # the audit's name model: not loaded under the cap
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def _counts() -> tuple[int, int]:
    with session_scope() as s:
        return s.scalar(select(func.count(Document.id))), s.scalar(select(func.count(Chunk.id)))


def test_memory_cap_fails_the_file_cleanly(zw_env, caller, tmp_path):
    big = tmp_path / "汇编.txt"
    big.write_text(_demo_text(copies=3), encoding="utf-8")
    setup = textwrap.dedent("""
        from zhengwu.kb import child
        vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
        child.cap_memory(vm + 10 * 1024 * 1024)  # 10 MB more than this process already maps
        """).replace("\n", "\n        ")
    rep = _ingest_in_child(setup, big, caller)
    assert rep["added"] == 0 and len(rep["failed"]) == 1
    f = rep["failed"][0]
    assert "内存不足" in f["message_zh"] and "out of memory" in f["message_en"], f
    assert _counts() == (0, 0)


@sqlite_only  # the limit is set just above the SQLite file's size; PostgreSQL writes on its own server's disk
def test_a_full_disk_fails_the_file_and_keeps_what_was_stored(zw_env, caller, tmp_path):
    first = tmp_path / "first.txt"
    first.write_text(_demo_text()[:20_000], encoding="utf-8")
    assert ingest_paths([first], kb="lim", caller=caller).added == 1
    before = _counts()
    big = tmp_path / "汇编.txt"
    big.write_text(_demo_text(copies=3), encoding="utf-8")
    db = max(zw_env.rglob("*.db"), key=lambda p: p.stat().st_size)
    limit = db.stat().st_size + 2 * 1024 * 1024  # room for 2 MB more: far less than the document needs
    setup = textwrap.dedent(f"""
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        """).replace("\n", "\n        ")
    rep = _ingest_in_child(setup, big, caller)
    assert rep["added"] == 0 and len(rep["failed"]) == 1
    f = rep["failed"][0]
    assert "磁盘已满或无法写入" in f["message_zh"] and "disk is full or cannot be written" in f["message_en"], f
    assert _counts() == before  # the earlier document whole, nothing of the new one


def test_cli_bar_shows_rate_and_eta(monkeypatch):
    # in an 80-column terminal, with the label the CLI draws and a long file name: only the name is cut
    import io

    from rich.console import Console

    from zhengwu.cli import progress

    out = io.StringIO()
    monkeypatch.setattr(progress, "Console", lambda stderr: Console(file=out, force_terminal=True, width=80))
    name = "state_council_2018_2019_汇编.jsonl"
    with progress.volume_bar("入库 ingest → demo") as bar:
        bar(0, 2, name)
        for i in range(1, 6):
            time.sleep(0.05)
            bar.volume(i * 1_000_000, 10_000_000)
        bar.bar.refresh()
        bar(1, 2, name)
    text = out.getvalue()
    assert "MB/s" in text and "ETA" in text and "0:00:0" in text and "1/2" in text and "state_co" in text, text[-500:]
