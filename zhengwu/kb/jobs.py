"""Ingest jobs: the record of a batch (one item per file), its progress, cancel and resume.

Why: a batch is written down before any work starts, so an interrupted batch can be resumed
(`zhengwu ingest --resume JOB_ID`, items done are never redone) and anyone can follow it (`zhengwu kb jobs`,
GET /api/jobs/{id}) or stop it (`zhengwu kb cancel`, POST /api/jobs/{id}/cancel). A file's item is finished
in the same transaction that stores its document, so the record never claims more than is stored.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from zhengwu.context import Caller
from zhengwu.errors import NotFound, ZhengwuError
from zhengwu.gateway import govern
from zhengwu.kb.manage import get_kb
from zhengwu.kb.models import IngestItem, IngestJob, KnowledgeBase
from zhengwu.kb.sources import expand_paths
from zhengwu.store.db import session_scope


class JobCancelled(Exception):
    """The job was cancelled from outside (`zhengwu kb cancel`, POST /api/jobs/{id}/cancel)."""


def _not_found(job_id: int) -> NotFound:
    return NotFound("job_not_found", f"入库任务 {job_id} 不存在。", f"Ingest job {job_id} does not exist.",
                    job_id=job_id)


def create_job(paths: list[Path], *, kb: str, caller: Caller) -> tuple[int, int]:
    """Record a job with one pending item per file before any work starts -> (job_id, kb_id)."""
    files = expand_paths(paths)
    with session_scope() as s:
        kb_obj = get_kb(s, caller, kb, create=True)
        job = IngestJob(department=caller.department, kb_id=kb_obj.id, kind="ingest", status="pending",
                        total=len(files), created_by=caller.user)
        s.add(job)
        s.flush()
        if files:
            s.execute(insert(IngestItem), [{"job_id": job.id, "path": str(f.resolve() if f.exists() else f),
                                            "status": "pending", "message": ""} for f in files])
        return job.id, kb_obj.id


def job_kb(job_id: int, caller: Caller) -> tuple[int, str]:
    """(kb id, kb name) of one of the caller's department's jobs (for resuming it)."""
    with session_scope() as s:
        job = s.get(IngestJob, job_id)
        if job is None or job.department != caller.department:
            raise _not_found(job_id)
        kb = s.get(KnowledgeBase, job.kb_id)
        return kb.id, kb.name


def file_bytes(path: str | Path) -> int:
    """Size of a job's file (0 when it is gone: it fails as such when its turn comes)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def start_job(job_id: int) -> list[tuple[int, str]]:
    """Mark the job running, with the volume of its items not yet done and the time of this run's start
    (rate and ETA) -> those items [(item id, path)], in order."""
    with session_scope() as s:
        items = [(i.id, i.path) for i in s.scalars(select(IngestItem).where(
            IngestItem.job_id == job_id, IngestItem.status.in_(("pending", "running"))).order_by(IngestItem.id))]
        s.execute(update(IngestJob).where(IngestJob.id == job_id).values(
            status="running", bytes_total=sum(file_bytes(p) for _, p in items), bytes_done=0,
            started_at=datetime.now(timezone.utc)))
    return items


def set_status(job_id: int, status: str) -> None:
    with session_scope() as s:
        s.execute(update(IngestJob).where(IngestJob.id == job_id).values(status=status))


def finish_item(session: Session, *, job_id: int, item_id: int, status: str, message: str, document_id: int | None,
                caller: Caller, kb_name: str, file_name: str, audit_extra: dict) -> None:
    """Record a file's outcome on its item and the job's counters, with its audit record, in the caller's
    transaction (the one that stored the file's document, when there is one)."""
    session.execute(update(IngestItem).where(IngestItem.id == item_id).values(
        status=status, message=message, document_id=document_id))
    col = IngestJob.failed if status == "failed" else IngestJob.done
    session.execute(update(IngestJob).where(IngestJob.id == job_id).values({col: col + 1}))
    with govern(caller, "kb_ingest", input=file_name, session=session, decisions="off") as g:
        g.finish(action="ingest", extra={"kb": kb_name, "job_id": job_id, "status": status, **audit_extra})


def raise_if_cancelled(job_id: int) -> None:
    with session_scope() as s:
        if s.scalar(select(IngestJob.status).where(IngestJob.id == job_id)) == "cancelled":
            raise JobCancelled()


class Heartbeat:
    """Progress callbacks for runs nobody watches on a terminal (the REST upload, the queue worker): they touch
    the job's updated_at, with its bytes done, at most every `every` seconds, so the admin console can tell a
    live job from a stalled one and GET /api/jobs/{id} shows a rate and an ETA.

    Call it as `on_progress(done, total, current)`; pass `.volume` as `on_volume(bytes_done, bytes_total)`."""

    def __init__(self, job_id: int, every: float = 2.0) -> None:
        self.job_id, self.every = job_id, every
        self.bytes_done: int | None = None
        self._last = 0.0

    def __call__(self, done: int, total: int, current: str) -> None:
        self._beat(force=done >= total)

    def volume(self, done: int, total: int) -> None:
        self.bytes_done = done
        self._beat()

    def _beat(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= self.every:
            self._last = now
            touch(self.job_id, self.bytes_done)


def heartbeat(job_id: int, every: float = 2.0) -> Heartbeat:
    """The job's Heartbeat (see there)."""
    return Heartbeat(job_id, every)


def list_jobs(session: Session, caller: Caller, limit: int = 50) -> list[dict]:
    """Jobs of the caller's department, newest first, with their progress."""
    rows = session.execute(select(IngestJob, KnowledgeBase.name).join(KnowledgeBase, KnowledgeBase.id == IngestJob.kb_id)
                           .where(IngestJob.department == caller.department)
                           .order_by(IngestJob.id.desc()).limit(limit)).all()
    return [job_dict(job, name) for job, name in rows]


def _aware(t: datetime | None) -> datetime | None:
    return t.replace(tzinfo=timezone.utc) if t is not None and t.tzinfo is None else t  # SQLite drops the zone


def rate_and_eta(job: IngestJob) -> tuple[float | None, float | None]:
    """(MB/s, seconds left) of a running job from its volume done since this run started; None until known."""
    start, seen = _aware(job.started_at), _aware(job.updated_at)
    if job.status != "running" or start is None or seen is None or not job.bytes_done:
        return None, None
    seconds = (seen - start).total_seconds()
    if seconds <= 0:
        return None, None
    rate = job.bytes_done / seconds
    return round(rate / 1048576, 3), round(max(0, (job.bytes_total or 0) - job.bytes_done) / rate, 1)


def job_dict(job: IngestJob, kb_name: str, items: list[IngestItem] | None = None) -> dict:
    rate, eta = rate_and_eta(job)
    out = {"id": job.id, "kb": kb_name, "kind": job.kind, "status": job.status, "total": job.total,
           "done": job.done, "failed": job.failed,
           "progress": round((job.done + job.failed) / job.total, 3) if job.total else 1.0,
           "bytes_total": job.bytes_total or 0, "bytes_done": job.bytes_done or 0, "rate": rate, "eta": eta,
           "created_by": job.created_by,
           "created_at": job.created_at.isoformat() if job.created_at else None,
           "updated_at": job.updated_at.isoformat() if job.updated_at else None}
    if items is not None:  # file names only: a server path never leaves the server
        out["items"] = [{"path": Path(i.path).name, "file": Path(i.path).name, "status": i.status,
                         "message": i.message, "document_id": i.document_id} for i in items]
    return out


def get_job(session: Session, caller: Caller, job_id: int) -> dict:
    job = session.get(IngestJob, job_id)
    if job is None or job.department != caller.department:
        raise _not_found(job_id)
    kb = session.get(KnowledgeBase, job.kb_id)
    items = list(session.scalars(select(IngestItem).where(IngestItem.job_id == job_id).order_by(IngestItem.id)))
    return job_dict(job, kb.name if kb else "", items)


def cancel_job(session: Session, caller: Caller, job_id: int) -> dict:
    """Ask a running job to stop: it stops before its next file (or its next batch of records); what is stored
    stays stored, and resuming continues with the items not yet done."""
    job = session.get(IngestJob, job_id)
    if job is None or job.department != caller.department:
        raise _not_found(job_id)
    if job.status in ("pending", "running"):
        job.status = "cancelled"
        session.flush()
    kb = session.get(KnowledgeBase, job.kb_id)
    return job_dict(job, kb.name if kb else "")


RESUMABLE = ("interrupted", "cancelled", "pending")


def add_refused(job_id: int, refused: list[tuple[str, str]]) -> None:
    """Record files refused before ingestion (too large) as failed items [(file name, message)] of the job, so
    the job tells the whole story of its upload."""
    if not refused:
        return
    with session_scope() as s:
        s.execute(insert(IngestItem), [{"job_id": job_id, "path": name, "status": "failed", "message": msg}
                                       for name, msg in refused])
        s.execute(update(IngestJob).where(IngestJob.id == job_id).values(
            total=IngestJob.total + len(refused), failed=IngestJob.failed + len(refused)))


def touch(job_id: int, bytes_done: int | None = None) -> None:
    """Mark a job alive (its updated_at), with the bytes done when known; the REST worker calls it every few
    seconds while the job runs (one small write: the progress costs no transaction of its own)."""
    values: dict = {"status": IngestJob.status, "updated_at": datetime.now(timezone.utc)}
    if bytes_done is not None:
        values["bytes_done"] = bytes_done
    with session_scope() as s:
        s.execute(update(IngestJob).where(IngestJob.id == job_id).values(values))


def mark_interrupted(under: Path, stale_seconds: float) -> list[int]:
    """Jobs of REST uploads (items stored under `under`) left pending or running by a process that died — no
    sign of life for `stale_seconds` — become "interrupted": resumable on request, never run by themselves.

    Why the staleness test: another live server process may be running its own job; its worker touches the
    job every few seconds (see `touch`)."""
    cutoff = datetime.now(timezone.utc) - timedelta(seconds=stale_seconds)
    prefix = str(under.resolve())
    with session_scope() as s:
        ids = []
        for job in s.scalars(select(IngestJob).where(IngestJob.status.in_(("pending", "running")))):
            seen = job.updated_at if job.updated_at.tzinfo else job.updated_at.replace(tzinfo=timezone.utc)
            if seen > cutoff:
                continue
            first = s.scalar(select(IngestItem.path).where(IngestItem.job_id == job.id).limit(1))
            if first and first.startswith(prefix):
                job.status = "interrupted"
                ids.append(job.id)
        return ids


def reopen(session: Session, caller: Caller, job_id: int) -> dict:
    """Set an interrupted (or cancelled) job of the caller's department back to pending for a resume; a job
    running or finished is refused with 409."""
    job = session.get(IngestJob, job_id)
    if job is None or job.department != caller.department:
        raise _not_found(job_id)
    if job.status not in RESUMABLE:
        raise ZhengwuError("job_not_resumable", f"入库任务 {job_id} 状态为 {job.status}，无法继续。",
                           f"Ingest job {job_id} is {job.status}; it cannot be resumed.", status=409, job_id=job_id)
    job.status = "pending"
    session.flush()
    kb = session.get(KnowledgeBase, job.kb_id)
    return job_dict(job, kb.name if kb else "")
