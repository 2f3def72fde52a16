"""REST for the hotline's jobs (zhengwu/hotline/jobs.py): start a batch classification or a hotspot mining run
(202 with the job at once; the work is done by `zhengwu.tasks.submit_hotline`), follow, cancel and resume any
of the department's hotline jobs (imports included). Another department's job id is 404, a citizen 403."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Query

from zhengwu import tasks
from zhengwu.context import Caller
from zhengwu.hotline import jobs
from zhengwu.web.deps import DbId, get_caller

router = APIRouter(tags=["hotline"])


@router.post("/api/hotline/jobs/classify", status_code=202)
def api_classify_job(everything: bool = Body(False, alias="all", embed=True,
                                             description="全部工单重新分类（默认只分类未分类的）/ reclassify all"),
                     caller: Caller = Depends(get_caller)) -> dict:
    """Classify the department's tickets without a category (or all) in batches, storing the top category and
    the suggested department; follow it at GET /api/hotline/jobs/{id}."""
    job = jobs.create_classify_job(caller, everything=everything)
    tasks.submit_hotline(job["id"], caller)
    return job


@router.post("/api/hotline/jobs/hotspots", status_code=202)
def api_hotspots_job(top: int = Body(10, embed=True, description="热点数，0 = 全部 / topics kept, 0 = all"),
                     days: int = Body(0, embed=True, description="最近 N 天，0 = 全部 / last N days, 0 = all"),
                     caller: Caller = Depends(get_caller)) -> dict:
    """Mine the department's tickets for hotspots as a job; the dashboard shows its result once done."""
    job = jobs.create_hotspots_job(caller, top=top, days=days)
    tasks.submit_hotline(job["id"], caller)
    return job


@router.get("/api/hotline/jobs")
def api_jobs(kind: str | None = Query(None, pattern="^(import|classify|hotspots)$"),
             caller: Caller = Depends(get_caller)) -> list[dict]:
    """The department's hotline jobs, newest first, with status and progress."""
    return jobs.list_jobs(caller, kind=kind)


@router.get("/api/hotline/jobs/{job_id}")
def api_job(job_id: DbId, caller: Caller = Depends(get_caller)) -> dict:
    """One job; a finished mining run with its `result` (the topics)."""
    return jobs.get_job(caller, job_id, result=True)


@router.post("/api/hotline/jobs/{job_id}/cancel")
def api_cancel(job_id: DbId, caller: Caller = Depends(get_caller)) -> dict:
    return jobs.cancel_job(caller, job_id)


@router.post("/api/hotline/jobs/{job_id}/resume", status_code=202)
def api_resume(job_id: DbId, caller: Caller = Depends(get_caller)) -> dict:
    """Continue an interrupted or cancelled job (classification where it stopped; mining from its parameters)."""
    job = jobs.reopen(caller, job_id)
    tasks.submit_hotline(job_id, caller)
    return job
