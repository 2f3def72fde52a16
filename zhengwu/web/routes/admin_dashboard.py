"""Dashboards for decision makers and administrators (/admin/dashboard) and the same figures as JSON
(/api/admin/stats).

Why the page embeds its data as a JSON block: the CSP allows only our own script files, so the chart script
(static/dashboard.js with the vendored ECharts) reads the figures from a `<script type="application/json">`
element, which browsers never execute; the same figures are also rendered as tables for screen readers and
for browsers without JavaScript.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Request

from zhengwu.admin.stats import dashboard
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.store import session_scope
from zhengwu.web.deps import require_signed_in
from zhengwu.web.routes.admin_common import DASHBOARD, guard, message, page

router = APIRouter(tags=["admin"])


@router.get("/admin/dashboard", include_in_schema=False)
def dashboard_page(request: Request, date_from: str = "", date_to: str = "", days: int = 30):  # noqa: ANN201
    caller, refusal = guard(request, DASHBOARD)
    if refusal:
        return refusal
    try:
        with session_scope() as s:
            data = dashboard(s, caller, date_from=date_from or None, date_to=date_to or None, days=days)
    except ZhengwuError as exc:
        with session_scope() as s:
            data = dashboard(s, caller, days=30)
        data["error"] = message(request, exc)
    # no "<" at all inside the data block, so nothing in it can close the element (\u003c is the same JSON)
    blob = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return page(request, "admin_dashboard.html", caller, data=data, data_json=blob, days=days)


@router.get("/api/admin/stats")
def stats_api(date_from: str | None = None, date_to: str | None = None, days: int = 30,
              caller: Caller = Depends(require_signed_in)) -> dict:
    """Usage by department and scenario, answer feedback and unanswered questions for a period (default the
    last 30 days), within the caller's department and the ones below it. Managers and administrators only."""
    with session_scope() as s:
        return dashboard(s, caller, date_from=date_from, date_to=date_to, days=days)
