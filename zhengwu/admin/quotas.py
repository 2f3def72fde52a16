"""Quotas and rate limits on the model-using endpoints.

Why: a model is the platform's scarcest resource; one runaway script or one busy department must not starve the
others, and anonymous citizens (who cannot be told apart otherwise) are limited per client address.

- Daily quotas per user (an API key counts as its application's user), per department and per anonymous client
  address, counted in the database so that all app servers share them; a subject without a daily quota is not
  counted (no write on the request's path). A request is counted first and refused
  (the increment rolled back) when it passes a limit: the counter rows are locked by the update, so two servers
  cannot both take the last request. The count is one statement (an upsert of every subject's row, returning
  the new counts) after one read of the rules, both prepared once: it sits on every model request's critical
  path, where the ORM's per-statement cost was most of the gateway's own time.
- A per-minute rate limit per user or client address, kept in this process's memory (a sliding window): it
  smooths bursts; with N app servers behind a balancer the effective rate is at most N times the limit, which
  the daily quota then bounds.

Limits resolve as: the subject's own rule → the kind's "*" rule → the setting (quota_* / rate_user_per_minute).
0 means no limit. Setting a rule is an administrative action (audited).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from zhengwu.admin.models import QuotaRule, UsageCounter
from zhengwu.config import get_settings
from zhengwu.context import Caller
from zhengwu.errors import Forbidden, NotFound, ZhengwuError
from zhengwu.gateway import record_admin_action
from zhengwu.identity.accounts import get_user, list_departments, subtree

KINDS = ("user", "department", "anonymous")


@dataclass(frozen=True)
class Limits:
    daily: int
    per_minute: int


class QuotaExceeded(ZhengwuError):
    status = 429

    def __init__(self, code: str, zh: str, en: str, retry_after: int) -> None:
        super().__init__(code, zh, en)
        self.retry_after = retry_after


# ------------------------------------------------------------------------------------------- resolving limits

_Q = QuotaRule.__table__
_RULES = select(_Q.c.kind, _Q.c.subject, _Q.c.daily_limit, _Q.c.per_minute).where(
    _Q.c.kind.in_(bindparam("kinds", expanding=True)), _Q.c.subject.in_(bindparam("subjects", expanding=True)))


def _limits(session: Session, subjects: list[tuple[str, str]]) -> list[Limits]:
    """The effective limits of each (kind, subject), read in one query (see the module docstring for the order)."""
    s = get_settings()
    rows = {(r.kind, r.subject): r for r in session.connection().execute(
        _RULES, {"kinds": sorted({k for k, _ in subjects}), "subjects": sorted({x for _, x in subjects} | {"*"})})}
    setting_daily = {"user": s.quota_user_daily, "department": s.quota_department_daily,
                     "anonymous": s.quota_anonymous_daily}
    out = []
    for kind, subject in subjects:
        own, star = rows.get((kind, subject)), rows.get((kind, "*"))
        out.append(Limits(daily=_pick(own and own.daily_limit, star and star.daily_limit, setting_daily[kind]),
                          per_minute=_pick(own and own.per_minute, star and star.per_minute, s.rate_user_per_minute)))
    return out


def _pick(own: int | None, default: int | None, setting: int) -> int:
    return own if own is not None else default if default is not None else setting


def limits_for(session: Session, kind: str, subject: str) -> Limits:
    """The effective limits of one subject (see the module docstring for the order)."""
    return _limits(session, [(kind, subject)])[0]


# -------------------------------------------------------------------------------------------------- enforcing

_windows: dict[str, deque[float]] = {}
_window_lock = threading.Lock()


def reset_rate_windows() -> None:
    """Forget the in-memory rate windows (tests)."""
    with _window_lock:
        _windows.clear()


def _rate_check(key: str, per_minute: int, now: float | None = None) -> int:
    """0 when admitted (and recorded), else the seconds to wait."""
    if per_minute <= 0:
        return 0
    now = time.monotonic() if now is None else now
    with _window_lock:
        win = _windows.setdefault(key, deque())
        while win and now - win[0] >= 60:
            win.popleft()
        if len(win) >= per_minute:
            return max(1, int(60 - (now - win[0])) + 1)
        win.append(now)
        return 0


_U = UsageCounter.__table__
_UPSERTS: dict[str, Any] = {}


def _upsert(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO UPDATE SET count = count + 1 RETURNING kind, count (SQLite ≥ 3.35, PostgreSQL)."""
    stmt = _UPSERTS.get(dialect)
    if stmt is None:
        ins = (sqlite_insert if dialect == "sqlite" else pg_insert)(_U)
        stmt = _UPSERTS[dialect] = ins.on_conflict_do_update(
            index_elements=[_U.c.day, _U.c.kind, _U.c.subject], set_={"count": _U.c.count + 1},
        ).returning(_U.c.kind, _U.c.count)
    return stmt


def _increment(session: Session, day: str, subjects: list[tuple[str, str]]) -> dict[str, int]:
    """Count one request for every (kind, subject) and return the new count per kind; the rows stay locked
    until the transaction ends, so a refusal's rollback uncounts it everywhere."""
    conn = session.connection()
    rows = conn.execute(_upsert(conn.dialect.name), [{"day": day, "kind": k, "subject": x, "count": 1}
                                                      for k, x in subjects])
    return {r.kind: r.count for r in rows}


def _seconds_to_midnight() -> int:
    t = time.localtime()
    return max(1, 86400 - (t.tm_hour * 3600 + t.tm_min * 60 + t.tm_sec))


def admit(session: Session, caller: Caller, client: str) -> None:
    """Count a model-using request, or raise QuotaExceeded (429) and count nothing.

    Signed-in users and API keys are counted per user and per department; anonymous citizens per client
    address (they all share one public department, which must not be exhausted by one address)."""
    day = date.today().isoformat()
    if caller.user == "anonymous":
        subjects = [("anonymous", client or "?")]
        limits = _limits(session, [("anonymous", "*")])
    else:
        subjects = [("user", caller.user), ("department", caller.department)]
        limits = _limits(session, subjects)
    (rate_kind, rate_subject), rate_limits = subjects[0], limits[0]
    wait = _rate_check(f"{rate_kind}:{rate_subject}", rate_limits.per_minute)
    if wait:
        raise QuotaExceeded("rate_limited", f"请求过于频繁：每分钟最多 {rate_limits.per_minute} 次，请 {wait} 秒后再试。",
                            f"Too many requests: at most {rate_limits.per_minute} a minute; try again in {wait} s.",
                            wait)
    # only subjects under a daily quota are counted: with quotas off (the default) a request writes nothing, so
    # asks do not queue for SQLite's one write lock just to count (a quota set later counts from then on)
    limited = [(subj, lim) for subj, lim in zip(subjects, limits) if lim.daily > 0]
    if not limited:
        return
    counts = _increment(session, day, [subj for subj, _ in limited])
    for (kind, _), lim in limited:
        if counts[kind] > lim.daily:
            who_zh = {"user": "您的账号", "department": "本部门", "anonymous": "您所在的网络地址"}[kind]
            who_en = {"user": "your account", "department": "your department",
                      "anonymous": "your network address"}[kind]
            raise QuotaExceeded("quota_exceeded", f"{who_zh}今日的使用次数已达上限（{lim.daily} 次），请明天再试或联系管理员。",
                                f"The daily quota of {who_en} ({lim.daily} requests) is used up; try again "
                                "tomorrow or ask an administrator.", _seconds_to_midnight())


# ------------------------------------------------------------------------------------------------ administering

def _is_top_admin(session: Session, caller: Caller) -> bool:
    """A system administrator ("*") or an administrator of a root department may change the defaults."""
    if caller.role != "admin":
        return False
    if caller.department == "*":
        return True
    return any(d.code == caller.department and d.parent is None for d in list_departments(session))


def _check_may_set(session: Session, caller: Caller, kind: str, subject: str) -> None:
    if caller.role != "admin":
        raise Forbidden("admin_required", "此操作需要管理员权限。", "This action needs an administrator.")
    if kind not in KINDS:
        raise ZhengwuError("bad_quota_kind", f"配额类型无效：{kind}", f"Invalid quota kind: {kind}")
    if subject == "*" or kind == "anonymous":
        if not _is_top_admin(session, caller):
            raise Forbidden("quota_defaults", "只有顶级部门的管理员可以修改默认配额。",
                            "Only an administrator of a top-level department may change the default quotas.")
        return
    mine = None if caller.department == "*" else subtree(session, caller.department)
    if kind == "user":
        dept = get_user(session, subject).department
    else:
        if not any(d.code == subject for d in list_departments(session)):
            raise NotFound("department_not_found", f"部门不存在：{subject}", f"Department not found: {subject}")
        dept = subject
    if mine is not None and dept not in mine:
        raise Forbidden("department_forbidden", f"无权管理部门 {dept}（不在本部门及下级部门内）。",
                        f"You may not manage department {dept} (not yours or below yours).")


def _check_value(v: int | None) -> int | None:
    if v is not None and (v < 0 or v > 10_000_000):
        raise ZhengwuError("bad_quota", "配额须为 0（不限）到 10000000 之间的整数。",
                           "A quota must be a whole number from 0 (no limit) to 10000000.")
    return v


def set_rule(session: Session, caller: Caller, kind: str, subject: str, *, daily: int | None,
             per_minute: int | None) -> QuotaRule:
    """Create or change a rule (empty values inherit). Audited."""
    subject = "*" if kind == "anonymous" else (subject or "").strip() or "*"
    _check_may_set(session, caller, kind, subject)
    daily, per_minute = _check_value(daily), _check_value(per_minute)
    rule = session.scalar(select(QuotaRule).where(QuotaRule.kind == kind, QuotaRule.subject == subject))
    if rule is None:
        rule = QuotaRule(kind=kind, subject=subject)
        session.add(rule)
    rule.daily_limit, rule.per_minute, rule.updated_by = daily, per_minute, caller.user
    session.flush()
    record_admin_action(session, caller, "quota_set", target=f"{kind}:{subject}",
                        extra={"daily": daily, "per_minute": per_minute})
    return rule


def delete_rule(session: Session, caller: Caller, rule_id: int) -> None:
    """Remove a rule (its subject goes back to the default). Audited."""
    rule = session.get(QuotaRule, rule_id)
    if rule is None:
        raise NotFound("quota_not_found", "找不到该配额规则。", "Quota rule not found.")
    _check_may_set(session, caller, rule.kind, rule.subject)
    record_admin_action(session, caller, "quota_delete", target=f"{rule.kind}:{rule.subject}")
    session.delete(rule)
    session.flush()


def list_rules(session: Session, caller: Caller) -> list[dict]:
    """The rules the caller may see: the defaults and those of users and departments in their subtree,
    with today's count for each subject."""
    mine = None if caller.department == "*" else subtree(session, caller.department)
    day = date.today().isoformat()
    used = {(u.kind, u.subject): u.count for u in session.scalars(select(UsageCounter).where(UsageCounter.day == day))}
    out = []
    for r in session.scalars(select(QuotaRule).order_by(QuotaRule.kind, QuotaRule.subject)):
        if mine is not None and r.subject != "*":
            if r.kind == "department" and r.subject not in mine:
                continue
            if r.kind == "user":
                try:
                    if get_user(session, r.subject).department not in mine:
                        continue
                except NotFound:
                    continue
        out.append({"id": r.id, "kind": r.kind, "subject": r.subject, "daily": r.daily_limit,
                    "per_minute": r.per_minute, "updated_by": r.updated_by,
                    "used_today": used.get((r.kind, r.subject)) if r.subject != "*" else None})
    return out


def defaults(session: Session) -> dict[str, Limits]:
    """The effective default of each kind ("*" rule, else the setting)."""
    return {k: limits_for(session, k, "*") for k in KINDS}


def usage_today(session: Session, caller: Caller, limit: int = 20) -> list[dict]:
    """Today's busiest users and departments within the caller's subtree (anonymous addresses for top admins)."""
    mine = None if caller.department == "*" else subtree(session, caller.department)
    day = date.today().isoformat()
    rows = session.scalars(select(UsageCounter).where(UsageCounter.day == day).order_by(UsageCounter.count.desc()))
    out = []
    for u in rows:
        if mine is not None:
            if u.kind == "department" and u.subject not in mine:
                continue
            if u.kind == "user":
                try:
                    if get_user(session, u.subject).department not in mine:
                        continue
                except NotFound:  # an API key's application user
                    continue
            if u.kind == "anonymous" and not _is_top_admin(session, caller):
                continue
        out.append({"kind": u.kind, "subject": u.subject, "count": u.count,
                    "daily": limits_for(session, u.kind, "*" if u.kind == "anonymous" else u.subject).daily})
        if len(out) >= limit:
            break
    return out
