"""Several model endpoints: a failed one is skipped for a cool-down, a probe brings it back, and the state is
visible through `zhengwu gateway backends` and /api/gateway/status (two real local HTTP servers, one dead)."""

from __future__ import annotations

import json

from tests.conftest import api_key, free_port, run_cli
from tests.gateway.conftest import ModelServer

MSG = [{"role": "user", "content": "你好"}]


def _configure(monkeypatch, urls: list[str], cooldown: str = "60") -> None:  # noqa: ANN001
    from zhengwu.config import reset_settings
    from zhengwu.plugins import reset_plugins

    monkeypatch.setenv("ZHENGWU_LLM_BACKEND", "openai")
    monkeypatch.setenv("ZHENGWU_LLM_URLS", json.dumps(urls))
    monkeypatch.setenv("ZHENGWU_LLM_MODEL", "test-model")
    monkeypatch.setenv("ZHENGWU_LLM_TIMEOUT", "3")
    monkeypatch.setenv("ZHENGWU_LLM_RETRIES", "1")
    monkeypatch.setenv("ZHENGWU_LLM_COOLDOWN", cooldown)
    reset_settings()
    reset_plugins()


def test_failed_endpoint_is_skipped_then_probed_back(zw_env, monkeypatch):
    from zhengwu.gateway import health
    from zhengwu.gateway.backends import get_backend

    broken, live = ModelServer(), ModelServer()
    try:
        broken.mode, broken.status = "status", 503
        _configure(monkeypatch, [broken.url, live.url])
        backend = get_backend()
        assert backend.chat(MSG).endpoint.startswith(live.url)  # failover to the second endpoint
        assert len(broken.received) == 2  # the first was tried with its retry
        states = {s["url"]: s for s in health.status()}
        assert states[broken.url]["state"] == "down" and states[broken.url]["cooling_down"]
        assert "503" in states[broken.url]["last_error"] and states[live.url]["state"] == "up"

        assert backend.chat(MSG).endpoint.startswith(live.url)
        assert len(broken.received) == 2  # cooling down: not tried again, no time lost on it

        stream = list(backend.stream(MSG))  # streaming skips it as well
        assert stream[-1].endpoint.startswith(live.url) and len(broken.received) == 2

        assert health.probe(broken.url).state == "down"  # still broken: the probe keeps it down
        broken.mode = "echo"  # repaired
        assert health.probe(broken.url).state == "up"
        assert backend.chat(MSG).endpoint.startswith(broken.url)  # back first in line
    finally:
        broken.close()
        live.close()


def test_cooldown_expires_and_all_down_still_tries(zw_env, monkeypatch):
    from zhengwu.gateway import health
    from zhengwu.gateway.backends import get_backend

    broken, live = ModelServer(), ModelServer()
    try:
        broken.mode, broken.status = "status", 500
        _configure(monkeypatch, [broken.url, live.url], cooldown="0")
        backend = get_backend()
        backend.chat(MSG)
        backend.chat(MSG)
        assert len(broken.received) == 4  # no cool-down: tried (with its retry) by every request
        health.mark_failure(broken.url, "x")
        health.mark_failure(live.url, "x")
        _configure(monkeypatch, [broken.url, live.url], cooldown="60")
        health.mark_failure(broken.url, "x")
        health.mark_failure(live.url, "x")
        assert get_backend().chat(MSG).endpoint.startswith(live.url)  # all cooling down: tried anyway
    finally:
        broken.close()
        live.close()


def test_health_visible_in_cli_and_api(zw_env, monkeypatch):
    from fastapi.testclient import TestClient

    from zhengwu.web.app import create_app

    live = ModelServer()
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    try:
        _configure(monkeypatch, [dead, live.url])
        r = run_cli("gateway", "backends", "--probe", "--json")
        assert r.returncode == 0, r.stderr
        out = {e["url"]: e for e in json.loads(r.stdout)["endpoints"]}
        assert out[dead]["state"] == "down" and "ConnectError" in out[dead]["last_error"]
        assert out[live.url]["state"] == "up"
        r = run_cli("gateway", "backends", "--probe")
        assert "故障 down" in r.stdout and "正常 up" in r.stdout

        with TestClient(create_app()) as c:
            anon = c.get("/api/gateway/status").json()
            assert anon["generative"] and anon["endpoints"] == []  # addresses are internal
            res = c.get("/api/gateway/status", params={"probe": "true"}, headers=api_key("办公厅", "auditor")).json()
            states = {e["url"]: e["state"] for e in res["endpoints"]}
            assert states == {dead: "down", live.url: "up"}
    finally:
        live.close()
