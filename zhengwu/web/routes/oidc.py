"""统一身份认证 / OIDC sign-on routes: /auth/oidc/login sends the browser to the provider, /auth/oidc/callback
brings it back (the protocol is in zhengwu/identity/oidc.py).

The callback is a cross-site navigation from the provider, so the SameSite=Strict session cookie is neither
sent with it nor with a redirect chained to it. The sign-on in progress is therefore bound to the browser by a
short-lived SameSite=Lax cookie (path /auth/oidc), and the callback answers with a small page that moves on to
`next` by a same-site navigation (meta refresh), on which the new Strict session cookie is sent.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhengwu.config import get_settings
from zhengwu.errors import NotFound, ZhengwuError
from zhengwu.identity import oidc
from zhengwu.identity.sessions import COOKIE, SESSION_HOURS, open_session
from zhengwu.web.routes.auth import _safe_next
from zhengwu.web.templating import render

router = APIRouter(tags=["auth"])

STATE_COOKIE = "zw_oidc"
STATE_PATH = "/auth/oidc"


def _require_enabled() -> None:
    if not oidc.enabled():
        raise NotFound("oidc_disabled", "未配置统一身份认证（oidc_issuer、oidc_client_id）。",
                       "Sign-on is not configured (oidc_issuer, oidc_client_id).")


@router.get("/auth/oidc/login")
def oidc_login(request: Request, next: str = "/"):  # noqa: A002, ANN201
    """Redirect to the provider's sign-in page."""
    _require_enabled()
    s = get_settings()
    redirect_uri = s.oidc_redirect_url or str(request.url_for("oidc_callback"))
    url, binding = oidc.begin(_safe_next(next), redirect_uri)
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(STATE_COOKIE, binding, max_age=oidc.LOGIN_MINUTES * 60, httponly=True, samesite="lax",
                        secure=s.cookie_secure, path=STATE_PATH)
    return response


@router.get("/auth/oidc/callback", name="oidc_callback")
def oidc_callback(request: Request, state: str = "", code: str = "", error: str = ""):  # noqa: ANN201
    """The provider's redirect back: a session on success, the login page with the reason otherwise."""
    _require_enabled()
    s = get_settings()
    try:
        caller, next_url = oidc.complete(state=state, code=code, error=error,
                                         binding=request.cookies.get(STATE_COOKIE))
    except ZhengwuError as exc:
        response = render(request, "login.html", status_code=exc.status, next="/", error=f"{exc.zh} / {exc.en}",
                          oidc=True)
        # a callback with an unknown state (forged, or sent to this browser by another site) must not spoil the
        # sign-on this browser really has in progress
        keep_binding = getattr(exc, "reason", "") == "bad_state"
    else:
        response = render(request, "oidc_done.html", next=_safe_next(next_url))
        response.set_cookie(COOKIE, open_session(caller), max_age=SESSION_HOURS * 3600, httponly=True,
                            samesite="strict", secure=s.cookie_secure, path="/")
        keep_binding = False
    if not keep_binding:
        response.delete_cookie(STATE_COOKIE, path=STATE_PATH, httponly=True, samesite="lax", secure=s.cookie_secure)
    response.headers["Cache-Control"] = "no-store"
    return response
