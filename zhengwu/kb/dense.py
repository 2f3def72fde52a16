"""Dense vectors of chunks: computed in batches in the background, stored in kb_chunk_vector, searched in memory.

Why: the bundled embedder manages about 10-50 chunks/s on 2 cores, so embedding never blocks ingestion
(lexical search works at once); `embed_pending` is resumable (it only picks chunks without a vector for the
current model and commits every batch), so an interrupted run loses at most one batch. Vectors are float32
bytes; a search loads them once into a numpy matrix per collection and takes brute-force dot products
(about 10 ms for 100k x 384 on 2 cores), which needs no extra index to keep in sync.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from zhengwu.config import get_settings
from zhengwu.context import Caller
from zhengwu.gateway import Governed, govern
from zhengwu.kb.models import Chunk, ChunkVector, Document, KnowledgeBase
from zhengwu.store.db import session_scope

log = logging.getLogger("zhengwu.kb.dense")

BATCH = 32
generation = 0  # bumped whenever this process stores vectors; in-memory search collections compare it


def passage_text(title: str, heading_path: str, text: str) -> str:
    """What is embedded for a chunk: its document title and heading path give the passage its context."""
    head = " ".join(p for p in (title, heading_path.replace(" > ", " ")) if p)
    return f"{head}\n{text}" if head else text


class VectorCache:
    """Vectors by (model, text hash) in a small SQLite file, so unchanged texts are never embedded twice.

    Used by the retrieval benchmark (each run ingests into a fresh store) and by anything that re-embeds the
    same texts; safe to delete at any time.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS vec (model TEXT, h TEXT, v BLOB, PRIMARY KEY (model, h))")
        self._lock = threading.Lock()

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def get_many(self, model: str, texts: list[str]) -> dict[str, bytes]:
        keys = [self.key(t) for t in texts]
        out: dict[str, bytes] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                part = keys[i:i + 500]
                q = f"SELECT h, v FROM vec WHERE model = ? AND h IN ({','.join('?' * len(part))})"
                out.update(dict(self._db.execute(q, [model, *part]).fetchall()))
        return out

    def put_many(self, model: str, items: list[tuple[str, bytes]]) -> None:
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO vec VALUES (?, ?, ?)",
                                 [(model, self.key(t), v) for t, v in items])
            self._db.commit()


def load_matrix(session: Session, kb_ids: list[int], model: str, chunk_pos: dict[int, int], *,
                prior: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray | None:
    """Vectors of the given chunks in collection order, or None until every one of them has a vector.

    `prior` (matrix, filled rows) holds vectors already known (carried over from the collection before a
    change): only the other chunks' vectors are read, unless they are most of them (one scan is then cheaper).

    Why all or nothing: while the worker fills a collection, documents with vectors would outrank those
    still without, and the same question would get a different answer every few seconds. So a collection is
    searched lexically until its vectors are complete, then in hybrid mode (the answer says which).
    """
    have = session.scalar(select(func.count()).select_from(ChunkVector)
                          .where(ChunkVector.kb_id.in_(kb_ids), ChunkVector.model == model)) or 0
    if not chunk_pos or have < len(chunk_pos):
        return None
    if prior is not None and int(prior[1].sum()) * 2 > len(chunk_pos):
        mat, filled = prior  # filled in place: what is read now is known next time too
        missing = [cid for cid, pos in chunk_pos.items() if not filled[pos]]
        for i in range(0, len(missing), 500):
            for cid, blob in session.execute(select(ChunkVector.chunk_id, ChunkVector.vector).where(
                    ChunkVector.chunk_id.in_(missing[i:i + 500]), ChunkVector.model == model)):
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape[0] == mat.shape[1]:
                    mat[chunk_pos[cid]] = vec
                    filled[chunk_pos[cid]] = True
        return mat if filled.all() else None
    mat: np.ndarray | None = None
    filled = np.zeros(len(chunk_pos), dtype=bool)
    for cid, blob in session.execute(select(ChunkVector.chunk_id, ChunkVector.vector)
                                     .where(ChunkVector.kb_id.in_(kb_ids), ChunkVector.model == model)):
        pos = chunk_pos.get(cid)
        if pos is None:
            continue
        vec = np.frombuffer(blob, dtype=np.float32)
        if mat is None:
            mat = np.zeros((len(chunk_pos), vec.shape[0]), dtype=np.float32)
        if vec.shape[0] == mat.shape[1]:
            mat[pos] = vec
            filled[pos] = True
    return mat if mat is not None and filled.all() else None


def served_by(hits: list) -> str:
    """Which retrieval served these search hits: "hybrid", "dense" or "lexical" (no vectors used: none
    configured, or the collection's vectors are not complete yet)."""
    signals = hits[0].scores if hits else {}
    if "dense" not in signals:
        return "lexical"
    return "dense" if len(signals) == 1 else "hybrid"


def _pending_query(model: str, kb_id: int | None):  # noqa: ANN202
    have = select(ChunkVector.chunk_id).where(ChunkVector.model == model)
    q = (select(Chunk.id, Chunk.kb_id, Chunk.heading_path, Chunk.text, Document.title)
         .join(Document, Document.id == Chunk.document_id)
         .where(Chunk.id.not_in(have)).order_by(Chunk.id))
    if kb_id is not None:
        q = q.where(Chunk.kb_id == kb_id)
    return q


def count_pending(kb_id: int | None = None) -> int:
    name = Governed.vector_space()
    if name is None:
        return 0
    with session_scope() as s:
        sub = _pending_query(name, kb_id).subquery()
        return int(s.scalar(select(func.count()).select_from(sub)) or 0)


_embed_lock = threading.Lock()  # one embedding run at a time per process
SYSTEM = Caller(user="system", department="*", role="admin")


def _masking_kbs(kb_ids: set[int]) -> set[int]:
    with session_scope() as s:
        return {kb.id for kb in s.scalars(select(KnowledgeBase).where(KnowledgeBase.id.in_(list(kb_ids))))
                if kb.masks_passages}


def _embed(texts: list[str], cache_model: str, mask: bool, cache: VectorCache | None) -> dict[str, bytes]:
    """Vectors (as bytes, by text key) of passages, through the governed door: one audited interaction per
    batch; the vector cache keys on the passage and whether it was masked."""
    known = cache.get_many(cache_model, texts) if cache is not None else {}
    missing = [t for t in texts if VectorCache.key(t) not in known]
    if missing:
        with govern(SYSTEM, "kb_ingest", decisions="off") as g:
            fresh = g.embed_passages(missing, mask=mask)
            g.finish(action="embed", extra={"passages": len(missing), "masked": mask})
        blobs = [np.ascontiguousarray(v, dtype=np.float32).tobytes() for v in fresh]
        if cache is not None:
            cache.put_many(cache_model, list(zip(missing, blobs)))
        known.update({VectorCache.key(t): b for t, b in zip(missing, blobs)})
    return known


def embed_pending(kb_id: int | None = None, progress: bool = False, *, batch: int | Callable[[], int] = BATCH,
                  stop: threading.Event | None = None, cache: VectorCache | None = None,
                  pause: Callable[[], None] | None = None,
                  on_batch: Callable[[int, float], None] | None = None) -> int:
    """Embed every chunk that has no vector for the current model yet -> number of chunks embedded.

    Resumable and idempotent: each batch is committed on its own, and a chunk deleted meanwhile is skipped.
    With no embedder configured it does nothing and returns 0. `pause` is called before each batch (the
    worker process waits there while the server is busy); `on_batch(stored, seconds)` after each; `batch` may
    be a function, asked before each batch (the worker sizes batches by the rate it measures).
    """
    global generation
    name = Governed.vector_space()
    if name is None:
        return 0
    total = count_pending(kb_id) if progress else 0
    bar = task = None
    if progress and total:
        bar = Progress(TextColumn("[bold]向量化 embed"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       TimeRemainingColumn(), console=Console(stderr=True))
        task = bar.add_task("embed", total=total)
        bar.start()
    done = 0
    last_id = 0
    try:
        with _embed_lock:
            while stop is None or not stop.is_set():
                if pause is not None:
                    pause()
                    if stop is not None and stop.is_set():
                        break
                t0 = time.perf_counter()
                with session_scope() as s:
                    size = batch() if callable(batch) else batch
                    rows = s.execute(_pending_query(name, kb_id).where(Chunk.id > last_id).limit(size)).all()
                if not rows:
                    break
                last_id = rows[-1][0]
                texts = [passage_text(r[4] or "", r[2] or "", r[3]) for r in rows]
                masked = _masking_kbs({r[1] for r in rows})
                known: dict[str, bytes] = {}
                for flag in (False, True):  # passages of KBs holding personal data are masked first
                    part = [t for t, r in zip(texts, rows) if (r[1] in masked) == flag]
                    if part:
                        known.update(_embed(part, name + (":masked" if flag else ""), flag, cache))
                vecs = [known[VectorCache.key(t)] for t in texts]
                with session_scope() as s:
                    alive = set(s.scalars(select(Chunk.id).where(Chunk.id.in_([r[0] for r in rows]))))
                    already = set(s.scalars(select(ChunkVector.chunk_id).where(
                        ChunkVector.chunk_id.in_(list(alive)), ChunkVector.model == name)))
                    values = [{"chunk_id": r[0], "model": name, "kb_id": r[1],
                               "vector": v}
                              for r, v in zip(rows, vecs) if r[0] in alive and r[0] not in already]
                    if values:
                        s.execute(insert(ChunkVector), values)
                done += len(values)
                if values:
                    generation += 1
                if on_batch is not None:
                    on_batch(len(values), time.perf_counter() - t0)
                if bar is not None:
                    bar.update(task, advance=len(rows))
    finally:
        if bar is not None:
            bar.stop()
    return done


def start_background_embedding() -> None:
    """Embed pending chunks in the background: the low-priority worker process (zhengwu.kb.embed_worker; a
    second call only wakes it); with queue = "redis" (scale profile) an embedding task goes to the workers
    instead (zhengwu/tasks)."""
    if get_settings().embedder == "none":
        return
    if get_settings().queue == "redis":
        from zhengwu.tasks import redis_queue

        try:
            redis_queue.enqueue_embed(None)
        except Exception:  # noqa: BLE001 - Redis down: vectors wait for the next submission; lexical search works
            log.exception("could not enqueue embedding")
        return
    from zhengwu.kb import embed_worker

    embed_worker.ensure_running()


def stop_background_embedding(timeout: float = 10.0) -> None:
    """Stop the worker process after its current batch (the server's shutdown; tests)."""
    from zhengwu.kb import embed_worker

    embed_worker.stop(timeout)


def wait_idle(timeout: float = 60.0) -> bool:
    """Block until no chunk is pending (for tests and scripts) -> True if all are embedded in time."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if count_pending() == 0:
            return True
        time.sleep(0.2)
    return False
