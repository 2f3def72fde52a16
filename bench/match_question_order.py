"""How well the follow-up questions repair a reader's miss (issue 16): every fact the reader reads right from a
development case's description is taken out of the reading in turn; when that changes the text-mode outcome, the
dialogue (`zhengwu eval match --mode dialogue`: at most three questions, answered from the case's facts) either reaches
the case's outcome again or not. A measure of the question order, not of the reader.

    PYTHONPATH=. .venv/bin/python bench/match_question_order.py [--out FILE.jsonl] [--skip NAME ...]

Cases with an expected refusal or a conflict are left out (their outcome is not a fact's); the lead's unseen sets
(`fit_fact_reader.UNSEEN`) are never read. "Today" is 2026-11-30 for cases_fresh13 and later, the README's 2026-11-29
before.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import zhengwu.eval.match as em  # noqa: E402
from zhengwu.errors import ZhengwuError  # noqa: E402
from zhengwu.match.catalog import load_catalog  # noqa: E402

UNSEEN = {"cases_fresh15", "cases_fresh16"}  # as bench/fit_fact_reader.py's UNSEEN


def _today(name: str) -> dt.date:
    later = name.startswith("cases_fresh") and name[11:].isdigit() and int(name[11:]) >= 13
    return dt.date(2026, 11, 30) if later else dt.date(2026, 11, 29)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, help="one JSON line per miss: set, id, dropped, ok, asked")
    ap.add_argument("--skip", nargs="*", default=[], help="case files to leave out, by name (e.g. cases_fresh14)")
    args = ap.parse_args()
    catalog = load_catalog(ROOT / "zhengwu/match/data/catalog.yaml")
    read = em.read_text
    out = args.out.open("w", encoding="utf-8") if args.out else None
    total = repaired = 0
    for path in sorted((ROOT / "tests/match/data").glob("cases*.jsonl")):
        if path.stem in UNSEEN or path.stem in args.skip:
            continue
        today, n, ok = _today(path.stem), 0, 0
        for case in em.read_cases(path):
            if case.get("error") or case.get("conflict"):
                continue
            try:
                reading = read(case["description"], today=today)
            except ZhengwuError:
                continue
            if not em.score_case(case, catalog, mode="text", today=today)["ok"]:
                continue
            stated = case.get("facts") or {}
            for name, value in reading.facts.items():
                if stated.get(name) != value:
                    continue
                fewer = dataclasses.replace(reading, facts={k: v for k, v in reading.facts.items() if k != name})
                em.read_text = lambda text, today, _r=fewer: _r  # the description read without that one fact
                try:
                    if em.score_case(case, catalog, mode="text", today=today)["ok"]:
                        continue  # the fact did not matter
                    verdict = em.score_case(case, catalog, mode="dialogue", today=today)
                finally:
                    em.read_text = read
                n, ok = n + 1, ok + verdict["ok"]
                if out:
                    out.write(json.dumps({"set": path.stem, "id": case["id"], "dropped": name, "ok": verdict["ok"],
                                          "asked": [q["fact"] for q in verdict["questions"]]}, ensure_ascii=False) + "\n")
        total, repaired = total + n, repaired + ok
        print(f"{path.stem}: {ok}/{n}", file=sys.stderr, flush=True)
    print(json.dumps({"misses": total, "repaired": repaired, "rate": round(repaired / total, 4) if total else 0.0}))


if __name__ == "__main__":
    main()
