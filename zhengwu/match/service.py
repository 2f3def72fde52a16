"""Matching for a caller: read the facts, merge the follow-up answers, match the department's published
catalogue, one governed (audited) interaction per request.

A resident's situation is personal data (age, disability, income): it goes through `govern(caller,
"match.advise", input=...)`, which masks it before any model and keeps the record as the scenario's retention
says (the scenario is registered by migration match_0001 without history: metadata and outcome, not the
description). Without a generative model everything works by rules.

Guidance, not decision: every result carries the sentence saying it is guidance and who decides; a request to
decide ("你直接批给我") gets the same outcomes with a sentence saying we do not decide, never an approval.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict

from zhengwu.context import Caller
from zhengwu.errors import NotFound, ZhengwuError
from zhengwu.gateway import govern
from zhengwu.match.catalog import Catalog
from zhengwu.match.engine import (DEFAULT_CITY, LABEL_EN, LABEL_ZH, MatchResult, Question, deciding_offices, guidance,
                                  match, outcome_order, policy_labels)
from zhengwu.match.facts import Reading, complete_with_model, read_facts
from zhengwu.match.ranges import Range, shown
from zhengwu.match.vocabulary import fact as vocab_fact, vocabulary

SCENARIO = "match.advise"
MAX_TEXT = 2000
DECISION_ZH = "本平台不能替您审批或作出任何决定，也不会“直接批”；以下是按政策条文给出的参考，请向主管部门申请。"
DECISION_EN = ("This platform cannot approve anything or decide for you; below is guidance read from the policies' "
               "text. Please apply to the office responsible.")


def read_text(text: str, *, today: dt.date, city: str = DEFAULT_CITY) -> Reading:
    """The facts of a free-text description (zhengwu.match.facts.read_facts); an impossible value is refused
    naming the fact, as in a form."""
    reading = read_facts(text, today=today, city=city)
    if reading.errors:
        e = reading.errors[0]
        raise ZhengwuError("match_impossible_value", e.get("zh") or f"“{e['fact']}”的值不可能，请核对。",
                           e.get("en") or f"{e['fact']}: impossible value; please check.", fact=e["fact"])
    return reading


def result_dict(result: MatchResult) -> dict:
    """The stable JSON of a match (CLI --json, the REST API, the page): outcomes with their labels in Chinese
    and English, questions, the per-policy labels, the facts used and the guidance."""
    outcomes = []
    for o in result.outcomes:
        d = asdict(o)
        d["label_zh"], d["label_en"] = LABEL_ZH[o.label], LABEL_EN[o.label]
        d["source"], d["contact"] = o.source.model_dump(mode="json"), o.contact.model_dump(mode="json")
        d["validity"] = o.validity.model_dump(mode="json")
        outcomes.append(d)
    return {"outcomes": outcomes, "questions": [asdict(q) for q in result.questions],
            "policies": policy_labels(result), "facts": shown(result.facts), "conflicts": shown(result.conflicts),
            "unknown_areas": result.unknown_areas, "ignored": result.ignored, "inferred": result.inferred,
            "other_regions": sum(o.in_region is False for o in result.outcomes),
            "offices": [{"office": k, "schemes": v} for k, v in deciding_offices(result.outcomes).items()],
            "decision_request": result.decision_request, "guidance_zh": result.guidance_zh,
            "guidance_en": result.guidance_en, "audit_id": result.audit_id}


def _conflict_question(name: str, values: list, result: MatchResult) -> Question:
    f = vocab_fact(name)
    shown = "、".join(str(v) for v in values)
    return Question(fact=name, zh=f"您说的{f.zh}前后不一致（{shown}），请确认：{f.question_zh}",
                    en=f"You gave two different values for {f.en} "
                       f"({', '.join(v.en() if isinstance(v, Range) else str(v) for v in values)}). "
                       f"{f.question_en}",
                    schemes=[o.scheme_id for o in result.outcomes if name in o.missing])


def advise(facts: dict, catalog: Catalog, *, today: dt.date, conflicts: dict | None = None,
           target: str | None = None) -> MatchResult:
    """Match without storage or audit (the benchmark scores this): a conflicting fact is left out, so the
    schemes that need it are "maybe", and it is asked first, never silently chosen."""
    conflicts = {k: list(v) for k, v in (conflicts or {}).items()}
    used = {k: v for k, v in facts.items() if k not in conflicts}
    result = match(used, catalog, today=today, target=target)
    if conflicts:
        _reopen_by_conflicts(result, used, conflicts, catalog, today=today, target=target)
    asked = [_conflict_question(name, values, result) for name, values in conflicts.items()]
    result.questions = asked + [q for q in result.questions if q.fact not in conflicts]
    result.conflicts = conflicts
    return result


def _reopen_by_conflicts(result: MatchResult, used: dict, conflicts: dict[str, list], catalog: Catalog, *,
                         today: dt.date, target: str | None) -> None:
    """An "eligible" reached without a conflicting fact is still open when one of its stated values would change it.
    Why: leaving the fact out makes every rule that *needs* it "maybe", but an exclusion that is not stated does not
    bar ("醉酒的" bars only when said), so "工友说他喝了酒，可医院报告未检出酒精" would otherwise read as eligible. Only
    eligible outcomes are reopened: a refusal rests on other stated facts, which no value of this one can undo."""
    changed = False
    for name, values in conflicts.items():
        for value in values:
            try:
                alt = match({**used, name: value}, catalog, today=today, target=target)
            except ZhengwuError:      # an impossible value cannot settle anything
                continue
            labels = {o.scheme_id: o.label for o in alt.outcomes}
            for o in result.outcomes:
                if o.label == "eligible" and labels.get(o.scheme_id, "eligible") != "eligible":
                    o.label, o.missing, changed = "maybe", [name], True
                elif o.label == "maybe" and name not in o.missing and labels.get(o.scheme_id) != "maybe":
                    o.missing = [name] + o.missing
    if changed:
        result.outcomes.sort(key=outcome_order)
        result.guidance_zh, result.guidance_en = guidance(result.outcomes)


def _checked_text(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ZhengwuError("match_empty_text", "请描述您的情况（例如年龄、户籍、就业、残疾等）。",
                           "Please describe your situation (age, hukou, work, disability …).")
    if len(text) > MAX_TEXT:
        raise ZhengwuError("match_text_too_long", f"情况描述过长（{len(text)} 字），请控制在 {MAX_TEXT} 字以内。",
                           f"The description is too long ({len(text)} characters; at most {MAX_TEXT}).")
    return text.strip()


def _checked_dict(value: object, what_zh: str, what_en: str) -> dict:
    """A form's or the answers' facts: an object whose names are all in the vocabulary (a misspelt name is
    refused here, where a person can correct it, rather than silently unused)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ZhengwuError("match_bad_facts", f"{what_zh}应是“事实项: 值”的对象。",
                           f"{what_en} must be an object of fact: value.")
    for name in value:
        if name not in vocabulary():
            vocab_fact(str(name))          # raises match_unknown_fact, naming it
    return dict(value)


def _answered(answers: dict) -> dict:
    """Answers replace what they answer: an age given as an answer replaces a birthday read before, and the other
    way round (both stated would otherwise disagree)."""
    out = dict(answers)
    for given, other in (("age", "birth_date"), ("birth_date", "age")):
        if given in answers and other not in answers:
            out[other] = None          # None: not stated
    return out


def with_answers(reading: Reading, answers: dict) -> tuple[dict, dict[str, list]]:
    """The facts and the conflicts of a description once the follow-up answers are given: an answer replaces what
    the text said of its fact and settles a conflict on it. One place, so that the page, the REST API and the
    benchmark's dialogue mode (zhengwu.eval.match) match the same facts."""
    facts = {**reading.facts, **_answered(answers)}
    conflicts = {k: v for k, v in reading.conflicts.items() if k not in answers}
    return facts, conflicts


def _catalog(caller: Caller) -> Catalog:
    from zhengwu.match.store import published_catalog

    catalog = published_catalog(caller)
    if not catalog.schemes:
        raise NotFound("match_no_catalog", "本部门还没有已发布的政策目录，无法匹配。",
                       "Your department has no published scheme catalogue to match against.")
    return catalog


def _finish(g, result: MatchResult, *, decision: bool) -> MatchResult:  # noqa: ANN001 - a Governed
    if decision:
        result.decision_request = True
        result.guidance_zh = f"{DECISION_ZH}{result.guidance_zh}"
        result.guidance_en = f"{DECISION_EN} {result.guidance_en}"
    labels = policy_labels(result)
    summary = "；".join(f"{o.name}：{o.label}" for o in result.outcomes)
    done = g.finish(output=f"{summary}\n{result.guidance_zh}", action="match",
                    extra={"labels": labels, "questions": [q.fact for q in result.questions],
                           "facts_used": sorted(result.facts), "conflicts": sorted(result.conflicts),
                           "decision_request": decision})
    result.audit_id = done.audit_id
    return result


def match_text(caller: Caller, text: str, *, today: dt.date | None = None, answers: dict | None = None,
               target: str | None = None) -> MatchResult:
    """Match a free-text description; `answers` (fact: value) are the follow-up answers, which settle what the
    text left open or stated twice."""
    text = _checked_text(text)
    answers = _checked_dict(answers, "补充回答", "answers")
    today = today or dt.date.today()
    with govern(caller, SCENARIO, input=text, decisions="note") as g:
        reading = read_text(text, today=today)
        if g.generative():   # the model fills what the rules left open, through this same interaction
            reading = complete_with_model(g, text, reading)
        facts, conflicts = with_answers(reading, answers)
        result = advise(facts, _catalog(caller), today=today, conflicts=conflicts, target=target)
        result.unknown_areas = list(reading.unknown_areas)
        result.inferred = {k: v for k, v in reading.inferred.items() if k in result.facts and k not in answers}
        return _finish(g, result, decision=g.decision_note is not None or bool(reading.decision_request))


def match_form(caller: Caller, facts: dict, *, today: dt.date | None = None, answers: dict | None = None,
               target: str | None = None) -> MatchResult:
    """Match facts given in a form (the same vocabulary as text); `answers` add to or override them."""
    facts = {**_checked_dict(facts, "表单事实", "facts"), **_answered(_checked_dict(answers, "补充回答", "answers"))}
    today = today or dt.date.today()
    shown = json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str)
    with govern(caller, SCENARIO, input=shown, decisions="off") as g:
        result = advise(facts, _catalog(caller), today=today, target=target)
        return _finish(g, result, decision=False)
