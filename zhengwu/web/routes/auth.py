"""Signing in and out: the login page (local accounts), the session cookie, and /api/me.

The cookie is HttpOnly and SameSite=Strict (and Secure when `cookie_secure` is set, i.e. behind HTTPS); its
token is stored only as a hash. Wrong passwords are counted per account and lock it (identity/accounts.py).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from zhengwu.config import get_settings
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.identity import authenticate, end_session, open_session
from zhengwu.identity.sessions import COOKIE, SESSION_HOURS
from zhengwu.web.deps import get_caller
from zhengwu.web.templating import render, request_language

router = APIRouter(tags=["auth"])


def _safe_next(target: str) -> str:
    """Only a path on this site (never //host or a scheme: no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/login")
def login_page(request: Request, next: str = "/", error: str = ""):  # noqa: A002, ANN201
    return render(request, "login.html", next=_safe_next(next), error=error, oidc=bool(get_settings().oidc_issuer))


@router.post("/login")
def login(request: Request, username: str = Form(..., max_length=128), password: str = Form(..., max_length=256),
          next: str = Form("/")):  # noqa: A002, ANN201
    try:
        caller = authenticate(username, password)
    except ZhengwuError as exc:
        msg = exc.zh if request_language(request) == "zh" else exc.en
        return RedirectResponse(f"/login?error={quote(msg)}&next={quote(_safe_next(next))}", status_code=303)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(COOKIE, open_session(caller), max_age=SESSION_HOURS * 3600, httponly=True,
                        samesite="strict", secure=get_settings().cookie_secure, path="/")
    return response


@router.post("/logout")
def logout(request: Request):  # noqa: ANN201
    end_session(request.cookies.get(COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/api/me")
def me(caller: Caller = Depends(get_caller)) -> dict:
    """Who the server takes the caller to be (anonymous citizens included)."""
    return {"user": caller.user, "department": caller.department, "role": caller.role,
            "signed_in": caller.user != "anonymous"}
