"""Quota enforcement for the model-using endpoints, as an ASGI middleware.

Why a middleware and not a dependency on each route: the endpoints belong to several feature modules; one
list of paths here covers them all (and any added under /api/write/), and a refused request is answered
before its body is even read. The rules and counters are in zhengwu/admin/quotas.py.
"""

from __future__ import annotations

import json
import logging

from anyio import to_thread
from starlette.requests import Request

from zhengwu.errors import ZhengwuError
from zhengwu.gateway.openai_api import error_body

# POST endpoints that reach a model (or may): counted and limited
LIMITED_EXACT = {"/api/ask", "/api/chat", "/api/gateway/complete", "/chat"}
LIMITED_PREFIXES = ("/api/write/", "/v1/")  # /v1: the OpenAI-compatible endpoint

log = logging.getLogger("zhengwu.quota")


def is_limited(method: str, path: str) -> bool:
    return method == "POST" and (path in LIMITED_EXACT or path.startswith(LIMITED_PREFIXES))


def _admit(request: Request) -> None:
    from zhengwu.admin.quotas import admit
    from zhengwu.store import session_scope
    from zhengwu.web.deps import get_caller

    try:
        caller = get_caller(request)
    except ZhengwuError:
        return  # a bad API key: the endpoint itself answers 401
    client = request.client.host if request.client else ""
    with session_scope() as s:
        admit(s, caller, client)


class QuotaMiddleware:
    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http" or not is_limited(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        from zhengwu.admin.quotas import QuotaExceeded

        try:
            await to_thread.run_sync(_admit, Request(scope))
        except QuotaExceeded as exc:
            log.warning("quota refusal %s on %s", exc.code, scope["path"])
            if scope["path"].startswith("/v1/"):  # OpenAI clients read exactly message, type, code, param
                err = error_body(exc)
            else:
                err = exc.to_dict()
            body = json.dumps({"error": err}, ensure_ascii=False).encode("utf-8")
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                    (b"retry-after", str(exc.retry_after).encode()),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
