"""Admin console pages of the gateway: /admin/audit (the log and its verification) and /admin/scenarios
(the registry with approve buttons). Only administrators and compliance officers see them."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.web.deps import get_caller
from zhengwu.web.templating import render

router = APIRouter(tags=["admin"])


def _forbidden(request: Request):  # noqa: ANN202
    """Anonymous: to the login page; signed in without the right role: the refusal page."""
    if get_caller(request).user == "anonymous":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    return render(request, "admin_forbidden.html", status_code=403)


@router.get("/admin/audit")
def admin_audit(request: Request, limit: int = 100, caller: Caller = Depends(get_caller)):  # noqa: ANN201
    from zhengwu.gateway import admin
    from zhengwu.store import session_scope

    if not caller.reads_audit:
        return _forbidden(request)
    with session_scope() as s:
        result = admin.verify(s)
        rows = admin.query(s, caller, limit=max(1, min(limit, 1000)), newest_first=True)
        head = admin.head_info(s)
    return render(request, "admin_audit.html", verify=result, rows=rows, head=head)


@router.get("/admin/scenarios")
def admin_scenarios(request: Request, caller: Caller = Depends(get_caller), error: str = ""):  # noqa: ANN201
    from zhengwu.gateway.scenarios import list_policies
    from zhengwu.store import session_scope

    if not caller.is_admin:
        return _forbidden(request)
    with session_scope() as s:
        pols = list_policies(s)
    return render(request, "admin_scenarios.html", scenarios=pols, error=error)


@router.post("/admin/scenarios/{scenario_id}/approve")
def admin_scenario_approve(request: Request, scenario_id: str, caller: Caller = Depends(get_caller)):  # noqa: ANN201
    from zhengwu.gateway.scenarios import approve_scenario
    from zhengwu.store import session_scope

    if not caller.is_admin:
        return _forbidden(request)
    try:
        with session_scope() as s:
            approve_scenario(s, caller, scenario_id)
    except ZhengwuError as exc:
        from zhengwu.web.templating import request_language

        msg = exc.zh if request_language(request) == "zh" else exc.en
        return RedirectResponse(f"/admin/scenarios?error={quote(msg)}", status_code=303)
    return RedirectResponse("/admin/scenarios", status_code=303)
