"""Health of the model endpoints: a failed endpoint is skipped for a cool-down, a probe brings it back.

Why: with several replicas (`llm_urls`), a dead one must not cost every request its timeouts and retries
before failover. After a request has exhausted its retries on an endpoint, the endpoint is "down" for
`llm_cooldown` seconds and requests go straight to the others; when the cool-down is over the next request
tries it again (and marks it up on success), and `probe()` (GET {url}/v1/models; `zhengwu gateway backends
--probe`, GET /api/gateway/status?probe=true) checks it at once. If every endpoint is cooling down, all are
tried anyway: a slow answer is better than none.

The state is per process (each app server and worker learns on its own); nothing needs to be shared for this
to be correct, it only saves time.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass

from zhengwu.config import get_settings
from zhengwu.plugins import on_reset


@dataclass
class EndpointState:
    url: str
    state: str = "unknown"  # "up" | "down" | "unknown"
    failures: int = 0  # consecutive failed requests or probes
    last_error: str = ""
    down_until: float = 0.0  # time.time() until which requests skip it
    last_ok: float = 0.0
    last_checked: float = 0.0

    def to_dict(self) -> dict:
        out = asdict(self)
        out["cooling_down"] = self.down_until > time.time()
        out["retry_in_s"] = max(0.0, round(self.down_until - time.time(), 1))
        return out


_states: dict[str, EndpointState] = {}
_lock = threading.Lock()


def _get(url: str) -> EndpointState:
    st = _states.get(url)
    if st is None:
        st = _states[url] = EndpointState(url)
    return st


def cooldown() -> float:
    return max(0.0, float(get_settings().llm_cooldown))


def mark_ok(url: str) -> None:
    with _lock:
        st = _get(url)
        st.state, st.failures, st.down_until = "up", 0, 0.0
        st.last_ok = st.last_checked = time.time()


def mark_failure(url: str, error: str) -> None:
    """The endpoint failed a request after its retries (or a probe): skip it for the cool-down."""
    with _lock:
        st = _get(url)
        st.state, st.last_error = "down", error[:300]
        st.failures += 1
        st.last_checked = time.time()
        st.down_until = st.last_checked + cooldown()


def available(url: str) -> bool:
    with _lock:
        st = _states.get(url)
        return st is None or st.down_until <= time.time()


def order(urls: list[str]) -> list[str]:
    """The endpoints to try, in configured order, those cooling down left out (all of them if all are)."""
    live = [u for u in urls if available(u)]
    return live or list(urls)


def models_endpoint(base: str) -> str:
    base = base.rstrip("/")
    for suffix in ("/chat/completions", "/embeddings"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    return base + "/models" if base.endswith("/v1") else base + "/v1/models"


def probe(url: str, timeout: float = 3.0) -> EndpointState:
    """Check one endpoint now (GET /v1/models answers 200) and record the result."""
    import httpx

    headers = {"Authorization": f"Bearer {get_settings().llm_api_key}"} if get_settings().llm_api_key else {}
    try:
        resp = httpx.get(models_endpoint(url), timeout=timeout, headers=headers)
        if resp.status_code == 200:
            mark_ok(url)
        else:
            mark_failure(url, f"probe HTTP {resp.status_code}")
    except httpx.HTTPError as exc:
        mark_failure(url, f"probe {type(exc).__name__}")
    return snapshot([url])[0]


def snapshot(urls: list[str]) -> list[EndpointState]:
    with _lock:
        return [EndpointState(**asdict(_get(u))) for u in urls]


def status(probe_now: bool = False) -> list[dict]:
    """Health of the configured generative endpoints, optionally probed first."""
    urls = list(get_settings().llm_urls)
    if probe_now:
        for u in urls:
            probe(u)
    return [s.to_dict() for s in snapshot(urls)]


def reset() -> None:
    with _lock:
        _states.clear()


on_reset(reset)


def probe_backends(timeout: float = 3.0) -> list[dict]:
    """For the admin console's backends page: probe every configured URL now (GET /v1/models) ->
    one entry per URL {url, ok, status, ms, models, error, state, cooling_down}; the result also updates the
    endpoint's health state (a failed probe puts it in cool-down, a good one brings it back). Never raises."""
    import httpx

    s = get_settings()
    headers = {"Authorization": f"Bearer {s.llm_api_key}"} if s.llm_api_key else {}
    out = []
    for url in s.llm_urls:
        t0 = time.monotonic()
        entry: dict = {"url": url, "ok": False, "status": None, "ms": None, "models": [], "error": ""}
        try:
            r = httpx.get(models_endpoint(url), headers=headers, timeout=timeout)
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
        if entry["ok"]:
            mark_ok(url)
        else:
            mark_failure(url, f"probe {entry['error'] or 'HTTP ' + str(entry['status'])}")
        state = snapshot([url])[0].to_dict()
        entry["state"], entry["cooling_down"] = state["state"], state["cooling_down"]
        out.append(entry)
    return out
