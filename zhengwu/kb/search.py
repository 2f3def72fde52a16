"""Hybrid retrieval over a department's knowledge bases: BM25 (chunks and whole documents) + dense vectors.

Why it is shaped like this:
- Citizens ask about a document, and the answer sits in one passage of it. Evidence is gathered per document
  and fused: whole-document BM25 over overlapping character bigrams (a cheap phrase match that does not
  depend on jieba cutting question and document alike: on the policy-QA dev set it alone puts the right
  document first for 0.81 of the questions, against 0.74 for word BM25), whole-document BM25 over jieba words
  with a title boost, BM25 over the title's bigrams alone (a citizen's short question names the matter a
  service guide is titled by: "社保卡怎么办" and 《怎么申领广州市社会保障卡？》), and the best chunk's cosine
  similarity to the query (for questions worded unlike the text). Each signal is divided by its best value for the query before a weighted sum, and similarities below
  a floor count as no evidence, so no signal's scale dominates; naive reciprocal-rank fusion throws the
  score gaps away and ends up no better than BM25. The passage shown for a document is its best chunk by
  word BM25 (title and heading boosted) plus similarity.
- Indexes live in memory per set of knowledge bases, saved next to the database (zhengwu/kb/index_files.py)
  so a fresh process loads them, and are updated lazily when KnowledgeBase.version changes (lexical, from the
  tokens stored at ingest, so a document is searchable the moment it is ingested; only the changed documents
  are read, zhengwu/kb/delta.py) or when the number of stored vectors changes (dense, filled in the
  background).
- Filters (knowledge base, document type, validity) are masks over the score vectors; the department is
  always the caller's, so another department's documents are never even loaded.

Why one module of this size: the collection (indexes kept in memory), the ranking that fuses its signals and
the search entry point change together; the lexical index and the vectors live in their own modules.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.gateway import Governed, govern
from zhengwu.kb import delta, dense, index_files
from zhengwu.kb.dedup import collapse_hits
from zhengwu.kb.lexical import LexicalIndex, TermCounts, Vocabulary
from zhengwu.kb.manage import readable_kb, readable_kbs
from zhengwu.kb.models import Chunk, ChunkVector, Document, KnowledgeBase
from zhengwu.kb.tokenize import bigram_counts, bigram_texts, index_tokens, query_bigrams, query_tokens
from zhengwu.store.db import session_scope

log = logging.getLogger("zhengwu.kb.index")

MAX_QUERY_CHARS = 1000
MODES = ("hybrid", "lexical", "dense")
VALIDITIES = ("effective", "expired", "repealed")

# Fusion weights (general, tuned once on the policy-QA dev set; never per question). See docs/benchmarks.md.
W_DOC_BIGRAM = 1.0  # whole-document BM25 over character bigrams (the strongest single signal)
W_DOC_WORD = 0.15  # whole-document BM25 over jieba words, title boosted: finds a document by its name
W_CHUNK_WORD = 0.0  # best chunk's word BM25 (title + heading boosted); used to pick the passage
W_TITLE = 0.2  # BM25 over title bigrams: citizens name the matter (everyday dev first document 0.89 -> 0.92)
W_DENSE = 1.0  # best chunk's cosine similarity, above DENSE_FLOOR
DENSE_FLOOR = 0.70  # cosine similarities below this carry no evidence (e5 similarities crowd in 0.7-0.9)
BIGRAM_K1, BIGRAM_B = 0.9, 0.75
DENSE_RECHECK_S = 2.0  # how often a collection looks for vectors added by the background worker
TITLE_BOOST = 2  # title tokens are added this many times to each chunk and document
HEADING_BOOST = 1  # heading-path tokens are added this many times to their chunk
PENDING_CHARS = 1 << 20  # a document's text counted at once by the index build (bigrams and word counts)
PENDING_UNITS = 2000  # chunks counted at once by the index build


@dataclass
class SearchHit:
    chunk_id: int
    document_id: int
    kb: str
    title: str
    doc_number: str
    issuer: str
    doc_type: str
    validity: str
    pub_date: date | None
    heading_path: str
    text: str
    score: float
    source: str
    external_id: str | None
    scores: dict = field(default_factory=dict)  # the signals behind `score` (for explanation and tuning)
    also_in: list = field(default_factory=list)  # 同文另见: other copies of this text (zhengwu.kb.dedup)
    # chunk id -> cosine of the query, for this document's embedded chunks (empty without vectors): the
    # answer ranker and the abstention model read which part of the document is closest in meaning
    chunk_sims: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("chunk_sims", None)
        d["pub_date"] = self.pub_date.isoformat() if self.pub_date else None
        d["score"] = round(float(self.score), 4)
        d["scores"] = {k: round(float(v), 4) for k, v in self.scores.items()}
        return d


def check_query(query: str | None) -> str:
    """The stripped query, or a bilingual error for an empty or oversized one (checked before any work)."""
    q = (query or "").strip()
    if not q:
        raise ZhengwuError("query_empty", "检索内容为空，请输入要查找的问题或关键词。",
                           "The search query is empty; enter a question or keywords.")
    if len(q) > MAX_QUERY_CHARS:
        raise ZhengwuError("query_too_long",
                           f"检索内容过长（{len(q)} 字），最多 {MAX_QUERY_CHARS} 字，请精简后重试。",
                           f"The search query is too long ({len(q)} characters); the limit is {MAX_QUERY_CHARS}.",
                           length=len(q), limit=MAX_QUERY_CHARS)
    return q


# --- the in-memory collection -----------------------------------------------------------------------------

class Collection:
    """Chunks and documents of a set of knowledge bases, with their lexical indexes and (lazily) vectors.

    Built from the database by `build`, or loaded from its saved files (zhengwu/kb/index_files.py): both end in
    `__init__`, which takes the arrays and indexes and derives the per-document segments.
    """

    def __init__(self, kb_versions: tuple[tuple[int, int], ...], *, doc_ids: np.ndarray, doc_type: np.ndarray,
                 doc_validity: np.ndarray, chunk_ids: np.ndarray, chunk_doc: np.ndarray, chunk_kb: np.ndarray,
                 chunk_lex: LexicalIndex, doc_lex: LexicalIndex, doc_big: LexicalIndex, title_big: LexicalIndex,
                 token_memo: dict[str, list[str]] | None = None, doc_stamp: list[str] | None = None) -> None:
        self.kb_versions = kb_versions
        self.doc_ids, self.doc_type, self.doc_validity = doc_ids, doc_type, doc_validity
        self.chunk_ids, self.chunk_doc, self.chunk_kb = chunk_ids, chunk_doc, chunk_kb
        self.chunk_lex, self.doc_lex, self.doc_big, self.title_big = chunk_lex, doc_lex, doc_big, title_big
        self.token_memo = token_memo or {}  # jieba tokens of titles and headings, reused by the next rebuild
        # per document: what its indexed content was read from (delta.stamp); None: unknown, cannot be updated
        self.doc_stamp = doc_stamp
        self.saved_in: tuple[Path, dict[str, str]] | None = None  # loaded from: directory, term counts' checksums
        self.n_docs = len(doc_ids)
        n = len(chunk_ids)
        self.chunk_pos = {int(cid): i for i, cid in enumerate(chunk_ids)}
        # chunks are sorted by document: each document's chunks are one contiguous segment
        starts = np.flatnonzero(np.r_[True, chunk_doc[1:] != chunk_doc[:-1]]) if n else np.zeros(0, dtype=np.int64)
        self.seg_start = starts
        self.seg_doc = chunk_doc[starts] if n else np.zeros(0, dtype=np.int64)
        self.doc_span = np.full((self.n_docs, 2), 0, dtype=np.int64)
        self.doc_span[self.seg_doc, 0] = starts
        self.doc_span[self.seg_doc, 1] = np.r_[starts[1:], n] if n else starts
        self._dense_key: tuple | None = None
        self._dense: np.ndarray | None = None  # (n_chunks, dim) float32, zero rows for chunks without vectors
        self._dense_lock = threading.Lock()
        self._dense_checked: dict[str, tuple[float, int, int]] = {}
        # model -> (matrix, filled rows): vectors carried over from the collection this one replaced
        self._dense_prior: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    @property
    def updatable(self) -> bool:
        """Whether a change can be applied to this collection without rebuilding it (zhengwu/kb/delta.py)."""
        return (self.doc_stamp is not None and len(self.doc_stamp) == self.n_docs
                and all(getattr(self, n).updatable for n in ("chunk_lex", "doc_lex", "doc_big", "title_big")))

    def adopt_vectors(self, old: Collection, old_to_new: np.ndarray) -> None:
        """Carry over the vectors `old` has loaded for the chunks both hold (`old_to_new[i]`: this collection's
        position of old chunk i, -1 for none), so that only the new chunks' vectors are read from the database
        (a 100k-chunk matrix is 150 MB of rows)."""
        with old._dense_lock:
            mat, key = old._dense, old._dense_key
        if mat is None or key is None or not len(self.chunk_ids):
            return
        prior = np.zeros((len(self.chunk_ids), mat.shape[1]), dtype=np.float32)
        filled = np.zeros(len(self.chunk_ids), dtype=bool)
        ok = old_to_new >= 0
        prior[old_to_new[ok]] = mat[ok]
        filled[old_to_new[ok]] = True
        self._dense_prior[key[0]] = (prior, filled)

    @classmethod
    def build(cls, session: Session, kb_versions: tuple[tuple[int, int], ...], *,
              token_memo: dict[str, list[str]] | None = None,
              on_progress: Callable[[int, int, str], None] | None = None) -> Collection:
        """Read the knowledge bases' documents and chunks and index them.

        Chunk bodies are tokenised at ingest (Chunk.tokens); titles and headings are cut here, through
        `token_memo` (the previous index's cuts), so a rebuild after adding a document runs jieba only on the
        new titles and headings.
        """
        kb_ids = [k for k, _ in kb_versions]
        docs = session.execute(
            select(Document.id, Document.title, Document.doc_type, Document.validity)
            .where(Document.kb_id.in_(kb_ids)).order_by(Document.id)).all() if kb_ids else []
        doc_pos = {d[0]: i for i, d in enumerate(docs)}
        n_rows = session.scalar(select(func.count()).select_from(Chunk).where(Chunk.kb_id.in_(kb_ids))) \
            if kb_ids else 0
        old_memo = token_memo or {}
        memo: dict[str, list[str]] = {}

        def cut(text: str) -> list[str]:
            if text not in memo:
                memo[text] = old_memo[text] if text in old_memo else index_tokens(text)
            return memo[text]

        # Tokens become int ids as they are read and each unit keeps only its term counts (why: lexical.py).
        # Bigrams are counted as integer keys over many chunks at once (tokenize.bigram_counts) and chunk units in
        # batches (TermCounts.add_units): per-chunk Python and numpy calls were most of a fresh build.
        words, bigrams, latin = Vocabulary(), Vocabulary(), {}
        chunk_units, doc_units = TermCounts(words), TermCounts(words)
        big_units, title_units = TermCounts(bigrams), TermCounts(bigrams)
        title_ids = [words.encode(cut(d[1] or "") * TITLE_BOOST) for d in docs]
        for d in docs:
            keys, counts = bigram_counts([d[1] or ""], latin)
            title_units.add_counts(bigrams.encode(keys.tolist()), counts)
        word_tf, big_tf = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)  # the current document's
        bodies: list[np.ndarray] = []  # the current document's chunk tokens not yet in word_tf
        texts: list[str] = []  # its texts not yet in big_tf
        pending_chars = 0
        chunk_tokens: list[np.ndarray] = []  # chunk units not yet in chunk_units

        def grown(acc: np.ndarray, size: int) -> np.ndarray:
            return acc if len(acc) >= size else np.concatenate([acc, np.zeros(2 * size - len(acc), np.int64)])

        def count_pending() -> None:
            """Add the current document's pending tokens and bigrams to its counts."""
            nonlocal word_tf, big_tf, pending_chars
            if bodies:
                u, c = np.unique(np.concatenate(bodies), return_counts=True)
                word_tf = grown(word_tf, len(words.ids))
                word_tf[u] += c
                bodies.clear()
            if texts:
                keys, c = bigram_counts(texts, latin)
                ids = bigrams.encode(keys.tolist())
                big_tf = grown(big_tf, len(bigrams.ids))
                big_tf[ids] += c
                texts.clear()
            pending_chars = 0

        def close_doc(acc: np.ndarray, units: TermCounts) -> None:
            ids = np.flatnonzero(acc)
            units.add_counts(ids, acc[ids])
            acc[ids] = 0

        current, last_heading = -1, ""

        def next_doc() -> None:
            """Close the current document's counts and start the next one's with its title tokens."""
            nonlocal current, last_heading, word_tf
            if current >= 0:
                count_pending()
                close_doc(word_tf, doc_units)
                close_doc(big_tf, big_units)
            current += 1
            last_heading = ""
            if current < len(docs):
                word_tf = grown(word_tf, len(words.ids))  # every title is encoded already
                np.add.at(word_tf, title_ids[current], 1)

        chunk_ids, chunk_doc, chunk_kb = [], [], []
        rows = session.execute(
            select(Chunk.id, Chunk.document_id, Chunk.kb_id, Chunk.heading_path, Chunk.tokens, Chunk.text)
            .where(Chunk.kb_id.in_(kb_ids)).order_by(Chunk.document_id, Chunk.ordinal)
            .execution_options(yield_per=2000)) if kb_ids else []
        for i, (cid, did, kb, heading, toks, text) in enumerate(rows):
            if on_progress is not None and i % 500 == 0:
                on_progress(i, n_rows, "")
            if did not in doc_pos:
                continue
            p = doc_pos[did]
            while current < p:  # documents in id order, chunks by document: close those before this one
                next_doc()
            body = words.encode((toks or "").split() or index_tokens(text or ""))  # rows stored without tokens
            head = words.encode(cut(heading) * HEADING_BOOST) if heading else body[:0]
            chunk_tokens.append(np.concatenate([body, title_ids[p], head]))
            bodies.append(body)
            if heading and last_heading != heading:  # headings are metadata, not repeated in the text
                last_heading = heading
                texts.append(heading.split(" > ")[-1])
            texts.append(text or "")
            pending_chars += len(text or "")
            if pending_chars >= PENDING_CHARS:
                count_pending()
            if len(chunk_tokens) >= PENDING_UNITS:
                chunk_units.add_units(chunk_tokens)
                chunk_tokens.clear()
            chunk_ids.append(cid)
            chunk_doc.append(p)
            chunk_kb.append(kb)
        while current < len(docs):  # the last document read and those without chunks
            next_doc()
        chunk_units.add_units(chunk_tokens)
        bigrams.relabel(lambda keys: bigram_texts(keys, list(latin)))
        col = cls(kb_versions, doc_ids=np.array([d[0] for d in docs], dtype=np.int64),
                  doc_type=np.array([d[2] or "" for d in docs], dtype=object),
                  doc_validity=np.array([d[3] or "effective" for d in docs], dtype=object),
                  chunk_ids=np.array(chunk_ids, dtype=np.int64),
                  chunk_doc=np.array(chunk_doc, dtype=np.int64),
                  chunk_kb=np.array(chunk_kb, dtype=np.int64),
                  chunk_lex=LexicalIndex.from_counts(chunk_units), doc_lex=LexicalIndex.from_counts(doc_units),
                  doc_big=LexicalIndex.from_counts(big_units, k1=BIGRAM_K1, b=BIGRAM_B),
                  title_big=LexicalIndex.from_counts(title_units, k1=BIGRAM_K1, b=0.3),
                  token_memo=memo)
        if on_progress is not None:
            on_progress(n_rows, n_rows, "")
        return col

    def per_doc_max(self, chunk_values: np.ndarray) -> np.ndarray:
        """The best chunk value of every document (0 for a document without chunks)."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        if len(self.seg_start):
            out[self.seg_doc] = np.maximum.reduceat(chunk_values, self.seg_start)
        return out

    def best_chunk(self, doc: int, chunk_score: np.ndarray) -> int:
        """Position of the document's best chunk by the chunk-level evidence (-1 if it has none)."""
        a, b = self.doc_span[doc]
        return int(a + np.argmax(chunk_score[a:b])) if b > a else -1

    # dense vectors are filled in the background: reload when their count changes
    def dense_matrix(self, session: Session, model: str) -> np.ndarray | None:
        kb_ids = [k for k, _ in self.kb_versions]
        if not kb_ids or not len(self.chunk_ids):
            return None
        now = time.monotonic()
        checked = self._dense_checked.get(model)
        # counting 100k vectors costs a few ms: not on every query. Vectors written by this process (the
        # background worker, embed_pending) bump dense.generation and are seen at once; vectors written by
        # another process (`zhengwu kb embed`) within DENSE_RECHECK_S.
        if (checked is not None and checked[1] > 0 and now - checked[0] < DENSE_RECHECK_S
                and checked[2] == dense.generation):
            count = checked[1]
        else:
            count = session.scalar(select(func.count()).select_from(ChunkVector)
                                   .where(ChunkVector.kb_id.in_(kb_ids), ChunkVector.model == model)) or 0
            self._dense_checked[model] = (now, count, dense.generation)
        if count == 0:
            return None
        key = (model, count)
        with self._dense_lock:
            if self._dense_key != key:
                self._dense = dense.load_matrix(session, kb_ids, model, self.chunk_pos,
                                                prior=self._dense_prior.get(model))
                self._dense_key = key
            return self._dense

    def doc_mask(self, doc_types: list[str] | None, validity: list[str] | None) -> np.ndarray | None:
        mask = None
        if doc_types:
            mask = np.isin(self.doc_type, list(doc_types))
        if validity:
            m = np.isin(self.doc_validity, list(validity))
            mask = m if mask is None else (mask & m)
        return mask


_collections: dict[tuple[int, ...], Collection] = {}
_collections_lock = threading.Lock()
_MAX_COLLECTIONS = 16

# Single flight: the one update of a collection under way in this process (its end is signalled), and when a
# collection whose update another process holds is next looked at. While an update runs, the other requests
# answer from the previous collection; a request with no collection at all waits for it.
_updating: dict[tuple[int, ...], threading.Event] = {}
_recheck_at: dict[tuple[int, ...], float] = {}
RECHECK_S = 0.5  # how often a process answering from a stale index looks for the one another process saves
# Above this many chunks the update runs in a background thread and even the request that found the index stale
# answers from the previous one (at 100k chunks an incremental update still takes seconds — every score is
# recomputed and the files saved — and a full rebuild minutes); below it, that request waits for the update (a
# fraction of a second), so the document an officer just ingested is found by the next search. The CLI always
# updates in the foreground.
SYNC_REBUILD_MAX_CHUNKS = 20000


def _fingerprint(session: Session, kb_ids: list[int]) -> list[int]:
    """Count and largest id of the chunks: a saved index of a deleted and re-created knowledge base (same id,
    same version number) does not match."""
    n, top = session.execute(select(func.count(Chunk.id), func.max(Chunk.id)).where(Chunk.kb_id.in_(kb_ids))).one()
    return [int(n or 0), int(top or 0)]


def _full_build(session: Session, versions: tuple[tuple[int, int], ...], *,
                token_memo: dict[str, list[str]] | None = None,
                on_progress: Callable[[int, int, str], None] | None = None) -> Collection:
    """`Collection.build` with the documents' stamps (read first, see delta.doc_stamps), so that the next change
    can be applied to it rather than rebuilt."""
    stamps = delta.doc_stamps(session, [k for k, _ in versions])
    col = Collection.build(session, versions, token_memo=token_memo, on_progress=on_progress)
    col.doc_stamp = [stamps.get(int(d), "") for d in col.doc_ids]
    return col


def _build_and_save(session: Session, versions: tuple[tuple[int, int], ...], old: Collection | None,
                    fingerprint: list[int]) -> Collection:
    """Update `old` to these versions (only the changed documents read, delta.py), else build the collection
    (reusing `old`'s jieba cuts), and save it; a failed save is reported, not fatal."""
    col = delta.update(session, old, versions) if old is not None else None
    memo = old.token_memo if old is not None else None
    if col is not None:
        log.info("检索索引增量更新 / search index updated incrementally: %s chunks", len(col.chunk_ids))
    elif index_files.foreground_progress is not None:
        with index_files.foreground_progress("检索索引 search index") as on_progress:
            col = _full_build(session, versions, token_memo=memo, on_progress=on_progress)
    else:
        col = _full_build(session, versions, token_memo=memo)
    try:
        index_files.save(col, fingerprint)
    except index_files.IndexSaveError as exc:
        log.warning("%s / %s", exc.zh, exc.en)
    return col


def _update(session: Session, versions: tuple[tuple[int, int], ...], old: Collection | None,
            fingerprint: list[int], *, wait: bool) -> Collection | None:
    """The collection of `versions`: saved by another process, else built here under the build lock; None when
    another process holds the lock and `wait` is False, or is ingesting into one of these knowledge bases while
    `old` can answer."""
    kb_ids = [k for k, _ in versions]
    if old is not None and not index_files.writers_done(kb_ids):  # the ingesting process saves the new index
        return None
    with index_files.build_lock(kb_ids, wait=wait) as held:
        if not held:
            return None
        loaded = index_files.load(versions, fingerprint)  # saved by the process that held the lock before us
        return loaded if loaded is not None else _build_and_save(session, versions, old, fingerprint)


def _update_in_background(key: tuple[int, ...], versions: tuple[tuple[int, int], ...], old: Collection,
                          done: threading.Event) -> None:
    try:
        with session_scope() as s:
            new = _update(s, versions, old, _fingerprint(s, list(key)), wait=True)
        if new is None:  # a process is ingesting and will save it: look again soon, not on every request
            with _collections_lock:
                _recheck_at[key] = time.monotonic() + RECHECK_S
        _remember(key, new or old)
    except Exception:  # noqa: BLE001 - a failed rebuild must not end the server; the old index keeps serving
        log.exception("检索索引重建失败，继续使用原有索引 / rebuilding the search index failed; the previous one "
                      "keeps serving")
    finally:
        _finish_update(key, done)


def _finish_update(key: tuple[int, ...], done: threading.Event) -> None:
    with _collections_lock:
        _updating.pop(key, None)
    done.set()


def get_collection(session: Session, kbs: list[KnowledgeBase]) -> Collection:
    """The collection of these knowledge bases: from memory, else from its saved files, else rebuilt (and
    saved). One update per collection at a time (single flight, across the server's processes by a lock
    file): meanwhile the other requests answer from the previous collection."""
    versions = tuple(sorted((kb.id, kb.version) for kb in kbs))
    key = tuple(k for k, _ in versions)
    while True:
        with _collections_lock:
            col = _collections.get(key)
            if col is not None and (col.kb_versions == versions or key in _updating
                                    or time.monotonic() < _recheck_at.get(key, 0.0)):
                return col
            done = _updating.get(key)
            if done is None:
                done = _updating[key] = threading.Event()
                break
        done.wait()  # no collection at all yet, and another thread is making it: wait for it
    background = False
    try:
        fingerprint = _fingerprint(session, list(key))
        loaded = index_files.load(versions, fingerprint)
        if loaded is not None:
            return _remember(key, loaded)
        old = col if col is not None else index_files.load_previous(versions)
        foreground = index_files.foreground_progress is not None
        if old is not None and not foreground and len(old.chunk_ids) > SYNC_REBUILD_MAX_CHUNKS:
            threading.Thread(target=_update_in_background, args=(key, versions, old, done), name="zhengwu-index",
                             daemon=True).start()
            background = True
            return _remember(key, old)
        new = _update(session, versions, old, fingerprint, wait=old is None or foreground)
        if new is None:  # another process is building it: answer from the previous one, look again soon
            with _collections_lock:
                _recheck_at[key] = time.monotonic() + RECHECK_S
            return _remember(key, old)
        return _remember(key, new)
    finally:
        if not background:
            _finish_update(key, done)


def save_index_after_ingest(kb_id: int) -> list[str]:
    """Build and save the indexes that include knowledge base `kb_id` at its new version, in the process that
    just wrote its documents (the upload's child process, `zhengwu ingest`), before the job is reported done:
    servers then load the saved files (a fraction of a second) instead of each rebuilding the collection
    (11,200 chunks after a 10 MB upload) in a process that is answering requests. Rebuilt: the knowledge base's
    own index and every saved index of a set of knowledge bases that includes it (the ones servers use).
    Returns the saved directories' names; a failure is logged, never raised (the servers rebuild then)."""
    saved = []
    try:
        with session_scope() as s:
            sets = {(kb_id,)} | index_files.saved_sets_with(kb_id)
            for key in sorted(sets):
                kbs = list(s.scalars(select(KnowledgeBase).where(KnowledgeBase.id.in_(key))))
                if len(kbs) != len(key):  # one of the set was deleted: nobody searches this set any more
                    continue
                versions = tuple(sorted((kb.id, kb.version) for kb in kbs))
                fingerprint = _fingerprint(s, list(key))
                with index_files.build_lock(list(key), wait=True):
                    if index_files.load(versions, fingerprint) is None:
                        old = _collections.get(key) or index_files.load_previous(versions)
                        _build_and_save(s, versions, old, fingerprint)
                saved.append(index_files.dir_name(versions))
    except Exception:  # noqa: BLE001 - the documents are stored; a server rebuilds the index if this failed
        log.exception("入库后保存检索索引失败，将由服务进程重建 / saving the search index after ingestion failed; "
                      "the servers rebuild it")
    return saved


def reindex(session: Session, caller: Caller, kb: str | None = None, *,
            on_progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Rebuild and save the index of the caller's knowledge bases (or of the one named) from the database,
    ignoring saved files (`zhengwu kb reindex`); raises IndexSaveError if it cannot be saved."""
    kbs = _target_kbs(session, caller, kb)
    versions = tuple(sorted((b.id, b.version) for b in kbs))
    t0 = time.perf_counter()
    with index_files.build_lock([k for k, _ in versions], wait=True):
        col = _full_build(session, versions, on_progress=on_progress)
        path = index_files.save(col, _fingerprint(session, [k for k, _ in versions])) if kbs else None
    _remember(tuple(k for k, _ in versions), col)
    return {"knowledge_bases": [b.name for b in kbs], "documents": col.n_docs, "chunks": len(col.chunk_ids),
            "seconds": round(time.perf_counter() - t0, 2), "path": str(path) if path else None}


def _remember(key: tuple[int, ...], col: Collection) -> Collection:
    """Keep `col` for `key`, dropping the oldest collection when the cache is full; a collection that replaces
    another takes over its loaded vectors (of the chunks both hold)."""
    with _collections_lock:
        prev = _collections.get(key)
    if prev is not None and prev is not col and prev._dense is not None and not col._dense_prior:
        col.adopt_vectors(prev, delta.chunk_map(prev, col))  # before any request can see `col`
    with _collections_lock:
        if len(_collections) >= _MAX_COLLECTIONS and key not in _collections:
            _collections.pop(next(iter(_collections)))
        _collections[key] = col
    return col


def clear_indexes() -> None:
    """Forget every in-memory index (tests switch databases)."""
    with _collections_lock:
        _collections.clear()
        _recheck_at.clear()


# --- scoring ----------------------------------------------------------------------------------------------

def _norm(x: np.ndarray) -> np.ndarray:
    """Scale to [0, 1] by the best score (0 stays 0, so "no evidence" stays no evidence)."""
    m = float(np.max(x)) if x.size else 0.0
    return x / m if m > 0 else np.zeros_like(x)


@dataclass
class Ranking:
    """Document scores of one query, the chunk-level evidence to pick each document's passage, the signals."""

    total: np.ndarray  # per document; -inf where filtered out
    chunk_score: np.ndarray  # per chunk
    signals: dict[str, np.ndarray]
    sims: np.ndarray | None = None  # per chunk: cosine of the query (0 for a chunk without a vector); None: no vectors

    def top_docs(self, k: int, positive_only: bool = True) -> np.ndarray:
        ok = np.isfinite(self.total) & ((self.total > 0) if positive_only else True)
        cand = np.flatnonzero(ok)
        if len(cand) > k:
            cand = cand[np.argpartition(-self.total[cand], k - 1)[:k]]
        return cand[np.argsort(-self.total[cand], kind="stable")]


def rank(col: Collection, session: Session, query: str, *, mode: str, doc_types: list[str] | None = None,
         validity: list[str] | None = None, qvec: np.ndarray | None = None, model: str | None = None,
         absent: set[int] | None = None) -> Ranking:
    """Score every document of the collection for the query (filters applied as masks). `absent`: document ids
    scored as if they were not in the collection (masked before each signal is scaled by its best score)."""
    n_docs = col.n_docs
    signals: dict[str, np.ndarray] = {}
    mask = col.doc_mask(doc_types, validity)
    if absent:
        there = ~np.isin(col.doc_ids, np.fromiter(absent, dtype=np.int64))
        mask = there if mask is None else (mask & there)
    chunk_score = np.zeros(len(col.chunk_ids), dtype=np.float32)
    total = np.zeros(n_docs, dtype=np.float32)
    sims = None
    if mode in ("hybrid", "lexical"):
        qt = query_tokens(query)
        doc_big = col.doc_big.scores(query_bigrams(query))
        doc_bm25 = col.doc_lex.scores(qt)
        ch_bm25 = col.chunk_lex.scores(qt)
        ch_doc_best = col.per_doc_max(ch_bm25)
        title_big = col.title_big.scores(query_bigrams(query))
        if mask is not None:
            doc_big, doc_bm25, ch_doc_best, title_big = (np.where(mask, x, 0)
                                                         for x in (doc_big, doc_bm25, ch_doc_best, title_big))
        signals["title_bigram"] = title_big
        signals["doc_bigram"] = doc_big
        signals["doc_bm25"] = doc_bm25
        signals["chunk_bm25"] = ch_doc_best
        total += (W_DOC_BIGRAM * _norm(doc_big) + W_DOC_WORD * _norm(doc_bm25)
                  + W_CHUNK_WORD * _norm(ch_doc_best) + W_TITLE * _norm(title_big))
        chunk_score += _norm(ch_bm25)
    if mode in ("hybrid", "dense") and qvec is not None and model is not None:
        mat = col.dense_matrix(session, model)
        if mat is not None:
            sims = mat @ qvec
            dd = col.per_doc_max(sims)
            if mask is not None:
                dd = np.where(mask, dd, 0)
            signals["dense"] = dd
            if mode == "hybrid":
                total += W_DENSE * _norm(np.clip(dd - DENSE_FLOOR, 0, None))
                chunk_score += _norm(np.clip(sims - DENSE_FLOOR, 0, None))
            else:
                total += dd
                chunk_score += sims
    if mask is not None:
        total = np.where(mask, total, -np.inf)
    return Ranking(total, chunk_score, signals, sims)


# --- the public entry point ---------------------------------------------------------------------------------

def _target_kbs(session: Session, caller: Caller, kb: str | None) -> list[KnowledgeBase]:
    """The caller's department's knowledge bases and those shared with it on purpose (or the one named)."""
    return [readable_kb(session, caller, kb)] if kb else readable_kbs(session, caller)


def search(session: Session, caller: Caller, query: str, *, kb: str | None = None, k: int = 5,
           doc_types: list[str] | None = None, validity: list[str] | None = None, mode: str = "hybrid",
           gov: Governed | None = None, absent: set[int] | None = None) -> list[SearchHit]:
    """Search the caller's department's knowledge bases (or the one named `kb`); best document first.

    One hit per document (its best passage); `validity=None` means all states, each hit carries its own.
    `mode` is "hybrid" (default; falls back to lexical while no vectors exist), "lexical" or "dense".
    Every search is a governed interaction (scenario "kb_search", one audit record), or a step of the
    caller's (`gov`, e.g. a Q&A turn, whose one record then counts the query embedding). The query is masked
    before anything else sees it; the embedding model sees only the masked text.
    `absent`: document ids searched as if they were not there (bench/fit_abstain.py's unanswerable variants: a
    hit list filtered afterwards would keep the scores of a search in which the removed document set each
    signal's best, unlike what a question the collection cannot answer gets).
    """
    q = check_query(query)
    if mode not in MODES:
        raise ZhengwuError("bad_mode", f"未知的检索模式“{mode}”，可选：hybrid、lexical、dense。",
                           f"Unknown search mode '{mode}'; choose hybrid, lexical or dense.", mode=mode)
    if validity:
        bad = [v for v in validity if v not in VALIDITIES]
        if bad:
            raise ZhengwuError("bad_validity", f"未知的效力状态：{'、'.join(bad)}（可选 effective、expired、repealed）。",
                               f"Unknown validity: {', '.join(bad)} (choose effective, expired, repealed).")
    k = max(1, min(int(k), 100))
    if gov is not None:
        return _search(session, caller, q, kb=kb, k=k, doc_types=doc_types, validity=validity, mode=mode, gov=gov,
                       absent=absent)
    t0 = time.perf_counter()
    with govern(caller, "kb_search", input=q, session=session, decisions="off") as g:
        # ranking is local (no model sees it): it reads the query as asked; the embedding model and the audit
        # record see only the masked text (Governed.embed_query masks it again with placeholder words)
        hits = _search(session, caller, q, kb=kb, k=k, doc_types=doc_types, validity=validity, mode=mode, gov=g,
                       absent=absent)
        g.finish(action="search", sources=[{"document_id": h.document_id, "chunk_id": h.chunk_id, "kb": h.kb,
                                            "title": h.title, "doc_number": h.doc_number, "score": round(h.score, 4)}
                                           for h in hits],
                 extra={k_: v for k_, v in (("kb", kb), ("mode", mode)) if v is not None}
                 | {"hits": len(hits), "ms": round((time.perf_counter() - t0) * 1000, 1)})
    return hits


def _search(session: Session, caller: Caller, q: str, *, kb: str | None, k: int, doc_types: list[str] | None,
            validity: list[str] | None, mode: str, gov: Governed, absent: set[int] | None = None) -> list[SearchHit]:
    kbs = _target_kbs(session, caller, kb)
    if not kbs:
        return []
    col = get_collection(session, kbs)
    qvec, model = None, None
    if mode in ("hybrid", "dense"):
        name = Governed.vector_space()
        if name is not None and col.dense_matrix(session, name) is not None:
            qvec, model = gov.embed_query(q), name
        elif mode == "dense":
            raise ZhengwuError("no_vectors", "尚无向量（未配置向量模型或向量化未完成），请改用 lexical 模式。",
                               "No vectors yet (no embedder configured or embedding not finished); "
                               "use the lexical mode.", status=409)
    r = rank(col, session, q, mode=mode, doc_types=doc_types, validity=validity, qvec=qvec, model=model,
             absent=absent)
    top = r.top_docs(k + 3, positive_only=(mode != "dense"))  # + 3: room for copies folded into one hit
    return collapse_hits(session, _materialise(session, col, top, r, {b.id: b.name for b in kbs}))[:k]


def _materialise(session: Session, col: Collection, top: np.ndarray, r: Ranking,
                 kb_names: dict[int, str]) -> list[SearchHit]:
    best = {int(d): col.best_chunk(int(d), r.chunk_score) for d in top}
    chunk_ids = [int(col.chunk_ids[p]) for p in best.values() if p >= 0]
    if not chunk_ids:
        return []
    rows = {c.id: (c, d) for c, d in session.execute(
        select(Chunk, Document).join(Document, Document.id == Chunk.document_id).where(Chunk.id.in_(chunk_ids)))}
    hits = []
    for d in top:
        p = best[int(d)]
        if p < 0 or int(col.chunk_ids[p]) not in rows:  # deleted since the index was built
            continue
        c, doc = rows[int(col.chunk_ids[p])]
        hits.append(SearchHit(
            chunk_id=c.id, document_id=doc.id, kb=kb_names.get(doc.kb_id, ""), title=doc.title or "",
            doc_number=doc.doc_number or "", issuer=doc.issuer or "", doc_type=doc.doc_type or "",
            validity=doc.validity or "effective", pub_date=doc.pub_date, heading_path=c.heading_path or "",
            text=c.text, score=float(r.total[d]), source=doc.source, external_id=doc.external_id,
            scores={name: float(v[d]) for name, v in r.signals.items()}, chunk_sims=_chunk_sims(col, r, int(d))))
    return hits


def _chunk_sims(col: Collection, r: Ranking, doc: int) -> dict[int, float]:
    """Cosine of the query for each embedded chunk of the document (a chunk without a vector is left out)."""
    if r.sims is None:
        return {}
    a, b = col.doc_span[doc]
    return {int(col.chunk_ids[p]): float(r.sims[p]) for p in range(a, b) if r.sims[p] != 0.0}
