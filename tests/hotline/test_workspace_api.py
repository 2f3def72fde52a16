"""The assist endpoints over the real HTTP server: agents and administrators only, bilingual errors, JSON shapes."""

from __future__ import annotations

from tests.conftest import signed_in
from tests.hotline.workspace_data import SOCIAL_CARD_MSG, ingest_real_docs, message, transcript


def test_assist_api_for_agents_only(live_server):
    ingest_real_docs()
    text = transcript(message(SOCIAL_CARD_MSG))
    agent = signed_in(live_server, "agent-a", "default", "agent")
    r = agent.post("/api/hotline/recommend", json={"text": text, "k": 3})
    assert r.status_code == 200, r.text
    hits = r.json()["hits"]
    assert 1 <= len(hits) <= 3 and all(h["title"] and h["passage"] for h in hits)

    r = agent.post("/api/hotline/draft", json={"ticket": {"text": text, "request_type": "咨询"}, "knowledge": hits})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["label"] == "人工智能生成" and d["generated"] is False and d["audit_id"] > 0 and d["text"].startswith("您好")

    r = agent.post("/api/hotline/quality", json={"reply": d["text"], "appeal": text})
    assert r.status_code == 200
    q = r.json()
    assert 0 <= q["score"] <= 100 and {i["id"] for i in q["items"]} >= {"greeting", "forbidden", "appeal"}

    # careless and hostile input: clear bilingual errors
    for path, body in (("/api/hotline/quality", {"reply": ""}), ("/api/hotline/recommend", {"text": " "}),
                       ("/api/hotline/draft", {"ticket": {"caller_name": "王建国"}})):
        r = agent.post(path, json=body)
        assert r.status_code == 400, (path, r.text)
        assert r.json()["error"]["message_zh"] and r.json()["error"]["message_en"]
    assert agent.post("/api/hotline/recommend", json={"text": "x" * 20001}).status_code == 422
    assert agent.get("/api/hotline/recommend").status_code == 405

    page = agent.get("/hotline?lang=en")
    assert page.status_code == 200 and "Agent workspace" in page.text and "<script>" not in page.text
    assert "坐席工作台" in agent.get("/hotline?lang=zh").text

    citizen = signed_in(live_server, "citizen-a", "default", "citizen")
    for path in ("/api/hotline/recommend", "/api/hotline/quality"):
        r = citizen.post(path, json={"text": text, "reply": "您好"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden_role"
    assert citizen.get("/hotline").status_code == 403
    anonymous = signed_in(live_server, "agent-b", "default", "agent")
    anonymous.cookies.clear()
    assert anonymous.post("/api/hotline/recommend", json={"text": text}).status_code == 401
