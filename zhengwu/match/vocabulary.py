"""The fact vocabulary shared by the catalogue, the free-text reader, the questions and the form.

One list (data/facts.yaml) so that a condition, a fact read from a description and a form field cannot
disagree on a name, a type or a unit. A closed-value fact (法律援助事项, 提取原因, 残疾类别 …) has one set of canonical
values there, each with the article it comes from, its aliases and the reader's cue patterns: a catalogue condition
must name a canonical value, a form answer may use an alias (mapped here), and the reader reads the same values, so
no two spellings of one value can silently fail to match.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from zhengwu.errors import ZhengwuError
from zhengwu.match.ranges import Range

FACT_TYPES = ("int", "bool", "str", "date")


@dataclass(frozen=True)
class Fact:
    name: str
    type: str
    zh: str
    en: str
    question_zh: str
    question_en: str
    unit: str = ""
    min: int | None = None
    max: int | None = None
    values: tuple[str, ...] = ()          # the canonical values of a closed-value fact (see `value_sets`)


@dataclass(frozen=True)
class Value:
    """One canonical value of a closed-value fact."""
    name: str
    law: str                              # where the value comes from (the article, quoted)
    aliases: tuple[str, ...] = ()         # other names of the same value: accepted in a form, never in a catalogue
    cues: tuple[tuple[str, ...], ...] = ()  # reader patterns; all patterns of one cue must occur in one sentence
    with_: str = ""                       # a pattern the description must also contain


@dataclass(frozen=True)
class ValueSet:
    """The canonical values of one closed-value fact and how the reader reads them (data/facts.yaml, `values`)."""
    fact: str
    values: tuple[Value, ...]
    read: str = "text"                    # "text": facts.read_closed on every description; "enterprise",
                                          # "own_business": only in those readings; "no": a reader of its own
    when: str = ""                        # read only when the description matches this pattern
    wanted: bool = False                  # a value asked for (请求…, 提取…): a wish or a question still names it
    negation: bool = True                 # False: the grievance is said with 不/没 ("儿子不给赡养费")
    several: str = "conflict"             # "first": several values are no contradiction, the first stated is kept
    names: dict[str, str] = field(default_factory=dict)  # every canonical value and alias -> its canonical value

    def canonical(self, word: str) -> str | None:
        """The canonical value `word` names (itself or an alias), or None."""
        return self.names.get(word.strip())


def _value_set(name: str, spec: dict) -> ValueSet:
    values = []
    aliases: dict[str, str] = {}
    for value, v in spec["values"].items():
        cues = tuple((c,) if isinstance(c, str) else tuple(c) for c in v.get("cues", ()))
        values.append(Value(name=value, law=v["law"], aliases=tuple(v.get("aliases", ())), cues=cues,
                            with_=v.get("with", "")))
        for word in (value, *v.get("aliases", ())):
            if aliases.setdefault(word, value) != value:
                raise ValueError(f"facts.yaml: {name}: {word!r} names both {aliases[word]} and {value}")
    read = "no" if spec.get("read", "text") is False else spec.get("read", "text")
    if read not in ("text", "enterprise", "own_business", "no") or spec.get("several", "conflict") not in (
            "conflict", "first"):
        raise ValueError(f"facts.yaml: {name}: unknown `read` or `several`")
    return ValueSet(fact=name, values=tuple(values), read=read, when=spec.get("when", ""),
                    wanted=spec.get("wanted", False), negation=spec.get("negation", True),
                    several=spec.get("several", "conflict"), names=aliases)


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, Fact], dict[str, ValueSet]]:
    raw = yaml.safe_load(resources.files("zhengwu.match").joinpath("data/facts.yaml").read_text("utf-8"))
    sets = {name: _value_set(name, spec) for name, spec in raw.get("values", {}).items()}
    facts: dict[str, Fact] = {}
    for name, spec in raw["facts"].items():
        if spec["type"] not in FACT_TYPES:
            raise ValueError(f"facts.yaml: {name} has unknown type {spec['type']!r}")
        facts[name] = Fact(
            name=name, type=spec["type"], zh=spec["zh"], en=spec["en"],
            question_zh=spec["question"]["zh"], question_en=spec["question"]["en"],
            unit=spec.get("unit", ""), min=spec.get("min"), max=spec.get("max"),
            values=tuple(v.name for v in sets[name].values) if name in sets else ())
    for name in sets:
        if facts.get(name) is None or facts[name].type != "str":
            raise ValueError(f"facts.yaml: values given for {name}, which is not a str fact")
    return facts, sets


def vocabulary() -> dict[str, Fact]:
    return _load()[0]


def value_sets() -> dict[str, ValueSet]:
    """Closed-value facts -> their canonical values, aliases and cues: the one place these values are kept."""
    return _load()[1]


def age_on(birth: dt.date, today: dt.date) -> int:
    """Full years (周岁) on `today`: the birthday itself counts. One rule for the reader and the engine."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def fact(name: str) -> Fact:
    try:
        return vocabulary()[name]
    except KeyError:
        raise ZhengwuError("match_unknown_fact", f"未知的事实项：{name}", f"unknown fact: {name}",
                           fact=name) from None


def check_value(name: str, value: object) -> object:
    """Return the value in its canonical type (an alias of a closed value as its canonical value), or refuse it: an
    impossible or unknown value is never guessed."""
    f = fact(name)
    if f.type == "bool":
        if isinstance(value, bool):
            return value
    elif f.type == "int":
        if isinstance(value, Range):   # an approximate amount (the reader's): impossible only if no value of it is
            if (f.min is not None and value.high < f.min) or (f.max is not None and value.low > f.max):
                raise ZhengwuError(
                    "match_impossible_value", f"“{f.zh}”的值 {value.zh()} 不可能，请核对（应在 {f.min}–{f.max} 之间）。",
                    f"{f.en}: {value.en()} is impossible; please check (expected {f.min}–{f.max}).", fact=name)
            return Range(value.low, value.high, value.low_open, value.high_open, f.unit)
        if isinstance(value, int) and not isinstance(value, bool):
            if (f.min is not None and value < f.min) or (f.max is not None and value > f.max):
                raise ZhengwuError(
                    "match_impossible_value",
                    f"“{f.zh}”的值 {value}{f.unit} 不可能，请核对（应在 {f.min}–{f.max} 之间）。",
                    f"{f.en}: {value} is impossible; please check (expected {f.min}–{f.max}).",
                    fact=name)
            return value
    elif f.type == "date":
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value).isoformat()
            except ValueError:
                pass
    elif isinstance(value, str) and value.strip():
        if f.values:  # a closed value: the canonical name, or an alias of it mapped to it
            canonical = value_sets()[name].canonical(value)
            if canonical is None:
                raise ZhengwuError(
                    "match_bad_value", f"“{f.zh}”只能是：{'；'.join(f.values)}（收到“{value}”）。",
                    f"{f.en} must be one of {', '.join(f.values)} (got {value!r}).", fact=name, allowed=list(f.values))
            return canonical
        return value.strip()
    zh, en = _KIND_WORDS[f.type]
    unit_zh, unit_en = (f"（{f.unit}）", f" ({_UNITS_EN.get(f.unit, f.unit)})") if f.unit and f.type == "int" else ("", "")
    raise ZhengwuError("match_bad_type", f"“{f.zh}”应填{zh}{unit_zh}，收到 {value!r}。",
                       f"{f.en}: expected {en}{unit_en}, got {value!r}.", fact=name, expected=f.type)


_KIND_WORDS = {"bool": ("“是”或“否”（true / false）", "yes or no (true / false)"),
               "int": ("整数", "a whole number"),
               "date": ("日期（如 1966-11-28）", "a date (e.g. 1966-11-28)"),
               "str": ("文字", "text")}
_UNITS_EN = {"人": "people", "分": "points", "周岁": "years of age", "小时": "hours", "平方米": "square metres", "年": "years",
             "月": "months", "级": "grade"}
"""How a fact's type and unit are named to an administrator or a resident (not "int" or "bool")."""
