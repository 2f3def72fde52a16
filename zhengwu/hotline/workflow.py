"""The ticket's closed loop (受理→派单→办理→答复→办结→回访→评价, 国办发〔2020〕53号) and its working-day deadlines.

Why a table of allowed moves: the loop has real returns (退单 to the centre, 改派 to another unit, a reply the
citizen rejects goes back to 办理, an unsatisfied 回访 reopens the case), and everything else is refused with a
clear message, so a ticket can never skip the reply or the follow-up call unnoticed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

import numpy as np

from zhengwu.config import get_settings
from zhengwu.errors import ZhengwuError

STATUSES = ("受理", "派单", "办理", "答复", "办结", "回访", "评价")
CLOSED = ("办结", "回访", "评价")  # the deadline no longer runs

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "受理": ("派单", "办结"),  # 即时办结: a question answered during the call
    "派单": ("办理", "受理"),  # accepted by the unit, or 退单 back to the centre
    "办理": ("答复", "派单"),  # 改派 to another unit
    "答复": ("办结", "办理"),  # the reply is not accepted: back to handling
    "办结": ("回访",),
    "回访": ("评价", "办理"),  # unsatisfied at the follow-up call: reopened
    "评价": (),
}

CHINA = timezone(timedelta(hours=8))


def check_transition(current: str, target: str) -> None:
    """Refuse a move the closed loop does not allow (bilingual error naming the allowed ones)."""
    if target not in STATUSES:
        raise ZhengwuError("bad_status", f"状态无效：{target}（可选：{'、'.join(STATUSES)}）",
                       f"Invalid status: {target} (one of {', '.join(STATUSES)})")
    allowed = TRANSITIONS.get(current, ())
    if target not in allowed:
        zh_allowed = "、".join(allowed) or "无（流程已结束）"
        en_allowed = ", ".join(allowed) or "none (the loop is complete)"
        raise ZhengwuError("bad_transition", f"工单不能从“{current}”转到“{target}”；可转到：{zh_allowed}",
                       f"A ticket cannot go from {current} to {target}; allowed: {en_allowed}",
                       status=409, current=current, target=target)


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    """Chinese working day: public holidays and 调休 weekends from `chinesecalendar`; plain weekends for years the
    package does not cover yet (it raises for them)."""
    try:
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day))
    except (NotImplementedError, ImportError):
        return day.weekday() < 5


def add_workdays(start: date, days: int) -> date:
    """The date `days` working days after `start` (a ticket received on a holiday starts on the next working day)."""
    d = start
    while not is_workday(d):
        d += timedelta(days=1)
    left = max(days, 0)
    while left > 0:
        d += timedelta(days=1)
        if is_workday(d):
            left -= 1
    return d


def deadline_days(request_type: str, urgency: str = "一般") -> int:
    table = get_settings().hotline_deadline_days
    days = table.get(request_type, table.get("投诉", 5))
    if urgency in table:
        days = min(days, table[urgency])
    return days


def deadline_for(received_at: datetime, request_type: str, urgency: str = "一般") -> datetime:
    """End of the last working day (China time) the ticket has to be closed by."""
    local = (received_at if received_at.tzinfo else received_at.replace(tzinfo=timezone.utc)).astimezone(CHINA)
    last = add_workdays(local.date(), deadline_days(request_type, urgency))
    return datetime.combine(last, time(23, 59, 59), tzinfo=CHINA)


@lru_cache(maxsize=1)
def _calendar_exceptions() -> tuple[list[date], list[date]]:
    """Holidays falling on weekdays and 调休 working weekends, sorted (a declared dependency: without it every
    deadline would silently be wrong)."""
    import chinese_calendar

    off = sorted(d for d in chinese_calendar.holidays if d.weekday() < 5)
    on = sorted(d for d in chinese_calendar.workdays if d.weekday() >= 5)
    return off, on


def _workdays_in(a: date, b: date) -> int:
    """Working days in the half-open range (a, b], a <= b: weekdays by numpy, corrected by the calendar's
    exceptions (a ticket years overdue costs two binary searches, not a walk over every day)."""
    n = int(np.busday_count(a + timedelta(days=1), b + timedelta(days=1)))
    off, on = _calendar_exceptions()
    lo, hi = a + timedelta(days=1), b
    return n - (bisect_right(off, hi) - bisect_left(off, lo)) + (bisect_right(on, hi) - bisect_left(on, lo))


def workdays_left(deadline: datetime, now: datetime) -> int:
    """Working days from today to the deadline's day (0 = due today; negative = overdue by that many)."""
    today = now.astimezone(CHINA).date()
    end = deadline.astimezone(CHINA).date()
    return _workdays_in(today, end) if end >= today else -_workdays_in(end, today)


def end_of_next_workday(now: datetime) -> datetime:
    """A deadline before this is at risk (`timing` and the at_risk list filter agree)."""
    d = now.astimezone(CHINA).date() + timedelta(days=1)
    while not is_workday(d):
        d += timedelta(days=1)
    return datetime.combine(d, time(23, 59, 59), tzinfo=CHINA)


def timing(status: str, deadline: datetime | None, now: datetime | None = None) -> dict:
    """{workdays_left, at_risk, overdue} of an open ticket; at risk = due today or the next working day."""
    if deadline is None or status in CLOSED:
        return {"workdays_left": None, "at_risk": False, "overdue": False}
    now = now or datetime.now(timezone.utc)
    dl = deadline if deadline.tzinfo else deadline.replace(tzinfo=timezone.utc)
    overdue = now > dl
    return {"workdays_left": workdays_left(dl, now), "at_risk": not overdue and dl <= end_of_next_workday(now),
            "overdue": overdue}
