"""Writing documents and their chunks to the database, in two steps: prepare (pure) and write (short).

Why two steps: metadata extraction, chunking and jieba tokenising take most of an ingest's time. Done inside
the write transaction they would hold SQLite's single write lock for all of it and block every other writer
(an upload, an audit record) for the length of a long ingest. `prepare_document` does that work with no
database at all; `write_documents` then only inserts rows, for a small batch of documents per transaction.
Every change bumps KnowledgeBase.version, which in-memory search indexes compare to know they are stale.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from zhengwu.kb import metadata as md
from zhengwu.kb.chunking import blocks_from_text, iter_chunks
from zhengwu.kb.models import Chunk, Document, KnowledgeBase
from zhengwu.kb.parsers import Parsed, ParseError
from zhengwu.kb import dedup, parallel


INSERT_ROWS = 5000  # chunk rows per bulk insert (executemany) within a document's one transaction


@dataclass
class PreparedDocument:
    """A document ready to be written: its row values and its chunk rows (tokens included)."""

    source: str
    content_hash: str
    values: dict
    chunks: list[dict] = field(default_factory=list)
    chars: int = 0
    signature: np.ndarray | None = None  # MinHash of the text, for near-duplicate groups (kb/dedup.py)


def _jsonable(meta: dict) -> dict:
    return json.loads(json.dumps(meta, ensure_ascii=False, default=str))


def prepare_document(parsed: Parsed, *, source: str, content_hash: str, meta: dict | None = None,
                     external_id: str | None = None, today: date | None = None,
                     on_chars: Callable[[int], None] | None = None) -> PreparedDocument:
    """Metadata, chunks and lexical tokens of one parsed document; touches no database. A large document's
    tokens and signature are computed on every core (kb/parallel.py); `on_chars(n)` reports n more characters
    tokenised. Consumes `parsed`: its blocks are dropped once chunked (memory of a 100 MB text)."""
    signature = parallel.signature_later(parsed.text)  # hashed by the pool while the text is chunked
    record = parsed.record or None
    fields = md.extract_metadata(parsed.text, title=(record or {}).get("title") or parsed.title, today=today)
    if record:
        fields = md.merge_record_fields(fields, record, today=today)
    tokeniser = parallel.Tokeniser(len(parsed.text), on_chars)
    chunks = []
    for c in iter_chunks(parsed.blocks or blocks_from_text(parsed.text), title=fields.get("title") or None):
        chunks.append(c)
        tokeniser.add(c.text)
    parsed.blocks = []
    if not chunks:
        raise ParseError(source, "no_text", "没有可索引的文字内容。", "no indexable text.")
    doc_meta = {**parsed.meta, **(meta or {})}
    if fields.get("repeals"):
        doc_meta["repeals"] = fields["repeals"]
    values = dict(
        source_type=parsed.source_type, external_id=external_id, content_hash=content_hash,
        title=(fields.get("title") or "")[:1000], doc_type=(fields.get("doc_type") or "")[:32],
        issuer=fields.get("issuer") or "", doc_number=(fields.get("doc_number") or "")[:128],
        pub_date=fields.get("pub_date"), effective_date=fields.get("effective_date"),
        expiry_date=fields.get("expiry_date"), validity=fields.get("validity") or "effective",
        meta=_jsonable(doc_meta),
    )
    rows = [{"ordinal": i, "kind": c.kind, "heading_path": c.heading_path, "text": c.text, "tokens": tok,
             "page": c.page, "char_start": c.char_start}
            for i, (c, tok) in enumerate(zip(chunks, tokeniser.result(), strict=True))]
    return PreparedDocument(source, content_hash, values, rows, len(parsed.text), signature())


def write_documents(session: Session, kb_id: int, docs: list[PreparedDocument]) -> list[tuple[str, int]]:
    """Insert or replace (same source) prepared documents in the caller's transaction
    -> [("added" | "replaced", document id)] in order."""
    kb = session.get(KnowledgeBase, kb_id)
    known = dedup.KnownSignatures(session, kb_id)
    out: list[tuple[str, int]] = []
    for prepared in docs:
        existing = find_by_source(session, kb_id, prepared.source)
        if existing is not None:
            session.execute(delete(Chunk).where(Chunk.document_id == existing.id))
            for k, v in prepared.values.items():
                setattr(existing, k, v)
            doc, outcome = existing, "replaced"
        else:
            doc = Document(department=kb.department, kb_id=kb.id, source=prepared.source, **prepared.values)
            session.add(doc)
            outcome = "added"
        session.flush()
        for i in range(0, len(prepared.chunks), INSERT_ROWS):  # bulk, in slices: no copy of every row at once
            session.execute(insert(Chunk), [{"department": kb.department, "document_id": doc.id, "kb_id": kb.id,
                                             **row} for row in prepared.chunks[i:i + INSERT_ROWS]])
        dedup.assign_group(session, doc, sig=prepared.signature, known=known)  # near-duplicate copies form one group
        out.append((outcome, doc.id))
    if out:
        session.execute(update(KnowledgeBase).where(KnowledgeBase.id == kb_id)
                        .values(version=KnowledgeBase.version + len(out)))
    return out


def find_by_source(session: Session, kb_id: int, source: str) -> Document | None:
    return session.scalar(select(Document).where(Document.kb_id == kb_id, Document.source == source))


def find_by_hash(session: Session, kb_id: int, content_hash: str) -> Document | None:
    """A stored document with exactly this content (the same file under another name)."""
    return session.scalar(select(Document).where(Document.kb_id == kb_id, Document.content_hash == content_hash)
                          .limit(1))


def hashes_by_source(session: Session, kb_id: int, prefix: str) -> dict[str, tuple[int, str]]:
    """{source: (document id, content hash)} of the documents whose source starts with `prefix` (one container
    file's records), so unchanged records cost one hash and no work."""
    rows = session.execute(select(Document.source, Document.id, Document.content_hash)
                           .where(Document.kb_id == kb_id, Document.source.startswith(prefix, autoescape=True)))
    return {src: (doc_id, h) for src, doc_id, h in rows}
