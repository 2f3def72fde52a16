"""The hotline's long work as jobs: import (zhengwu/hotline/ingest.py), batch classification and hotspot mining,
all recorded in one table (`hotline_ingest_job`, its `kind` column) with progress, cancel and resume.

Why one record per run, written before the work starts: a city's 12345 takes tens of thousands of tickets a day,
so classifying or mining them takes longer than a web request or a terminal session should wait. The record is
where anyone follows the run (`zhengwu hotline jobs`, GET /api/hotline/jobs/{id}), stops it (cancel), and where
a run whose process died is picked up again: classification keeps the last ticket id it stored in the same
transaction as the batch (`next_row`), so a resumed run never redoes a ticket; mining is one computation, so
a crashed mining run is run again from its stored parameters. Runs go through `zhengwu.tasks.submit_hotline`
(a thread of this process, or a `zhengwu worker` on the Redis queue).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select, update

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, NotFound, ZhengwuError
from zhengwu.hotline import hotspots, ingest, tickets
from zhengwu.hotline.models import Ticket, TicketIngestJob
from zhengwu.store import session_scope

log = logging.getLogger("zhengwu.hotline.jobs")

KINDS = ("import", "classify", "hotspots")
ACTIVE = ("pending", "running")
RESUMABLE = ("pending", "running", "interrupted", "cancelled", "failed")
BATCH = 500
TOUCH_SECONDS = 2.0  # a running job shows it is alive at least this often (see `recover`)


class JobCancelled(Exception):
    """The job was cancelled from outside (`zhengwu hotline cancel`, POST /api/hotline/jobs/{id}/cancel)."""


def _not_found(job_id: int) -> NotFound:
    return NotFound("hotline_job_not_found", f"热线任务不存在：{job_id}", f"No such hotline job: {job_id}",
                    job_id=job_id)


def _check_staff(caller: Caller) -> None:
    if caller.role not in tickets.READ_ROLES:
        raise Forbidden("hotline_forbidden", "市民账户不能查看热线任务", "Citizen accounts cannot see hotline jobs")


def _load(session, caller: Caller, job_id: int) -> TicketIngestJob:  # noqa: ANN001
    _check_staff(caller)
    job = session.get(TicketIngestJob, job_id) if isinstance(job_id, int) and 0 < job_id < 2**62 else None
    if job is None or job.department != caller.department:  # another department's job does not exist
        raise _not_found(job_id)
    return job


# --- views -------------------------------------------------------------------------------------------------

def job_dict(job: TicketIngestJob, *, result: bool = False) -> dict:
    """A job as the CLI and the API show it; `done`/`total` count rows (import), tickets (classify) or mining
    steps (hotspots). The topics of a mining run only with `result=True` (they can be large)."""
    if job.kind == "import":
        out = ingest.job_dict(job)
    else:
        done = job.created + job.skipped if job.kind == "classify" else job.next_row
        out = {"id": job.id, "path": "", "status": job.status, "total": job.total, "done": done,
               "created": job.created, "skipped": job.skipped, "failed": job.failed,
               "errors": list(job.errors or [])[:ingest.MAX_ERRORS]}
    params = {k: v for k, v in (job.params or {}).items() if k != "role"}
    out |= {"kind": job.kind, "stage": job.stage, "params": params, "created_by": job.created_by,
            "progress": round(min(1.0, out["done"] / job.total), 3) if job.total else (1.0 if job.status == "done"
                                                                                        else 0.0),
            "created_at": job.created_at.isoformat() if job.created_at else None,
            "updated_at": job.updated_at.isoformat() if job.updated_at else None}
    if result and job.kind == "hotspots":
        out["result"] = job.result
    return out


def list_jobs(caller: Caller, *, kind: str | None = None, limit: int = 50) -> list[dict]:
    """The department's hotline jobs, newest first."""
    _check_staff(caller)
    q = select(TicketIngestJob).where(TicketIngestJob.department == caller.department)
    if kind:
        q = q.where(TicketIngestJob.kind == kind)
    with session_scope() as s:
        return [job_dict(j) for j in s.scalars(q.order_by(TicketIngestJob.id.desc()).limit(max(1, min(limit, 500))))]


def get_job(caller: Caller, job_id: int, *, result: bool = False) -> dict:
    with session_scope() as s:
        return job_dict(_load(s, caller, job_id), result=result)


def cancel_job(caller: Caller, job_id: int) -> dict:
    """Ask a pending or running job to stop: it stops before its next batch (or mining step); what is stored
    stays stored, and `resume` continues it."""
    with session_scope() as s:
        job = _load(s, caller, job_id)
        _check_may_run(caller, job.kind)
        if job.status in ACTIVE:
            job.status = "cancelled"
            s.flush()
        return job_dict(job)


def _check_may_run(caller: Caller, kind: str) -> None:
    if kind == "hotspots":
        hotspots.check_role(caller)
    else:
        tickets.check_writer(caller)


# --- creating ------------------------------------------------------------------------------------------------

def _unclassified(caller: Caller, everything: bool):  # noqa: ANN202
    q = [Ticket.department == caller.department]
    if not everything:
        q.append(func.coalesce(Ticket.category_code, "") == "")
    return q


def create_classify_job(caller: Caller, *, everything: bool = False) -> dict:
    """Record a batch classification of the department's tickets without a category (or of all of them)."""
    tickets.check_writer(caller)
    with session_scope() as s:
        total = s.scalar(select(func.count(Ticket.id)).where(*_unclassified(caller, everything))) or 0
        job = TicketIngestJob(department=caller.department, kind="classify", path="", total=total, errors=[],
                              params={"all": everything, "role": caller.role}, created_by=caller.user)
        s.add(job)
        s.flush()
        return job_dict(job)


def create_hotspots_job(caller: Caller, *, top: int = 10, days: int = 0) -> dict:
    """Record a hotspot mining run over the department's tickets (`days`: the last N days, 0 = all)."""
    hotspots.check_role(caller)
    if not (0 <= top <= 100) or not (0 <= days <= 3660):
        raise ZhengwuError("hotspots_bad_query", "top 应在 0–100，days 在 0–3660 之间", "top must be 0-100 and days 0-3660")
    with session_scope() as s:
        job = TicketIngestJob(department=caller.department, kind="hotspots", path="", errors=[], stage="pending",
                              params={"top": top, "days": days, "role": caller.role}, created_by=caller.user)
        s.add(job)
        s.flush()
        return job_dict(job)


def caller_of(job_id: int) -> Caller:
    """The caller a job runs as: who created it, in its department, with the role recorded at creation."""
    with session_scope() as s:
        job = s.get(TicketIngestJob, job_id)
        if job is None:
            raise _not_found(job_id)
        return Caller(job.created_by, job.department, (job.params or {}).get("role", "agent"))


# --- running -------------------------------------------------------------------------------------------------

def _set(job_id: int, **values) -> None:  # noqa: ANN003
    with session_scope() as s:
        s.execute(update(TicketIngestJob).where(TicketIngestJob.id == job_id).values(**values))


def status_of(job_id: int) -> str | None:
    """The job's status, or None when there is no such job (for the queue, which has no caller)."""
    with session_scope() as s:
        return s.scalar(select(TicketIngestJob.status).where(TicketIngestJob.id == job_id))


def _watch(job_id: int, inner: Callable[[int, int, str], None] | None, *, record: bool = False
           ) -> Callable[[int, int, str], None]:
    """A progress callback that stops the run when the job was cancelled, marks it alive at most every
    TOUCH_SECONDS (with the position when `record`), and passes progress on to `inner` (a bar, a worker's stop)."""
    last = [0.0]

    def on_progress(done: int, total: int, current: str) -> None:
        if inner:
            inner(done, total, current)
        now = time.monotonic()
        if now - last[0] < TOUCH_SECONDS and done < total:
            return
        last[0] = now
        if status_of(job_id) == "cancelled":
            raise JobCancelled()
        _set(job_id, updated_at=datetime.now(timezone.utc), **({"next_row": done, "total": total} if record else {}))
    return on_progress


def run(job_id: int, caller: Caller, *, on_progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Do (or resume) one of the caller's department's jobs in this process, to its end; a cancelled job stops
    at its next batch and stays "cancelled", an interrupted one (error, Ctrl-C, a worker's stop) "interrupted"."""
    with session_scope() as s:
        job = _load(s, caller, job_id)
        _check_may_run(caller, job.kind)
        kind, status = job.kind, job.status
        if status in ("done", "cancelled"):  # a cancelled job runs again only through `reopen` (resume)
            return job_dict(job)
        job.status = "running"
    try:
        if kind == "import":
            ingest.run_job(job_id, caller, on_progress=_watch(job_id, on_progress))
            return get_job(caller, job_id)
        if kind == "classify":
            return _run_classify(job_id, caller, _watch(job_id, on_progress))
        return _run_hotspots(job_id, caller, on_progress)
    except JobCancelled:
        return get_job(caller, job_id)
    except BaseException as exc:
        if status_of(job_id) == "running":  # not over a person's cancel, nor an import's own "failed"
            _set(job_id, status="interrupted")
        if isinstance(exc, Exception) and not isinstance(exc, ZhengwuError):
            log.exception("hotline job %s failed", job_id)
        raise


def _run_classify(job_id: int, caller: Caller, progress: Callable[[int, int, str], None]) -> dict:
    from zhengwu.hotline import classify, dispatch

    with session_scope() as s:
        job = s.get(TicketIngestJob, job_id)
        cursor, everything = job.next_row, bool((job.params or {}).get("all"))
        done, total = job.created + job.skipped, job.total
    duty = dispatch.lines(caller)
    note = f"批量分类任务 {job_id} / batch classification job {job_id}"
    while True:
        with session_scope() as s:
            if s.get(TicketIngestJob, job_id).status == "cancelled":  # checked before every batch
                raise JobCancelled()
            rows = list(s.scalars(select(Ticket).where(*_unclassified(caller, everything), Ticket.id > cursor)
                                  .order_by(Ticket.id).limit(BATCH)))
            if not rows:
                job = s.get(TicketIngestJob, job_id)
                job.status, job.total = "done", max(job.total, job.created + job.skipped)
                break
            suggestions = classify.suggest_many(caller, [(t.title or t.summary or "", t.text or t.summary or "")
                                                         for t in rows], k=1)
            classified = skipped = 0
            for t, sugg in zip(rows, suggestions):
                if not sugg or not (t.title or t.summary or t.text):
                    skipped += 1
                    continue
                best = sugg[0]
                changes = {"category_code": [t.category_code, best.code], "category_path": [t.category_path, best.path]}
                t.category_code, t.category_path = best.code[:32], list(best.path)
                if not t.responsible_department:
                    dept = dispatch.department_for(caller, best.path, t.district or None, duty=duty)
                    if dept:
                        changes["responsible_department"] = ["", dept]
                        t.responsible_department = dept[:64]
                tickets._event(s, t, caller, "update", note=note, changes=changes)
                classified += 1
            job = s.get(TicketIngestJob, job_id)  # the batch and the job's position in one transaction
            job.next_row, cursor = rows[-1].id, rows[-1].id
            job.created += classified
            job.skipped += skipped
            job.total = max(job.total, job.created + job.skipped)
            done, total = job.created + job.skipped, job.total
        progress(done, max(total, done), "")
    progress(done, max(total, done), "")
    return get_job(caller, job_id)


def _hotspot_result(caller: Caller, records: list[dict], topics: list[hotspots.Topic], *, days: int) -> dict:
    """What the dashboard, its API and the reports show: the topics with their tickets' titles."""
    titles = {r["msg_id"]: r["title"] for r in records}
    return {"department": caller.department, "n": len(records), "days": days,
            "generated_at": datetime.now().isoformat(timespec="seconds"),
            "topics": [{**t.to_dict(), "tickets": [{"id": m, "title": titles.get(m, "")} for m in t.msg_ids[:50]]}
                       for t in topics]}


def mine_tickets(caller: Caller, *, top: int, days: int,
                 on_progress: Callable[[int, int, str], None] | None = None,
                 on_stage: Callable[[str], None] | None = None) -> dict:
    """Mine the department's tickets (the last `days` days, 0 = all) -> `hotspot_result`."""
    stage = on_stage or (lambda _name: None)
    stage("load")
    records = hotspots.ticket_records(caller)
    stage("mine")
    topics = hotspots.mine(records, top=top or None, window=timedelta(days=days) if days else None,
                           now=datetime.now(timezone.utc).replace(tzinfo=None) if days else None,  # tickets: UTC
                           on_progress=on_progress)
    stage("describe")
    hotspots.describe_with_model(caller, topics, {r["msg_id"]: r["title"] for r in records})  # only with a model
    return _hotspot_result(caller, records, topics, days=days)


def _run_hotspots(job_id: int, caller: Caller, inner: Callable[[int, int, str], None] | None) -> dict:
    with session_scope() as s:
        params = dict(s.get(TicketIngestJob, job_id).params or {})

    def on_stage(name: str) -> None:
        if status_of(job_id) == "cancelled":
            raise JobCancelled()
        _set(job_id, stage=name, updated_at=datetime.now(timezone.utc))

    data = mine_tickets(caller, top=int(params.get("top", 10)), days=int(params.get("days", 0)),
                        on_progress=_watch(job_id, inner, record=True), on_stage=on_stage)
    with session_scope() as s:
        job = s.get(TicketIngestJob, job_id)
        if job.status == "cancelled":
            raise JobCancelled()
        job.result, job.stage, job.status = data, "done", "done"
        job.created = len(data["topics"])
        job.next_row = job.total = max(job.total, 1)
    return get_job(caller, job_id)


def latest_hotspots(caller: Caller, *, days: int, top: int) -> dict | None:
    """The newest finished mining result of the department for this window that holds at least `top` topics
    (None when there is none), with `job` = {id, finished_at}."""
    hotspots.check_role(caller)
    with session_scope() as s:
        for job in s.scalars(select(TicketIngestJob).where(
                TicketIngestJob.department == caller.department, TicketIngestJob.kind == "hotspots",
                TicketIngestJob.status == "done").order_by(TicketIngestJob.id.desc()).limit(20)):
            p = job.params or {}
            if int(p.get("days", 0)) != days or not job.result or (p.get("top") and int(p["top"]) < top):
                continue
            data = dict(job.result)
            data["topics"] = data["topics"][:top]
            data["job"] = {"id": job.id, "finished_at": job.updated_at.isoformat() if job.updated_at else None}
            return data
    return None


# --- in-process background and recovery ----------------------------------------------------------------------

_running: set[int] = set()
_running_lock = threading.Lock()


def start_thread(job_id: int, caller: Caller, *, after: Callable[[dict], None] | None = None) -> None:
    """Run a job in a daemon thread of this process (the embedded profile's queue); a job already running here
    is refused with 409. `after` gets the job's view once `run` returns."""
    with _running_lock:
        if job_id in _running:
            raise ZhengwuError("hotline_job_running", f"热线任务 {job_id} 正在运行", f"Hotline job {job_id} is running",
                               status=409)
        _running.add(job_id)

    def work() -> None:
        try:
            result = run(job_id, caller)
            if after is not None:
                after(result)
        except BaseException:  # noqa: BLE001 - the job record says "interrupted"; resume continues it
            log.exception("hotline job %s stopped", job_id)
        finally:
            with _running_lock:
                _running.discard(job_id)

    threading.Thread(target=work, name=f"zhengwu-hotline-job-{job_id}", daemon=True).start()


def start_upload_import(job_id: int, caller: Caller, uploaded: Path | None) -> None:
    """The web upload's import in a thread of the server, its progress read from the job. Once done, the uploaded
    copy (personal data of citizens) is removed; an interrupted job keeps it to resume. (Not on the Redis queue: a
    worker on another machine cannot see the server's uploaded file.)"""
    def remove_upload(result: dict) -> None:
        if uploaded is not None and result.get("status") == "done":
            uploaded.unlink(missing_ok=True)

    start_thread(job_id, caller, after=remove_upload)


def resume_upload_import(job_id: int, caller: Caller) -> dict:
    """Continue an interrupted web import (a server restart, a crash) where it stopped."""
    from zhengwu.kb.sources import uploads_root

    tickets.check_writer(caller)
    job = ingest.get_job(caller, job_id)
    if job["status"] == "done":
        return job
    with session_scope() as s:
        path = Path(s.get(TicketIngestJob, job_id).path)
    if not path.is_file():
        raise NotFound("file_not_found", "导入文件已不存在，无法继续", "The import file is gone; the job cannot continue")
    start_upload_import(job_id, caller, path if path.is_relative_to(uploads_root()) else None)
    return job


def reopen(caller: Caller, job_id: int) -> dict:
    """Make an unfinished job of the caller's department runnable again (a finished one is refused, 409)."""
    with session_scope() as s:
        job = _load(s, caller, job_id)
        _check_may_run(caller, job.kind)
        if job.status not in RESUMABLE:
            raise ZhengwuError("hotline_job_not_resumable", f"热线任务 {job_id} 状态为 {job.status}，无法继续",
                               f"Hotline job {job_id} is {job.status}; it cannot be resumed", status=409)
        if job.kind == "hotspots":
            job.stage = "pending"
        job.status = "pending"
        return job_dict(job)


def stale_jobs(stale_seconds: float) -> list[int]:
    """Jobs left pending or running with no sign of life for `stale_seconds` (their process died)."""
    cutoff = datetime.now(timezone.utc) - timedelta(seconds=stale_seconds)
    with session_scope() as s:
        out = []
        for job in s.scalars(select(TicketIngestJob).where(TicketIngestJob.status.in_(ACTIVE))):
            seen = job.updated_at if job.updated_at.tzinfo else job.updated_at.replace(tzinfo=timezone.utc)
            if seen <= cutoff and _not_local(job.id):
                out.append(job.id)
        return out


def _not_local(job_id: int) -> bool:
    with _running_lock:
        return job_id not in _running


def recover(stale_seconds: float | None = None) -> list[int]:
    """At server start in the embedded profile (queue = inprocess): classification and mining jobs whose
    process died are run again in this process (classification from where it stopped); a dead import becomes
    "interrupted", resumed on request like the web upload's (its file may be gone). Returns the resumed ids."""
    from zhengwu.config import get_settings

    stale = stale_seconds if stale_seconds is not None else float(get_settings().queue_lease_seconds)
    resumed = []
    for job_id in stale_jobs(stale):
        with session_scope() as s:
            kind = s.get(TicketIngestJob, job_id).kind
        if kind == "import":
            _set(job_id, status="interrupted")
            continue
        start_thread(job_id, caller_of(job_id))
        resumed.append(job_id)
    if resumed:
        log.warning("hotline jobs resumed after a crash: %s", resumed)
    return resumed
