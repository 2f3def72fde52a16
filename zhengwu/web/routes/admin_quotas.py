"""Admin console: daily quotas and the per-minute rate limit (/admin/quotas).

Why rules and not settings only: departments differ (a 12345 hotline centre asks far more than a bureau);
the settings give the defaults, a rule per user or department overrides them without a restart. The rules,
their permissions and their audit records live in zhengwu.admin.quotas.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request

from zhengwu.admin import quotas
from zhengwu.errors import ZhengwuError
from zhengwu.store import session_scope
from zhengwu.web.routes.admin_common import ADMIN, back, guard, message, page, t

router = APIRouter(include_in_schema=False)


def _int_or_none(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ZhengwuError("bad_quota", "配额须为整数（0 表示不限，留空表示沿用默认值）。",
                           "A quota must be a whole number (0 = no limit, empty = the default).") from exc


@router.get("/admin/quotas")
def quotas_page(request: Request):  # noqa: ANN201
    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    with session_scope() as s:
        rules = quotas.list_rules(s, caller)
        defaults = quotas.defaults(s)
        usage = quotas.usage_today(s, caller)
    return page(request, "admin_quotas.html", caller, rules=rules, defaults=defaults, usage=usage,
                kinds=quotas.KINDS)


@router.post("/admin/quotas")
def quotas_set(request: Request, kind: str = Form(...), subject: str = Form("", max_length=128),
               daily: str = Form(""), per_minute: str = Form("")):  # noqa: ANN201
    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    try:
        with session_scope() as s:
            rule = quotas.set_rule(s, caller, kind, subject, daily=_int_or_none(daily),
                                   per_minute=_int_or_none(per_minute))
            label = f"{rule.kind}:{rule.subject}"
    except ZhengwuError as exc:
        return back("/admin/quotas", error=message(request, exc))
    return back("/admin/quotas", ok=t(request, "已保存配额规则 {r}", r=label))


@router.post("/admin/quotas/{rule_id}/delete")
def quotas_delete(request: Request, rule_id: int):  # noqa: ANN201
    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    try:
        with session_scope() as s:
            quotas.delete_rule(s, caller, rule_id)
    except ZhengwuError as exc:
        return back("/admin/quotas", error=message(request, exc))
    return back("/admin/quotas", ok=t(request, "已删除配额规则，恢复默认值"))
