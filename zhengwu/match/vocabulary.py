"""The fact vocabulary shared by the catalogue, the free-text reader, the questions and the form.

One list (data/facts.yaml) so that a condition, a fact read from a description and a form field cannot
disagree on a name, a type or a unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from zhengwu.errors import ZhengwuError

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
    values: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Fact]:
    raw = yaml.safe_load(resources.files("zhengwu.match").joinpath("data/facts.yaml").read_text("utf-8"))
    facts: dict[str, Fact] = {}
    for name, spec in raw["facts"].items():
        if spec["type"] not in FACT_TYPES:
            raise ValueError(f"facts.yaml: {name} has unknown type {spec['type']!r}")
        facts[name] = Fact(
            name=name, type=spec["type"], zh=spec["zh"], en=spec["en"],
            question_zh=spec["question"]["zh"], question_en=spec["question"]["en"],
            unit=spec.get("unit", ""), min=spec.get("min"), max=spec.get("max"),
            values=tuple(spec.get("values", ())))
    return facts


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
    """Return the value in its canonical type, or refuse it: an impossible value is never guessed."""
    f = fact(name)
    if f.type == "bool":
        if isinstance(value, bool):
            return value
    elif f.type == "int":
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
        if f.values and value not in f.values:
            raise ZhengwuError(
                "match_bad_value", f"“{f.zh}”只能是：{'、'.join(f.values)}（收到“{value}”）。",
                f"{f.en} must be one of {', '.join(f.values)} (got {value!r}).", fact=name)
        return value.strip()
    raise ZhengwuError("match_bad_type", f"“{f.zh}”的值类型不对：应为 {f.type}，收到 {value!r}。",
                       f"{f.en}: expected {f.type}, got {value!r}.", fact=name)
