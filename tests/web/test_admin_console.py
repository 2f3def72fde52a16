"""The admin console over HTTP against the real server: who may open which page, the administrative actions
(each through the identity, kb and gateway functions, each audited), the API key shown once, the backends
health probe against a real HTTP server, the dashboard figures and their department scoping, English pages."""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from tests.conftest import running_server, signed_in

PAGES = ["/admin/dashboard", "/admin/users", "/admin/departments", "/admin/kb", "/admin/scenarios", "/admin/audit",
         "/admin/keys", "/admin/quotas", "/admin/backends"]
ALLOWED = {  # role -> pages it may open (others: 403 page)
    "admin": set(PAGES),
    "auditor": {"/admin/audit"},
    "manager": {"/admin/dashboard"},
    "officer": {"/admin/kb"},
    "agent": set(),
}


class _Models(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: ANN002
        pass

    def do_GET(self) -> None:  # noqa: N802
        body = json.dumps({"data": [{"id": "qwen-test"}]}).encode() if self.path == "/v1/models" else b"{}"
        self.send_response(200 if self.path == "/v1/models" else 404)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _seed_qa() -> None:
    """Feedback, a no-basis turn and a hand-off in department city-a, one no-basis turn in bureau-b."""
    from zhengwu.context import Caller
    from zhengwu.qa import store
    from zhengwu.store import session_scope

    for dept, n in (("city-a", 3), ("bureau-b", 1)):
        who = Caller("citizen", dept, "citizen")
        with session_scope() as s:
            conv = store.get_or_create_conversation(s, who, None)
            for i in range(n):
                turn = store.add_turn(s, who, conv, question=f"[姓名]的问题{dept}{i}", answer="…",
                                      no_basis=(i == 0))
                store.add_feedback(s, who, turn_id=turn.id, rating=1 if i else -1)
            if dept == "city-a":
                store.create_handoff(s, who, question="[手机号]火星签证怎么办？", conversation_id=conv.id)


def test_console_pages_actions_and_figures(zw_env):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Models)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    dead = ThreadingHTTPServer(("127.0.0.1", 0), _Models)
    dead_url = f"http://127.0.0.1:{dead.server_port}/v1"
    dead.server_close()  # a port nobody listens on
    env = dict(os.environ, ZHENGWU_LLM_URLS=json.dumps([f"http://127.0.0.1:{srv.server_port}/v1", dead_url]),
               ZHENGWU_LLM_BACKEND="openai", ZHENGWU_LLM_MODEL="qwen-test")
    try:
        with running_server(env) as base:
            _run(base)
    finally:
        srv.shutdown()


def _run(base: str) -> None:  # noqa: PLR0915 - one server, one story
    from zhengwu.context import Caller
    from zhengwu.identity import create_department
    from zhengwu.identity.accounts import ensure_department
    from zhengwu.store import session_scope

    with session_scope() as s:
        ensure_department(s, "prov")
        create_department(s, Caller("sys", "*", "admin"), "city-a", "甲市", "prov")
        ensure_department(s, "bureau-b")
    # anonymous: every page sends to the login page and comes back
    for path in PAGES:
        r = httpx.get(base + path, timeout=30)
        assert r.status_code == 303 and r.headers["location"] == f"/login?next={path}", path
    assert httpx.get(base + "/api/admin/stats", timeout=30).status_code == 401
    # each role: its pages open, the others answer the 403 page (no page leaks by the menu either)
    clients = {role: signed_in(base, f"u-{role}", "city-a", role) for role in ALLOWED}
    for role, client in clients.items():
        for path in PAGES:
            r = client.get(path)
            assert r.status_code == (200 if path in ALLOWED[role] else 403), (role, path)
        menu = client.get("/admin/audit" if role == "auditor" else "/admin/kb").text
        menu = menu.split('class="admin-menu"', 1)[1].split("</nav>", 1)[0]
        assert all((f'href="{p}"' in menu) == (p in ALLOWED[role]) for p in PAGES if role != "agent"), role
    assert clients["officer"].get("/api/admin/stats").status_code == 403
    body = clients["auditor"].get("/admin/audit").text.split('id="main"', 1)[1]
    assert 'method="post"' not in body  # the audit page is read-only

    admin = signed_in(base, "root", "prov", "admin")
    # users: create below us; not in a department outside our subtree; not our own role; unlock; reset password
    r = admin.post("/admin/users", data={"username": "wang", "department": "city-a", "role": "agent",
                                         "password": "Gov-Pass-2026!"}, follow_redirects=False)
    assert r.status_code == 303 and "ok=" in r.headers["location"]
    r = admin.post("/admin/users", data={"username": "spy", "department": "bureau-b", "role": "admin",
                                         "password": "Gov-Pass-2026!"}, follow_redirects=False)
    assert "error=" in r.headers["location"]
    assert "spy" not in admin.get("/admin/users").text and "u-officer" in admin.get("/admin/users").text
    r = admin.post("/admin/users/root/role", data={"role": "auditor"}, follow_redirects=False)
    assert "error=" in r.headers["location"]
    assert "不能修改自己的角色" in admin.get(r.headers["location"]).text
    assert "error=" not in admin.post("/admin/users/wang/role", data={"role": "officer"},
                                      follow_redirects=False).headers["location"]
    for _ in range(5):
        httpx.post(base + "/login", data={"username": "wang", "password": "wrong-password"}, timeout=30)
    assert httpx.post(base + "/login", data={"username": "wang", "password": "Gov-Pass-2026!"}, timeout=30,
                      follow_redirects=False).headers["location"].startswith("/login?error=")  # locked
    admin.post("/admin/users/wang/unlock")
    admin.post("/admin/users/wang/password", data={"password": "New-Gov-Pass-2027"})
    ok = httpx.post(base + "/login", data={"username": "wang", "password": "New-Gov-Pass-2027"}, timeout=30,
                    follow_redirects=False)
    assert ok.headers["location"] == "/"
    r = admin.post("/admin/users", data={"username": "weak", "department": "city-a", "role": "agent",
                                         "password": "short"}, follow_redirects=False)
    assert "error=" in r.headers["location"]
    # departments: only below ours
    assert "ok=" in admin.post("/admin/departments", data={"code": "dist-1", "name": "一区", "parent": "city-a"},
                               follow_redirects=False).headers["location"]
    assert "error=" in admin.post("/admin/departments", data={"code": "x-b", "parent": "bureau-b"},
                                  follow_redirects=False).headers["location"]
    assert 'id="dept-dist-1"' in admin.get("/admin/departments").text

    # API keys: shown once on the result page, never again; it works; revoked, it does not
    r = admin.post("/admin/keys", data={"app": "hotline", "department": "city-a", "role": "agent",
                                        "scenarios": "policy_qa, kb_search"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    key = r.text.split('<code id="new-key">', 1)[1].split("</code>", 1)[0]
    assert key.startswith("zw_") and key not in admin.get("/admin/keys").text
    me = httpx.get(base + "/api/me", headers={"Authorization": f"Bearer {key}"}, timeout=30).json()
    assert me == {"user": "app:hotline", "department": "city-a", "role": "agent", "signed_in": True}
    assert "error=" in admin.post("/admin/keys", data={"app": "x", "department": "bureau-b", "role": "agent"},
                                  follow_redirects=False).headers["location"]
    key_id = r.text.split('/admin/keys/', 1)[1].split('/revoke', 1)[0]
    admin.post(f"/admin/keys/{key_id}/revoke")
    assert httpx.get(base + "/api/me", headers={"Authorization": f"Bearer {key}"}, timeout=30).status_code == 401

    # knowledge bases: created through the page, audited like the API; a foreign one is "not found"
    assert "ok=" in admin.post("/admin/kb", data={"name": "省级政策"}, follow_redirects=False).headers["location"]
    assert "error=" in admin.post("/admin/kb", data={"name": "a/b"}, follow_redirects=False).headers["location"]
    assert admin.get("/admin/kb/省级政策").status_code == 200
    assert admin.get("/admin/kb/不存在的库").status_code == 404

    # backends: configuration shown; the probe runs only on request, against the real servers
    page = admin.get("/admin/backends").text
    assert "未检测" in page and "qwen-test" in page
    page = admin.get("/admin/backends", params={"probe": 1}).text
    assert page.count('data-health="ok"') == 1 and page.count('data-health="down"') == 1

    # audit: search by action and user, paging
    r = admin.get("/admin/audit", params={"action": "user_role", "user": "root"})
    assert r.status_code == 200 and "共 1 条记录" in r.text and "wang" in r.text
    assert "ConnectError" not in r.text
    r = admin.get("/admin/audit", params={"date_from": "not-a-date"})
    assert r.status_code == 200 and "日期格式无效" in r.text
    assert "user_create" in admin.get("/admin/audit", params={"scenario": "admin"}).text

    # dashboard: figures from the audit log and the Q&A store, scoped to the caller's departments
    _seed_qa()
    stats = admin.get("/api/admin/stats").json()
    assert stats["feedback"] == {"up": 2, "down": 1, "total": 3, "up_rate": 0.667,
                                 "by_department": [{"department": "city-a", "up": 2, "down": 1}]}
    assert stats["unanswered"]["no_basis"] == 1 and stats["unanswered"]["handoffs"] == 1  # bureau-b not in scope
    assert stats["unanswered"]["recent_handoffs"][0]["question"] == "[手机号]火星签证怎么办？"
    assert "bureau-b" not in json.dumps(stats)
    usage = {r["scenario"]: r["count"] for r in stats["usage"]["by_scenario"]}
    assert usage.get("kb_ingest", 0) >= 1 and "admin" not in usage
    manager_b = signed_in(base, "mgr-b", "bureau-b", "manager")
    sb = manager_b.get("/api/admin/stats").json()
    assert sb["scope"] == ["bureau-b"] and sb["unanswered"]["no_basis"] == 1 and sb["feedback"]["down"] == 1
    page = clients["manager"].get("/admin/dashboard").text
    assert '<script type="application/json" id="dashboard-data">' in page and "/static/vendor/echarts/echarts.min.js" in page
    blob = page.split('id="dashboard-data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(blob)["unanswered"]["handoffs"] == 1 and "<" not in blob
    assert "[手机号]火星签证怎么办？" in page  # masked text only, as stored
    assert httpx.get(base + "/static/vendor/echarts/echarts.min.js", timeout=30).status_code == 200

    # English through the gettext catalogue
    en = admin.get("/admin/users", params={"lang": "en"}).text
    assert "Create user" in en and "Users" in en and "新建用户" not in en
    en = admin.get("/admin/dashboard", params={"lang": "en"}).text
    assert "Unanswered questions" in en
