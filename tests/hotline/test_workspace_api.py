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


def test_workspace_forms_without_javascript_and_bad_input(live_server):
    ingest_real_docs()
    text = transcript(message(SOCIAL_CARD_MSG))
    agent = signed_in(live_server, "agent-f", "default", "agent")
    page = agent.post("/hotline/analyse", data={"transcript": text})  # a plain form post gets the whole page back
    assert page.status_code == 200 and "<html" in page.text and 'id="ws-ticket-form"' in page.text
    assert 'data-field="contact"' in page.text and "人工智能生成" in page.text

    r = agent.post("/hotline/analyse", data={"transcript": "坐" * 20001}, headers={"HX-Request": "true"})
    assert r.status_code == 400 and "过长" in r.text and "too long" in r.text

    r = agent.post("/hotline/save", data={"text": text, "summary": "社保卡", "request_type": "抢劫"},
                   headers={"HX-Request": "true"})
    assert r.status_code == 400 and "request_type" in r.text  # a forged value is refused, nothing stored
    r = agent.post("/hotline/save", data={"text": text, "summary": "社保卡办理", "request_type": "咨询",
                                          "location_text": "广州市天河区五山街道华南路12号", "confidential": "1"},
                   headers={"HX-Request": "true"})
    assert r.status_code == 200 and "data-ticket-id" in r.text
    import re

    from zhengwu.context import Caller
    from zhengwu.hotline.tickets import get_ticket

    tid = int(re.search(r'data-ticket-id="(\d+)"', r.text).group(1))
    t = get_ticket(Caller("agent-f", "default", "agent"), tid)
    assert t["district"] == "天河区" and t["street"] == "五山街道" and t["confidential"] is True
    assert t["channel"] == "电话" and t["request_type"] == "咨询"

    foreign = signed_in(live_server, "agent-g", "default", "agent")
    foreign.headers["Origin"] = "https://evil.example"
    assert foreign.post("/hotline/save", data={"text": text}).status_code == 403  # a cross-site form cannot act
