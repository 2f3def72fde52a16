"""A fact stated only approximately: a range of values ("快两年" is 12 to under 24 months), not one number.

A resident who says "在广州上班快两年了" has not said 24 months, but has said enough for a half-year rule: every value
"快两年" can mean meets it. So an approximate amount is read as the interval its words state, and a comparison is
three-valued on it: met when every value of the range meets the condition, failed when none does, unknown (asked,
the range shown in the question) otherwise. A plain number is the range of one value, so a range compares with a
number, or another range, by the same rule. Two readings of one fact disagree only when they share no value.

The readings (numerals.approximate_range writes them from the words; the unit is the fact's own):
- 快/快要/将近/接近 X: [X − one unit of the words (a year for 快两年), X), never below X/2: 快两年 = [12, 24) months,
  快一年 = [6, 12), 快半年 = [3, 6);
- 不到/不足/没到/不满 X: [0, X);
- 差不多/大概/大约/约/X左右/X上下: X ± a quarter of X: 两年左右 = [18, 30] months, 大概二十个小时 = [15, 25] hours;
- N多岁 (N a multiple of ten): [N+1, N+9] years of age (六十多岁 = 61 to 69);
- vague numbers (numerals.vague_range): 十几 (10, 20), 好几 (1, 10), 六七 [6, 7]; N多不到M [N, M); a head count
  N来 as about N, N多 (N, N + its last unit) (numerals.count_range).
"""

from __future__ import annotations

from dataclasses import dataclass

_UNITS_EN = {"月": "months", "小时": "hours", "年": "years", "周岁": "years of age", "元": "yuan"}


@dataclass(frozen=True)
class Range:
    """The values low..high of an approximately stated number; an open end excludes its bound."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False
    unit: str = ""

    @staticmethod
    def of(value: "Range | int | float") -> "Range":
        """A number as the range of its one value."""
        return value if isinstance(value, Range) else Range(value, value)

    def scaled(self, k: float) -> "Range":
        lo, hi = self.low * k, self.high * k
        if k >= 0:
            return Range(lo, hi, self.low_open, self.high_open, self.unit)
        return Range(hi, lo, self.high_open, self.low_open, self.unit)

    def overlaps(self, other: "Range | int | float") -> bool:
        """Whether some value is in both (two readings of one fact agree unless they share none)."""
        o = Range.of(other)
        return not (_all_below(self, o) or _all_below(o, self))

    def intersect(self, other: "Range | int | float") -> "Range | int | float":
        """The values both readings allow (a number inside the range: the number). Only for overlapping readings."""
        if not isinstance(other, Range):
            return other
        low, low_open = max((self.low, self.low_open), (other.low, other.low_open))
        high, high_open = min((self.high, not self.high_open), (other.high, not other.high_open))
        return Range(low, high, low_open, not high_open, self.unit or other.unit)

    def zh(self) -> str:
        unit = "个月" if self.unit == "月" else self.unit
        return f"约 {_num(self.low)}–{_num(self.high)} {unit}".rstrip() + _ends_zh(self)

    def en(self) -> str:
        unit = _UNITS_EN.get(self.unit, self.unit)
        return f"about {_num(self.low)}–{_num(self.high)} {unit}".rstrip() + _ends_en(self)

    def __str__(self) -> str:
        return self.zh()

    def to_json(self) -> dict:
        """How the JSON (CLI, REST) shows a range: the bounds, and the words for a person."""
        return {"low": self.low, "high": self.high, "low_open": self.low_open, "high_open": self.high_open,
                "unit": self.unit, "zh": self.zh(), "en": self.en()}


def shown(facts: dict[str, object]) -> dict[str, object]:
    """Facts (or conflicts: fact -> values) for JSON: a range as `Range.to_json`, every other value as it is."""
    def one(v: object) -> object:
        return v.to_json() if isinstance(v, Range) else [one(x) for x in v] if isinstance(v, list) else v
    return {k: one(v) for k, v in facts.items()}


def _num(x: float) -> str:
    return f"{x:g}"


def _ends_zh(r: Range) -> str:
    ends = [e for e, open_ in ((f"不含{_num(r.low)}", r.low_open), (f"不含{_num(r.high)}", r.high_open)) if open_]
    return f"（{'，'.join(ends)}）" if ends else ""


def _ends_en(r: Range) -> str:
    ends = [e for e, open_ in ((f"above {_num(r.low)}", r.low_open), (f"below {_num(r.high)}", r.high_open)) if open_]
    return f" ({', '.join(ends)})" if ends else ""


def _all_below(a: Range, b: Range) -> bool:
    """Every value of a < every value of b."""
    return a.high < b.low or (a.high == b.low and (a.high_open or b.low_open))


def _all_at_most(a: Range, b: Range) -> bool:
    """Every value of a <= every value of b."""
    return a.high <= b.low


def compare(a: "Range | int | float", op: str, b: "Range | int | float") -> bool | None:
    """Three-valued `a op b` where either side may be a range: True when every pair of values meets it, False when
    none does, None otherwise. `op` is one of ==, !=, <, <=, >, >=."""
    ra, rb = Range.of(a), Range.of(b)
    if op in (">", ">="):
        ra, rb, op = rb, ra, "<" if op == ">" else "<="
    if op == "<":
        return True if _all_below(ra, rb) else (False if _all_at_most(rb, ra) else None)
    if op == "<=":
        return True if _all_at_most(ra, rb) else (False if _all_below(rb, ra) else None)
    if op in ("==", "!="):
        equal = True if _all_at_most(ra, rb) and _all_at_most(rb, ra) else (None if ra.overlaps(rb) else False)
        return equal if op == "==" or equal is None else not equal
    raise ValueError(f"no range comparison for {op!r}")
