"""Hotline tickets over REST: form filling, tickets CRUD, the closed loop, 并单, bulk import.

Every route takes the caller from `get_caller` (a session, an API key or the trusted proxy; never plain
headers); the service functions in `zhengwu.hotline.tickets` scope every read and write by department and role,
so another department's ticket id answers 404 and a citizen 403.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, File, Query, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.hotline import tickets
from zhengwu.hotline.extract import fill
from zhengwu.kb.sources import max_file_bytes
from zhengwu.web.deps import DbId, get_caller
from zhengwu.web.uploads import upload_route

router = APIRouter(tags=["hotline"])

MAX_FILL_CHARS = 20000


class FillIn(BaseModel):
    text: str = Field(..., max_length=MAX_FILL_CHARS, description="通话记录或留言 / transcript or message")
    title: str = Field("", max_length=500, description="留言标题 / a message's subject")


class TransitionIn(BaseModel):
    status: str = Field(..., max_length=8, description="目标状态 / target status (受理 派单 办理 答复 办结 回访 评价)")
    note: str = Field("", max_length=2000)
    department: str | None = Field(None, max_length=64, description="派单的承办单位 / unit to dispatch to")
    reply: str | None = Field(None, max_length=20000, description="答复内容 / the reply (答复)")
    satisfaction: str | None = Field(None, max_length=8, description="满意 / 基本满意 / 不满意 (评价)")


class MergeIn(BaseModel):
    ticket_ids: list[int] = Field(..., min_length=1, max_length=100, description="并入的工单 / tickets to merge in")
    note: str = Field("", max_length=2000)


class NoteIn(BaseModel):
    note: str = Field("", max_length=2000)


def _need_staff(caller: Caller) -> None:
    if caller.role == "citizen":
        raise ZhengwuError("hotline_forbidden", "请以坐席身份登录", "Sign in as a hotline agent", status=403)


@router.post("/api/hotline/fill")
def api_fill(body: FillIn, caller: Caller = Depends(get_caller)) -> dict:
    """Fields of a ticket filled from a transcript or message, each with its span and confidence; with the
    category and department proposed when the classifier is installed. Nothing is stored."""
    _need_staff(caller)
    filled = fill(body.text, title=body.title).as_dict()
    loc = filled["location"]["value"] or {}
    area = loc.get("district") or loc.get("city") or None
    # the classifier sees the text without the caller's name and numbers, like any model would
    text = tickets.mask_text(body.text, filled["caller_name"]["value"] or "", filled["contact"]["value"] or "")
    return filled | {"suggestions": tickets.suggest(caller, body.title, text, area)}


@router.post("/api/hotline/tickets", status_code=201)
def api_create(data: dict[str, Any] = Body(..., description="工单字段 / ticket fields"),
               caller: Caller = Depends(get_caller)) -> dict:
    return tickets.create_ticket(caller, data)


@router.get("/api/hotline/tickets")
def api_list(status: str | None = Query(None, max_length=8), request_type: str | None = Query(None, max_length=8),
             district: str | None = Query(None, max_length=32), category_code: str | None = Query(None, max_length=32),
             responsible_department: str | None = Query(None, max_length=64), q: str | None = Query(None, max_length=100),
             at_risk: bool | None = None, overdue: bool | None = None, include_merged: bool = False,
             limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=10**9),
             caller: Caller = Depends(get_caller)) -> dict:
    return tickets.list_tickets(caller, status=status, request_type=request_type, district=district,
                                category_code=category_code, responsible_department=responsible_department, q=q,
                                at_risk=at_risk, overdue=overdue, include_merged=include_merged, limit=limit,
                                offset=offset)


@router.get("/api/hotline/tickets/{ticket_id}")
def api_get(ticket_id: DbId, caller: Caller = Depends(get_caller)) -> dict:
    return tickets.get_ticket(caller, ticket_id)


@router.patch("/api/hotline/tickets/{ticket_id}")
def api_update(ticket_id: DbId, data: dict[str, Any] = Body(..., description="要更正的字段 / fields to correct"),
               caller: Caller = Depends(get_caller)) -> dict:
    return tickets.update_ticket(caller, ticket_id, data)


@router.post("/api/hotline/tickets/{ticket_id}/transition")
def api_transition(ticket_id: DbId, body: TransitionIn, caller: Caller = Depends(get_caller)) -> dict:
    return tickets.transition(caller, ticket_id, body.status, note=body.note, department=body.department,
                              reply=body.reply, satisfaction=body.satisfaction)


@router.post("/api/hotline/tickets/{ticket_id}/merge")
def api_merge(ticket_id: DbId, body: MergeIn, caller: Caller = Depends(get_caller)) -> dict:
    return tickets.merge(caller, ticket_id, body.ticket_ids, note=body.note)


@router.post("/api/hotline/tickets/{ticket_id}/unmerge")
def api_unmerge(ticket_id: DbId, body: NoteIn | None = None, caller: Caller = Depends(get_caller)) -> dict:
    return tickets.unmerge(caller, ticket_id, note=body.note if body else "")


@router.post("/api/hotline/tickets/{ticket_id}/duplicates/{other_id}/dismiss")
def api_dismiss(ticket_id: DbId, other_id: DbId, caller: Caller = Depends(get_caller)) -> dict:
    return tickets.dismiss_candidate(caller, ticket_id, other_id)


async def api_ingest(response: Response, file: UploadFile = File(..., description="JSONL 或 XLSX / JSONL or XLSX"),
                     caller: Caller = Depends(get_caller)) -> dict:
    """Upload a JSONL or XLSX file of tickets: 202 with the import job as soon as the file is saved and checked
    (a file without a content column is refused, nothing imported); follow it at GET /api/hotline/ingest/{id}."""
    from zhengwu.hotline import ingest, jobs
    from zhengwu.kb import uploads

    tickets.check_writer(caller)
    dest = uploads.new_batch_dir()
    try:
        saved, rejected = await run_in_threadpool(uploads.save_uploads, [(file.file, file.filename or "")], dest)
        if rejected:
            _, zh, en = rejected[0]
            raise ZhengwuError("upload_too_large", zh, en, status=413)
        job = await run_in_threadpool(ingest.create_job, saved[0][0], caller)
    except BaseException:
        uploads.discard(dest)
        raise
    jobs.start_upload_import(job["id"], caller, saved[0][0])
    response.status_code = 202
    return job


router.add_api_route("/api/hotline/ingest", api_ingest, methods=["POST"], tags=["hotline"],
                     route_class_override=upload_route(max_file_bytes))


@router.get("/api/hotline/ingest/{job_id}")
def api_ingest_job(job_id: DbId, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.hotline import ingest

    return ingest.get_job(caller, job_id)


@router.post("/api/hotline/ingest/{job_id}/resume", status_code=202)
def api_ingest_resume(job_id: DbId, caller: Caller = Depends(get_caller)) -> dict:
    """Continue an interrupted import where it stopped (rows already stored are not stored twice)."""
    from zhengwu.hotline import jobs

    return jobs.resume_upload_import(job_id, caller)
