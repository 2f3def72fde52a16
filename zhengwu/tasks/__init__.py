"""Background work behind one door: ingest jobs and embedding, done in-process or by `zhengwu worker`s.

Why one door: the embedded profile does its background work in a thread of the process that asked for it
(setting `queue = "inprocess"`); the scale profile (`queue = "redis"`) puts it on a Redis queue that worker
processes take it from (Dramatiq), so app servers stay stateless and a job outlives the process that asked
for it. Callers only say what is to be done: `submit_ingest(job_id, caller)`, `submit_embed(kb_id)`, `submit_hotline(job_id, caller)`.
The job record in the database (zhengwu/kb/jobs.py, zhengwu/hotline/jobs.py) stays the one place where progress
is read.
"""

from __future__ import annotations

import logging
import threading

from zhengwu.config import get_settings
from zhengwu.context import Caller

log = logging.getLogger("zhengwu.tasks")


def queue_kind() -> str:
    return get_settings().queue


def submit_ingest(job_id: int, caller: Caller, *, embed: bool = True) -> None:
    """Have an ingest job (already recorded, see kb.jobs.create_job) done or resumed in the background."""
    if queue_kind() == "redis":
        from zhengwu.tasks import redis_queue

        redis_queue.enqueue_ingest(job_id, caller, embed=embed)
        return

    def run() -> None:
        from zhengwu.kb import ingest, jobs

        try:
            beat = jobs.heartbeat(job_id)  # with the bytes done: the job shows its rate and ETA
            ingest.resume_job(job_id, caller=caller, on_progress=beat, on_volume=beat.volume, embed=embed)
        except Exception:  # noqa: BLE001 - a background thread has nobody to raise to; the job record shows it
            log.exception("background ingest job %s failed", job_id)

    threading.Thread(target=run, name=f"zhengwu-ingest-{job_id}", daemon=True).start()


def submit_hotline(job_id: int, caller: Caller) -> None:
    """Have a hotline job (import, classify, hotspots; recorded by zhengwu.hotline.jobs) done or resumed in the
    background."""
    if queue_kind() == "redis":
        from zhengwu.tasks import redis_queue

        redis_queue.enqueue_hotline(job_id, caller)
        return
    from zhengwu.hotline import jobs

    jobs.start_thread(job_id, caller)


def submit_embed(kb_id: int | None = None) -> None:
    """Compute the vectors of chunks that have none yet (one knowledge base, or all), in the background."""
    if get_settings().embedder == "none":
        return
    if queue_kind() == "redis":
        from zhengwu.tasks import redis_queue

        redis_queue.enqueue_embed(kb_id)
        return
    from zhengwu.kb import dense

    dense.start_background_embedding()  # all pending chunks: the in-process thread works through them all
