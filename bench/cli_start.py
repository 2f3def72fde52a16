"""Start-up cost of whole CLI processes: `zhengwu search` / `ask` against `zhengwu --help`, in one run.

Why: issue 15's target is "`zhengwu search` as a fresh process on the demo knowledge base: <= 2x the time of
`zhengwu --help` in the same run". On a shared 2-core machine wall times swing by 2-3x from one minute to the
next, so the commands are started in alternation (round after round, each command once per round), and the
user + system CPU of each child (from wait4) is reported beside the wall time; the ratio to `--help` is
taken within the same run.

Usage: load the demo into a scratch data directory first
(`ZHENGWU_DATA_DIR=D ZHENGWU_EMBEDDER=none zhengwu demo --load-only`), then
    python bench/cli_start.py --data-dir D [--rounds 10] [--code OTHER_CHECKOUT ...] [--json]
Each `--code` is a source tree (e.g. `git archive` of an older commit) run from its own directory, so the
same venv runs its code instead of the installed one; the current checkout is always measured. Children run
with bytecode caching on (PYTHONDONTWRITEBYTECODE unset), as an installed package does: one warm-up run of
every command writes the caches and is not counted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERY = "社保卡怎么办理"
# interpreter arguments of each command
COMMANDS = {
    "help": ["-m", "zhengwu", "--help"],
    "search": ["-m", "zhengwu", "search", QUERY],
    "ask": ["-m", "zhengwu", "ask", QUERY],
    # not a command: the floor under a search, i.e. what `--help` imports plus the libraries a search cannot
    # do without (SQLAlchemy's ORM, numpy, the ONNX runtime of the name model, bm25s, jieba), imported only
    "libraries": ["-c", "import zhengwu.cli, sqlalchemy.orm, numpy, onnxruntime, bm25s, jieba"],
}


def run_once(code: Path, args: list[str], env: dict) -> tuple[float, float, int]:
    """(CPU seconds user+sys, wall seconds, exit code) of one `python ARGS` started in `code`."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], cwd=code, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, wall, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, required=True, help="data directory with the demo loaded")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--code", type=Path, action="append", default=[], help="another source tree to compare")
    ap.add_argument("--commands", default="help,search,ask", help="comma-separated: help,search,ask,libraries")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args()
    env = {**os.environ, "ZHENGWU_DATA_DIR": str(a.data_dir.resolve()), "ZHENGWU_EMBEDDER": "none"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    codes = [ROOT, *[c.resolve() for c in a.code]]
    names = [c.strip() for c in a.commands.split(",") if c.strip()]
    cells = [(code, name) for code in codes for name in names]
    for code, name in cells:  # warm-up: bytecode caches, index files, the OS file cache
        run_once(code, COMMANDS[name], env)
    samples: dict[tuple[Path, str], list[tuple[float, float]]] = {c: [] for c in cells}
    failures = 0
    load: list[float] = []
    for r in range(a.rounds):
        order = cells if r % 2 == 0 else cells[::-1]
        for cell in order:
            cpu, wall, rc = run_once(cell[0], COMMANDS[cell[1]], env)
            failures += rc != 0
            samples[cell].append((cpu, wall))
        load.append(os.getloadavg()[0])
    result: dict = {"rounds": a.rounds, "query": QUERY, "failures": failures,
                    "load_average": [round(min(load), 1), round(max(load), 1)], "code": {}}
    for code in codes:
        row: dict = {}
        for name in names:
            cpu = statistics.median(s[0] for s in samples[(code, name)])
            wall = statistics.median(s[1] for s in samples[(code, name)])
            row[name] = {"cpu_s": round(cpu, 3), "wall_s": round(wall, 3)}
        if "help" in row:
            for name in names:
                row[name]["cpu_ratio"] = round(row[name]["cpu_s"] / row["help"]["cpu_s"], 2)
                row[name]["wall_ratio"] = round(row[name]["wall_s"] / row["help"]["wall_s"], 2)
        result["code"][str(code)] = row
    if a.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(f"{a.rounds} rounds, load average {result['load_average'][0]}-{result['load_average'][1]}, "
          f"failures {failures}")
    for code, row in result["code"].items():
        print(code)
        for name, m in row.items():
            ratio = f"  {m['cpu_ratio']}x / {m['wall_ratio']}x of --help" if "cpu_ratio" in m else ""
            print(f"  {name:7s} CPU {m['cpu_s']:.2f} s  wall {m['wall_s']:.2f} s{ratio}")


if __name__ == "__main__":
    main()
