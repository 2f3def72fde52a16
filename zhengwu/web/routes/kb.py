"""REST API of the knowledge base: KBs, document upload, documents, ingest jobs.

Everything is scoped by the caller's department (get_caller); a KB of another department answers 404 as if
it did not exist. Changing a KB (create, delete, upload) needs the role admin or officer. The queries live in
zhengwu.kb (manage, jobs, uploads); uploads arrive as FastAPI UploadFiles through `zhengwu.web.uploads`, which
caps the whole body, and each file is cut off when copied as soon as it passes the size limit.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, ZhengwuError
from zhengwu.gateway import govern
from zhengwu.kb import jobs, manage, uploads
from zhengwu.kb.sources import max_file_bytes
from zhengwu.store import session_scope
from zhengwu.web.deps import get_caller
from zhengwu.web.uploads import upload_route

router = APIRouter(tags=["kb"])

WRITER_ROLES = ("admin", "officer")
MAX_FILES_PER_REQUEST = 100


class KBCreate(BaseModel):
    name: str = Field(..., description="知识库名称 / knowledge-base name")
    description: str = ""
    personal_data: bool = Field(False, description="含个人信息：段落向量化前脱敏 / holds personal data: passages "
                                                   "are masked before embedding")
    mask_passages: bool | None = Field(None, description="明确指定是否脱敏 / override the masking of passages")


def _require_writer(caller: Caller) -> None:
    if caller.role not in WRITER_ROLES:
        raise Forbidden("kb_forbidden", "只有管理员或机关工作人员（officer）可以修改知识库。",
                        "Only an administrator or officer may change knowledge bases.")


def _audit(session, caller: Caller, action: str, name: str) -> None:  # noqa: ANN001
    with govern(caller, "kb_ingest", input=name, session=session, decisions="off") as g:
        g.finish(action=action)


class KBShareIn(BaseModel):
    department: str = Field(..., max_length=64, description="共享给的部门代码 / department to share with")


@router.post("/api/kb/{name}/shares")
def share_kb(name: str, body: KBShareIn, caller: Caller = Depends(get_caller)) -> dict:
    """Share one of the department's knowledge bases with another department, read-only (administrators)."""
    with session_scope() as s:
        manage.share_kb(s, caller, name, body.department)
        return manage.kb_stats(s, manage.get_kb(s, caller, name))


@router.delete("/api/kb/{name}/shares/{department}")
def unshare_kb(name: str, department: str, caller: Caller = Depends(get_caller)) -> dict:
    with session_scope() as s:
        manage.unshare_kb(s, caller, name, department)
        return manage.kb_stats(s, manage.get_kb(s, caller, name))


@router.get("/api/kb")
def list_kb(caller: Caller = Depends(get_caller)) -> dict:
    with session_scope() as s:
        return {"knowledge_bases": [manage.kb_stats(s, kb) for kb in manage.list_kbs(s, caller)]}


@router.post("/api/kb", status_code=201)
def create_kb(body: KBCreate, caller: Caller = Depends(get_caller)) -> dict:
    _require_writer(caller)
    with session_scope() as s:
        kb = manage.create_kb(s, caller, body.name, body.description, personal_data=body.personal_data,
                              mask_passages=body.mask_passages)
        _audit(s, caller, "kb_create", kb.name)
        return manage.kb_stats(s, kb)


@router.delete("/api/kb/{name}")
def delete_kb(name: str, caller: Caller = Depends(get_caller)) -> dict:
    _require_writer(caller)
    with session_scope() as s:
        manage.delete_kb(s, caller, name)
        _audit(s, caller, "kb_delete", name)
    return {"deleted": name}


@router.get("/api/kb/{name}/documents")
def list_documents(name: str, limit: int = 100, offset: int = 0, caller: Caller = Depends(get_caller)) -> dict:
    with session_scope() as s:
        return manage.list_documents(s, caller, name, limit=limit, offset=offset)


@router.delete("/api/kb/{name}/documents/{document_id}")
def delete_document(name: str, document_id: int, caller: Caller = Depends(get_caller)) -> dict:
    _require_writer(caller)
    with session_scope() as s:
        manage.delete_document(s, caller, name, document_id)
        _audit(s, caller, "document_delete", f"{name}#{document_id}")
    return {"deleted": document_id}


@router.get("/api/jobs/{job_id}")
def get_job(job_id: int, caller: Caller = Depends(get_caller)) -> dict:
    with session_scope() as s:
        return jobs.get_job(s, caller, job_id)


@router.post("/api/jobs/{job_id}/cancel")
def cancel_job(job_id: int, caller: Caller = Depends(get_caller)) -> dict:
    """Stop a running ingest job before its next file; what is stored stays; it can be resumed."""
    _require_writer(caller)
    with session_scope() as s:
        return jobs.cancel_job(s, caller, job_id)


@router.post("/api/jobs/{job_id}/resume", status_code=202)
@router.post("/api/kb/jobs/{job_id}/resume", status_code=202, include_in_schema=False)
def resume_job(job_id: int, caller: Caller = Depends(get_caller)) -> dict:
    """Resume an interrupted (crash) or cancelled upload job in the background; items done are not redone."""
    from zhengwu.kb import background

    _require_writer(caller)
    with session_scope() as s:
        job = jobs.reopen(s, caller, job_id)
    background.submit(job_id, caller)
    return job


async def upload_documents(name: str, response: Response,
                           files: list[UploadFile] | None = File(None, description="文件 / files"),
                           wait: bool = Query(False, description="等入库完成再返回（200 + 报告）/ answer when done"),
                           caller: Caller = Depends(get_caller)) -> dict:
    """Upload one or more files (multipart field `files`). Answers 202 with the job id as soon as the files
    are saved; the job runs in the background (follow it at GET /api/jobs/{id}). With `wait=true`: 200 and
    the per-file ingest report once done."""
    _require_writer(caller)
    files = files or []
    if len(files) > MAX_FILES_PER_REQUEST:
        raise ZhengwuError("upload_too_many", f"一次最多上传 {MAX_FILES_PER_REQUEST} 个文件。",
                           f"at most {MAX_FILES_PER_REQUEST} files per upload.", status=413)
    if not files:
        raise ZhengwuError("upload_empty", "请求中没有文件。", "the request contains no files.")
    await run_in_threadpool(uploads.check_target, caller, name)
    dest = uploads.new_batch_dir()
    try:
        saved, rejected = await run_in_threadpool(uploads.save_uploads, [(f.file, f.filename or "") for f in files],
                                                  dest)
    except BaseException:
        uploads.discard(dest)
        raise
    if wait:
        return await run_in_threadpool(uploads.ingest_saved, saved, rejected, kb=name, caller=caller)
    response.status_code = 202
    return await run_in_threadpool(uploads.start_upload, saved, rejected, kb=name, caller=caller)


router.add_api_route("/api/kb/{name}/documents", upload_documents, methods=["POST"],
                     route_class_override=upload_route(lambda: max_file_bytes() * MAX_FILES_PER_REQUEST))
