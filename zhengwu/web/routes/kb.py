"""REST API of the knowledge base: KBs, document upload, documents, ingest jobs.

Everything is scoped by the caller's department (get_caller); a KB of another department answers 404 as if
it did not exist. Changing a KB (create, delete, upload) needs the role admin or officer.
Uploads are parsed from the request stream as they arrive, and a file is cut off as soon as it passes the
size limit, so an oversized upload never lands on disk whole.
"""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, ZhengwuError
from zhengwu.web.deps import get_caller

router = APIRouter(tags=["kb"])

WRITER_ROLES = ("admin", "officer")
MAX_FILES_PER_REQUEST = 100


class KBCreate(BaseModel):
    name: str = Field(..., description="知识库名称 / knowledge-base name")
    description: str = ""


def _require_writer(caller: Caller) -> None:
    if caller.role not in WRITER_ROLES:
        raise Forbidden("kb_forbidden", "只有管理员或机关工作人员（officer）可以修改知识库。",
                        "Only an administrator or officer may change knowledge bases.")


def _audit(session, caller: Caller, action: str, name: str) -> None:  # noqa: ANN001
    from zhengwu.gateway import audit

    audit.record(session, caller=caller, scenario="kb_ingest", action=action, input_text=name)


@router.get("/api/kb")
def list_kb(caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.kb.manage import kb_stats, list_kbs
    from zhengwu.store import session_scope

    with session_scope() as s:
        return {"knowledge_bases": [kb_stats(s, kb) for kb in list_kbs(s, caller)]}


@router.post("/api/kb", status_code=201)
def create_kb(body: KBCreate, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.kb.manage import create_kb as _create
    from zhengwu.kb.manage import kb_stats
    from zhengwu.store import session_scope

    _require_writer(caller)
    with session_scope() as s:
        kb = _create(s, caller, body.name, body.description)
        _audit(s, caller, "kb_create", kb.name)
        return kb_stats(s, kb)


@router.delete("/api/kb/{name}")
def delete_kb(name: str, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.kb.manage import delete_kb as _delete
    from zhengwu.store import session_scope

    _require_writer(caller)
    with session_scope() as s:
        _delete(s, caller, name)
        _audit(s, caller, "kb_delete", name)
    return {"deleted": name}


@router.get("/api/kb/{name}/documents")
def list_documents(name: str, limit: int = 100, offset: int = 0, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.kb.manage import get_kb
    from zhengwu.kb.models import Chunk, Document
    from zhengwu.store import session_scope

    limit = max(1, min(limit, 1000))
    with session_scope() as s:
        kb = get_kb(s, caller, name)
        total = s.scalar(select(func.count(Document.id)).where(Document.kb_id == kb.id)) or 0
        counts = select(Chunk.document_id, func.count(Chunk.id).label("n")).where(Chunk.kb_id == kb.id) \
            .group_by(Chunk.document_id).subquery()
        rows = s.execute(select(Document, counts.c.n).outerjoin(counts, counts.c.document_id == Document.id)
                         .where(Document.kb_id == kb.id).order_by(Document.id).limit(limit).offset(offset)).all()
        docs = [{"id": d.id, "title": d.title, "doc_number": d.doc_number, "issuer": d.issuer,
                 "doc_type": d.doc_type, "validity": d.validity,
                 "pub_date": d.pub_date.isoformat() if d.pub_date else None,
                 "effective_date": d.effective_date.isoformat() if d.effective_date else None,
                 "expiry_date": d.expiry_date.isoformat() if d.expiry_date else None,
                 "source": d.source, "source_type": d.source_type, "external_id": d.external_id,
                 "chunks": int(n or 0)} for d, n in rows]
    return {"kb": name, "total": int(total), "limit": limit, "offset": offset, "documents": docs}


@router.delete("/api/kb/{name}/documents/{document_id}")
def delete_document(name: str, document_id: int, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.kb.manage import delete_document as _delete
    from zhengwu.store import session_scope

    _require_writer(caller)
    with session_scope() as s:
        _delete(s, caller, name, document_id)
        _audit(s, caller, "document_delete", f"{name}#{document_id}")
    return {"deleted": document_id}


@router.get("/api/jobs/{job_id}")
def get_job(job_id: int, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.kb.ingest import get_job as _get
    from zhengwu.store import session_scope

    with session_scope() as s:
        return _get(s, caller, job_id)


@router.post("/api/jobs/{job_id}/cancel")
def cancel_job(job_id: int, caller: Caller = Depends(get_caller)) -> dict:
    """Stop a running ingest job before its next file; what is stored stays; it can be resumed."""
    from zhengwu.kb.ingest import cancel_job as _cancel
    from zhengwu.store import session_scope

    _require_writer(caller)
    with session_scope() as s:
        return _cancel(s, caller, job_id)


def _safe_name(filename: str) -> str:
    name = Path((filename or "").replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f/]", "", name).strip().lstrip(".")
    return name[:200] or "upload"


async def _receive_files(request: Request, dest: Path, limit: int) -> tuple[list[tuple[Path, str]], list[tuple[str, str, str]]]:
    """Stream a multipart body to `dest`; files past `limit` bytes are cut off and reported, others kept."""
    from python_multipart import MultipartParser
    from python_multipart.multipart import parse_options_header

    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise ZhengwuError("upload_not_multipart", "请以 multipart/form-data 上传文件（字段名 files）。",
                           "upload the files as multipart/form-data (field name 'files').", status=415)
    saved: list[tuple[Path, str]] = []
    rejected: list[tuple[str, str, str]] = []
    state: dict = {"headers": {}, "field": b"", "value": b"", "fh": None, "name": "", "size": 0, "too_big": False,
                   "path": None}

    def on_part_begin() -> None:
        state.update(headers={}, fh=None, name="", size=0, too_big=False, path=None)

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["value"] += data[start:end]

    def on_header_end() -> None:
        state["headers"][state["field"].lower()] = state["value"]
        state["field"], state["value"] = b"", b""

    def on_headers_finished() -> None:
        raw_disp = state["headers"].get(b"content-disposition", b"")
        disp, opts = parse_options_header(raw_disp)
        filename = opts.get(b"filename")
        star = re.search(rb"filename\*\s*=\s*([\w-]*)'[^']*'([^;]+)", raw_disp)
        if star:  # RFC 5987 form (filename*=UTF-8''%E5%B9%BF...), which the parser leaves out
            from urllib.parse import unquote

            filename = unquote(star.group(2).decode("ascii", "replace").strip().strip('"'),
                               encoding=(star.group(1).decode() or "utf-8")).encode("utf-8")
        if filename is None:
            return  # an ordinary form field: ignored
        if len(saved) + len(rejected) >= MAX_FILES_PER_REQUEST:
            raise ZhengwuError("upload_too_many", f"一次最多上传 {MAX_FILES_PER_REQUEST} 个文件。",
                               f"at most {MAX_FILES_PER_REQUEST} files per upload.", status=413)
        name = _safe_name(filename.decode("utf-8", "replace"))
        sub = dest / uuid.uuid4().hex[:12]
        sub.mkdir(parents=True, exist_ok=True)
        state["name"], state["path"] = name, sub / name
        state["fh"] = (sub / (name + ".part")).open("wb")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        fh = state["fh"]
        if fh is None or state["too_big"]:
            return
        state["size"] += end - start
        if state["size"] > limit:
            state["too_big"] = True
            fh.close()
            Path(fh.name).unlink(missing_ok=True)
            mb = limit // 1048576
            rejected.append((state["name"], f"{state['name']}：文件过大（超过 {mb} MB 上限），未保存。",
                             f"{state['name']}: file too large (over the {mb} MB limit); not stored."))
            return
        fh.write(data[start:end])

    def on_part_end() -> None:
        fh = state["fh"]
        if fh is not None and not state["too_big"]:
            fh.close()
            Path(fh.name).rename(state["path"])
            saved.append((state["path"], state["name"]))
        state["fh"] = None

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_part_data": on_part_data, "on_part_end": on_part_end,
        "on_header_field": on_header_field, "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished})
    total_limit = limit * MAX_FILES_PER_REQUEST
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > total_limit:
            raise ZhengwuError("upload_too_large", "上传内容总量过大。", "the upload as a whole is too large.",
                               status=413)
        parser.write(chunk)
    parser.finalize()
    return saved, rejected


@router.post("/api/kb/{name}/documents")
async def upload_documents(name: str, request: Request, caller: Caller = Depends(get_caller)) -> dict:
    """Upload one or more files (multipart field `files`); returns the per-file ingest report."""
    from zhengwu.config import get_settings
    from zhengwu.kb.ingest import ingest_uploads, max_file_bytes, uploads_root
    from zhengwu.kb.manage import get_kb
    from zhengwu.store import session_scope

    _require_writer(caller)
    with session_scope() as s:
        get_kb(s, caller, name, create=(name == "default"))
    dest = uploads_root() / uuid.uuid4().hex
    dest.mkdir(parents=True, exist_ok=True)
    try:
        saved, rejected = await _receive_files(request, dest, max_file_bytes())
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    if not saved and not rejected:
        shutil.rmtree(dest, ignore_errors=True)
        raise ZhengwuError("upload_empty", "请求中没有文件。", "the request contains no files.")
    report_dict: dict
    if saved:
        report = await run_in_threadpool(ingest_uploads, saved, kb=name, caller=caller, embed=False)
        report_dict = report.to_dict()
        for f in report.files:  # keep the originals of stored documents only
            if f.status in ("unchanged", "failed"):
                Path(f.path).unlink(missing_ok=True)
                try:
                    Path(f.path).parent.rmdir()
                except OSError:
                    pass
        for f in report_dict["files"]:  # show the uploaded name, not the storage path
            f["path"] = f["file"] = next((n for p, n in saved if str(p.resolve()) == f["path"]), f["file"])
        for f in report_dict["failed"]:
            f["path"] = f["file"] = next((n for p, n in saved if str(p.resolve()) == f["path"]), f["file"])
        if get_settings().embedder != "none":
            try:
                from zhengwu.kb import dense

                if hasattr(dense, "start_background_embedding"):
                    dense.start_background_embedding()
            except ImportError:
                pass
    else:
        report_dict = {"job_id": None, "kb": name, "added": 0, "unchanged": 0, "replaced": 0, "failed": [],
                       "files": []}
    for fname, zh, en in rejected:
        report_dict["failed"].append({"path": fname, "file": fname, "message_zh": zh, "message_en": en})
        report_dict["files"].append({"path": fname, "file": fname, "status": "failed",
                                     "documents": {"added": 0, "unchanged": 0, "replaced": 0, "failed": 1},
                                     "message_zh": zh, "message_en": en})
        from zhengwu.gateway import audit

        with session_scope() as s:
            audit.record(s, caller=caller, scenario="kb_ingest", action="ingest", input_text=fname,
                         extra={"kb": name, "status": "failed", "message_en": en})
    return report_dict
