"""Admin console pages of the gateway: /admin/audit (search, paging and the chain verification) and
/admin/scenarios (the registry: create, approve, revoke, and where generated text shows the AI label).
Administrators manage scenarios; auditors read the audit log (its page changes nothing).

Why the scenario page shows who created and who approved each scenario: the four-eyes rule is enforced in
gateway.scenarios.approve_scenario; the page makes it visible, and a refused approval is shown, not hidden.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request

from zhengwu.errors import ZhengwuError
from zhengwu.store import session_scope
from zhengwu.web.routes.admin_common import ADMIN, AUDIT_READERS, back, guard, message, page, t

router = APIRouter(tags=["admin"])

AUDIT_PAGE = 50


@router.get("/admin/audit", include_in_schema=False)
def admin_audit(request: Request, date_from: str = "", date_to: str = "", user: str = "", scenario: str = "",
                action: str = "", request_id: str = "", p: int = 1):  # noqa: ANN201
    from zhengwu.gateway import admin

    caller, refusal = guard(request, AUDIT_READERS)
    if refusal:
        return refusal
    p = max(1, min(p, 100_000))
    filters = {"date_from": date_from.strip()[:10], "date_to": date_to.strip()[:10], "user": user.strip()[:128],
               "scenario": scenario.strip()[:64], "action": action.strip()[:64],
               "request_id": request_id.strip()[:128]}
    search_error = ""
    with session_scope() as s:
        result = admin.verify(s)
        head = admin.head_info(s)
        try:
            rows, total = admin.search(s, caller, **{k: v or None for k, v in filters.items()},
                                       limit=AUDIT_PAGE, offset=(p - 1) * AUDIT_PAGE)
        except ZhengwuError as exc:
            rows, total, search_error = [], 0, message(request, exc)
    pages = max(1, -(-total // AUDIT_PAGE))
    query = urlencode({k: v for k, v in filters.items() if v})
    return page(request, "admin_audit.html", caller, verify=result, rows=[_row(r) for r in rows], head=head,
                filters=filters, total=total, p=p, pages=pages, query=query, search_error=search_error)


def _row(r) -> dict:  # noqa: ANN001
    try:
        extra = json.loads(r.extra or "{}")
    except ValueError:
        extra = {}
    return {"id": r.id, "seq": r.seq, "created_at": r.created_at, "user": r.user, "role": r.role,
            "department": r.department, "scenario": r.scenario, "action": r.action, "backend": r.backend,
            "model": r.model, "checks": r.checks, "input_text": r.input_text, "purged_at": r.purged_at,
            "extra": ", ".join(f"{k}={v}" for k, v in extra.items() if not isinstance(v, (dict, list)))[:160]}


@router.get("/admin/scenarios", include_in_schema=False)
def admin_scenarios(request: Request):  # noqa: ANN201
    from zhengwu.gateway.scenarios import BUILTIN_IDS, PII_MODES, PLACEMENTS, RISKS, list_policies

    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    with session_scope() as s:
        pols = list_policies(s)
    return page(request, "admin_scenarios.html", caller, scenarios=pols, risks=RISKS, pii_modes=PII_MODES,
                builtin=BUILTIN_IDS, placements=PLACEMENTS)


@router.post("/admin/scenarios", include_in_schema=False)
def admin_scenario_create(request: Request, id: str = Form(..., max_length=64),  # noqa: A002
                          name_zh: str = Form(..., max_length=128), name_en: str = Form("", max_length=128),
                          risk: str = Form("medium"), pii_mode: str = Form("mask"),
                          human_review: bool = Form(False), retention_days: str = Form("1095"),
                          visible_label: str = Form("append", max_length=16),
                          description: str = Form("", max_length=2000)):  # noqa: ANN201
    from zhengwu.gateway.scenarios import add_scenario

    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    try:
        days = int(retention_days) if retention_days.strip() else None
    except ValueError:
        return back("/admin/scenarios", error=t(request, "保存天数须为整数。"))
    try:
        with session_scope() as s:
            add_scenario(s, caller, id=id.strip(), name_zh=name_zh.strip(), name_en=name_en.strip(), risk=risk,
                         pii_mode=pii_mode, human_review=human_review, retention_days=days,
                         visible_label=visible_label, description=description.strip())
    except ZhengwuError as exc:
        return back("/admin/scenarios", error=message(request, exc))
    return back("/admin/scenarios", ok=t(request, "已登记场景 {i}，须由另一位管理员批准后方可使用。", i=id.strip()))


@router.post("/admin/scenarios/{scenario_id}/approve", include_in_schema=False)
def admin_scenario_approve(request: Request, scenario_id: str):  # noqa: ANN201
    from zhengwu.gateway.scenarios import approve_scenario

    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    try:
        with session_scope() as s:
            approve_scenario(s, caller, scenario_id)
    except ZhengwuError as exc:
        return back("/admin/scenarios", error=message(request, exc))
    return back("/admin/scenarios", ok=t(request, "已批准场景 {i}", i=scenario_id))


@router.post("/admin/scenarios/{scenario_id}/revoke", include_in_schema=False)
def admin_scenario_revoke(request: Request, scenario_id: str):  # noqa: ANN201
    from zhengwu.gateway.scenarios import revoke_scenario

    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    try:
        with session_scope() as s:
            revoke_scenario(s, caller, scenario_id)
    except ZhengwuError as exc:
        return back("/admin/scenarios", error=message(request, exc))
    return back("/admin/scenarios", ok=t(request, "已撤销场景 {i} 的批准", i=scenario_id))


@router.post("/admin/scenarios/{scenario_id}/label", include_in_schema=False)
def admin_scenario_label(request: Request, scenario_id: str,
                         visible_label: str = Form(..., max_length=16)):  # noqa: ANN201
    from zhengwu.gateway.scenarios import set_visible_label

    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    try:
        with session_scope() as s:
            set_visible_label(s, caller, scenario_id, visible_label)
    except ZhengwuError as exc:
        return back("/admin/scenarios", error=message(request, exc))
    return back("/admin/scenarios", ok=t(request, "场景 {i} 的显式标识位置已改为 {p}", i=scenario_id, p=visible_label))
