"""Marks the server busy while it serves requests, so the embedding worker process pauses (zhengwu.kb.embed_worker).

A plain ASGI middleware (no request body buffering, a few microseconds a request: one utime of a small file at
the start and at the end). Static files and health/metrics probes do not count: a monitor polling /metrics
every second must not starve the embedding.
"""

from __future__ import annotations

from typing import Any

from zhengwu.kb import embed_worker

QUIET_PREFIXES = ("/static/", "/healthz", "/readyz", "/metrics")


class ActivityMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(QUIET_PREFIXES):
            await self.app(scope, receive, send)
            return
        embed_worker.request_started()
        try:
            await self.app(scope, receive, send)
        finally:
            embed_worker.request_finished()
