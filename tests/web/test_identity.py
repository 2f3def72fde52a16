"""Identity as an attacker on the intranet tries it, against the real server on 127.0.0.1: forged headers,
forged and expired cookies, cross-site requests, brute force, privilege escalation, revoked keys, another
department's ids, an open redirect; and the security headers on every page."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.conftest import TEST_PASSWORD, api_key, make_account, run_cli, running_server, session_headers, signed_in

FORGED = {"X-Zhengwu-User": "boss", "X-Zhengwu-Department": "gz-minzheng", "X-Zhengwu-Role": "admin"}


def _me(base: str, **kw) -> dict:  # noqa: ANN003
    return httpx.get(base + "/api/me", timeout=30, **kw).json()


def test_forged_headers_and_cookies_are_nobody(live_server):
    base = live_server
    assert _me(base, headers=FORGED) == {"user": "anonymous", "department": "default", "role": "citizen",
                                         "signed_in": False}
    assert _me(base, headers={"Cookie": "zw_session=" + "A" * 43})["signed_in"] is False
    assert httpx.get(base + "/api/audit/verify", headers=FORGED, timeout=30).status_code == 403
    r = httpx.post(base + "/api/scenarios", headers=FORGED, json={"id": "evil", "name_zh": "恶意"}, timeout=30)
    assert r.status_code == 403
    assert httpx.get(base + "/admin/audit", headers=FORGED, timeout=30, follow_redirects=False).status_code == 303
    bad = httpx.get(base + "/api/kb", headers={"Authorization": "Bearer zw_not-a-key"}, timeout=30)
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "bad_api_key"


def test_sign_in_lockout_and_expired_sessions(live_server, zw_env):
    base = live_server
    make_account("zhang", "gz-minzheng", "officer")
    c = httpx.Client(base_url=base, headers={"Origin": base}, timeout=30)
    for _ in range(5):
        r = c.post("/login", data={"username": "zhang", "password": "wrong-Pass-1"})
        assert r.status_code == 303 and "error=" in r.headers["location"] and "zw_session" not in c.cookies
    r = c.post("/login", data={"username": "zhang", "password": TEST_PASSWORD})  # right password, but locked
    assert "error=" in r.headers["location"] and "zw_session" not in c.cookies
    assert run_cli("users", "unlock", "zhang").returncode == 0
    r = c.post("/login", data={"username": "zhang", "password": TEST_PASSWORD})
    assert r.headers["location"] == "/" and c.get("/api/me").json()["user"] == "zhang"
    cookie = c.cookies["zw_session"]
    head = r.headers["set-cookie"].lower()
    assert "httponly" in head and "samesite=strict" in head
    # an expired session is nobody
    import sqlite3

    db = sqlite3.connect(zw_env / "zhengwu.db")
    db.execute("UPDATE id_session SET expires_at = '2000-01-01 00:00:00.000000'")
    db.commit()
    assert _me(base, headers={"Cookie": f"zw_session={cookie}"})["signed_in"] is False
    # every attempt is in the audit chain
    db_rows = [r[0] for r in db.execute("SELECT action FROM gw_audit WHERE scenario = 'admin'")]
    assert db_rows.count("login_failed") == 6 and "login" in db_rows and "user_unlock" in db_rows


def test_cross_site_requests_are_refused(live_server):
    base = live_server
    admin = session_headers(base, "admin1", "office", "admin")
    payload = {"id": "csrf_probe", "name_zh": "跨站"}
    for evil in ({"Origin": "http://evil.example"}, {"Referer": "http://evil.example/form.html"}, {}):
        headers = {"Cookie": admin["Cookie"], **evil}
        r = httpx.post(base + "/api/scenarios", headers=headers, json=payload, timeout=30)
        assert r.status_code == 403 and r.json()["error"]["code"] == "cross_site_request"
        r = httpx.post(base + "/admin/scenarios/policy_qa/approve", headers=headers, timeout=30)
        assert r.status_code == 403
    # nothing changed; the same request from the site's own page works
    assert all(x["id"] != "csrf_probe" for x in httpx.get(base + "/api/scenarios", timeout=30).json())
    assert httpx.post(base + "/api/scenarios", headers=admin, json=payload, timeout=30).status_code == 201


def test_security_headers_and_no_open_redirect(live_server):
    base = live_server
    r = httpx.get(base + "/chat", timeout=30)
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp.split(
        "style-src")[0]
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    make_account("liu", "office", "officer")
    c = httpx.Client(base_url=base, headers={"Origin": base}, timeout=30)
    r = c.post("/login", data={"username": "liu", "password": TEST_PASSWORD, "next": "//evil.example/x"})
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_privilege_escalation_is_refused(live_server):
    base = live_server
    run_cli("departments", "add", "gz")
    run_cli("departments", "add", "gz-a", "--parent", "gz")
    run_cli("departments", "add", "gz-b", "--parent", "gz")
    from zhengwu.context import Caller
    from zhengwu.errors import ZhengwuError
    from zhengwu.identity import create_user, set_role
    from zhengwu.store import session_scope

    make_account("a_admin", "gz-a", "admin")
    make_account("a_clerk", "gz-a", "officer")
    me = Caller("a_admin", "gz-a", "admin")
    with pytest.raises(ZhengwuError) as ei, session_scope() as s:
        set_role(s, me, "a_admin", "auditor")
    assert ei.value.code == "own_role"
    with pytest.raises(ZhengwuError) as ei, session_scope() as s:
        create_user(s, me, "b_spy", department="gz-b", role="admin", password=TEST_PASSWORD)
    assert ei.value.code == "department_forbidden"
    clerk = signed_in(base, "a_clerk2", "gz-a", "officer")
    r = clerk.post("/api/scenarios", json={"id": "clerk_made", "name_zh": "越权"})
    assert r.status_code == 403


def test_api_keys_are_scoped_and_revocable(live_server):
    base = live_server
    a = api_key("gz-a", "agent", app="dify")
    b = api_key("gz-b", "officer", app="maxkb")
    assert httpx.post(base + "/api/kb", headers=a, json={"name": "甲库"}, timeout=30).status_code == 403  # agent
    admin_a = session_headers(base, "admin_a", "gz-a", "admin")
    assert httpx.post(base + "/api/kb", headers=admin_a, json={"name": "甲库"}, timeout=30).status_code == 201
    assert [k["name"] for k in httpx.get(base + "/api/kb", headers=a, timeout=30).json()["knowledge_bases"]] == ["甲库"]
    assert httpx.get(base + "/api/kb", headers=b, timeout=30).json() == {"knowledge_bases": []}
    assert httpx.get(base + "/api/kb/甲库/documents", headers=b, timeout=30).status_code == 404
    keys = json.loads(run_cli("keys", "list", "--json").stdout)
    dify = next(k for k in keys if k["app"] == "dify")
    listed = json.dumps(keys)
    for k in keys:
        listed = listed.replace(k["prefix"], "")
    assert "zw_" not in listed  # only the prefixes are ever shown, never a key
    assert run_cli("keys", "revoke", str(dify["id"])).returncode == 0
    assert httpx.get(base + "/api/kb", headers=a, timeout=30).status_code == 401


def test_trusted_proxy_needs_its_address_and_secret(zw_env, monkeypatch):
    import os
    from urllib.parse import quote

    monkeypatch.setenv("ZHENGWU_TRUSTED_PROXIES", '["127.0.0.1"]')
    monkeypatch.setenv("ZHENGWU_PROXY_SECRET", "s3cret-from-the-proxy")
    with running_server(dict(os.environ)) as base:
        sso = {"X-Zhengwu-User": "sso.wang", "X-Zhengwu-Department": "gz-a", "X-Zhengwu-Role": "officer"}
        assert _me(base, headers={**sso, "X-Zhengwu-Proxy-Secret": "s3cret-from-the-proxy"})["user"] == "sso.wang"
        assert _me(base, headers={**sso, "X-Zhengwu-Proxy-Secret": "guess"})["user"] == "anonymous"
        assert _me(base, headers=sso)["user"] == "anonymous"
        bad_role = {**sso, "X-Zhengwu-Role": "superuser", "X-Zhengwu-Proxy-Secret": "s3cret-from-the-proxy"}
        assert _me(base, headers=bad_role)["user"] == "anonymous"
        # Chinese names travel percent-encoded (or as raw UTF-8 bytes, which HTTP reads as Latin-1)
        secret = {"X-Zhengwu-Proxy-Secret": "s3cret-from-the-proxy", "X-Zhengwu-Role": "officer"}
        encoded = {**secret, "X-Zhengwu-User": quote("王芳"), "X-Zhengwu-Department": quote("民政局")}
        assert {k: _me(base, headers=encoded)[k] for k in ("user", "department")} == {"user": "王芳", "department": "民政局"}
        raw = {**secret, "X-Zhengwu-User": "王芳".encode(), "X-Zhengwu-Department": "民政局".encode()}
        assert _me(base, headers=raw)["department"] == "民政局"
        broken = {**secret, "X-Zhengwu-User": "sso.li", "X-Zhengwu-Department": "%E6%B0"}  # cut-off UTF-8
        assert _me(base, headers=broken)["user"] == "anonymous"
