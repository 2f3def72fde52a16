"""The public policy-matching page (/match, 惠民惠企政策匹配): describe a situation, answer at most three
follow-up questions, see the schemes with the rule's own words, the source policy and the deciding office.

Why plain forms: the page works without JavaScript (htmx only swaps the result area in place), and the state
between rounds travels in the page itself — the description, the answers given and the questions already
asked are re-posted as hidden fields — so nothing personal is kept on the server beyond what the scenario's
audit retention keeps. Every re-posted value is checked against the fact vocabulary again (a hidden field is
user input like any other). The JSON API is match-core's (routes/match.py); this module only renders.

The page shows no generated text, so it carries no AI label, except where a generative model is configured: then
the service lets the model fill facts the rules left open, and the understood facts carry the label
(docs/gateway.md, labels; GB 45438-2025).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.gateway import explicit_label
from zhengwu.match.catalog import Scheme
from zhengwu.match.engine import DEFAULT_CITY, MAX_ROUNDS, MatchResult, canonical_facts, next_question
from zhengwu.match.vocabulary import Fact, check_value, fact, vocabulary
from zhengwu.web.deps import get_caller
from zhengwu.web.templating import render, request_language

router = APIRouter(include_in_schema=False)

MAX_TEXT = 2000       # a situation, not a document (the textarea's limit; the service refuses longer)
MAX_EXTRA = 8         # optional extra fact fields offered beside the question
TARGETS = {"person": ("person", "household"), "enterprise": ("enterprise",)}
GROUPS = ("eligible", "maybe", "not_eligible", "closed")
SKIP = "__skip__"     # the "不清楚" button: the question counts as asked, no value is recorded


@dataclass
class MatchState:
    """What the page re-posts between rounds: nothing else is needed to rebuild the conversation."""
    text: str = ""
    target: str = "person"
    answers: dict[str, object] = field(default_factory=dict)   # fact -> canonical value, or None = "drop it"
    asked: list[str] = field(default_factory=list)             # facts asked so far (answered or skipped)

    def hidden(self) -> dict[str, str]:
        return {"text": self.text, "target": self.target,
                "answers": json.dumps(self.answers, ensure_ascii=False), "asked": json.dumps(self.asked)}


def parse_value(name: str, raw: str) -> object:
    """A form field's text as the fact's canonical value (vocabulary.check_value), or a bilingual error
    naming the fact; "" means "not stated" (None)."""
    f = fact(name)
    raw = raw.strip()
    if raw == "":
        return None
    if f.type == "bool":
        if raw not in ("true", "false"):
            raise ZhengwuError("match_bad_value", f"“{f.zh}”请回答“是”或“否”。", f"{f.en}: answer yes or no.", fact=name)
        return check_value(name, raw == "true")
    if f.type == "int":
        try:
            number = int(raw.replace(",", "").replace("，", ""))
        except ValueError:
            raise ZhengwuError("match_bad_type", f"“{f.zh}”请填写整数{('（' + f.unit + '）') if f.unit else ''}，收到“{raw}”。",
                           f"{f.en}: enter a whole number, got {raw!r}.", fact=name) from None
        return check_value(name, number)
    return check_value(name, raw)


def _json_field(raw: str, kind: type, what: str) -> object:
    try:
        value = json.loads(raw or ("{}" if kind is dict else "[]"))
    except ValueError:
        value = None
    if not isinstance(value, kind):
        raise ZhengwuError("match_bad_state", f"页面状态（{what}）无法读取，请重新描述您的情况。",
                       f"The page state ({what}) could not be read; please describe your situation again.")
    return value


def read_state(form: dict[str, str]) -> MatchState:
    """The re-posted state, every value re-checked: an unknown fact or an impossible value is refused."""
    answers_raw = _json_field(form.get("answers", ""), dict, "answers")
    asked_raw = _json_field(form.get("asked", ""), list, "asked")
    vocab = vocabulary()
    answers: dict[str, object] = {}
    for name, value in answers_raw.items():
        if name not in vocab:
            raise ZhengwuError("match_unknown_fact", f"未知的事实项：{name}", f"unknown fact: {name}", fact=name)
        answers[name] = None if value is None else check_value(name, value)
    asked = [a for a in asked_raw if isinstance(a, str) and a in vocab][:MAX_ROUNDS]
    return MatchState(text=form.get("text", ""), target=_target(form.get("target")), answers=answers, asked=asked)


def _target(value: str | None) -> str:
    return value if value in TARGETS else "person"


@dataclass
class Round:
    """One evaluated round, as the page shows it."""
    result: MatchResult
    schemes: dict[str, Scheme]   # the catalogue entries behind the outcomes (benefits, materials, process)


def evaluate(caller: Caller, state: MatchState) -> Round:
    """Read the description, apply the answers, match the caller's department's published catalogue: one
    governed interaction (one audit record), by match-core's service."""
    from zhengwu.match.service import match_text   # the reader's patterns compile on the first match, not at start-up
    from zhengwu.match.store import published_catalog

    result = match_text(caller, state.text, answers=state.answers, target=state.target)
    return Round(result=result, schemes={s.id: s for s in published_catalog(caller).schemes})


def view(round_: Round, state: MatchState, typed: dict[str, str] | None = None, answered: tuple[str, str] = ("", "")
         ) -> dict:
    """The template's context: outcomes of the chosen target grouped by label, the next question (if any
    round is left), the facts understood (editable).

    A "maybe" scheme no stated fact bears on (`Outcome.stated`) is listed apart, collapsed, and so are the schemes
    of other areas than the resident's (`Outcome.in_region` false), with their count. The next question is
    the first of the service's questions (a conflict first, then what settles the schemes the facts touch) not
    yet asked and about a scheme of the chosen target. `answered` (fact, text) is a refused answer, shown again in
    the same question's field for correction."""
    vocab = vocabulary()
    result = round_.result
    shown = [o for o in result.outcomes if o.target in TARGETS[state.target]]
    ids = {o.scheme_id for o in shown}
    conflicts = result.conflicts
    here = [o for o in shown if o.in_region is not False]
    groups = {label: [o for o in here if o.label == label] for label in GROUPS}
    groups["maybe_other"] = [o for o in groups["maybe"] if not o.stated]
    groups["maybe"] = [o for o in groups["maybe"] if o.stated]
    groups["elsewhere"] = [o for o in shown if o.in_region is False]
    question = next_question(result, state.asked, schemes=ids)
    # the optional form: the other facts the open questions ask about (answering them costs no round)
    extra = [vocab[q.fact] for q in result.questions
             if q.fact in vocab and q.fact not in result.facts and (question is None or q.fact != question.fact)
             and ids.intersection(q.schemes)][:MAX_EXTRA]
    shown_typed = {n: _typed(vocab[n], raw) for n, raw in (typed or {}).items() if n in vocab}
    facts = [{"name": n, "fact": vocab[n], "value": shown_typed.get(n, v), "from_text": n not in state.answers,
              "inferred": result.inferred.get(n)} for n, v in result.facts.items() if n in vocab]
    return {"groups": groups, "question": question, "qfact": vocab[question.fact] if question else None,
            "facts": facts, "extra": extra, "conflicts": {n: vals for n, vals in conflicts.items() if n in vocab},
            "vocab": vocab, "result": result, "schemes": round_.schemes,
            "rounds_left": MAX_ROUNDS - len(state.asked), "total": len(shown), "typed": shown_typed,
            "presumed": any(o.area_presumed for o in shown), "home": DEFAULT_CITY,
            "q_typed": answered[1] if question and answered[0] == question.fact else ""}


def _typed(f: Fact, raw: str) -> object:
    """A typed value as the fact's input shows it (a yes/no select compares with true/false)."""
    if f.type == "bool":
        return {"true": True, "false": False}.get(raw.strip())
    return raw


def _page(request: Request, state: MatchState, *, status: int = 200, error: ZhengwuError | None = None,
          round_view: dict | None = None):  # noqa: ANN202
    return render(request, "match.html", status_code=status, state=state, hidden=state.hidden(), error=error,
                  v=round_view, vocab=vocabulary(), max_rounds=MAX_ROUNDS, max_text=MAX_TEXT,
                  ai_label=explicit_label(request_language(request)))


@router.get("/match")
def match_page(request: Request, target: str = "person"):  # noqa: ANN201
    return _page(request, MatchState(target=_target(target)))


def apply(state: MatchState, action: str, form: dict[str, str]) -> MatchState:
    """The state after one answer (q_fact + q_value) or one edit of the understood facts (fact.NAME fields);
    the given state is left as it was, so that a refused answer shows the previous round again."""
    new = MatchState(text=state.text, target=state.target, answers=dict(state.answers), asked=list(state.asked))
    if action == "answer":
        name, raw = form.get("q_fact", ""), form.get("q_value", "")
        f = fact(name)  # an unknown fact is refused with its name
        if raw != SKIP:
            value = parse_value(name, raw)
            if value is None:
                raise ZhengwuError("match_no_answer", f"请回答：{f.question_zh}（不清楚可点“不清楚，跳过”）",
                               f"Please answer: {f.question_en} (or choose “Not sure, skip”).", fact=name)
            new.answers[name] = value
        if name not in new.asked and len(new.asked) < MAX_ROUNDS:
            new.asked.append(name)
    elif action == "edit":
        for key, raw in form.items():
            if key.startswith("fact."):    # a fact shown as understood: emptied means "not so sure" (dropped)
                new.answers[key[5:]] = parse_value(key[5:], raw)
            elif key.startswith("add.") and (value := parse_value(key[4:], raw)) is not None:
                new.answers[key[4:]] = value  # an optional extra fact, only when given
        # an age that contradicts the date of birth is refused here, before the round is evaluated (and audited)
        canonical_facts({k: new.answers.get(k) for k in ("age", "birth_date")}, today=dt.date.today())
    return new


def typed_values(form: dict[str, str]) -> dict[str, str]:
    """The values the resident typed into the understood and optional facts, as typed: a refused edit shows them
    again for correction rather than the values before the edit."""
    return {key.split(".", 1)[1]: raw for key, raw in form.items() if key.startswith(("fact.", "add."))}


@router.post("/match")
async def match_post(request: Request, caller: Caller = Depends(get_caller)):  # noqa: ANN201
    """One round. `action`: start (a new description), answer, edit. A refused answer or edit shows the round
    before it with the bilingual message; a description with an impossible value is kept for correction."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    action = form.get("action", "start")
    state = MatchState(text=form.get("text", ""), target=_target(form.get("target")))
    error: ZhengwuError | None = None
    typed: dict[str, str] = {}
    answered = ("", "")
    before = state
    try:
        if action != "start":
            state = before = read_state(form)
            try:
                state = apply(before, action, form)
            except ZhengwuError as exc:  # refused before any evaluation: the round before it is shown again
                error, state = exc, before
                typed = typed_values(form) if action == "edit" else {}
                if action == "answer":
                    answered = (form.get("q_fact", ""), form.get("q_value", ""))
        # one evaluation per request, so one audit record: a refusal inside it is that record, and the page then
        # shows the error with the resident's words, not a second evaluation of the round before
        round_ = await run_in_threadpool(evaluate, caller, state)
    except ZhengwuError as exc:
        return _page(request, before, status=_status(exc), error=exc)
    return _page(request, state, status=_status(error) if error else 200, error=error,
                 round_view=view(round_, state, typed, answered))


def _status(exc: ZhengwuError) -> int:
    return exc.status if 400 <= exc.status < 600 else 400
