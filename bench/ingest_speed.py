"""Ingestion speed of one large text (issue 15: target >= 1 MB/s without embeddings).

    .venv/bin/python bench/ingest_speed.py --mb 10 [--mb 100] [--code DIR] [--cache DIR] [--json]

What it does: builds a plain-text file of at least N MB (UTF-8) from the real laws of
$ZHENGWU_SHARED/corpus/laws/laws.jsonl, concatenated (title, blank line, text; the corpus is read again from
the start when it is shorter than N MB), cached under --cache; then runs `python -m zhengwu ingest FILE --kb
bench --no-embed --no-progress --json` as a fresh process in a scratch data directory with `--embedder none`
(ZHENGWU_EMBEDDER=none): the very path of the `zhengwu ingest` command. Reports wall time, CPU time (the
process and every process it waited for: a tokenising pool included), MB/s of wall time and per CPU-second,
peak RSS (the largest single process), chunks and documents stored.

Why a fresh process: the figure is what a user sees (interpreter start and imports included). `--code DIR`
runs another checkout's code (its directory is the working directory, which shadows the installed package),
so the same text is measured before and after a change.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("ZHENGWU_SHARED", "/work/shared")) / "corpus" / "laws" / "laws.jsonl"
MB = 1024 * 1024


def make_text(path: Path, mb: float) -> Path:
    """A plain-text file of at least `mb` MB of real laws, concatenated (cycling through the corpus if needed)."""
    if path.exists() and path.stat().st_size >= mb * MB:
        return path
    if not CORPUS.exists():
        raise SystemExit(f"corpus missing: {CORPUS} (set ZHENGWU_SHARED)")
    need, size = int(mb * MB), 0
    tmp = path.with_suffix(".part")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tmp.open("w", encoding="utf-8") as out:
        while size < need:
            with CORPUS.open(encoding="utf-8") as src:
                for line in src:
                    row = json.loads(line)
                    part = f"{row['title']}\n\n{row['text']}\n\n"
                    out.write(part)
                    size += len(part.encode("utf-8"))
                    if size >= need:
                        break
    tmp.rename(path)
    return path


def _children_usage() -> tuple[float, int]:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024  # Linux: ru_maxrss in KiB


def measure(text: Path, code: Path, keep: Path | None = None) -> dict:
    """Ingest `text` with the code in `code` as a fresh `zhengwu ingest` process -> the figures."""
    home = Path(tempfile.mkdtemp(prefix="zhengwu-ingest-speed-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENGWU_") or k == "ZHENGWU_SHARED"}
    # no size limit (a "100 MB" text is a little over 100 MB, the default limit)
    env |= {"ZHENGWU_DATA_DIR": str(home), "ZHENGWU_EMBEDDER": "none", "ZHENGWU_MAX_FILE_MB": "100000"}
    cpu0, _ = _children_usage()
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "zhengwu", "ingest", str(text), "--kb", "bench", "--no-embed",
                        "--no-progress", "--json"], cwd=code, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    cpu1, rss = _children_usage()
    if r.returncode:
        raise SystemExit(f"zhengwu ingest failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-4000:]}")
    report = json.loads(r.stdout)
    db = next(home.rglob("*.db"), None) or next(home.rglob("*.sqlite*"))
    with sqlite3.connect(db) as con:
        chunks = con.execute("select count(*) from kb_chunk").fetchone()[0]
    if keep is not None:
        shutil.rmtree(keep, ignore_errors=True)
        shutil.copytree(home, keep)
    shutil.rmtree(home, ignore_errors=True)
    mb = text.stat().st_size / MB
    cpu = cpu1 - cpu0
    return {"mb": round(mb, 2), "code": str(code), "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "mb_per_s_wall": round(mb / wall, 3), "mb_per_cpu_s": round(mb / cpu, 3) if cpu else None,
            "peak_rss_mb": round(rss / MB, 1), "documents": report["added"] + report["replaced"],
            "chunks": chunks, "failed": len(report["failed"]), "load_avg": [round(x, 2) for x in os.getloadavg()]}


def pool_study(text: Path, sizes_kb: list[int], repeat: int = 3) -> list[dict]:
    """Serial or pool for one document of each size (the head of `text`): best-of-`repeat` wall and CPU (this
    process and the pool's workers) of `prepare_document`, in this process, with the pool already started
    (it is started once per process). Why: PARALLEL_MIN_CHARS is chosen from these figures."""
    sys.path.insert(0, str(ROOT))
    from zhengwu.kb import parallel
    from zhengwu.kb.parsers.base import Parsed
    from zhengwu.kb.store import prepare_document

    def cpu() -> float:  # this process and the live workers (/proc: they are not reaped between runs)
        a = resource.getrusage(resource.RUSAGE_SELF)
        ticks = 0
        for pid in (parallel._pool._processes if parallel._pool is not None else {}):
            ticks += sum(int(x) for x in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:13])
        return a.ru_utime + a.ru_stime + ticks / os.sysconf("SC_CLK_TCK")

    full = text.read_text(encoding="utf-8")
    parallel.pool()  # started (and its dictionary loaded) before any timing
    out = []
    for kb in sizes_kb:
        body = full[:kb * 1024 // 3]  # ~3 bytes a character in UTF-8
        row = {"kb": kb, "chars": len(body)}
        for mode, threshold in (("serial", 10**12), ("pool", 0)):
            parallel.PARALLEL_MIN_CHARS = threshold
            best_wall = best_cpu = float("inf")
            for _ in range(repeat):
                c0, t0 = cpu(), time.perf_counter()
                prepare_document(Parsed([], body, "txt"), source="x", content_hash="x")
                best_wall, best_cpu = min(best_wall, time.perf_counter() - t0), min(best_cpu, cpu() - c0)
            row[mode] = {"wall_s": round(best_wall, 3), "cpu_s": round(best_cpu, 3)}
        out.append(row)
    parallel.shutdown()
    return out


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, action="append", help="text size in MB (repeatable; default 10)")
    ap.add_argument("--code", type=Path, default=ROOT, help="checkout whose code runs (default: this one)")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "zhengwu-ingest-speed",
                    help="where the built texts are kept")
    ap.add_argument("--keep", type=Path, help="copy the scratch data directory here (to compare stores)")
    ap.add_argument("--json", action="store_true", help="print JSON")
    ap.add_argument("--pool-study", type=int, nargs="*", metavar="KB",
                    help="instead: serial vs pool for one document of each size in KB (in this process)")
    a = ap.parse_args(argv)
    if a.pool_study is not None:
        res = pool_study(make_text(a.cache / "laws-10mb.txt", 10), a.pool_study or [30, 100, 300, 1000, 3000])
        print(json.dumps(res, indent=2) if a.json else "\n".join(map(str, res)))
        return res
    out = []
    for mb in a.mb or [10.0]:
        text = make_text(a.cache / f"laws-{mb:g}mb.txt", mb)
        res = measure(text, a.code.resolve(), a.keep)
        out.append(res)
        if not a.json:
            print(f"{res['mb']} MB: wall {res['wall_s']} s, CPU {res['cpu_s']} s, {res['mb_per_s_wall']} MB/s wall, "
                  f"{res['mb_per_cpu_s']} MB/CPU-s, peak RSS {res['peak_rss_mb']} MB, {res['chunks']} chunks, "
                  f"load {res['load_avg']}", flush=True)
    if a.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    return out


if __name__ == "__main__":
    main()
