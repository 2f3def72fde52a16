"""Health of the configured model endpoints, for the admin console's backends page.

Why here: only the gateway talks to model servers (DESIGN non-negotiable 1). The probe is a GET of
`{url}/models` (the OpenAI-compatible listing, no prompt, no content) with a short timeout, run only when an
administrator asks for it, never on a page load.
"""

from __future__ import annotations

import time

import httpx

from zhengwu.config import get_settings


def probe_backends(timeout: float = 3.0) -> list[dict]:
    """One entry per configured URL: {url, ok, status, ms, models, error}. Never raises."""
    s = get_settings()
    headers = {"Authorization": f"Bearer {s.llm_api_key}"} if s.llm_api_key else {}
    out = []
    for url in s.llm_urls:
        t0 = time.monotonic()
        entry: dict = {"url": url, "ok": False, "status": None, "ms": None, "models": [], "error": ""}
        try:
            r = httpx.get(url.rstrip("/") + "/models", headers=headers, timeout=timeout)
            entry["status"] = r.status_code
            entry["ok"] = r.status_code == 200
            if entry["ok"]:
                try:
                    entry["models"] = [m.get("id", "") for m in r.json().get("data", [])][:20]
                except (ValueError, AttributeError):
                    entry["models"] = []
        except httpx.HTTPError as exc:
            entry["error"] = type(exc).__name__
        entry["ms"] = int((time.monotonic() - t0) * 1000)
        out.append(entry)
    return out
