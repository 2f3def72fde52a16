"""Knowledge-base management: create, find, list and delete, always within the caller's department.

A knowledge base of another department is invisible: looking it up by name behaves exactly as if it did not
exist (DESIGN non-negotiable 6), so names never leak across departments.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, NotFound, ZhengwuError
from zhengwu.gateway import govern
from zhengwu.kb.models import Chunk, ChunkVector, Document, IngestItem, IngestJob, KBShare, KnowledgeBase

DEFAULT_KB = "default"
_BAD_NAME = re.compile(r"[/\\\x00-\x1f]")


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 128 or _BAD_NAME.search(name):
        raise ZhengwuError("kb_bad_name",
                           f"知识库名称无效：“{name}”（1–128 个字符，不含斜杠和控制字符）。",
                           f"Invalid knowledge-base name '{name}' (1-128 characters, no slashes or control characters).",
                           name=name)
    return name


def find_kb(session: Session, caller: Caller, name: str) -> KnowledgeBase | None:
    """The caller's department's knowledge base of that name, or None."""
    return session.scalar(select(KnowledgeBase).where(KnowledgeBase.department == caller.department,
                                                      KnowledgeBase.name == name))


def get_kb(session: Session, caller: Caller, name: str, create: bool = False) -> KnowledgeBase:
    """Look a knowledge base up by name in the caller's department; create it when asked to."""
    name = _check_name(name)
    kb = find_kb(session, caller, name)
    if kb is None:
        if create:
            return create_kb(session, caller, name)
        raise NotFound("kb_not_found", f"知识库“{name}”不存在。", f"Knowledge base '{name}' does not exist.",
                       name=name)
    return kb


def create_kb(session: Session, caller: Caller, name: str, description: str = "", *, personal_data: bool = False,
              mask_passages: bool | None = None) -> KnowledgeBase:
    """Create a knowledge base in the caller's department (names are unique per department).

    `personal_data` marks a KB holding personal information (case files, tickets): its passages are masked
    before an embedding model sees them, unless `mask_passages` says otherwise explicitly."""
    name = _check_name(name)
    if find_kb(session, caller, name) is not None:
        raise ZhengwuError("kb_exists", f"知识库“{name}”已存在。", f"Knowledge base '{name}' already exists.",
                           status=409, name=name)
    kb = KnowledgeBase(department=caller.department, name=name, description=description or "", version=0,
                       personal_data=personal_data, mask_passages=mask_passages)
    session.add(kb)
    session.flush()
    return kb


def readable_kbs(session: Session, caller: Caller) -> list[KnowledgeBase]:
    """The caller's department's knowledge bases, then those other departments shared with it."""
    own = list_kbs(session, caller)
    shared = session.scalars(select(KnowledgeBase).join(KBShare, KBShare.kb_id == KnowledgeBase.id)
                             .where(KBShare.department == caller.department).order_by(KnowledgeBase.id))
    return own + [kb for kb in shared if kb.department != caller.department]


def readable_kb(session: Session, caller: Caller, name: str) -> KnowledgeBase:
    """A knowledge base the caller may read, by name: its own department's first, else one shared with it."""
    name = _check_name(name)
    kb = find_kb(session, caller, name)
    if kb is None:
        kb = next((k for k in readable_kbs(session, caller) if k.name == name), None)
    if kb is None:
        raise NotFound("kb_not_found", f"知识库“{name}”不存在。", f"Knowledge base '{name}' does not exist.",
                       name=name)
    return kb


def share_kb(session: Session, caller: Caller, name: str, department: str) -> None:
    """Share one of the caller's department's knowledge bases with another department (administrators only)."""
    if not caller.is_admin:
        raise Forbidden("admin_required", "只有管理员可以共享知识库。", "Only an administrator may share a knowledge base.")
    kb = get_kb(session, caller, name)
    if department == kb.department:
        raise ZhengwuError("share_self", "不能与本部门共享。", "A knowledge base is already visible to its own department.")
    if session.get(KBShare, (kb.id, department)) is None:
        session.add(KBShare(kb_id=kb.id, department=department, shared_by=caller.user))
        _record(session, caller, "kb_share", kb.name, department)


def unshare_kb(session: Session, caller: Caller, name: str, department: str) -> None:
    if not caller.is_admin:
        raise Forbidden("admin_required", "只有管理员可以取消共享。", "Only an administrator may stop sharing.")
    kb = get_kb(session, caller, name)
    row = session.get(KBShare, (kb.id, department))
    if row is not None:
        session.delete(row)
        _record(session, caller, "kb_unshare", kb.name, department)


def _record(session: Session, caller: Caller, action: str, kb_name: str, department: str) -> None:
    """Sharing is a knowledge-base administration step: one governed record in the caller's transaction."""
    with govern(caller, "kb_ingest", input=kb_name, session=session, decisions="off") as g:
        g.finish(action=action, extra={"with": department})


def shares_of(session: Session, kb: KnowledgeBase) -> list[str]:
    return list(session.scalars(select(KBShare.department).where(KBShare.kb_id == kb.id).order_by(KBShare.department)))


def list_kbs(session: Session, caller: Caller) -> list[KnowledgeBase]:
    """The caller's department's knowledge bases, by name."""
    return list(session.scalars(select(KnowledgeBase).where(KnowledgeBase.department == caller.department)
                                .order_by(KnowledgeBase.name)))


def kb_stats(session: Session, kb: KnowledgeBase) -> dict:
    """Counts shown by `zhengwu kb list` and GET /api/kb."""
    docs = session.scalar(select(func.count(Document.id)).where(Document.kb_id == kb.id)) or 0
    chunks = session.scalar(select(func.count(Chunk.id)).where(Chunk.kb_id == kb.id)) or 0
    return {"name": kb.name, "description": kb.description or "", "department": kb.department,
            "documents": int(docs), "chunks": int(chunks), "version": kb.version,
            "personal_data": bool(kb.personal_data), "mask_passages": kb.masks_passages,
            "shared_with": shares_of(session, kb),
            "created_at": kb.created_at.isoformat() if kb.created_at else None}


def delete_kb(session: Session, caller: Caller, name: str) -> None:
    """Delete a knowledge base with its documents, chunks, vectors and jobs (in the caller's transaction)."""
    kb = get_kb(session, caller, name)
    # Explicit deletes so that no orphan survives on databases without ON DELETE CASCADE enforcement.
    job_ids = select(IngestJob.id).where(IngestJob.kb_id == kb.id).scalar_subquery()
    session.execute(delete(IngestItem).where(IngestItem.job_id.in_(job_ids)))
    session.execute(delete(IngestJob).where(IngestJob.kb_id == kb.id))
    session.execute(delete(ChunkVector).where(ChunkVector.kb_id == kb.id))
    session.execute(delete(Chunk).where(Chunk.kb_id == kb.id))
    session.execute(delete(Document).where(Document.kb_id == kb.id))
    session.delete(kb)
    session.flush()


def delete_document(session: Session, caller: Caller, kb_name: str, document_id: int) -> None:
    """Remove one document with its chunks and vectors, and bump the KB version (indexes go stale)."""
    kb = get_kb(session, caller, kb_name)
    doc = session.get(Document, document_id)
    if doc is None or doc.kb_id != kb.id or doc.department != caller.department:
        raise NotFound("document_not_found", f"文档 {document_id} 不在知识库“{kb_name}”中。",
                       f"Document {document_id} is not in knowledge base '{kb_name}'.", document_id=document_id)
    chunk_ids = select(Chunk.id).where(Chunk.document_id == doc.id).scalar_subquery()
    session.execute(delete(ChunkVector).where(ChunkVector.chunk_id.in_(chunk_ids)))
    session.execute(delete(Chunk).where(Chunk.document_id == doc.id))
    session.execute(delete(Document).where(Document.id == doc.id))
    session.execute(update(KnowledgeBase).where(KnowledgeBase.id == kb.id).values(version=KnowledgeBase.version + 1))
    session.flush()


def list_documents(session: Session, caller: Caller, kb_name: str, *, limit: int = 100, offset: int = 0) -> dict:
    """A page of a knowledge base's documents with their metadata and chunk counts (GET /api/kb/{name}/documents).
    `limit` is kept within 1..1000."""
    limit = max(1, min(limit, 1000))
    kb = get_kb(session, caller, kb_name)
    total = session.scalar(select(func.count(Document.id)).where(Document.kb_id == kb.id)) or 0
    counts = (select(Chunk.document_id, func.count(Chunk.id).label("n")).where(Chunk.kb_id == kb.id)
              .group_by(Chunk.document_id).subquery())
    rows = session.execute(select(Document, counts.c.n).outerjoin(counts, counts.c.document_id == Document.id)
                           .where(Document.kb_id == kb.id).order_by(Document.id).limit(limit).offset(offset)).all()
    docs = [{"id": d.id, "title": d.title, "doc_number": d.doc_number, "issuer": d.issuer,
             "doc_type": d.doc_type, "validity": d.validity,
             "pub_date": d.pub_date.isoformat() if d.pub_date else None,
             "effective_date": d.effective_date.isoformat() if d.effective_date else None,
             "expiry_date": d.expiry_date.isoformat() if d.expiry_date else None,
             "source": d.source, "source_type": d.source_type, "external_id": d.external_id,
             "chunks": int(n or 0)} for d, n in rows]
    return {"kb": kb_name, "total": int(total), "limit": limit, "offset": offset, "documents": docs}
