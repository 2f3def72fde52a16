"""The REST upload's ingestion worker: jobs queued by the web server run one at a time in a daemon thread.

Why: an upload answers 202 with its job id as soon as the files are saved and the job is written down; the
work happens here. One worker keeps SQLite's writers few. While a job runs, a ticker marks it alive every
TICK seconds; a job that shows no sign of life when a server starts was left by a crash and becomes
"interrupted" (`recover`), to be resumed on request (POST /api/jobs/{id}/resume, `zhengwu ingest --resume`).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from pathlib import Path

from zhengwu.context import Caller
from zhengwu.kb import dense, jobs
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
            run(job_id, caller)
        except Exception:  # noqa: BLE001 - a failed job must not stop the worker; the job record shows it
            log.exception("ingest job %s failed", job_id)
            try:
                jobs.set_status(job_id, "interrupted")
            except Exception:  # noqa: BLE001
                pass
        finally:
            _queue.task_done()


def run(job_id: int, caller: Caller) -> None:
    """Ingest the job's items not yet done, keep the originals of stored documents only, then embed."""
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(TICK):
            try:
                jobs.touch(job_id)
            except Exception:  # noqa: BLE001 - a busy database skips one tick
                pass

    ticker = threading.Thread(target=tick, name=f"zhengwu-ingest-{job_id}-alive", daemon=True)
    ticker.start()
    try:
        report = resume_job(job_id, caller=caller, on_progress=jobs.heartbeat(job_id))
    finally:
        stop.set()
    keep_stored_only(report.files)
    dense.start_background_embedding()


def recover(stale_seconds: float | None = None) -> list[int]:
    """At server start: REST jobs left pending or running by a crash become "interrupted" (ids returned)."""
    stale = stale_seconds if stale_seconds is not None else float(os.environ.get("ZHENGWU_JOB_STALE_SECONDS",
                                                                                   STALE_SECONDS))
    ids = jobs.mark_interrupted(Path(uploads_root()), stale)
    if ids:
        log.warning("ingest jobs interrupted by a crash, resumable on request: %s", ids)
    return ids
