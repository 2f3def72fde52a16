"""Dashboard figures: usage by department and scenario, answer feedback, unanswered questions.

Why one function for the page and the JSON endpoint: decision makers compare the chart with the figures they
export, so both must come from the same query. Everything is scoped to the caller's department and the ones
below it (a system administrator, department "*", sees all); question texts come from the Q&A store, where
they are stored PII-masked, and are never unmasked here.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, ZhengwuError
from zhengwu.gateway.admin import usage_counts
from zhengwu.identity.accounts import subtree
from zhengwu.qa.models import Feedback, HandoffTicket, Turn

DASHBOARD_ROLES = ("admin", "manager")
MAX_DAYS = 366


def check_dashboard_role(caller: Caller) -> None:
    if caller.role not in DASHBOARD_ROLES:
        raise Forbidden("dashboard_forbidden", "数据看板仅限决策者和管理员查看。",
                        "The dashboard is for managers and administrators.")


def scope_of(session: Session, caller: Caller) -> set[str] | None:
    """The departments the caller's figures cover (None = all)."""
    return None if caller.department == "*" else subtree(session, caller.department)


def period(date_from: str | None, date_to: str | None, days: int = 30) -> tuple[date, date]:
    """The [from, to] whole-day range (default: the last `days` days up to today), at most MAX_DAYS long."""
    try:
        end = date.fromisoformat(date_to) if date_to else date.today()
        start = date.fromisoformat(date_from) if date_from else end - timedelta(days=max(1, days) - 1)
    except ValueError as exc:
        raise ZhengwuError("bad_date", "日期格式无效（应为 YYYY-MM-DD）。", "Invalid date (expected YYYY-MM-DD).") from exc
    if start > end:
        start, end = end, start
    if (end - start).days >= MAX_DAYS:
        start = end - timedelta(days=MAX_DAYS - 1)
    return start, end


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, time.min, tzinfo=timezone.utc),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=timezone.utc))


def _in_scope(col, scope: set[str] | None):  # noqa: ANN001, ANN202
    return true() if scope is None else col.in_(sorted(scope))


def dashboard(session: Session, caller: Caller, *, date_from: str | None = None, date_to: str | None = None,
              days: int = 30, recent: int = 20) -> dict:
    """All dashboard figures for the period, as plain JSON-ready data."""
    check_dashboard_role(caller)
    start, end = period(date_from, date_to, days)
    scope = scope_of(session, caller)
    lo, hi = _bounds(start, end)

    by_dept: dict[str, int] = {}
    by_scen: dict[str, int] = {}
    cells = usage_counts(session, date_from=start.isoformat(), date_to=end.isoformat(), departments=scope)
    for dept, scen, n in cells:
        by_dept[dept] = by_dept.get(dept, 0) + n
        by_scen[scen] = by_scen.get(scen, 0) + n

    fb_rows = session.execute(select(Feedback.department, Feedback.rating, func.count(Feedback.id))
                              .where(Feedback.created_at >= lo, Feedback.created_at < hi,
                                     _in_scope(Feedback.department, scope))
                              .group_by(Feedback.department, Feedback.rating)).all()
    up = sum(int(n) for _, r, n in fb_rows if r > 0)
    down = sum(int(n) for _, r, n in fb_rows if r < 0)
    fb_dept: dict[str, dict[str, int]] = {}
    for d, r, n in fb_rows:
        fb_dept.setdefault(d, {"up": 0, "down": 0})["up" if r > 0 else "down"] += int(n)

    turn_filter = (Turn.no_basis.is_(True), Turn.created_at >= lo, Turn.created_at < hi,
                   _in_scope(Turn.department, scope))
    no_basis_total = session.scalar(select(func.count(Turn.id)).where(*turn_filter)) or 0
    no_basis = session.scalars(select(Turn).where(*turn_filter).order_by(Turn.id.desc()).limit(recent)).all()
    answered_total = session.scalar(select(func.count(Turn.id)).where(
        Turn.created_at >= lo, Turn.created_at < hi, _in_scope(Turn.department, scope))) or 0
    ho_filter = (HandoffTicket.created_at >= lo, HandoffTicket.created_at < hi,
                 _in_scope(HandoffTicket.department, scope))
    handoff_total = session.scalar(select(func.count(HandoffTicket.id)).where(*ho_filter)) or 0
    handoffs = session.scalars(select(HandoffTicket).where(*ho_filter).order_by(HandoffTicket.id.desc())
                               .limit(recent)).all()

    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "scope": "*" if scope is None else sorted(scope),
        "usage": {
            "total": sum(by_dept.values()),
            "by_department": [{"department": k, "count": v} for k, v in sorted(by_dept.items(), key=lambda x: -x[1])],
            "by_scenario": [{"scenario": k, "count": v} for k, v in sorted(by_scen.items(), key=lambda x: -x[1])],
        },
        "feedback": {
            "up": up, "down": down, "total": up + down,
            "up_rate": round(up / (up + down), 3) if up + down else None,
            "by_department": [{"department": d, **v} for d, v in sorted(fb_dept.items())],
        },
        "unanswered": {
            "questions": int(answered_total),
            "no_basis": int(no_basis_total),
            "no_basis_rate": round(no_basis_total / answered_total, 3) if answered_total else None,
            "handoffs": int(handoff_total),
            "recent_no_basis": [{"department": t.department, "question": t.question,
                                 "created_at": t.created_at.isoformat() if t.created_at else None} for t in no_basis],
            "recent_handoffs": [{"id": h.id, "department": h.department, "question": h.question, "status": h.status,
                                 "reason": h.reason,
                                 "created_at": h.created_at.isoformat() if h.created_at else None} for h in handoffs],
        },
    }
