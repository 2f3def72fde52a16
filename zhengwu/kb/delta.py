"""Updating a search collection after documents are added, replaced or deleted, without rebuilding it.

Why: a full build re-reads every chunk's stored tokens and cuts every chunk's bigrams (seconds for the demo's
1,586 chunks, about a minute for 100,000), and it ran after every upload or deletion. An update instead
- finds what changed by comparing the collection with the database: each document's stamp (content hash and
  title) and its chunks' count and smallest and largest id (chunks are never edited in place: a replaced document
  gets new chunk rows), which costs one query over the documents and one grouped query over the chunks;
- reads the rows of the new and replaced documents only, and counts their terms by the rules of
  `Collection.build` (`unit_counts`);
- recomputes the four BM25 indexes from the term counts they keep (`LexicalIndex.updated`), so document
  frequencies, the number of units and the average length stay those of the whole collection: the scores are
  the ones a full build gives, and so are the positions (documents by id, chunks by document and ordinal), hence
  the ranking and its ties;
- carries the loaded vectors of the chunks it keeps over (`chunk_map`): only the new chunks' vectors are read.

A collection is updatable when it was built or saved with its term counts and document stamps; an index saved
before (or damaged: the manifest's checksums, zhengwu/kb/index_files.py) is rebuilt in full, as before.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhengwu.kb import index_files
from zhengwu.kb.lexical import TermCounts, Vocabulary
from zhengwu.kb.models import Chunk, Document
from zhengwu.kb.tokenize import index_tokens, text_bigrams

if TYPE_CHECKING:
    from zhengwu.kb.search import Collection

IN_BATCH = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


def stamp(content_hash: str | None, title: str | None) -> str:
    """What identifies a document's indexed content besides its chunk ids: its text (hash) and its title (which
    metadata extraction may set apart from the text)."""
    return hashlib.blake2b(f"{content_hash or ''}\0{title or ''}".encode(), digest_size=8).hexdigest()


def doc_stamps(session: Session, kb_ids: list[int]) -> dict[int, str]:
    """The stamp of every document of these knowledge bases. Read before a full build: a document changed between
    this read and the build's then carries a stale stamp, which only makes the next update read it again."""
    rows = session.execute(select(Document.id, Document.content_hash, Document.title)
                           .where(Document.kb_id.in_(kb_ids))) if kb_ids else []
    return {d: stamp(h, t) for d, h, t in rows}


def chunk_map(old: Collection, new: Collection) -> np.ndarray:
    """For each chunk of `old`, its position in `new` (-1 if absent): same chunk id in a document with the same
    stamp (a chunk id freed by a deletion may be reused by SQLite for another text)."""
    out = np.full(len(old.chunk_ids), -1, dtype=np.int64)
    if old.doc_stamp is None or new.doc_stamp is None or not len(old.chunk_ids):
        return out
    new_stamp = np.asarray(new.doc_stamp, dtype=object)[new.chunk_doc] if len(new.chunk_ids) else []
    old_stamp = np.asarray(old.doc_stamp, dtype=object)[old.chunk_doc]
    for i, cid in enumerate(old.chunk_ids.tolist()):
        p = new.chunk_pos.get(cid)
        if p is not None and new_stamp[p] == old_stamp[i]:
            out[i] = p
    return out


class _NewUnits:
    """The term counts of the documents to add, by the rules of `Collection.build` (one vocabulary of words and
    one of bigrams, as there): chunk units in document and ordinal order, document units in id order."""

    def __init__(self) -> None:
        self.words, self.bigrams = Vocabulary(), Vocabulary()
        self.chunk_lex, self.doc_lex = TermCounts(self.words), TermCounts(self.words)
        self.doc_big, self.title_big = TermCounts(self.bigrams), TermCounts(self.bigrams)
        self.chunk_ids: list[int] = []
        self.chunk_kb: list[int] = []
        self.n_chunks: list[int] = []  # per added document


def unit_counts(session: Session, docs: list[tuple[int, str]], memo: dict[str, list[str]]) -> _NewUnits:
    """Term counts of the documents `docs` [(id, title)] in id order, from their stored chunk rows; titles and
    headings are cut through `memo` (new cuts are added to it)."""
    from zhengwu.kb.search import HEADING_BOOST, TITLE_BOOST

    def cut(text: str) -> list[str]:
        if text not in memo:
            memo[text] = index_tokens(text)
        return memo[text]

    out = _NewUnits()
    rows_of: dict[int, list[tuple]] = {d: [] for d, _ in docs}
    ids = [d for d, _ in docs]
    for i in range(0, len(ids), IN_BATCH):
        for row in session.execute(
                select(Chunk.id, Chunk.document_id, Chunk.kb_id, Chunk.heading_path, Chunk.tokens, Chunk.text)
                .where(Chunk.document_id.in_(ids[i:i + IN_BATCH])).order_by(Chunk.document_id, Chunk.ordinal)):
            rows_of[row[1]].append(row)
    for did, title in docs:
        title_ids = out.words.encode(cut(title or "") * TITLE_BOOST)
        out.title_big.add_ids(out.bigrams.encode(text_bigrams(title or "")))
        doc_words, doc_bigrams, last_heading = [title_ids], [], ""
        for cid, _, kb, heading, toks, text in rows_of[did]:
            body = out.words.encode((toks or "").split() or index_tokens(text or ""))
            head = out.words.encode(cut(heading) * HEADING_BOOST) if heading else body[:0]
            out.chunk_lex.add_ids(np.concatenate([body, title_ids, head]))
            doc_words.append(body)
            if heading and last_heading != heading:  # headings are metadata, not repeated in the text
                last_heading = heading
                doc_bigrams.append(out.bigrams.encode(text_bigrams(heading.split(" > ")[-1])))
            doc_bigrams.append(out.bigrams.encode(text_bigrams(text or "")))
            out.chunk_ids.append(cid)
            out.chunk_kb.append(kb)
        out.doc_lex.add_ids(np.concatenate(doc_words))
        out.doc_big.add_ids(np.concatenate(doc_bigrams) if doc_bigrams else np.zeros(0, dtype=np.int32))
        out.n_chunks.append(len(rows_of[did]))
    return out


def update(session: Session, old: Collection, kb_versions: tuple[tuple[int, int], ...]) -> Collection | None:
    """The collection of `kb_versions` derived from `old` (the same knowledge bases at other versions) and the
    documents that changed since; None when `old` cannot be updated (saved without term counts or stamps)."""
    from zhengwu.kb.search import BIGRAM_B, BIGRAM_K1, Collection

    kb_ids = [k for k, _ in kb_versions]
    if not old.updatable or [k for k, _ in old.kb_versions] != kb_ids or not index_files.update_files_ok(old):
        return None
    docs = session.execute(select(Document.id, Document.content_hash, Document.title, Document.doc_type,
                                  Document.validity)
                           .where(Document.kb_id.in_(kb_ids)).order_by(Document.id)).all()
    stats = {d: (n, lo, hi) for d, n, lo, hi in session.execute(
        select(Chunk.document_id, func.count(Chunk.id), func.min(Chunk.id), func.max(Chunk.id))
        .where(Chunk.kb_id.in_(kb_ids)).group_by(Chunk.document_id))}
    stamps = [stamp(h, t) for _, h, t, _, _ in docs]
    all_ids = np.array([d[0] for d in docs], dtype=np.int64)

    # which of the old documents are unchanged
    n_old = old.n_docs
    old_stats = _chunk_stats(old)
    db_pos = {int(d): i for i, d in enumerate(all_ids)}
    keep_doc = np.zeros(n_old, dtype=bool)
    for p, did in enumerate(old.doc_ids.tolist()):
        i = db_pos.get(did)
        keep_doc[p] = (i is not None and stamps[i] == old.doc_stamp[p]
                       and stats.get(did, (0, None, None)) == old_stats[p])
    kept = set(old.doc_ids[keep_doc].tolist())
    added = [(int(d[0]), d[2] or "") for d in docs if d[0] not in kept]
    memo = dict(old.token_memo)
    if not keep_doc.all():  # documents went: keep the cuts of titles and headings still in use, as a build would
        live = {h for h in session.scalars(select(Chunk.heading_path).where(Chunk.kb_id.in_(kb_ids)).distinct()) if h}
        live.update(d[2] or "" for d in docs)
        memo = {t: v for t, v in memo.items() if t in live}
    units = unit_counts(session, added, memo)

    # positions after the change: documents by id, each document's chunks together in ordinal order
    keep_pos_doc = np.full(n_old, -1, dtype=np.int64)
    keep_pos_doc[keep_doc] = np.searchsorted(all_ids, old.doc_ids[keep_doc])
    new_doc_rows = np.searchsorted(all_ids, np.array([d for d, _ in added], dtype=np.int64))
    n_chunks = np.zeros(len(all_ids), dtype=np.int64)
    spans = old.doc_span[:, 1] - old.doc_span[:, 0]
    n_chunks[keep_pos_doc[keep_doc]] = spans[keep_doc]
    n_chunks[new_doc_rows] = units.n_chunks
    start = np.r_[0, np.cumsum(n_chunks)[:-1]].astype(np.int64) if len(n_chunks) else n_chunks
    total = int(n_chunks.sum())
    old_doc = old.chunk_doc
    offset = np.arange(len(old.chunk_ids), dtype=np.int64) - old.doc_span[old_doc, 0]
    keep_pos_chunk = np.where(keep_doc[old_doc], start[keep_pos_doc[old_doc]] + offset, -1) \
        if len(old.chunk_ids) else np.zeros(0, dtype=np.int64)
    new_chunk_rows = (np.concatenate([start[r] + np.arange(n) for r, n in zip(new_doc_rows, units.n_chunks)])
                      if units.n_chunks else np.zeros(0, dtype=np.int64)).astype(np.int64)

    chunk_ids = np.zeros(total, dtype=np.int64)
    chunk_kb = np.zeros(total, dtype=np.int64)
    moved = keep_pos_chunk >= 0
    chunk_ids[keep_pos_chunk[moved]] = old.chunk_ids[moved]
    chunk_kb[keep_pos_chunk[moved]] = old.chunk_kb[moved]
    chunk_ids[new_chunk_rows] = units.chunk_ids
    chunk_kb[new_chunk_rows] = units.chunk_kb
    n_docs = len(all_ids)
    new = Collection(
        kb_versions, doc_ids=all_ids,
        doc_type=np.array([d[3] or "" for d in docs], dtype=object),
        doc_validity=np.array([d[4] or "effective" for d in docs], dtype=object),
        chunk_ids=chunk_ids, chunk_doc=np.repeat(np.arange(n_docs, dtype=np.int64), n_chunks), chunk_kb=chunk_kb,
        chunk_lex=old.chunk_lex.updated(keep_pos_chunk, new_chunk_rows, units.chunk_lex, total),
        doc_lex=old.doc_lex.updated(keep_pos_doc, new_doc_rows, units.doc_lex, n_docs),
        doc_big=old.doc_big.updated(keep_pos_doc, new_doc_rows, units.doc_big, n_docs, k1=BIGRAM_K1, b=BIGRAM_B),
        title_big=old.title_big.updated(keep_pos_doc, new_doc_rows, units.title_big, n_docs, k1=BIGRAM_K1, b=0.3),
        token_memo=memo, doc_stamp=stamps)
    new.adopt_vectors(old, keep_pos_chunk)
    return new


def _chunk_stats(col: Collection) -> list[tuple[int, int | None, int | None]]:
    """(count, smallest id, largest id) of each document's chunks in `col`, as the grouped query gives them."""
    out: list[tuple[int, int | None, int | None]] = [(0, None, None)] * col.n_docs
    if len(col.seg_start):
        lo = np.minimum.reduceat(col.chunk_ids, col.seg_start).tolist()
        hi = np.maximum.reduceat(col.chunk_ids, col.seg_start).tolist()
        n = np.diff(np.r_[col.seg_start, len(col.chunk_ids)]).tolist()
        for d, a, b, c in zip(col.seg_doc.tolist(), lo, hi, n):
            out[d] = (c, a, b)
    return out
