"""Admin console: model backends and their health (/admin/backends).

Why the probe runs only on request: a page load must not send traffic to model servers (and must not hang when
one is down); the probe itself lives in the gateway (zhengwu.gateway.health), the one door to every model.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from zhengwu.config import get_settings
from zhengwu.gateway import embedder_name, generative_available, registered_backends, registered_embedders
from zhengwu.web.routes.admin_common import ADMIN, guard, page

router = APIRouter(include_in_schema=False)
PROBE_TIMEOUT = 3.0


@router.get("/admin/backends")
def backends_page(request: Request, probe: int = 0):  # noqa: ANN201
    from zhengwu.gateway.admin import probe_backends

    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    s = get_settings()
    embedder = None
    if probe:  # loading the embedder can take seconds: only when asked
        try:
            embedder = embedder_name()
        except Exception:  # noqa: BLE001 - a broken embedder configuration is shown, not raised
            embedder = "?"
    health = probe_backends(PROBE_TIMEOUT) if probe else None
    return page(request, "admin_backends.html", caller, backend=s.llm_backend, urls=s.llm_urls, model=s.llm_model,
                timeout=s.llm_timeout, retries=s.llm_retries, generative_on=generative_available(),
                backends=registered_backends(), embedders=registered_embedders(), embedder_setting=s.embedder,
                embedder=embedder, embedding_url=s.embedding_url, health=health, probe_timeout=PROBE_TIMEOUT)
