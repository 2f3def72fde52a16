"""The REST upload's ingestion worker: jobs queued by the web server run one at a time, each in a child process.

Why: an upload answers 202 with its job id as soon as the files are saved and the job is written down; the
work happens here. One worker keeps SQLite's writers few. Each job runs in a spawned child process, not in a
thread of the server: parsing and tokenising a 10 MB text is many seconds of Python that, in a thread, takes
the interpreter lock from every request the server is answering. The child runs at a lower CPU priority
(kb/child.py `lower_priority`, ZHENGWU_INGEST_NICE): requests first, the upload with the CPU they leave. (An
earlier niced child was starved while it held SQLite's write lock, when 40 threads per server process kept
the cores busy; with `web_threads` requests at a time, requests waiting for the lock leave the cores to it:
measured with bench/load.py, 0 errors.) While a job runs, a ticker marks it alive every
TICK seconds; a job that shows no sign of life when a server starts was left by a crash and becomes
"interrupted" (`recover`), to be resumed on request (POST /api/jobs/{id}/resume, `zhengwu ingest --resume`).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
import time
from pathlib import Path

from zhengwu.context import Caller
from zhengwu.kb import child, dense, index_files, jobs
from zhengwu.kb.ingest import resume_job
from zhengwu.kb.sources import uploads_root
from zhengwu.kb.uploads import keep_stored_only

log = logging.getLogger("zhengwu.kb.background")

TICK = 2.0
STALE_SECONDS = 30.0

_queue: queue.Queue[tuple[int, Caller]] = queue.Queue()
_lock = threading.Lock()
_worker: threading.Thread | None = None


def submit(job_id: int, caller: Caller) -> None:
    """Queue a recorded job for the worker (started on first use)."""
    global _worker
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="zhengwu-ingest", daemon=True)
            _worker.start()
    _queue.put((job_id, caller))


def _work() -> None:
    while True:
        job_id, caller = _queue.get()
        try:
            _run_in_child(job_id, caller)
        except Exception:  # noqa: BLE001 - a failed job must not stop the worker; the job record shows it
            log.exception("ingest job %s failed", job_id)
            try:
                jobs.set_status(job_id, "interrupted")
            except Exception:  # noqa: BLE001
                pass
        finally:
            _queue.task_done()
        dense.start_background_embedding()  # the server's own embedding worker takes the new chunks


def _run_in_child(job_id: int, caller: Caller) -> None:
    """`run` in a spawned process (a fresh interpreter: no inherited database connections or threads);
    raises if it did not end cleanly, so the job is marked interrupted and resumable."""
    proc = multiprocessing.get_context("spawn").Process(target=_child, args=(job_id, caller, os.getpid()),
                                                       name=f"zhengwu-ingest-{job_id}", daemon=True)
    proc.start()
    proc.join()
    if proc.exitcode != 0:
        raise RuntimeError(f"ingest process of job {job_id} exited with {proc.exitcode}")


def _child(job_id: int, caller: Caller, server: int) -> None:
    """The child's first steps: die with the server (kernel signal; a watching thread where there is none) and
    cap its memory (kb/child.py), then run the job."""
    if not child.die_with_parent():
        threading.Thread(target=_die_with, args=(server,), name="zhengwu-ingest-parent", daemon=True).start()
    if os.getppid() != server:  # the server died before the signal was armed
        os._exit(1)
    child.cap_memory()
    child.lower_priority()
    run(job_id, caller)


def _die_with(server: int) -> None:
    """A crashed server takes its ingestion with it: the job's heartbeat stops, so the next server marks it
    "interrupted", resumable on request (an orphan would go on writing while a new server resumes the job;
    one grew to 15 GB). Only where the kernel's parent-death signal is missing: a thread cannot run while the
    child is inside a long C++ call."""
    while os.getppid() == server:
        time.sleep(0.5)
    os._exit(1)


def run(job_id: int, caller: Caller) -> None:
    """Ingest the job's items not yet done and keep the originals of stored documents only."""
    stop = threading.Event()
    beat = jobs.heartbeat(job_id)

    def tick() -> None:
        while not stop.wait(TICK):
            try:
                jobs.touch(job_id, beat.bytes_done)
            except Exception:  # noqa: BLE001 - a busy database skips one tick
                pass

    ticker = threading.Thread(target=tick, name=f"zhengwu-ingest-{job_id}-alive", daemon=True)
    ticker.start()
    try:
        # held until the new index is saved (at the end of resume_job): the servers answer from their previous
        # index meanwhile, never rebuild it themselves, and load the saved one
        with index_files.ingest_lock(jobs.job_kb(job_id, caller)[0]):
            report = resume_job(job_id, caller=caller, on_progress=beat, on_volume=beat.volume)
    finally:
        stop.set()
    keep_stored_only(report.files)


def recover(stale_seconds: float | None = None) -> list[int]:
    """At server start: REST jobs left pending or running by a crash become "interrupted" (ids returned)."""
    stale = stale_seconds if stale_seconds is not None else float(os.environ.get("ZHENGWU_JOB_STALE_SECONDS",
                                                                                   STALE_SECONDS))
    ids = jobs.mark_interrupted(Path(uploads_root()), stale)
    if ids:
        log.warning("ingest jobs interrupted by a crash, resumable on request: %s", ids)
    return ids
