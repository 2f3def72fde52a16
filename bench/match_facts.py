"""Reading facts from residents' descriptions, measured on a case set (issue 16: policy and benefit matching).

    .venv/bin/python bench/match_facts.py --cases tests/match/data/cases.jsonl [--today 2026-11-29] [--json]
        [--show N]

Each case has a `description` (free text) and the `facts` a form would give for it; `conflicting` cases also name
the fact stated twice (`conflict`), `impossible` ones the fact whose value is impossible (`error`). For every case
`zhengwu.match.facts.read_facts` reads the description and is scored against them:

- per fact: precision (facts read that equal the case's value, out of all facts read) and recall (case facts read
  with the right value, out of all case facts); a conflicting fact counts as read correctly when the reader reports
  it as a conflict with the case's two values, an impossible one when it reports an error for that fact;
- strict and relevant precision: the case set lists only the facts its schemes need ("公司裁员" in a residence-permit
  case is not written down), so a fact read that the case does not list counts against *strict* precision even when
  it is true; *relevant* precision counts only facts that some case of the same scheme lists;
- exact cases: every case fact read right and nothing extra read (strict) / nothing extra among relevant facts.

Case sets: `tests/match/data/cases.jsonl` (the independent case set) and `tests/match/data/facts_own.jsonl` (100 of our
own phrasings with the facts they state, same format, `expected` empty: there "relevant" means the facts the case
lists). Facts outside the vocabulary (the `expired` cases' graduate_year, education …) are not scored: no scheme that is
open uses them. The case set is a development set: the lead's fresh set measures what generalises.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhengwu.match.facts import read_facts  # noqa: E402
from zhengwu.match.ranges import Range  # noqa: E402
from zhengwu.match.vocabulary import vocabulary  # noqa: E402


def _expected(case: dict) -> dict[str, object]:
    """The case's facts; an approximate amount written {"range": [low, high], "open": "high"|"low"|"both"} is the
    Range the reader should give."""
    vocab = vocabulary()
    return {k: _range(v, vocab[k].unit) if isinstance(v, dict) and "range" in v else v
            for k, v in case["facts"].items() if k in vocab}


def _range(spec: dict, unit: str) -> Range:
    low, high = spec["range"]
    open_ = spec.get("open", "")
    return Range(low, high, open_ in ("low", "both"), open_ in ("high", "both"), unit)


def _relevant_facts(cases: list[dict]) -> dict[str, set[str]]:
    """Policy id -> the facts some case of that policy lists (what its scheme's rules look at)."""
    by_policy: dict[str, set[str]] = defaultdict(set)
    for case in cases:
        names = set(_expected(case)) | set(case.get("conflict", {}))
        for pid in case.get("expected", {}):
            by_policy[pid] |= names
    return by_policy


def score(cases: list[dict], *, today: dt.date) -> dict:
    relevant_by_policy = _relevant_facts(cases)
    tp: Counter = Counter()
    read: Counter = Counter()
    read_relevant: Counter = Counter()
    gold: Counter = Counter()
    by_kind: dict[str, Counter] = defaultdict(Counter)
    misses: list[dict] = []
    decision = Counter()
    cpu = time.process_time()
    for case in cases:
        reading = read_facts(case["description"], today=today)
        asked = case["kind"] == "decision_request"
        decision[("tp" if asked else "fp") if reading.decision_request else ("fn" if asked else "tn")] += 1
        expected = _expected(case)
        conflict = case.get("conflict", {})
        error_fact = case.get("error")
        relevant = set().union(*(relevant_by_policy[p] for p in case.get("expected", {}))) if case.get("expected") \
            else set(expected) | set(conflict)
        got = dict(reading.facts)
        errors = {e["fact"] for e in reading.errors}
        right: set[str] = set()
        wrong: dict[str, object] = {}
        for name, value in expected.items():
            gold[name] += 1
            if name == error_fact:
                if name in errors:
                    right.add(name)
                else:
                    wrong[name] = got.get(name, reading.conflicts.get(name))
            elif got.get(name) == value:
                right.add(name)
            else:
                wrong[name] = got.get(name, reading.conflicts.get(name))
        for name, values in conflict.items():
            gold[name] += 1
            if sorted(map(str, reading.conflicts.get(name, []))) == sorted(map(str, values)):
                right.add(name)
            else:
                wrong[name] = got.get(name, reading.conflicts.get(name))
        for name in right:
            tp[name] += 1
        stated = set(got) | set(reading.conflicts) | errors
        extra = {n: got.get(n, reading.conflicts.get(n)) for n in stated - right - set(wrong)}
        for name in stated:
            read[name] += 1
            if name in relevant:
                read_relevant[name] += 1
        extra_relevant = {n: v for n, v in extra.items() if n in relevant}
        exact = not wrong and not extra
        exact_relevant = not wrong and not extra_relevant
        kind = case["kind"]
        by_kind[kind]["cases"] += 1
        by_kind[kind]["exact"] += exact
        by_kind[kind]["exact_relevant"] += exact_relevant
        by_kind[kind]["facts"] += len(expected) + len(conflict)
        by_kind[kind]["facts_right"] += len(right)
        if not exact_relevant:
            misses.append({"id": case["id"], "kind": kind, "description": case["description"], "wrong": wrong,
                           "extra": extra_relevant, "expected": {**expected, **{k: v for k, v in conflict.items()}}})
    names = sorted(set(gold) | set(read))
    per_fact = {n: {"gold": gold[n], "read": read[n], "right": tp[n],
                    "precision": round(tp[n] / read[n], 3) if read[n] else None,
                    "precision_relevant": round(tp[n] / read_relevant[n], 3) if read_relevant[n] else None,
                    "recall": round(tp[n] / gold[n], 3) if gold[n] else None} for n in names}
    cpu = time.process_time() - cpu
    n_cases = len(cases)
    total_tp, total_read, total_gold = sum(tp.values()), sum(read.values()), sum(gold.values())
    return {
        "cases": n_cases,
        "facts_gold": total_gold,
        "precision": round(total_tp / total_read, 3) if total_read else None,
        "precision_relevant": round(total_tp / sum(read_relevant.values()), 3) if read_relevant else None,
        "recall": round(total_tp / total_gold, 3) if total_gold else None,
        "exact": round(sum(k["exact"] for k in by_kind.values()) / n_cases, 3),
        "exact_relevant": round(sum(k["exact_relevant"] for k in by_kind.values()) / n_cases, 3),
        "decision_request": {"found": decision["tp"], "missed": decision["fn"], "false_alarms": decision["fp"]},
        "cpu_ms_per_description": round(1000 * cpu / max(n_cases, 1), 2),
        "by_kind": {k: {"cases": v["cases"], "exact": round(v["exact"] / v["cases"], 3),
                        "exact_relevant": round(v["exact_relevant"] / v["cases"], 3),
                        "fact_recall": round(v["facts_right"] / v["facts"], 3) if v["facts"] else None}
                    for k, v in sorted(by_kind.items())},
        "per_fact": per_fact,
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", required=True, type=Path, help="JSON lines with description, facts, kind")
    ap.add_argument("--today", default="2026-11-29", help="the day ages are counted on (the case set's 'today')")
    ap.add_argument("--json", action="store_true", help="print the whole result as JSON")
    ap.add_argument("--show", type=int, default=0, help="print this many cases that were not read exactly")
    args = ap.parse_args(argv)
    cases = [json.loads(line) for line in args.cases.read_text("utf-8").splitlines() if line.strip()]
    result = score(cases, today=dt.date.fromisoformat(args.today))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        return result
    print(f"cases {result['cases']}  facts {result['facts_gold']}  precision {result['precision']} "
          f"(relevant {result['precision_relevant']})  recall {result['recall']}  "
          f"exact {result['exact']} (relevant {result['exact_relevant']})")
    print(f"decision requests {result['decision_request']}  CPU {result['cpu_ms_per_description']} ms/description")
    print(f"{'kind':<18}{'cases':>6}{'exact':>8}{'exact_rel':>11}{'fact_recall':>13}")
    for kind, row in result["by_kind"].items():
        print(f"{kind:<18}{row['cases']:>6}{row['exact']:>8}{row['exact_relevant']:>11}{row['fact_recall']!s:>13}")
    print(f"{'fact':<30}{'gold':>5}{'read':>6}{'right':>6}{'prec':>7}{'prec_rel':>9}{'recall':>8}")
    for name, row in result["per_fact"].items():
        print(f"{name:<30}{row['gold']:>5}{row['read']:>6}{row['right']:>6}{row['precision']!s:>7}"
              f"{row['precision_relevant']!s:>9}{row['recall']!s:>8}")
    for miss in result["misses"][:args.show]:
        print(json.dumps(miss, ensure_ascii=False, default=str))
    return result


if __name__ == "__main__":
    main()
