"""Policy-matching benchmark (`zhengwu eval match`): a catalogue against the hand-written case set
(tests/match/data/README.md "Scoring"), in form mode (the cases' `facts`), text mode (their `description`
read by `zhengwu.match.facts.read_facts`) or dialogue mode (the resident's whole path on the page: the description,
then at most `MAX_ROUNDS` follow-up questions, each the one the page would ask next, answered as the case's resident
would — the case's value of the fact when it states it without conflict, else "不清楚，跳过" — and the match run again
with the answers, as the page and the REST API do).

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
from zhengwu.match.engine import MAX_ROUNDS, MatchResult, next_question, policy_labels
from zhengwu.match.service import advise, read_text, with_answers
from zhengwu.match.vocabulary import age_on

CASES_TODAY = dt.date(2026, 11, 29)   # "today" of tests/match/data/cases.jsonl (ages, expiry)
MODES = ("form", "text", "dialogue")
SKIPPED = "不清楚，跳过"                # the page's skip button: the question counts as asked, no value is given


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


def resident_answer(case: dict, name: str, *, today: dt.date) -> tuple[str, object] | None:
    """How the case's resident answers the question on `name`: (fact, value) from the case's `facts` when it states
    the fact and states it once; None ("不清楚，跳过") for a fact stated twice differently (`conflict`), one the
    case says must be asked (`missing`) or one it does not state. Asked their age, a resident whose case gives the
    birthday answers with the age it gives today."""
    facts = case.get("facts") or {}
    unknown = set(case.get("conflict") or {}) | {f for names in (case.get("missing") or {}).values() for f in names}
    if name in unknown:
        return None
    if facts.get(name) is not None:
        return name, facts[name]
    if name == "age" and facts.get("birth_date") and "birth_date" not in unknown:
        return "age", age_on(dt.date.fromisoformat(str(facts["birth_date"])), today)
    return None


def dialogue(case: dict, catalog: Catalog, *, today: dt.date, asked: list[dict]) -> MatchResult:
    """The resident's whole path: the description read as in text mode, then each question the page would ask next
    (`engine.next_question`, over every scheme, as text mode matches every scheme) answered by `resident_answer`
    and the match run again with the answers (`service.with_answers`, the page's and the REST API's path).
    `asked` receives {fact, answer} per question in order."""
    reading = read_text(case["description"], today=today)
    answers: dict[str, object] = {}
    facts, conflicts = with_answers(reading, answers)
    result = advise(facts, catalog, today=today, conflicts=conflicts)
    names: list[str] = []
    while (q := next_question(result, names)) is not None:
        names.append(q.fact)
        given = resident_answer(case, q.fact, today=today)
        asked.append({"fact": q.fact, "answer": SKIPPED if given is None else given[1]})
        if given is None:
            continue
        answers[given[0]] = given[1]
        facts, conflicts = with_answers(reading, answers)
        result = advise(facts, catalog, today=today, conflicts=conflicts)
    return result


def score_case(case: dict, catalog: Catalog, *, mode: str, today: dt.date) -> dict:
    """One case's verdict: {id, kind, ok, got, problems}, and in dialogue mode `questions` ({fact, answer} in the
    order asked)."""
    problems: list[str] = []
    got: dict[str, str] = {}
    asked: list[dict] = []
    extra = {"questions": asked} if mode == "dialogue" else {}
    try:
        if mode == "dialogue":
            result = dialogue(case, catalog, today=today, asked=asked)
        else:
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
                "problems": problems, **extra}
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
    return {"id": case["id"], "kind": case.get("kind", ""), "ok": not problems, "got": got, "problems": problems,
            **extra}


def run(catalog: Catalog, cases_path: Path, *, mode: str = "form", today: dt.date = CASES_TODAY,
        details: Path | None = None, on_progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Score every case; returns {cases, correct, agreement, by_kind, mode, today, failures}, and in dialogue mode
    `questions_asked` ({mean, distribution}: how many questions each case was asked, 0 … MAX_ROUNDS)."""
    if mode not in MODES:
        raise ZhengwuError("bad_options", f"--mode 只能是 form、text 或 dialogue（收到 {mode}）",
                           f"--mode is form, text or dialogue (got {mode})")
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
    report = {"cases": len(verdicts), "correct": correct,
              "agreement": round(correct / len(verdicts), 4) if verdicts else 0.0,
              "by_kind": dict(sorted(by_kind.items())), "mode": mode, "today": today.isoformat(),
              "failures": [v for v in verdicts if not v["ok"]]}
    if mode == "dialogue":
        counts = [len(v["questions"]) for v in verdicts]
        report["questions_asked"] = {
            "mean": round(sum(counts) / len(counts), 3) if counts else 0.0,
            "distribution": {str(n): counts.count(n) for n in range(MAX_ROUNDS + 1)}}
    return report


def format_report(report: dict) -> str:
    lines = [f"政策匹配评测 / policy matching ({report['mode']} mode, today {report['today']})",
             f"一致 agreement: {report['correct']}/{report['cases']} = {report['agreement']:.1%}", "",
             "按类型 by kind:"]
    if "questions_asked" in report:
        q = report["questions_asked"]
        lines[2:2] = [f"追问 questions asked: mean {q['mean']}, " + ", ".join(
            f"{n}: {c}" for n, c in q["distribution"].items())]
    for kind, k in report["by_kind"].items():
        lines.append(f"  {kind:<18} {k['correct']:>4}/{k['cases']:<4} {k['agreement']:.1%}")
    if report["failures"]:
        lines += ["", "不一致 disagreements:"]
        for v in report["failures"][:30]:
            lines.append(f"  {v['id']} ({v['kind']}): " + "; ".join(v["problems"]))
        if len(report["failures"]) > 30:
            lines.append(f"  … {len(report['failures']) - 30} more (see --details)")
    return "\n".join(lines)
