"""Numbers and durations as residents write them: 58, 五十八, 两年, 半年, 一年半, 3年多, -4个月.

Small and exact on purpose: a vague amount (十几年, 好几年, 六七个月, 三年多不到四年) is no number but the range its words
leave (`vague_range`, DURATION's `dto`), never one value guessed; a length said near, under or about a number (快两年,
不到一天, 两年左右) is the range its words state (`approximate_range`, ranges.py); a bare 几 (a question) is nothing. "N多" (两年多, 八个多月) gives N, the amount the resident vouches for, which is what a "满…" rule needs.
"""

from __future__ import annotations

import re

from zhengwu.match.ranges import Range

_DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000}

NUMBER = r"(?:\d{1,6}|[零〇○一二两三四五六七八九十百千]{1,6})"
"""A whole number in Arabic or Chinese digits (the caller adds a sign where one makes sense)."""

MINUS = r"[-−－负]"

VAGUE = r"(?:好几|几十|[二三四五六七八九]?十几)"
"""A number said only vaguely: 好几 (more than one, under ten), 十几 / 二十几 (above ten / twenty, under the next ten),
几十 (tens). A bare 几 is not one: "住几年才能办？" asks. Two neighbouring digits (六七, 两三, 十一二) are NUMBER's
words already; `vague_range` reads both kinds."""

DURATION = (
    rf"(?P<dneg>{MINUS})?整?(?:(?<!\d)(?<!\d[年月])(?<![今去前明那当]年)(?!(?:19|20)\d\d年)(?P<dn>{VAGUE}|{NUMBER})(?P<dhalf>个半|半)?(?P<dmore>多|个多|个来)?个?(?P<dunit>年|月|周|星期|天|日|小时|钟头|(?<=个)钟(?!点))(?!(?<=[^个多来半]月)(?:到|至|份|底|初|中旬|末|\d{1,2}[日号]|[一二三四五六七八九十]{1,3}[日号]))"
    rf"(?P<dhalf2>半)?(?:[零又]?(?P<dm>{NUMBER})个?月)?"
    rf"(?:多?[，,]?(?:但是?|可|又)?(?:不到|没到|不足|不满)(?P<dto>{NUMBER})个?(?P<dtounit>年|月))?|(?P<dhalfonly>半)个?(?P<dhunit>年|月|天|小时|钟头))")
"""A stated length of time; `duration_months` / `duration_hours` read a match of it. "2022年" is a year, never a length;
"去年十月" a month of a year, never ten months, and so is "1月到10月", "3月份", "5月底" (a month without 个 before a span's
end, 份 or a part of the month). dto: a length bounded both ways, "三年多不到四年" (at least three years,
under four)."""


def cn_int(text: str) -> int | None:
    """'58', '五十八', '两', '一百二十', '一九六六' -> int; None when it is not one whole number."""
    text = text.strip().replace("廿", "二十").replace("卅", "三十")  # 廿五 = 25, in dates written or said in Cantonese
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(c not in _DIGIT and c not in _UNIT for c in text):
        return None
    if not any(c in _UNIT for c in text):  # digit by digit (一九六六, 二〇二五); 六七 is "six or seven": no number
        return int("".join(str(_DIGIT[c]) for c in text)) if len(text) >= 3 or len(text) == 1 else None
    total, current = 0, 0
    for i, c in enumerate(text):
        if c in _DIGIT:
            if i and text[i - 1] in _DIGIT and text[i - 1] not in "零〇○":
                return None  # 二三十: "twenty or thirty"
            current = _DIGIT[c]
        else:
            total += (current or 1) * _UNIT[c]
            current = 0
    return total + current


_APPROXIMATE = re.compile(r"(?P<w>不到|不足|没到|不满|快要?|将近|接近|差不多|大概|大约|(?<![合预契])约莫?)(?:[住交缴干做待呆有](?:了|过)?)?$")
"""A length said only approximately — "住了快两年" (not 24 months), "差不多一年半", "两年左右", "不到半年" — is no one
number but the range its words state (ranges.Range; the readings are written there). "近一年" is "in the past year",
no approximation, and "两年多" none either (the resident vouches for two years)."""
_BELOW = ("不到", "不足", "没到", "不满")
_NEARLY = ("快", "快要", "将近", "接近")


def _approximate(m: re.Match) -> str | None:
    """The word that makes the length in `m` approximate ("快", "不到", "左右" …), or None when it is stated exactly."""
    start = next(m.start(g) for g in ("dneg", "dn", "dhalfonly") if m.group(g) is not None)
    before = _APPROXIMATE.search(m.string, max(0, start - 5), start)
    after = re.match(r"(?:左右|上下|不到|不足)", m.string[m.end():m.end() + 2])  # 半年不到 = 不到半年
    return before.group("w") if before else (after.group(0) if after else None)


def vague_range(text: str) -> Range | None:
    """The values a vague number covers (VAGUE, or two neighbouring digits), None for any other words: 十几 = above 10
    and under 20, 二十几 = (20, 30), 好几 = (1, 10), 几十 = (10, 100), 六七 = 6 to 7, 两三 = 2 to 3, 十一二 = 11 to 12,
    二三十 = 20 to 30. The ends of 几 are open: 十几 is never 10 nor 20."""
    if text == "好几":
        return Range(1, 10, True, True)
    if text == "几十":
        return Range(10, 100, True, True)
    if text.endswith("十几"):
        tens = (_DIGIT[text[0]] if len(text) == 3 else 1) * 10
        return Range(tens, tens + 10, True, True)
    m = re.fullmatch(r"(?:([二三四五六七八九])?(十))?([一二两三四五六七八九])([二三四五六七八九])(十)?", text)
    if m is None or _DIGIT[m.group(4)] != _DIGIT[m.group(3)] + 1 or (m.group(2) and m.group(5)):
        return None
    k, base = (10, 0) if m.group(5) else (1, 10 * (_DIGIT[m.group(1)] if m.group(1) else 1) if m.group(2) else 0)
    return Range(base + _DIGIT[m.group(3)] * k, base + _DIGIT[m.group(4)] * k)


def approximate_range(word: str, value: float) -> Range:
    """The range an approximate amount of `value` units of its words states (`word` as `_approximate` gives it):
    below X, nearly X (within one unit: 快两年 is more than a year), or about X (see ranges.py for the readings)."""
    if word in _BELOW:
        return Range(0, value, high_open=True)
    if word in _NEARLY:
        return Range(max(value - 1, value / 2), value, high_open=True)
    return Range(value * 0.75, value * 1.25)


def count_range(digits: str, after: str = "", word: str | None = None) -> int | Range | None:
    """A head count as said: a number, or the range rough words state — "十来个" about ten (as 左右), "二十多个" above
    twenty and under thirty, "一百多" (100, 200), "十几个" (10, 20), "差不多40" / "快40" / "不到40" as for lengths
    (`approximate_range`, `word` the word before the number)."""
    n = cn_int(digits)
    if n is None:
        return vague_range(digits) if not after and word is None else None
    if after == "来":
        return approximate_range("约", n) if n >= 10 else None
    if after == "多":
        step = 100 if n % 100 == 0 else 10
        return Range(n, n + step, True, True) if n >= 10 and n % 10 == 0 else None
    return approximate_range(word, n) if word is not None else n


def two_digit_year(text: str) -> int:
    """A birth year said by its last two digits, "六零" or "63": 1960, 1963 (`wording.YY` allows 20–99)."""
    return 1900 + int("".join(str(_DIGIT.get(c, c)) for c in text))


def _amount(m: re.Match) -> tuple[float, str] | tuple[Range, str] | None:
    if m.group("dhalfonly"):
        value, unit = 0.5, m.group("dhunit")
    else:
        n = cn_int(m.group("dn"))
        if n is None:
            vague = vague_range(m.group("dn"))
            plain = not (m.group("dneg") or m.group("dhalf") or m.group("dhalf2") or m.group("dm") or m.group("dto"))
            return (vague, m.group("dunit")) if vague is not None and plain else None
        value = float(n) + (0.5 if m.group("dhalf") or m.group("dhalf2") else 0)
        unit = m.group("dunit")
        if m.group("dm"):
            extra = cn_int(m.group("dm"))
            if extra is None or unit != "年":
                return None
            value += extra / 12
        if m.group("dto"):  # "三年多不到四年": from the length said to the bound, in the first length's unit
            bound, k = cn_int(m.group("dto")), _MONTHS.get(m.group("dtounit"), 0) / _MONTHS.get(unit, 1)
            if bound is None or m.group("dneg") or not k or bound * k <= value:
                return None
            return Range(value, bound * k, high_open=True), unit
    word = _approximate(m)
    if word is not None:   # a range of the stated unit; a negative length said approximately is no statement
        return (None if m.group("dneg") else (approximate_range(word, value), unit))
    if m.group("dneg"):
        value = -value
    return value, unit


_MONTHS = {"年": 12, "月": 1, "周": 7 / 30, "星期": 7 / 30, "天": 1 / 30, "日": 1 / 30}
_HOURS = {"天": 24, "日": 24, "小时": 1, "钟头": 1, "钟": 1}  # 七十二个钟: Cantonese hours


def _in(got: tuple[float, str] | tuple[Range, str] | None, units: dict[str, float]) -> int | Range | None:
    if got is None or got[1] not in units:
        return None
    value, k = got[0], units[got[1]]
    if isinstance(value, Range):   # the range in the fact's unit, bounds kept (not floored): 快两年 = [12, 24)
        r = value.scaled(k)
        return Range(round(r.low, 1), round(r.high, 1), r.low_open, r.high_open)
    value *= k
    return int(value) if value >= 0 else -int(-value)


def duration_months(m: re.Match) -> int | Range | None:
    """Whole months of a DURATION match (floored: 一年半 = 18, 3周 = 0); a Range for an approximate length; None
    for hours."""
    return _in(_amount(m), _MONTHS)


def duration_hours(m: re.Match) -> int | Range | None:
    """Whole hours of a DURATION match in days or hours (a Range for an approximate one); None for months and years."""
    return _in(_amount(m), _HOURS)


def signed_int(sign: str | None, digits: str) -> int | None:
    """A number with an optional minus written before it (-3, 负3): residents do type impossible values."""
    n = cn_int(digits)
    if n is None:
        return None
    return -n if sign else n
