"""Admin console: knowledge bases and their documents (/admin/kb, /admin/kb/{name}).

Why through zhengwu.kb.manage: lookups are scoped to the caller's department there, so another department's
knowledge base answers "not found" on these pages exactly as in the API (no names leak). Uploads go to the
existing REST endpoint (POST /api/kb/{name}/documents) from static/admin.js, so there is one upload path with
one set of size and decompression guards. Pages never show a server path: only the file's own name.
"""

from __future__ import annotations

from pathlib import PurePath

from fastapi import APIRouter, Form, Request

from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.gateway import govern
from zhengwu.kb import manage
from zhengwu.kb.sources import max_file_bytes
from zhengwu.store import session_scope
from zhengwu.web.routes.admin_common import KB_WRITERS, back, guard, message, page, t

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def _audit(session, caller: Caller, action: str, target: str) -> None:  # noqa: ANN001
    """The same audit record as the REST API writes for this change."""
    with govern(caller, "kb_ingest", input=target, session=session, decisions="off") as g:
        g.finish(action=action)


def file_name(source: str, source_type: str) -> str:
    """What a page may show of a document's source: a URL or a record id as is, a stored file by its name only
    (the directory is the server's business)."""
    if source.startswith(("http://", "https://", "jsonl:")):
        return source
    if source.startswith("upload:"):  # an upload through the API: stored under the name it was sent with
        source = source[len("upload:"):]
    return PurePath(source.replace("\\", "/")).name


@router.get("/admin")
def admin_home(request: Request):  # noqa: ANN201
    """The console's entry: the first page of the side menu the caller may open."""
    from fastapi.responses import RedirectResponse

    from zhengwu.web.deps import get_caller
    from zhengwu.web.routes.admin_common import menu_for, refuse

    caller = get_caller(request)
    items = menu_for(caller)
    if caller.user == "anonymous" or not items:
        return refuse(request)
    return RedirectResponse(items[0][0], status_code=303)


@router.get("/admin/kb")
def kb_list(request: Request):  # noqa: ANN201
    caller, refusal = guard(request, KB_WRITERS)
    if refusal:
        return refusal
    with session_scope() as s:
        kbs = [manage.kb_stats(s, kb) for kb in manage.list_kbs(s, caller)]
    return page(request, "admin_kb.html", caller, kbs=kbs)


@router.post("/admin/kb")
def kb_create(request: Request, name: str = Form(..., max_length=128), description: str = Form("", max_length=2000)):  # noqa: ANN201
    caller, refusal = guard(request, KB_WRITERS)
    if refusal:
        return refusal
    try:
        with session_scope() as s:
            kb = manage.create_kb(s, caller, name, description)
            _audit(s, caller, "kb_create", kb.name)
    except ZhengwuError as exc:
        return back("/admin/kb", error=message(request, exc))
    return back("/admin/kb", ok=t(request, "已创建知识库“{n}”", n=name.strip()))


@router.get("/admin/kb/{name}")
def kb_documents(request: Request, name: str, p: int = 1):  # noqa: ANN201
    caller, refusal = guard(request, KB_WRITERS)
    if refusal:
        return refusal
    p = max(1, p)
    try:
        with session_scope() as s:
            stats = manage.kb_stats(s, manage.get_kb(s, caller, name))
            listing = manage.list_documents(s, caller, name, limit=PAGE_SIZE, offset=(p - 1) * PAGE_SIZE)
    except ZhengwuError as exc:
        return page(request, "admin_kb_missing.html", caller, status_code=exc.status, reason=message(request, exc))
    docs = [{"id": d["id"], "title": d["title"], "doc_number": d["doc_number"], "validity": d["validity"],
             "issuer": d["issuer"], "chunks": d["chunks"], "file": file_name(d["source"], d["source_type"]),
             "type": d["source_type"]} for d in listing["documents"]]
    pages = max(1, -(-listing["total"] // PAGE_SIZE))
    return page(request, "admin_kb_docs.html", caller, kb=stats, docs=docs, total=listing["total"], p=p,
                pages=pages, max_mb=max_file_bytes() // (1024 * 1024))


@router.post("/admin/kb/{name}/documents/{document_id}/delete")
def kb_document_delete(request: Request, name: str, document_id: int):  # noqa: ANN201
    caller, refusal = guard(request, KB_WRITERS)
    if refusal:
        return refusal
    from urllib.parse import quote

    target = f"/admin/kb/{quote(name, safe='')}"
    try:
        with session_scope() as s:
            manage.delete_document(s, caller, name, document_id)
            _audit(s, caller, "document_delete", f"{name}#{document_id}")
    except ZhengwuError as exc:
        return back(target, error=message(request, exc))
    return back(target, ok=t(request, "已删除文档 {i}", i=document_id))
