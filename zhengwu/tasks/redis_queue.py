"""The scale profile's task queue: Dramatiq actors on Redis, with leases so that a job outlives its worker.

Why leases on top of the queue: a message tells a worker to do a job, but the job's state lives in the
database (zhengwu/kb/jobs.py), and a worker can stop at any point (deploy, crash, OOM kill). While a worker
runs a job it holds a short Redis lease (`zhengwu:lease:ingest:<id>`, refreshed every few seconds); every
job submitted through the queue is remembered in the set `zhengwu:jobs:ingest` until it ends. A worker that
starts, and every worker from time to time, re-enqueues the remembered jobs that are unfinished and have
no lease holder (`recover()`): a job interrupted by a worker's stop or death resumes from its items not
yet done (items done are never redone). A second delivery of the same job finds the lease taken and
returns, so a job never runs twice at once.

Actors are declared lazily (`actors()`), after the broker is built from the settings, because Dramatiq binds
an actor to the broker that is global when it is declared.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any, Iterator

from zhengwu.config import get_settings
from zhengwu.context import Caller

log = logging.getLogger("zhengwu.tasks")

JOBS_KEY = "zhengwu:jobs:ingest"
HOTLINE_KEY = "zhengwu:jobs:hotline"  # hotline jobs (zhengwu/hotline/jobs.py), leased as hotline:<id>
DAY_MS = 24 * 3600 * 1000

_lock = threading.Lock()
_state: dict[str, Any] = {}
stopping = threading.Event()  # set when this worker process is asked to stop (SIGTERM / SIGINT)


class WorkerStopping(BaseException):
    """Raised inside a running job when its worker is stopping: the job is left "interrupted", to be resumed
    by the next worker (a BaseException so that the per-file error handling of ingestion lets it through)."""


def redis_client():  # noqa: ANN201
    import redis

    with _lock:
        client = _state.get("redis")
        if client is None:
            client = _state["redis"] = redis.Redis.from_url(get_settings().redis_url)
        return client


def broker():  # noqa: ANN201
    """The process's Dramatiq broker on the configured Redis (set as Dramatiq's global broker)."""
    import dramatiq
    from dramatiq.brokers.redis import RedisBroker

    with _lock:
        b = _state.get("broker")
        if b is None:
            b = _state["broker"] = RedisBroker(url=get_settings().redis_url, namespace="zhengwu")
            dramatiq.set_broker(b)
        return b


def actors() -> dict[str, Any]:
    """The actors, declared once per process on `broker()`."""
    import dramatiq

    broker()
    with _lock:
        got = _state.get("actors")
        if got is None:
            opts = {"max_retries": 0, "time_limit": DAY_MS, "queue_name": "zhengwu"}
            got = _state["actors"] = {
                "ingest": dramatiq.actor(run_ingest, actor_name="zhengwu_ingest", **opts),
                "embed": dramatiq.actor(run_embed, actor_name="zhengwu_embed", **opts),
                "hotline": dramatiq.actor(run_hotline, actor_name="zhengwu_hotline", **opts),
            }
        return got


# ------------------------------------------------------------------------------------------ submitting


def enqueue_ingest(job_id: int, caller: Caller, *, embed: bool = True) -> None:
    r = redis_client()
    r.hset(JOBS_KEY, str(job_id), _encode(caller, embed))
    r.set(f"zhengwu:recover-wait:{job_id}", "1", ex=120)  # its message is on the queue: recovery leaves it be
    actors()["ingest"].send(job_id, caller.user, caller.department, caller.role, embed)


def enqueue_hotline(job_id: int, caller: Caller) -> None:
    r = redis_client()
    r.hset(HOTLINE_KEY, str(job_id), _encode(caller, False))
    r.set(f"zhengwu:recover-wait:hotline:{job_id}", "1", ex=120)
    actors()["hotline"].send(job_id, caller.user, caller.department, caller.role)


def enqueue_embed(kb_id: int | None) -> None:
    actors()["embed"].send(kb_id)


def _encode(caller: Caller, embed: bool) -> str:
    import json

    return json.dumps([caller.user, caller.department, caller.role, embed], ensure_ascii=False)


# ------------------------------------------------------------------------------------------------ leases


@contextmanager
def lease(name: str, ttl: int | None = None) -> Iterator[bool]:
    """Hold `zhengwu:lease:<name>` while the block runs (refreshed by a thread) -> whether it was acquired."""
    ttl = max(1, ttl or get_settings().queue_lease_seconds)
    r = redis_client()
    key, token = f"zhengwu:lease:{name}", uuid.uuid4().hex
    if not r.set(key, token, nx=True, ex=ttl):
        yield False
        return
    done = threading.Event()

    def refresh() -> None:
        while not done.wait(ttl / 3):
            if r.get(key) == token.encode():
                r.expire(key, ttl)

    t = threading.Thread(target=refresh, name=f"lease-{name}", daemon=True)
    t.start()
    try:
        yield True
    finally:
        done.set()
        if r.get(key) == token.encode():
            r.delete(key)


# ---------------------------------------------------------------------------------------------- the work


def _stop_aware(inner: Callable[[int, int, str], None]) -> Callable[[int, int, str], None]:
    def on_progress(done: int, total: int, current: str) -> None:
        if stopping.is_set():
            raise WorkerStopping()
        inner(done, total, current)
    return on_progress


def run_ingest(job_id: int, user: str, department: str, role: str, embed: bool = True) -> None:
    """Do (or resume) ingest job `job_id` unless another worker holds it or it has ended."""
    from sqlalchemy import select

    from zhengwu.kb import ingest, jobs
    from zhengwu.kb.models import IngestJob
    from zhengwu.store.db import session_scope

    caller = Caller(user, department, role)
    with lease(f"ingest:{job_id}") as mine:
        if not mine:
            log.info("ingest job %s is held by another worker", job_id)
            return
        with session_scope() as s:
            status = s.scalar(select(IngestJob.status).where(IngestJob.id == job_id))
        if status not in ("pending", "running", "interrupted"):  # done, cancelled by a person, or gone
            redis_client().hdel(JOBS_KEY, str(job_id))
            return
        try:
            beat = jobs.heartbeat(job_id)  # with the bytes done: the job shows its rate and ETA
            report = ingest.resume_job(job_id, caller=caller, on_progress=_stop_aware(beat), on_volume=beat.volume)
        except WorkerStopping:
            jobs.set_status(job_id, "interrupted")
            log.info("ingest job %s interrupted by the worker's stop; it resumes on the next worker", job_id)
            return
        redis_client().hdel(JOBS_KEY, str(job_id))
        if embed and not report.cancelled:
            enqueue_embed(report_kb(job_id))


def run_hotline(job_id: int, user: str, department: str, role: str) -> None:
    """Do (or resume) hotline job `job_id` unless another worker holds it or it has ended."""
    from zhengwu.hotline import jobs

    caller = Caller(user, department, role)
    with lease(f"hotline:{job_id}") as mine:
        if not mine:
            log.info("hotline job %s is held by another worker", job_id)
            return
        if jobs.status_of(job_id) not in ("pending", "running", "interrupted"):
            redis_client().hdel(HOTLINE_KEY, str(job_id))
            return
        try:
            jobs.run(job_id, caller, on_progress=_stop_aware(lambda *_: None))
        except WorkerStopping:
            log.info("hotline job %s interrupted by the worker's stop; it resumes on the next worker", job_id)
            return
        except Exception:  # noqa: BLE001 - the job record says "interrupted"; nothing to retry automatically
            log.exception("hotline job %s failed", job_id)
        redis_client().hdel(HOTLINE_KEY, str(job_id))


def report_kb(job_id: int) -> int | None:
    from zhengwu.kb.models import IngestJob
    from zhengwu.store.db import session_scope

    with session_scope() as s:
        job = s.get(IngestJob, job_id)
        return job.kb_id if job else None


def run_embed(kb_id: int | None = None) -> None:
    """Embed pending chunks; one embedding run at a time across all workers (they would do the same work)."""
    from zhengwu.kb import dense

    with lease("embed") as mine:
        if not mine:
            return
        stop = threading.Event()
        watcher = threading.Thread(target=lambda: (stopping.wait(), stop.set()), daemon=True)
        watcher.start()
        n = dense.embed_pending(kb_id, stop=stop)
        log.info("embedded %d chunks", n)
    if stopping.is_set() and dense.count_pending(kb_id):
        enqueue_embed(kb_id)  # not finished: whoever runs next continues


# -------------------------------------------------------------------------------------------- recovery


def recover() -> list[int]:
    """Re-enqueue submitted jobs that are unfinished and held by no worker -> their ids."""
    import json

    from sqlalchemy import select

    from zhengwu.kb.models import IngestJob
    from zhengwu.store.db import session_scope

    r = redis_client()
    submitted = {int(k): json.loads(v) for k, v in r.hgetall(JOBS_KEY).items()}
    if not submitted:
        return []
    with session_scope() as s:
        status = dict(s.execute(select(IngestJob.id, IngestJob.status).where(IngestJob.id.in_(list(submitted)))).all())
    again: list[int] = []
    for job_id, (user, department, role, embed) in submitted.items():
        st = status.get(job_id)
        if st not in ("pending", "running", "interrupted"):
            r.hdel(JOBS_KEY, str(job_id))
            continue
        if st == "pending" and r.exists(f"zhengwu:recover-wait:{job_id}"):
            continue  # just submitted: its message is on the queue
        if r.exists(f"zhengwu:lease:ingest:{job_id}"):
            continue
        actors()["ingest"].send(job_id, user, department, role, embed)
        again.append(job_id)
    return again


def recover_hotline() -> list[int]:
    """`recover` for hotline jobs -> the re-enqueued ids."""
    import json

    from zhengwu.hotline import jobs

    r = redis_client()
    again: list[int] = []
    for key, value in r.hgetall(HOTLINE_KEY).items():
        job_id = int(key)
        user, department, role, _ = json.loads(value)
        status = jobs.status_of(job_id)
        if status not in ("pending", "running", "interrupted"):
            r.hdel(HOTLINE_KEY, str(job_id))
            continue
        if status == "pending" and r.exists(f"zhengwu:recover-wait:hotline:{job_id}"):
            continue
        if r.exists(f"zhengwu:lease:hotline:{job_id}"):
            continue
        actors()["hotline"].send(job_id, user, department, role)
        again.append(job_id)
    return again
