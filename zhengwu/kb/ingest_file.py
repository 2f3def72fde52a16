"""Ingesting one file of a job: a single document, or a container of documents (JSONL) in small batches.

Why apart from kb/ingest.py: this is the per-file work (hash, skip if unchanged, parse, prepare, write,
finish the job item); ingest.py runs a job's files through it and reports progress.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from zhengwu.errors import ZhengwuError
from zhengwu.kb import jobs, parsers, store
from zhengwu.kb.sources import check_size, file_hash, record_hash, record_source
from zhengwu.store.db import session_scope

log = logging.getLogger("zhengwu.kb.ingest")

STORE_BATCH = 16  # records of a container file written per transaction
CANCEL_EVERY = 50  # records between two looks at the job's status
PARSED_SHARE, WRITE_SHARE = 0.1, 0.05  # shares of a single file's time (progress): read and decoded; written


@dataclass
class FileResult:
    path: str
    status: str  # added | unchanged | replaced | failed (for JSONL: the dominant outcome of its lines)
    documents: dict = field(default_factory=lambda: {"added": 0, "unchanged": 0, "replaced": 0, "failed": 0})
    message_zh: str = ""
    message_en: str = ""
    chars: int = 0  # characters of the documents stored (for throughput figures)

    def to_dict(self) -> dict:
        return {"path": self.path, "file": Path(self.path).name, "status": self.status,
                "documents": dict(self.documents), "message_zh": self.message_zh, "message_en": self.message_en}

    def message(self) -> str:
        return self.message_zh + ("\n" + self.message_en if self.message_en else "")

    def audit_extra(self) -> dict:
        return {"documents": dict(self.documents), "message_en": self.message_en or None}


def _finish(s, ctx: dict, res: FileResult, document_id: int | None) -> None:  # noqa: ANN001
    jobs.finish_item(s, job_id=ctx["job_id"], item_id=ctx["item_id"], status=res.status, message=res.message(),
                     document_id=document_id, caller=ctx["caller"], kb_name=ctx["kb_name"],
                     file_name=Path(res.path).name, audit_extra=res.audit_extra())


def ingest_single(path: Path, source: str, ctx: dict) -> FileResult:
    """One file, one document: skipped by hash when unchanged, else parsed and prepared outside any
    transaction, then written together with its job item."""
    res = FileResult(str(path), "failed")
    check_size(path)
    h = file_hash(path)
    kb_id = ctx["kb_id"]
    with session_scope() as s:
        existing = store.find_by_source(s, kb_id, source)
        same = existing if existing is not None and existing.content_hash == h else None
        if existing is None:
            same = store.find_by_hash(s, kb_id, h)
            if same is not None:
                res.message_zh = f"{path.name}：与已入库的“{same.title or same.source}”内容完全相同，未重复入库。"
                res.message_en = f"{path.name}: identical to the stored document '{same.source}'; not stored twice."
        if same is not None:
            res.status = "unchanged"
            res.documents["unchanged"] = 1
            _finish(s, ctx, res, same.id)
            return res
    parsed = parsers.parse_file(path)
    chars, done = max(1, len(parsed.text)), [0]

    def on_chars(n: int) -> None:  # chunks are tokenised as they are cut: most of the work advances with them
        done[0] += n
        ctx["share"](PARSED_SHARE + (1 - PARSED_SHARE - WRITE_SHARE) * done[0] / chars)

    ctx["share"](PARSED_SHARE)

    prepared = store.prepare_document(parsed, source=source, content_hash=h, meta={"file": path.name},
                                      on_chars=on_chars)
    with session_scope() as s:
        [(outcome, doc_id)] = store.write_documents(s, kb_id, [prepared])
        res.status = outcome
        res.documents[outcome] = 1
        res.chars = prepared.chars
        _finish(s, ctx, res, doc_id)
    return res


class _Batch:
    """Prepared records waiting to be written; a failed batch is retried record by record so that one bad
    record fails alone."""

    def __init__(self, kb_id: int, res: FileResult, errors: list[tuple[str, str]]) -> None:
        self.kb_id, self.res, self.errors = kb_id, res, errors
        self.docs: list[tuple[store.PreparedDocument, tuple[str, str]]] = []
        self.last_doc: int | None = None

    def add(self, prepared: store.PreparedDocument, where: tuple[str, str]) -> None:
        self.docs.append((prepared, where))
        if len(self.docs) >= STORE_BATCH:
            self.flush()

    def flush(self) -> None:
        docs, self.docs = self.docs, []
        if docs:
            self._write(docs)

    def _write(self, docs: list[tuple[store.PreparedDocument, tuple[str, str]]]) -> None:
        try:
            with session_scope() as s:
                outcomes = store.write_documents(s, self.kb_id, [d for d, _ in docs])
        except Exception as exc:  # noqa: BLE001 - isolate the record at fault, report it, keep the rest
            if len(docs) > 1:
                for one in docs:
                    self._write([one])
                return
            log.exception("storing %s failed", docs[0][0].source)
            zh, en = docs[0][1]
            self.res.documents["failed"] += 1
            self.errors.append((f"{zh}：处理出错（{type(exc).__name__}）。", f"{en}: processing error ({type(exc).__name__})."))
            return
        for (prepared, _), (outcome, doc_id) in zip(docs, outcomes):
            self.res.documents[outcome] += 1
            self.res.chars += prepared.chars
            self.last_doc = doc_id


def ingest_container(path: Path, ctx: dict, advance: Callable[[int, str], None]) -> FileResult:
    """Each record is its own document; unchanged records cost one hash; new or changed ones are prepared
    outside any transaction and written STORE_BATCH at a time."""
    res = FileResult(str(path), "unchanged")
    check_size(path)
    kb_id = ctx["kb_id"]
    errors: list[tuple[str, str]] = []
    batch = _Batch(kb_id, res, errors)
    known: dict[str, tuple[int, str]] | None = None
    expected = max(1, parsers.count_documents(path))
    for n, doc in enumerate(parsers.iter_documents(path), 1):
        if known is None:
            with session_scope() as s:
                known = store.hashes_by_source(s, kb_id, record_source(doc.source_type, path, ""))
        if n % CANCEL_EVERY == 0:
            batch.flush()
            jobs.raise_if_cancelled(ctx["job_id"])
            ctx["share"](n / expected)
        advance(1, path.name)
        if doc.error:
            res.documents["failed"] += 1
            errors.append(doc.error)
            continue
        source = record_source(doc.source_type, path, doc.key)
        h = record_hash(doc.raw if doc.raw is not None else doc.text)
        prev = known.get(source)
        if prev is not None and prev[1] == h:
            res.documents["unchanged"] += 1
            batch.last_doc = prev[0] or batch.last_doc
            continue
        try:
            prepared = store.prepare_document(doc, source=source, content_hash=h, meta={"file": path.name},
                                              external_id=doc.key[:256])
        except ZhengwuError as exc:
            res.documents["failed"] += 1
            errors.append((f"{doc.where[0]}：{exc.zh}", f"{doc.where[1]}: {exc.en}"))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad record must not stop the batch; it is reported
            log.exception("ingest of %s (%s) failed", path.name, doc.where[1])
            res.documents["failed"] += 1
            errors.append((f"{doc.where[0]}：处理出错（{type(exc).__name__}）。",
                           f"{doc.where[1]}: processing error ({type(exc).__name__})."))
            continue
        known[source] = (0, h)  # a repeated key later in the same file is then "unchanged", as before
        batch.add(prepared, doc.where)
    batch.flush()
    _summarise(path, res, errors)
    with session_scope() as s:
        _finish(s, ctx, res, batch.last_doc)
    return res


def _summarise(path: Path, res: FileResult, errors: list[tuple[str, str]]) -> None:
    d = res.documents
    ok = d["added"] + d["replaced"] + d["unchanged"]
    empty = not ok and not d["failed"]
    if empty:
        d["failed"] = 1
    res.status = ("failed" if d["failed"] and not ok else "added" if d["added"] else
                  "replaced" if d["replaced"] else "unchanged")
    if empty:
        res.message_zh, res.message_en = f"{path.name}：文件中没有任何记录。", f"{path.name}: the file contains no records."
    elif errors:
        more = f"（另有 {len(errors) - 3} 处）" if len(errors) > 3 else ""
        more_en = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        res.message_zh = f"{path.name}：{d['failed']} 行未能入库：" + "；".join(zh for zh, _ in errors[:3]) + more
        res.message_en = f"{path.name}: {d['failed']} lines not stored: " + "; ".join(
            en for _, en in errors[:3]) + more_en
