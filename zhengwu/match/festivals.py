"""The dates of the festivals residents date things by ("前年中秋过来的", "今年端午节过后才来广州").

A stay or an insurance begun "at 中秋" is reckoned from that festival's date in that year, so its length is a fact the
words state, with the precision they have: a window of days, never one day guessed. The lunar festivals (春节, 端午,
中秋) move by up to a month from year to year; their days come from the official holiday calendar already used for
working days (`chinesecalendar`, the State Council's yearly notices), whose holiday of that name holds the festival.
For a year it does not cover, the window is every day the festival can fall on. 清明 and 冬至 are solar terms.
"""

from __future__ import annotations

import datetime as dt

_FIXED = {"元旦": (1, 1), "五一": (5, 1), "劳动节": (5, 1), "国庆": (10, 1)}
_LUNAR = {"春节": "Spring Festival", "端午": "Dragon Boat Festival", "中秋": "Mid-autumn Festival"}
_LUNAR_SPAN = {"春节": ((1, 21), (2, 20)), "端午": ((5, 28), (6, 25)), "中秋": ((9, 7), (10, 8))}
"""The days each lunar festival can fall on (Gregorian), for a year the holiday calendar does not hold."""
_SOLAR = {"清明": ((4, 4), (4, 6)), "冬至": ((12, 21), (12, 23))}
_SAID = {"过年": "春节", "过完年": "春节", "五一节": "五一", "五一劳动节": "五一", "正月十五": "元宵", "元宵节": "元宵",
         "过完年正月十五": "元宵", "过完年元宵": "元宵", "过完年元宵节": "元宵"}
LANTERN_AFTER = dt.timedelta(days=14)
"""元宵 (正月十五) is 14 days after 初一, which is one of the days of the Spring Festival holiday (the holiday may begin
a day or two before 除夕), so the window is the holiday's shifted by 14 days."""

BEFORE, AFTER, ABOUT = dt.timedelta(days=31), dt.timedelta(days=31), dt.timedelta(days=15)


def canonical(said: str) -> str:
    """The festival a word names: "过年" is 春节, "中秋节" 中秋."""
    said = _SAID.get(said, said)
    return said if said in _FIXED or said in _LUNAR or said in _SOLAR or said == "元宵" else said.removesuffix("节")


def window(said: str, year: int) -> tuple[dt.date, dt.date]:
    """The first and last day the festival `said` can be in `year` (one day for a fixed date)."""
    name = canonical(said)
    if name in _FIXED:
        day = dt.date(year, *_FIXED[name])
        return day, day
    if name in _SOLAR:
        low, high = _SOLAR[name]
        return dt.date(year, *low), dt.date(year, *high)
    if name == "元宵":
        first, last = window("春节", year)
        return first + LANTERN_AFTER, last + LANTERN_AFTER
    low, high = _LUNAR_SPAN[name]
    days = _holiday(_LUNAR[name], dt.date(year, *low), dt.date(year, *high))
    return (days[0], days[-1]) if days else (dt.date(year, *low), dt.date(year, *high))


def _holiday(english: str, start: dt.date, end: dt.date) -> list[dt.date]:
    import chinese_calendar

    try:
        days = chinese_calendar.get_holidays(start, end, include_weekends=True)
        return [d for d in days if chinese_calendar.get_holiday_detail(d)[1] == english]
    except NotImplementedError:  # a year the calendar does not hold yet
        return []


def around(said: str, part: str | None, year: int) -> tuple[dt.date, dt.date]:
    """The days "<festival><part>" names: 前/之前 up to a month before it, 后/之后/过后 up to a month after, 前后/左右 half a
    month either side, else the festival itself."""
    first, last = window(said, year)
    if canonical(said) == "春节" and said.startswith("过完") or part in ("后", "之后", "以后", "过后", "过完"):
        return first, last + AFTER
    if part in ("前", "之前", "以前"):
        return first - BEFORE, last
    if part in ("前后", "左右"):
        return first - ABOUT, last + ABOUT
    return first, last
