"""The learned fact reader measured for issue 16 and not shipped: the model behind bench/fit_fact_reader.py.

The rules (`zhengwu/match/facts.py`) read kinds of statement; residents keep finding new everyday words for a status
("在工地上扎钢筋" for a migrant worker). This was the test of a learned reader for that tail: linear models, one per (fact,
value), scoring each clause that speaks of the applicant by its character n-grams, fitted on the development
descriptions. It lives here, not in the product, because it did not earn its place (docs/benchmarks.md, "Matching: a
learned reader"): measured as if on unseen text (the rules of an older commit, the sets written later) it decided no
case, and on the real citizen letters about nine in ten of the facts it added were not stated ("普通" read as not a
special-trade worker, "资金" as short of funds). Kept so that the measurement can be repeated on a larger data set.

What it was allowed to do, because a wrong fact that makes a scheme "eligible" is the worst error:
- only add a fact the rules left unread: never override a fact read, never turn a conflict or an error into a value;
- only above the threshold, and never two values of one fact;
- never from a clause about someone else: clauses naming a relative, a friend or "别人" are not read (when the message
  is written for a relative, "帮我妈问一下", that relative's clauses are the applicant's and the writer's are not).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from zhengwu.match import wording as w

_CLAUSE = re.compile(r"[^，,。！!？?；;\n]+")
_NEGATION = re.compile(r"没有?|不是|不|未|无|非|别")
_QUESTION_END = re.compile(r"(?:吗|呢|么|嘛)$")
# a wish, a plan, an errand or a question ("想申请特困供养", "老板叫我去办个居住证", "低保标准是多少"): its words name a
# status without stating it, so the clause is not read (as the rules read no fact from a question)
_WISH = re.compile(r"想|打算|准备|申请|能不能|可不可以|能否|可以|怎么|如何|多少|标准|是不是|有没有|听说|叫我|让我|要我|"
                   r"(?:去|要|来)办|办(?:个|一个|张|一张)")
# someone other than the applicant: relatives, partners, friends, colleagues, "别人", an enterprise's hires (the same
# words in Mandarin after `wording.prepare`)
_OTHER = re.compile(r"老公|丈夫|老婆|妻子|爱人|媳妇|太太|前夫|前妻|男朋友|女朋友|对象|配偶|老伴|爸|妈|父亲|母亲|爷爷|奶奶|"
                    r"外公|外婆|姥姥|姥爷|公公|婆婆|阿爷|阿嫲|阿婆|阿公|老豆|老母|儿子|女儿|孩子|小孩|孙|哥|姐|弟|妹|"
                    r"亲戚|朋友|同学|同事|工友|老乡|邻居|别人|他们|有人|人家|新招|招了|招用|招聘|请了")
_WRITING_FOR = re.compile(r"(?:帮|替|给|代)(?:我的?|我们?家)?(?P<a>" + _OTHER.pattern + r")|^(?:我的?|我们?家)(?P<b>"
                          + _OTHER.pattern + r")(?:今年|已经|现在|快|都|[0-9一二三四五六七八九])")
_WRITER_IS_APPLICANT = re.compile(r"我自己|我本人|本人")
_THIRD = re.compile(r"他|她")
_WRITER = re.compile(r"我(?!的?(?:" + _OTHER.pattern + r"))")


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    features: frozenset[str]


def _subject(text: str) -> str | None:
    """The relative the message is written for ("帮我妈问一下", "我爸今年七十"), looked for in its first clauses; a
    message that opens on a relative but speaks of "我自己" is the writer's own ("我弟弟是退伍军人，我自己没当过兵")."""
    m = _WRITING_FOR.search(text[:40])
    if m is None:
        return None
    return m.group("a") or (None if _WRITER_IS_APPLICANT.search(text) else m.group("b"))


def _about_applicant(clause: str, subject: str | None) -> bool:
    others = set(_OTHER.findall(clause))
    if subject is None:
        return not others and not _THIRD.search(clause)
    if others - {subject}:
        return False
    return subject in others or bool(_THIRD.search(clause)) or not _WRITER.search(clause)


def _ngrams(clause: str) -> set[str]:
    """Character 2- and 3-grams; those inside a negation's scope (from the cue to the clause's end) are marked ¬."""
    neg = _NEGATION.search(clause)
    scope = neg.start() if neg else len(clause)
    out = set()
    for n in (2, 3):
        for i in range(len(clause) - n + 1):
            out.add(f"{'¬' if i >= scope else ''}{clause[i:i + n]}")
    return out


def clauses(text: str) -> list[Clause]:
    """The clauses of a description that speak of the applicant, each with its features. `text` is the raw
    description; it is prepared (identifiers blanked, Cantonese to Mandarin) as for the rules, positions kept."""
    prepared = w.prepare(text)
    subject = _subject(prepared)
    out = []
    for m in _CLAUSE.finditer(prepared):
        words = m.group(0).strip()
        asked = bool(_QUESTION_END.search(words) or _WISH.search(words)) or prepared[m.end():m.end() + 1] in ("？", "?")
        if len(words) < 2 or asked or not _about_applicant(words, subject):
            continue
        out.append(Clause(m.start(), m.end(), frozenset(_ngrams(words))))
    return out


@dataclass(frozen=True)
class Model:
    fact: str
    value: object
    bias: float
    weights: dict[str, float]


@dataclass(frozen=True)
class Weights:
    threshold: float
    models: tuple[Model, ...]


def weights_from(data: dict) -> Weights:
    return Weights(threshold=float(data["threshold"]),
                   models=tuple(Model(m["fact"], m["value"], float(m["bias"]), dict(m["weights"]))
                                for m in data["models"]))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x > -60 else 0.0


def propose(text: str, weights: Weights) -> list[dict]:
    """Every (fact, value) some applicant clause states with a probability at or above the threshold: {fact, value,
    probability, start, end}. Each clause is scored alone (the evidence must be one statement, not a sum of weak cues
    spread over the message), and the best clause is the span."""
    found = clauses(text)
    out = []
    for model in weights.models:
        scored = [(model.bias + sum(model.weights.get(f, 0.0) for f in c.features), c) for c in found]
        if not scored:
            break
        score, best = max(scored, key=lambda sc: sc[0])
        p = _sigmoid(score)
        if p >= weights.threshold:
            out.append({"fact": model.fact, "value": model.value, "probability": round(p, 3),
                        "start": best.start, "end": best.end})
    return out


def additions(text: str, facts: dict, conflicts: dict, errors: list[dict], weights: Weights) -> dict[str, dict]:
    """The facts the learned reader adds to a rules' reading: fact -> {value, probability, words}. Only facts the rules
    left unread (not read, not in conflict, not refused), and only one value per fact (two values passing the
    threshold are a disagreement of the models: nothing is added)."""
    settled = set(facts) | set(conflicts) | {e.get("fact") for e in errors}
    if "living_at_home" in settled or "lives_in_care_home" in settled:   # one statement, two names (facts.read_facts)
        settled |= {"living_at_home", "lives_in_care_home"}
    prepared = w.prepare(text)
    by_fact: dict[str, list[dict]] = {}
    for p in propose(text, weights):
        if p["fact"] not in settled:
            by_fact.setdefault(p["fact"], []).append(p)
    return {name: {"value": found[0]["value"], "probability": found[0]["probability"],
                   "words": prepared[found[0]["start"]:found[0]["end"]].strip()}
            for name, found in by_fact.items() if len(found) == 1}
