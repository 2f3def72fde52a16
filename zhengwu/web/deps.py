"""Request dependencies: who is calling.

Identity is authenticated, never taken from a client's headers: a session cookie (signed in at /login), an
API key (`Authorization: Bearer zw_…`), or — only when the request comes from an address in the setting
`trusted_proxies` AND carries the shared `proxy_secret` — the SSO proxy's X-Zhengwu-User / -Department / -Role
headers. Anything else is an anonymous citizen of the public department: citizens' pages stay open, nothing
administrative does.
"""

from __future__ import annotations

import hmac
from typing import Annotated
from urllib.parse import unquote

from fastapi import Path, Request

from zhengwu.config import get_settings
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.identity import ROLES, session_caller, verify_key
from zhengwu.identity.sessions import COOKIE


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth[:7].lower() == "bearer " else None


def _header_text(request: Request, name: str) -> str | None:
    """A header value that may hold Chinese: HTTP headers carry bytes, so proxies percent-encode UTF-8
    (X-Zhengwu-Department: %E6%B0%91%E6%94%BF%E5%B1%80) or send raw UTF-8, which the server reads as Latin-1."""
    raw = request.headers.get(name)
    if raw is None:
        return None
    if "%" in raw:
        return unquote(raw, errors="strict")
    try:
        return raw.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return raw


def _from_proxy(request: Request) -> Caller | None:
    s = get_settings()
    if not s.trusted_proxies or not s.proxy_secret or request.client is None:
        return None
    if request.client.host not in s.trusted_proxies:
        return None
    if not hmac.compare_digest(request.headers.get("x-zhengwu-proxy-secret", ""), s.proxy_secret):
        return None
    try:
        user, dept = _header_text(request, "x-zhengwu-user"), _header_text(request, "x-zhengwu-department")
    except UnicodeError:
        return None
    role = request.headers.get("x-zhengwu-role", "citizen")
    if not user or not dept or role not in ROLES:
        return None
    return Caller(user, dept, role)


def get_caller(request: Request) -> Caller:
    cached = getattr(request.state, "caller", None)
    if cached is not None:
        return cached
    key = _bearer(request)
    if key is not None:
        ident = verify_key(key)
        if ident is None:
            raise ZhengwuError("bad_api_key", "API 密钥无效或已吊销。", "The API key is invalid or revoked.", status=401)
        request.state.api_key = ident
        caller = ident.caller
    else:
        caller = (session_caller(request.cookies.get(COOKIE)) or _from_proxy(request)
                  or Caller("anonymous", get_settings().public_department, "citizen"))
    request.state.caller = caller
    return caller


def require_signed_in(request: Request) -> Caller:
    """For pages and endpoints that are never anonymous."""
    caller = get_caller(request)
    if caller.user == "anonymous":
        raise ZhengwuError("login_required", "请先登录。", "Please sign in first.", status=401)
    return caller


# A database id in a URL: a positive 64-bit integer (anything larger is a 422, never a database overflow).
DbId = Annotated[int, Path(ge=1, le=2 ** 63 - 1, description="记录编号 / record id")]
