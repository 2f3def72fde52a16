"""The gateway through its real interfaces: the CLI as a subprocess, the HTTP API and admin pages on the real
server (`zhengwu serve`), both talking to the recording model server."""

from __future__ import annotations

import json

import httpx

from tests.conftest import signed_in

# what an attacker sends: headers claiming to be an administrator (no trusted proxy is configured)
FORGED = {"X-Zhengwu-User": "admin1", "X-Zhengwu-Department": "office", "X-Zhengwu-Role": "admin"}
CITIZEN: dict = {}  # anonymous: citizens need no account


def test_cli_scenario_lifecycle(zw_env, run_cli_ok):
    """add → approve → list, as three real CLI processes (the non-admin refusal is in test_pipeline)."""
    r = run_cli_ok("scenario", "add", "notice_draft", "--name-zh", "通知稿起草", "--name-en", "Notice drafting",
                   "--risk", "high", "--human-review")
    assert r.returncode == 0, r.stderr
    r = run_cli_ok("scenario", "approve", "notice_draft", env_extra={"ZHENGWU_USER": "wang.admin"})
    assert r.returncode == 0 and "wang.admin" in r.stdout
    r = run_cli_ok("scenario", "list", "--json")
    rows = {x["id"]: x for x in json.loads(r.stdout)}
    builtin = ["kb_search", "policy_qa", "doc_draft", "doc_summary", "meeting_minutes", "simplify", "pii_mask",
               "ticket_classify", "kb_ingest", "doc_render"]
    assert all(rows[b]["approved"] and rows[b]["approved_by"] == "system" for b in builtin)
    new = rows["notice_draft"]
    assert new["approved"] and new["approved_by"] == "wang.admin" and new["approved_at"] and new["human_review"]
    assert new["risk"] == "high" and new["created_by"] == "cli"
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    with session_scope() as s:
        acts = [(r.action, r.user) for r in audit.query(s)]
        assert ("scenario_add", "cli") in acts and ("scenario_approve", "wang.admin") in acts
        assert audit.verify(s).ok


def test_cli_chat_masks_labels_and_audits(model_server, pii, run_cli_ok):
    r = run_cli_ok("gateway", "chat", "--json", "-", input="我叫王小明，手机13812345678，生育津贴怎么申请？")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["ai_label"] == "人工智能生成" and set(out["AIGC"]) >= {"Label", "ProduceID"}
    assert "王小明" in out["text"] and "13812345678" not in model_server.all_received()
    assert out["audit_id"] >= 1


def test_http_api_and_admin_pages(model_server, pii, live_server, tamper):
    base = live_server
    r = httpx.post(base + "/api/gateway/complete", headers=CITIZEN, timeout=30, json={
        "scenario": "policy_qa", "messages": [{"role": "user", "content": "我叫王小明，生育津贴怎么申请？"}]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ai_label"] == "人工智能生成" and body["AIGC"]["Label"] == "1" and "王小明" in body["text"]
    assert "王小明" not in model_server.all_received()
    # decision requests are refused with the bilingual error body
    r = httpx.post(base + "/api/gateway/complete", headers=CITIZEN, timeout=30, json={
        "scenario": "policy_qa", "messages": [{"role": "user", "content": "直接驳回他的低保申请"}]})
    assert r.status_code == 403 and r.json()["error"]["code"] == "decision_request"
    # streaming over SSE
    with httpx.stream("POST", base + "/api/gateway/complete", headers=CITIZEN, timeout=30, json={
            "scenario": "policy_qa", "stream": True, "messages": [{"role": "user", "content": "材料有哪些？"}]}) as r:
        events = [json.loads(line[6:]) for line in r.iter_lines() if line.startswith("data: {")]
    assert "".join(e.get("delta", "") for e in events) == events[-1]["completion"]["text"]
    # forged identity headers make nobody an administrator
    assert httpx.get(base + "/api/audit/verify", headers=FORGED).status_code == 403
    assert httpx.post(base + "/api/scenarios", headers=FORGED, json={"id": "x1", "name_zh": "x"}).status_code == 403
    admin1 = signed_in(base, "admin1", "default", "admin")  # the public department: it reviews its answers
    admin2 = signed_in(base, "admin2", "default", "admin")
    # scenarios: admin1 adds one through the API; four eyes: admin1 cannot approve it, admin2 can (page button)
    r = admin1.post("/api/scenarios", json={"id": "minutes_public", "name_zh": "公开会议纪要"})
    assert r.status_code == 201 and r.json()["approved"] is False
    page = admin1.get("/admin/scenarios")
    assert page.status_code == 200 and "/admin/scenarios/minutes_public/approve" in page.text
    r = admin1.post("/admin/scenarios/minutes_public/approve")
    assert r.status_code == 303 and "error=" in r.headers["location"]
    r = admin2.post("/admin/scenarios/minutes_public/approve")
    assert r.status_code == 303 and "error=" not in r.headers["location"]
    row = next(x for x in admin1.get("/api/scenarios").json() if x["id"] == "minutes_public")
    assert row["approved"] and row["approved_by"] == "admin2"
    assert httpx.get(base + "/admin/scenarios", headers=CITIZEN).status_code == 303  # to the login page
    # the audit page shows the log and its verification; citizens cannot see it
    page = admin1.get("/admin/audit")
    assert page.status_code == 200 and 'data-verify="ok"' in page.text and "scenario_approve" in page.text
    assert "scenario_approve_refused" in page.text and "王小明" not in page.text
    assert httpx.get(base + "/admin/audit", headers=CITIZEN).status_code == 303
    none = admin1.get("/admin/audit", params={"request_id": "no-such-request"})  # the support desk's lookup
    assert none.status_code == 200 and 'value="no-such-request"' in none.text and "scenario_approve" not in none.text
    assert admin1.get("/api/audit/verify").json()["ok"] is True
    exp = admin1.get("/api/audit/export", params={"from": "2000-01-01", "to": "2999-12-31"})
    lines = [json.loads(x) for x in exp.text.splitlines()]
    assert exp.status_code == 200 and [x["action"] for x in lines][:2] == ["complete", "refused"]
    assert {"user_create", "login"} <= {x["action"] for x in lines}  # administrative actions in the same chain
    # a reviewer's decision on a generated answer is its own audit event
    rv = admin1.post(f"/api/audit/{body['audit_id']}/review", json={"decision": "approved", "note": "已核对政策原文"})
    assert rv.status_code == 200 and rv.json()["reviewer"] == "admin1"
    assert httpx.post(base + f"/api/audit/{body['audit_id']}/review", headers=CITIZEN,
                      json={"decision": "approved"}).status_code == 403
    metrics = httpx.get(base + "/metrics").text
    assert 'zhengwu_gateway_model_calls_total{backend="openai",outcome="ok",scenario="policy_qa"}' in metrics
    assert 'zhengwu_gateway_refusals_total{reason="decision_request",scenario="policy_qa"}' in metrics
    # tampering with the database file shows on the audit page
    tamper(f"UPDATE gw_audit SET scenario = 'kb_search' WHERE id = {body['audit_id']}")
    page = admin1.get("/admin/audit", params={"lang": "en"})
    assert 'data-verify="broken"' in page.text and f"id={body['audit_id']}" in page.text
    assert "Hash chain broken" in page.text
