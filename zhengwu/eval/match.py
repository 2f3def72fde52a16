"""Policy-matching benchmark (`zhengwu eval match`): a catalogue against the hand-written case set
(tests/match/data/README.md "Scoring"), in form mode (the cases' `facts`) or text mode (their `description`
read by `zhengwu.match.facts.read_facts`).

A case is correct when every listed policy is: its label (the best of its schemes' labels) equals the expected
one; for `maybe`, the policy's missing facts include every expected one; for `not_eligible`, the first failed
condition of one of the policy's schemes names the expected fact (`age` and `birth_date` name the same condition: a
birthday is how a description gives an age, and writers name the failed condition either way). An `impossible` case is correct when the input
is refused naming the expected fact, with no outcome. Nothing is tuned here: the same `advise` the service
runs is scored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from zhengwu.errors import ZhengwuError
from zhengwu.match.catalog import Catalog
from zhengwu.match.engine import MatchResult, policy_labels
from zhengwu.match.service import advise, read_text

CASES_TODAY = dt.date(2026, 11, 29)   # "today" of tests/match/data/cases.jsonl (ages, expiry)


def _condition(fact: str) -> str:
    """The condition a failed fact stands for: an age condition fails on `birth_date` when the birthday was given."""
    return "age" if fact == "birth_date" else fact


def read_cases(path: Path) -> list[dict]:
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except OSError as exc:
        raise ZhengwuError("eval_cases_unreadable", f"无法读取测试集 {path}：{exc.strerror}",
                           f"cannot read case file {path}: {exc.strerror}") from None
    cases = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError:
            raise ZhengwuError("eval_cases_bad", f"测试集 {path} 第 {n} 行不是 JSON。",
                               f"line {n} of {path} is not JSON.") from None
        if not isinstance(case, dict) or "expected" not in case or "id" not in case:
            raise ZhengwuError("eval_cases_bad", f"测试集 {path} 第 {n} 行缺少 id 或 expected。",
                               f"line {n} of {path} lacks id or expected.")
        cases.append(case)
    return cases


def _policy_views(result: MatchResult) -> tuple[dict[str, str], dict[str, set[str]], dict[str, set[str]]]:
    """Per policy: its label, the missing facts of its maybe schemes, the first failed fact of each failed one."""
    missing: dict[str, set[str]] = {}
    failed: dict[str, set[str]] = {}
    for o in result.outcomes:
        if o.label == "maybe":
            missing.setdefault(o.policy_id, set()).update(o.missing)
        if o.label == "not_eligible" and o.failed:
            failed.setdefault(o.policy_id, set()).add(o.failed[0].fact)
    return policy_labels(result), missing, failed


def score_case(case: dict, catalog: Catalog, *, mode: str, today: dt.date) -> dict:
    """One case's verdict: {id, kind, ok, got, problems}."""
    problems: list[str] = []
    got: dict[str, str] = {}
    try:
        if mode == "text":
            reading = read_text(case["description"], today=today)
            facts, conflicts = reading.facts, reading.conflicts
        else:
            facts, conflicts = case.get("facts") or {}, case.get("conflict") or {}   # a form filled in twice
        result = advise(facts, catalog, today=today, conflicts=conflicts)
    except ZhengwuError as exc:
        refused = exc.context.get("fact")
        if case.get("error"):
            ok = refused == case["error"]
            if not ok:
                problems.append(f"refused naming {refused!r}, expected {case['error']!r}")
        else:
            ok = False
            problems.append(f"refused ({exc.code}, {refused!r}) but the case has an outcome")
        return {"id": case["id"], "kind": case.get("kind", ""), "ok": ok, "got": {"refused": refused},
                "problems": problems}
    if case.get("error"):
        problems.append(f"not refused; expected a refusal naming {case['error']!r}")
    labels, missing, failed = _policy_views(result)
    for pid, want in case["expected"].items():
        label = labels.get(pid, "absent")
        got[pid] = label
        if label != want:
            problems.append(f"{pid}: {label}, expected {want}")
        elif want == "maybe":
            lacking = [f for f in case.get("missing", {}).get(pid, []) if f not in missing.get(pid, set())]
            if lacking:
                problems.append(f"{pid}: maybe but does not ask {lacking}")
        elif want == "not_eligible":
            name = case.get("failed", {}).get(pid)
            if name and _condition(name) not in {_condition(f) for f in failed.get(pid, set())}:
                problems.append(f"{pid}: failed on {sorted(failed.get(pid, set()))}, expected {name!r}")
    return {"id": case["id"], "kind": case.get("kind", ""), "ok": not problems, "got": got, "problems": problems}


def run(catalog: Catalog, cases_path: Path, *, mode: str = "form", today: dt.date = CASES_TODAY,
        details: Path | None = None, on_progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Score every case; returns {cases, correct, agreement, by_kind, mode, today, failures}."""
    if mode not in ("form", "text"):
        raise ZhengwuError("bad_options", f"--mode 只能是 form 或 text（收到 {mode}）",
                           f"--mode is form or text (got {mode})")
    cases = read_cases(cases_path)
    verdicts = []
    for i, case in enumerate(cases):
        verdicts.append(score_case(case, catalog, mode=mode, today=today))
        if on_progress:
            on_progress(i + 1, len(cases), case["id"])
    by_kind: dict[str, dict] = {}
    for v in verdicts:
        k = by_kind.setdefault(v["kind"], {"cases": 0, "correct": 0})
        k["cases"] += 1
        k["correct"] += v["ok"]
    for k in by_kind.values():
        k["agreement"] = round(k["correct"] / k["cases"], 4)
    correct = sum(v["ok"] for v in verdicts)
    if details is not None:
        with Path(details).open("w", encoding="utf-8") as fh:
            for v in verdicts:
                fh.write(json.dumps(v, ensure_ascii=False) + "\n")
    return {"cases": len(verdicts), "correct": correct,
            "agreement": round(correct / len(verdicts), 4) if verdicts else 0.0,
            "by_kind": dict(sorted(by_kind.items())), "mode": mode, "today": today.isoformat(),
            "failures": [v for v in verdicts if not v["ok"]]}


def format_report(report: dict) -> str:
    lines = [f"政策匹配评测 / policy matching ({report['mode']} mode, today {report['today']})",
             f"一致 agreement: {report['correct']}/{report['cases']} = {report['agreement']:.1%}", "",
             "按类型 by kind:"]
    for kind, k in report["by_kind"].items():
        lines.append(f"  {kind:<18} {k['correct']:>4}/{k['cases']:<4} {k['agreement']:.1%}")
    if report["failures"]:
        lines += ["", "不一致 disagreements:"]
        for v in report["failures"][:30]:
            lines.append(f"  {v['id']} ({v['kind']}): " + "; ".join(v["problems"]))
        if len(report["failures"]) > 30:
            lines.append(f"  … {len(report['failures']) - 30} more (see --details)")
    return "\n".join(lines)
