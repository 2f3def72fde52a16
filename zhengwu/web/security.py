"""Browser security for every response and every state-changing request (an ASGI middleware, cheap).

- Headers: a strict Content-Security-Policy (only our own scripts, styles and images; no framing except the
  /embed widget by the sites in `embed_origins`), X-Content-Type-Options nosniff, Referrer-Policy, X-Frame-Options.
- Cross-site requests: a POST/PUT/PATCH/DELETE whose Origin (or, without it, Referer) is another site is refused
  (a strict Origin check, OWASP's accepted CSRF defence; the session cookie is SameSite=Strict as well). A
  request that carries our session cookie but neither header is refused too: browsers send one of them.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from zhengwu.config import get_settings
from zhengwu.identity.sessions import COOKIE

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _csp(frame_ancestors: str) -> str:
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            f"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {frame_ancestors}")


def _origin_of(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}".lower() if p.scheme and p.netloc else ""


class SecurityMiddleware:
    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if scope["method"] in UNSAFE and not self._same_site(scope, headers):
            await self._refuse(send)
            return
        embed = scope["path"].startswith("/embed")
        s = get_settings()
        ancestors = ("'self' " + " ".join(s.embed_origins)).strip() if embed else "'none'"

        async def send_with_headers(message) -> None:  # noqa: ANN001
            if message["type"] == "http.response.start":
                extra = [(b"content-security-policy", _csp(ancestors).encode()),
                         (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
                if not embed:
                    extra.append((b"x-frame-options", b"DENY"))
                if scope["path"] == "/docs" or scope["path"].startswith("/docs/"):
                    extra[0] = (b"content-security-policy", _csp("'none'").replace(
                        "script-src 'self'", "script-src 'self' 'unsafe-inline'").encode())
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _same_site(scope: dict, headers: dict[str, str]) -> bool:
        origin = headers.get("origin") or _origin_of(headers.get("referer", ""))
        if not origin or origin == "null":
            # no browser context (curl, an application with an API key) unless our session cookie is sent
            return f"{COOKIE}=" not in headers.get("cookie", "") if origin != "null" else False
        host = headers.get("host", "")
        scheme = scope.get("scheme", "http")
        allowed = {f"{scheme}://{host}".lower(), *(o.lower().rstrip("/") for o in get_settings().allowed_origins)}
        return origin.lower().rstrip("/") in allowed

    @staticmethod
    async def _refuse(send) -> None:  # noqa: ANN001
        body = json.dumps({"error": {"code": "cross_site_request",
                                     "message_zh": "拒绝跨站请求：请从本站页面提交。",
                                     "message_en": "Cross-site request refused: submit from this site's pages."}},
                          ensure_ascii=False).encode("utf-8")
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
