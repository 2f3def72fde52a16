"""Ingestion: files -> parse -> metadata -> chunks (with lexical tokens) -> one transaction per document.

Why it is shaped like this:
- A batch is an IngestJob with one IngestItem per file, written before any work starts, so an interrupted
  batch can be resumed (`zhengwu ingest --resume JOB_ID`) and shows its progress (`zhengwu kb jobs`).
- Every document is committed on its own; a failure or an interrupt rolls back only the document in flight.
- Content hashing makes re-ingesting the same content a no-op ("unchanged") and lets a changed file replace
  its old chunks (same source) in one transaction, so re-running a command never duplicates anything.
- Every change bumps KnowledgeBase.version, which in-memory search indexes compare to know they are stale.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from zhengwu.config import get_settings
from zhengwu.context import Caller
from zhengwu.errors import NotFound, ZhengwuError
from zhengwu.kb import metadata as md
from zhengwu.kb.chunking import Block, blocks_from_text, chunk_blocks
from zhengwu.kb.dedup import assign_group as assign_dup_group
from zhengwu.kb.manage import get_kb
from zhengwu.kb.models import Chunk, Document, IngestItem, IngestJob, KnowledgeBase
from zhengwu.kb.parsers import ParseError, Parsed, check_supported, parse_file
from zhengwu.kb.parsers import jsonl as jsonl_parser
from zhengwu.store.db import session_scope

log = logging.getLogger("zhengwu.kb.ingest")

# Part of every content hash: when parsing or chunking changes, re-ingesting replaces the old chunks.
PIPELINE_VERSION = "1"
PAGE_CHARS = 1800  # one "page" in throughput figures


@dataclass
class FileResult:
    path: str
    status: str  # added | unchanged | replaced | failed (for JSONL: the dominant outcome of its lines)
    documents: dict = field(default_factory=lambda: {"added": 0, "unchanged": 0, "replaced": 0, "failed": 0})
    message_zh: str = ""
    message_en: str = ""

    def to_dict(self) -> dict:
        return {"path": self.path, "file": Path(self.path).name, "status": self.status,
                "documents": dict(self.documents), "message_zh": self.message_zh, "message_en": self.message_en}


@dataclass
class IngestReport:
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (path, zh, en)
    job_id: int | None = None
    kb: str = ""
    files: list[FileResult] = field(default_factory=list)
    chars: int = 0
    seconds: float = 0.0
    embedded: int | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False

    @property
    def pages_per_second(self) -> float:
        return (self.chars / PAGE_CHARS) / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict:
        return {"job_id": self.job_id, "kb": self.kb, "added": self.added, "unchanged": self.unchanged,
                "replaced": self.replaced,
                "failed": [{"path": p, "file": Path(p).name, "message_zh": zh, "message_en": en}
                           for p, zh, en in self.failed],
                "files": [f.to_dict() for f in self.files], "chars": self.chars,
                "seconds": round(self.seconds, 3), "pages_per_second": round(self.pages_per_second, 1),
                "embedded": self.embedded, "cancelled": self.cancelled,
                "warnings": [{"message_zh": zh, "message_en": en} for zh, en in self.warnings]}


# --- sources and hashes ----------------------------------------------------------------------------------

def uploads_root() -> Path:
    return (get_settings().data_dir / "uploads").resolve()


def source_for(path: Path) -> str:
    """Stable identity of a file in a KB: uploads by file name ("upload:通知.pdf"), other files by path."""
    p = path.resolve()
    try:
        p.relative_to(uploads_root())
        return f"upload:{p.name}"
    except ValueError:
        return str(p)


def file_hash(path: Path) -> str:
    h = hashlib.sha256(f"zhengwu-ingest-{PIPELINE_VERSION}\n".encode())
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def record_hash(raw: str) -> str:
    return hashlib.sha256(f"zhengwu-ingest-{PIPELINE_VERSION}\n{raw}".encode()).hexdigest()


def max_file_bytes() -> int:
    """Largest accepted file (settings.max_file_mb, env ZHENGWU_MAX_FILE_MB, default 100 MB)."""
    mb = getattr(get_settings(), "max_file_mb", None) or int(os.environ.get("ZHENGWU_MAX_FILE_MB", "100"))
    return int(mb) * 1024 * 1024


def check_size(path: Path) -> None:
    limit = max_file_bytes()
    size = path.stat().st_size
    if size > limit:
        raise ParseError(path, "file_too_large",
                         f"文件过大（{size / 1048576:.1f} MB，上限 {limit // 1048576} MB）。",
                         f"file too large ({size / 1048576:.1f} MB, limit {limit // 1048576} MB).")


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; directories walked (sorted, hidden files and directories skipped)."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and not name.endswith(".part"):
                        f = Path(root) / name
                        if f.resolve() not in seen:
                            seen.add(f.resolve())
                            out.append(f)
        else:
            if p.resolve() not in seen:
                seen.add(p.resolve())
                out.append(p)
    return out


# --- storing one document -----------------------------------------------------------------------------------

def _tokens(text: str) -> str:
    from zhengwu.kb.tokenize import index_tokens

    return " ".join(index_tokens(text))


def _jsonable(meta: dict) -> dict:
    return json.loads(json.dumps(meta, ensure_ascii=False, default=str))


def store_document(session: Session, kb: KnowledgeBase, *, source: str, source_type: str, content_hash: str,
                   blocks: list[Block], text: str, title: str = "", external_id: str | None = None,
                   record: dict | None = None, meta: dict | None = None, existing: Document | None = None,
                   today: date | None = None) -> tuple[str, Document]:
    """Insert or replace one document with its chunks in the caller's transaction -> ("added"|"replaced", doc)."""
    fields = md.extract_metadata(text, title=(record or {}).get("title") or title, today=today)
    if record:
        fields = md.merge_record_fields(fields, record, today=today)
    chunks = chunk_blocks(blocks, title=fields.get("title") or None)
    if not chunks:
        raise ParseError(source, "no_text", "没有可索引的文字内容。", "no indexable text.")
    doc_meta = dict(meta or {})
    if fields.get("repeals"):
        doc_meta["repeals"] = fields["repeals"]
    values = dict(
        source_type=source_type, external_id=external_id, content_hash=content_hash,
        title=(fields.get("title") or "")[:1000], doc_type=(fields.get("doc_type") or "")[:32],
        issuer=fields.get("issuer") or "", doc_number=(fields.get("doc_number") or "")[:128],
        pub_date=fields.get("pub_date"), effective_date=fields.get("effective_date"),
        expiry_date=fields.get("expiry_date"), validity=fields.get("validity") or "effective",
        meta=_jsonable(doc_meta),
    )
    if existing is not None:
        session.execute(delete(Chunk).where(Chunk.document_id == existing.id))
        for k, v in values.items():
            setattr(existing, k, v)
        doc, outcome = existing, "replaced"
    else:
        doc = Document(department=kb.department, kb_id=kb.id, source=source, **values)
        session.add(doc)
        outcome = "added"
    session.flush()
    session.execute(insert(Chunk), [
        {"department": kb.department, "document_id": doc.id, "kb_id": kb.id, "ordinal": i, "kind": c.kind,
         "heading_path": c.heading_path, "text": c.text, "tokens": _tokens(c.text), "page": c.page,
         "char_start": c.char_start}
        for i, c in enumerate(chunks)])
    session.execute(update(KnowledgeBase).where(KnowledgeBase.id == kb.id)
                    .values(version=KnowledgeBase.version + 1))
    assign_dup_group(session, doc, text)  # near-duplicate copies form one group (zhengwu.kb.dedup)
    return outcome, doc


# --- the batch -------------------------------------------------------------------------------------------

class _Progress:
    """A rich progress bar on stderr (documents done / total), or nothing."""

    def __init__(self, enabled: bool, total: int, label: str) -> None:
        self.bar = None
        if enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            self.bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[file]}"),
                                console=Console(stderr=True), transient=False)
            self.task = self.bar.add_task(label, total=total, file="")
            self.bar.start()

    def advance(self, n: int = 1, file: str = "") -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=n, file=file[-40:])

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _audit(session: Session, caller: Caller, kb_name: str, job_id: int, result: FileResult) -> None:
    try:
        from zhengwu.gateway import audit
    except ImportError:  # pragma: no cover - the gateway is part of the package
        return
    audit.record(session, caller=caller, scenario="kb_ingest", action="ingest", input_text=Path(result.path).name,
                 extra={"kb": kb_name, "job_id": job_id, "status": result.status, "documents": result.documents,
                        "message_en": result.message_en or None})


def _finish_item(session: Session, item_id: int, job_id: int, result: FileResult, document_id: int | None,
                 caller: Caller, kb_name: str) -> None:
    session.execute(update(IngestItem).where(IngestItem.id == item_id).values(
        status=result.status, message=(result.message_zh + ("\n" + result.message_en if result.message_en else "")),
        document_id=document_id))
    col = IngestJob.failed if result.status == "failed" else IngestJob.done
    session.execute(update(IngestJob).where(IngestJob.id == job_id).values({col: col + 1}))
    _audit(session, caller, kb_name, job_id, result)


class _Cancelled(Exception):
    """The job was cancelled from outside (`zhengwu kb cancel`, POST /api/jobs/{id}/cancel)."""


def _check_cancel(job_id: int) -> None:
    with session_scope() as s:
        if s.scalar(select(IngestJob.status).where(IngestJob.id == job_id)) == "cancelled":
            raise _Cancelled()


def _fail(result: FileResult, zh: str, en: str) -> None:
    result.status = "failed"
    result.message_zh, result.message_en = zh, en


def _ingest_single(path: Path, source: str, kb_id: int, kb_name: str, item_id: int, job_id: int,
                   caller: Caller, report: IngestReport) -> FileResult:
    result = FileResult(str(path), "failed")
    check_supported(path)
    check_size(path)
    h = file_hash(path)
    with session_scope() as s:
        existing = s.scalar(select(Document).where(Document.kb_id == kb_id, Document.source == source))
        if existing is not None and existing.content_hash == h:
            result.status = "unchanged"
            result.documents["unchanged"] = 1
            _finish_item(s, item_id, job_id, result, existing.id, caller, kb_name)
            return result
        if existing is None:
            dup = s.scalar(select(Document).where(Document.kb_id == kb_id, Document.content_hash == h).limit(1))
            if dup is not None:
                result.status = "unchanged"
                result.documents["unchanged"] = 1
                result.message_zh = f"{path.name}：与已入库的“{dup.title or dup.source}”内容完全相同，未重复入库。"
                result.message_en = f"{path.name}: identical to the stored document '{dup.source}'; not stored twice."
                _finish_item(s, item_id, job_id, result, dup.id, caller, kb_name)
                return result
    parsed: Parsed = parse_file(path)
    with session_scope() as s:
        kb = s.get(KnowledgeBase, kb_id)
        existing = s.scalar(select(Document).where(Document.kb_id == kb_id, Document.source == source))
        outcome, doc = store_document(s, kb, source=source, source_type=parsed.source_type, content_hash=h,
                                      blocks=parsed.blocks, text=parsed.text, title=parsed.title,
                                      record={**parsed.record, **({"doc_type": "FAQ"} if parsed.meta.get("faq_pairs")
                                                                 else {})} or None,
                                      meta={**parsed.meta, "file": path.name}, existing=existing)
        result.status = outcome
        result.documents[outcome] = 1
        _finish_item(s, item_id, job_id, result, doc.id, caller, kb_name)
    report.chars += len(parsed.text)
    return result


def _ingest_jsonl(path: Path, kb_id: int, kb_name: str, item_id: int, job_id: int, caller: Caller,
                  report: IngestReport, bar: _Progress) -> FileResult:
    """Each line is a document committed on its own; unchanged lines cost one hash and no parsing."""
    result = FileResult(str(path), "unchanged")
    check_size(path)
    prefix = f"jsonl:{path.name}#"
    with session_scope() as s:
        known = {src: (doc_id, h) for src, doc_id, h in s.execute(
            select(Document.source, Document.id, Document.content_hash)
            .where(Document.kb_id == kb_id, Document.source.startswith(prefix, autoescape=True)))}
    errors: list[tuple[str, str]] = []
    last_doc: int | None = None
    for n, rec in enumerate(jsonl_parser.iter_records(path), 1):
        if n % 50 == 0:
            _check_cancel(job_id)
        bar.advance(1, path.name)
        if rec.error:
            result.documents["failed"] += 1
            errors.append(rec.error)
            continue
        source = prefix + rec.docid
        h = record_hash(rec.raw)
        prev = known.get(source)
        if prev is not None and prev[1] == h:
            result.documents["unchanged"] += 1
            last_doc = prev[0]
            continue
        try:
            with session_scope() as s:
                kb = s.get(KnowledgeBase, kb_id)
                existing = s.get(Document, prev[0]) if prev is not None else None
                outcome, doc = store_document(
                    s, kb, source=source, source_type="jsonl", content_hash=h,
                    blocks=blocks_from_text(rec.text), text=rec.text, title=str(rec.record.get("title") or ""),
                    external_id=rec.docid[:256], record=rec.record,
                    meta={**jsonl_parser.record_meta(rec.record), "file": path.name, "line": rec.line_no},
                    existing=existing)
            known[source] = (doc.id, h)
            last_doc = doc.id
            result.documents[outcome] += 1
            report.chars += len(rec.text)
        except ZhengwuError as exc:
            result.documents["failed"] += 1
            errors.append((f"第 {rec.line_no} 行（{rec.docid}）：{exc.zh}", f"line {rec.line_no} ({rec.docid}): {exc.en}"))
        except Exception as exc:  # noqa: BLE001 - one bad record must not stop the batch; it is reported
            log.exception("ingest of %s line %s failed", path.name, rec.line_no)
            result.documents["failed"] += 1
            errors.append((f"第 {rec.line_no} 行（{rec.docid}）：处理出错（{type(exc).__name__}）。",
                           f"line {rec.line_no} ({rec.docid}): processing error ({type(exc).__name__})."))
    d = result.documents
    ok = d["added"] + d["replaced"] + d["unchanged"]
    empty = not ok and not d["failed"]
    if empty:
        d["failed"] = 1
    result.status = ("failed" if d["failed"] and not ok else "added" if d["added"] else
                     "replaced" if d["replaced"] else "unchanged")
    if empty:
        result.message_zh, result.message_en = f"{path.name}：文件中没有任何记录。", f"{path.name}: the file contains no records."
    elif errors:
        more = f"（另有 {len(errors) - 3} 处）" if len(errors) > 3 else ""
        more_en = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        result.message_zh = f"{path.name}：{d['failed']} 行未能入库：" + "；".join(zh for zh, _ in errors[:3]) + more
        result.message_en = f"{path.name}: {d['failed']} lines not stored: " + "; ".join(
            en for _, en in errors[:3]) + more_en
    with session_scope() as s:
        _finish_item(s, item_id, job_id, result, last_doc, caller, kb_name)
    return result


def _count_units(path: Path) -> int:
    if path.suffix.lower() == ".jsonl" and path.is_file():
        try:
            if path.stat().st_size <= max_file_bytes():
                return jsonl_parser.count_lines(path)
        except OSError:
            return 1
    return 1


def _run(job_id: int, kb_id: int, kb_name: str, caller: Caller, progress: bool, embed: bool,
         sources: dict[str, str] | None = None) -> IngestReport:
    import time

    report = IngestReport(job_id=job_id, kb=kb_name)
    with session_scope() as s:
        items = [(i.id, i.path) for i in s.scalars(select(IngestItem).where(
            IngestItem.job_id == job_id, IngestItem.status.in_(("pending", "running"))).order_by(IngestItem.id))]
        s.execute(update(IngestJob).where(IngestJob.id == job_id).values(status="running"))
    total = sum(_count_units(Path(p)) for _, p in items)
    bar = _Progress(progress, total, f"入库 ingest → {kb_name}")
    t0 = time.perf_counter()
    try:
        for item_id, p in items:
            path = Path(p)
            _check_cancel(job_id)
            try:
                if not path.exists():
                    raise ParseError(path, "not_found", "文件不存在或无法读取。", "file not found or unreadable.")
                if not path.is_file():
                    raise ParseError(path, "not_a_file", "不是普通文件。", "not a regular file.")
                if path.suffix.lower() == ".jsonl":
                    res = _ingest_jsonl(path, kb_id, kb_name, item_id, job_id, caller, report, bar)
                else:
                    res = _ingest_single(path, (sources or {}).get(p) or source_for(path), kb_id, kb_name,
                                         item_id, job_id, caller, report)
                    bar.advance(1, path.name)
            except (KeyboardInterrupt, SystemExit, _Cancelled):
                raise
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch; it is reported
                if isinstance(exc, ZhengwuError):
                    zh, en = exc.zh, exc.en
                elif not isinstance(exc, OSError):
                    log.exception("ingest of %s failed", path)
                    zh = f"{path.name}：处理文件时出错（{type(exc).__name__}），文件可能已损坏。"
                    en = f"{path.name}: error while processing the file ({type(exc).__name__}); it may be damaged."
                else:
                    zh = f"{path.name}：无法读取文件（{exc.strerror or exc}）。"
                    en = f"{path.name}: cannot read the file ({exc.strerror or exc})."
                if not zh.startswith(path.name):
                    zh, en = f"{path.name}：{zh}", f"{path.name}: {en}"
                res = FileResult(str(path), "failed")
                res.documents["failed"] = 1
                _fail(res, zh, en)
                with session_scope() as s:
                    _finish_item(s, item_id, job_id, res, None, caller, kb_name)
                if path.suffix.lower() != ".jsonl":
                    bar.advance(1, path.name)
            report.files.append(res)
            report.added += res.documents["added"]
            report.unchanged += res.documents["unchanged"]
            report.replaced += res.documents["replaced"]
            if res.message_en and (res.status == "failed" or res.documents["failed"]):
                report.failed.append((str(path), res.message_zh, res.message_en))
    except _Cancelled:
        report.cancelled = True
        return report  # (the finally clause below stops the bar and the clock)
    except BaseException as exc:
        try:
            with session_scope() as s:
                s.execute(update(IngestJob).where(IngestJob.id == job_id).values(status="cancelled"))
        except Exception:  # noqa: BLE001 - the job stays "running"; --resume handles that too
            log.warning("could not mark ingest job %s cancelled", job_id)
        try:
            exc.job_id = job_id  # type: ignore[attr-defined]  # the CLI names the job to resume
        except AttributeError:
            pass
        raise
    finally:
        bar.stop()
        report.seconds = time.perf_counter() - t0
    with session_scope() as s:
        s.execute(update(IngestJob).where(IngestJob.id == job_id).values(status="done"))
    if embed and get_settings().embedder != "none":
        try:
            from zhengwu.kb import dense

            if hasattr(dense, "embed_pending"):
                report.embedded = dense.embed_pending(kb_id, progress=progress)
        except ImportError:
            pass
        except ZhengwuError as exc:
            report.warnings.append((f"向量化未完成（词法检索已可用）：{exc.zh}",
                                    f"embedding did not finish (lexical search works): {exc.en}"))
    return report


def create_job(paths: list[Path], *, kb: str, caller: Caller) -> tuple[int, int]:
    """Record a job with one pending item per file before any work starts -> (job_id, kb_id)."""
    files = expand_paths(paths)
    with session_scope() as s:
        kb_obj = get_kb(s, caller, kb, create=True)
        job = IngestJob(department=caller.department, kb_id=kb_obj.id, kind="ingest", status="pending",
                        total=len(files), created_by=caller.user)
        s.add(job)
        s.flush()
        s.execute(insert(IngestItem), [{"job_id": job.id, "path": str(f.resolve() if f.exists() else f),
                                        "status": "pending", "message": ""} for f in files] or [])
        return job.id, kb_obj.id


def ingest_paths(paths: list[Path], *, kb: str, caller: Caller, progress: bool = True,
                 embed: bool = False) -> IngestReport:
    """Ingest files and directories into the caller's knowledge base `kb` (created on first use)."""
    if not paths:
        raise ZhengwuError("no_paths", "没有给出要入库的文件。", "no files given to ingest.")
    job_id, kb_id = create_job(list(paths), kb=kb, caller=caller)
    return _run(job_id, kb_id, kb, caller, progress, embed)


def ingest_uploads(files: list[tuple[Path, str]], *, kb: str, caller: Caller, embed: bool = False) -> IngestReport:
    """Ingest stored uploads [(path, original file name)]; the source of each is "upload:<file name>"."""
    job_id, kb_id = create_job([p for p, _ in files], kb=kb, caller=caller)
    sources = {str(p.resolve()): f"upload:{name}" for p, name in files}
    return _run(job_id, kb_id, kb, caller, False, embed, sources=sources)


def resume_job(job_id: int, *, caller: Caller, progress: bool = True, embed: bool = False) -> IngestReport:
    """Continue an interrupted job with its items not yet done (items done are never redone)."""
    with session_scope() as s:
        job = s.get(IngestJob, job_id)
        if job is None or job.department != caller.department:
            raise NotFound("job_not_found", f"入库任务 {job_id} 不存在。", f"Ingest job {job_id} does not exist.",
                           job_id=job_id)
        kb = s.get(KnowledgeBase, job.kb_id)
        kb_id, kb_name = kb.id, kb.name
    return _run(job_id, kb_id, kb_name, caller, progress, embed)


def list_jobs(session: Session, caller: Caller, limit: int = 50) -> list[dict]:
    """Jobs of the caller's department, newest first, with their progress."""
    rows = session.execute(select(IngestJob, KnowledgeBase.name).join(KnowledgeBase, KnowledgeBase.id == IngestJob.kb_id)
                           .where(IngestJob.department == caller.department)
                           .order_by(IngestJob.id.desc()).limit(limit)).all()
    return [job_dict(job, name) for job, name in rows]


def job_dict(job: IngestJob, kb_name: str, items: list[IngestItem] | None = None) -> dict:
    out = {"id": job.id, "kb": kb_name, "kind": job.kind, "status": job.status, "total": job.total,
           "done": job.done, "failed": job.failed,
           "progress": round((job.done + job.failed) / job.total, 3) if job.total else 1.0,
           "created_by": job.created_by,
           "created_at": job.created_at.isoformat() if job.created_at else None,
           "updated_at": job.updated_at.isoformat() if job.updated_at else None}
    if items is not None:
        out["items"] = [{"path": i.path, "file": Path(i.path).name, "status": i.status, "message": i.message,
                         "document_id": i.document_id} for i in items]
    return out


def get_job(session: Session, caller: Caller, job_id: int) -> dict:
    job = session.get(IngestJob, job_id)
    if job is None or job.department != caller.department:
        raise NotFound("job_not_found", f"入库任务 {job_id} 不存在。", f"Ingest job {job_id} does not exist.",
                       job_id=job_id)
    kb = session.get(KnowledgeBase, job.kb_id)
    items = list(session.scalars(select(IngestItem).where(IngestItem.job_id == job_id).order_by(IngestItem.id)))
    return job_dict(job, kb.name if kb else "", items)


def cancel_job(session: Session, caller: Caller, job_id: int) -> dict:
    """Ask a running job to stop: it stops before its next file (or within 50 JSONL lines); what is stored
    stays stored, and `resume_job` continues with the items not yet done."""
    job = session.get(IngestJob, job_id)
    if job is None or job.department != caller.department:
        raise NotFound("job_not_found", f"入库任务 {job_id} 不存在。", f"Ingest job {job_id} does not exist.",
                       job_id=job_id)
    if job.status in ("pending", "running"):
        job.status = "cancelled"
        session.flush()
    kb = session.get(KnowledgeBase, job.kb_id)
    return job_dict(job, kb.name if kb else "")
