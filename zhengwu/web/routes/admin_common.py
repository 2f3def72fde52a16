"""What every admin console page shares: who may open it, the refusal page, messages after a form POST.

Why one place: the rule "anonymous → the login page, signed in without the role → a 403 page" must be the same
on every page, and the side menu must show only what the caller may open.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.web.deps import get_caller
from zhengwu.web.templating import render, request_language

ADMIN = ("admin",)
AUDIT_READERS = ("admin", "auditor", "compliance")
DASHBOARD = ("admin", "manager")
KB_WRITERS = ("admin", "officer")

# (path, label, roles) of the side menu, in order; labels are gettext message ids
MENU = [
    ("/admin/dashboard", "数据看板", DASHBOARD),
    ("/admin/users", "用户", ADMIN),
    ("/admin/departments", "部门", ADMIN),
    ("/admin/kb", "知识库", KB_WRITERS),
    ("/admin/scenarios", "应用场景", ADMIN),
    ("/admin/audit", "审计日志", AUDIT_READERS),
    ("/admin/keys", "API 密钥", ADMIN),
    ("/admin/quotas", "配额与限流", ADMIN),
    ("/admin/backends", "模型服务", ADMIN),
]


def menu_for(caller: Caller) -> list[tuple[str, str]]:
    return [(path, label) for path, label, roles in MENU if caller.role in roles]


def refuse(request: Request) -> Response:
    """Anonymous: to the login page (coming back here afterwards); signed in without the role: the 403 page."""
    caller = get_caller(request)
    if caller.user == "anonymous":
        target = request.url.path if request.method == "GET" else "/admin"
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    return render(request, "admin_forbidden.html", status_code=403, menu=menu_for(caller))


def guard(request: Request, roles: tuple[str, ...]) -> tuple[Caller, Response | None]:
    """(caller, None) when the caller may open the page, else (caller, the refusal to return)."""
    caller = get_caller(request)
    if caller.user == "anonymous" or caller.role not in roles:
        return caller, refuse(request)
    return caller, None


def message(request: Request, exc: ZhengwuError) -> str:
    return exc.zh if request_language(request) == "zh" else exc.en


def back(path: str, *, ok: str = "", error: str = "", **params: str) -> RedirectResponse:
    """Back to a page after a form POST (303), with a message for the page to show."""
    q = {k: v for k, v in {**params, "ok": ok, "error": error}.items() if v}
    return RedirectResponse(path + ("?" + urlencode(q) if q else ""), status_code=303)


def page(request: Request, name: str, caller: Caller, status_code: int = 200, **context: object) -> Response:
    """Render an admin page in the admin layout (side menu, the message of the last action)."""
    return render(request, name, status_code=status_code, menu=menu_for(caller), active=request.url.path,
                  ok=request.query_params.get("ok", "")[:300], error=request.query_params.get("error", "")[:300],
                  **context)


def t(request: Request, msgid: str, **values: object) -> str:
    """A message in the request's language (gettext id in Chinese, `{name}` placeholders filled after)."""
    from zhengwu.i18n import gettext_for

    return gettext_for(request_language(request))(msgid).format(**values)
