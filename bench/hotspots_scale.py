"""Hotspot mining at a city's scale: 100,000 tickets made by resampling the real pool with perturbed times.

    python bench/hotspots_scale.py [--messages ../shared/eval/citizen_messages/hotspot_pool.jsonl] [--n 100000]

Why resample: no public set holds 100,000 real tickets with times. Each drawn message keeps its real title and
text, gets its time moved by up to ±30 days and a new id, so the work (vectors, links, groups, heat, bursts) is
that of 100,000 tickets; the many near-copies make the linking step harder, not easier (every message has
about 20 similar ones). Prints one JSON line: n, the top five (label, size), wall-clock and CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

from zhengwu.hotline import hotspots


def resample(rows: list[dict], n: int, seed: int = 12345) -> list[dict]:
    rnd = random.Random(seed)
    out = []
    for k in range(n):
        r = dict(rnd.choice(rows))
        t = hotspots.parse_time(r.get("time"))
        if t is not None:
            r["time"] = (t + timedelta(seconds=rnd.randint(-30 * 86400, 30 * 86400))).isoformat(sep=" ")
        r["msg_id"] = f"{r['msg_id']}-{k}"
        r["user"] = f"{r.get('user', '')}-{k % 7}"
        out.append(r)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", default=str(Path(os.environ.get("ZHENGWU_SHARED", "../shared")) / "eval"
                                              / "citizen_messages" / "hotspot_pool.jsonl"))
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    if not Path(args.messages).is_file():
        print(f"no pool at {args.messages}: nothing to measure", file=sys.stderr)
        return 1
    rows, _ = hotspots.read_messages(args.messages)
    data = resample(rows, args.n)
    t0, c0 = time.perf_counter(), time.process_time()
    topics = hotspots.mine(data, top=20)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"n": len(data), "top": [[t.label, t.size] for t in topics[:5]], "seconds": round(seconds, 1),
                      "cpu_seconds": round(cpu, 1)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
