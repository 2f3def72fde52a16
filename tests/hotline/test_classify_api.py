"""Classification and dispatch over the real HTTP server: staff only, per department, bad input refused clearly."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.conftest import EVAL, api_key, session_headers

LABELED = EVAL / "citizen_messages" / "labeled.dev.jsonl"


@pytest.mark.skipif(not LABELED.exists(), reason=f"evaluation data missing: {LABELED}")
def test_classify_correct_and_duty_endpoints(live_server):
    from zhengwu.context import Caller
    from zhengwu.hotline.classify import train

    rows = [json.loads(x) for x in LABELED.read_text(encoding="utf-8").splitlines() if x.strip()]
    train(Caller("admin1", "city12345", "admin"), rows[:300], label_field="label_l1")
    agent = httpx.Client(base_url=live_server, headers=api_key("city12345", "agent"), timeout=60)
    r = agent.post("/api/hotline/classify", json={"title": rows[400]["title"], "text": rows[400]["text"],
                                                  "area": "岳麓区"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert len(d["suggestions"]) == 3 and d["suggestions"][0]["source"] == "model"
    assert d["department"].startswith("岳麓区")
    # another department: no model there, keyword suggestions from the default tree
    other = httpx.Client(base_url=live_server, headers=api_key("county12345", "agent"), timeout=60)
    assert all(s["source"] == "keywords" for s in other.post("/api/hotline/classify", json=rows[400]).json()["suggestions"])

    assert agent.post("/api/hotline/classify/corrections",
                      json={"title": rows[401]["title"], "text": rows[401]["text"], "path": [rows[401]["label_l1"]]}
                      ).json() == {"ok": True}
    bad = agent.post("/api/hotline/classify/corrections", json={"title": "x", "text": "y", "path": ["没有这类"]})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "category_unknown"

    assert agent.get("/api/hotline/taxonomy").json()["source"] == "default"
    assert agent.post("/api/hotline/duty", json={"category": "教育文体", "responsible": "某局"}).status_code == 403
    admin = httpx.Client(base_url=live_server, headers=session_headers(live_server, "duty-admin", "city12345", "admin"),
                         timeout=60)
    r = admin.post("/api/hotline/duty", json={"category": "教育文体/基础教育", "responsible": "{area}教育局基教科"})
    assert r.status_code == 200, r.text
    assert agent.get("/api/hotline/duty").json()[0]["responsible"] == "{area}教育局基教科"
    assert other.get("/api/hotline/duty").json()[0]["source"] == "default"


def test_citizens_and_bad_bodies_are_refused(live_server):
    anon = httpx.Client(base_url=live_server, timeout=30)
    r = anon.post("/api/hotline/classify", json={"title": "小区停水", "text": "自来水停了"})
    assert r.status_code in (401, 403)
    agent = httpx.Client(base_url=live_server, headers=api_key("city12345", "agent"), timeout=30)
    assert agent.post("/api/hotline/classify", json={"title": " ", "text": ""}).status_code == 400
    assert agent.post("/api/hotline/classify", json={"title": "x", "text": "y" * 20001}).status_code in (400, 422)
    assert agent.post("/api/hotline/classify", json={"title": "x", "k": 99}).status_code in (400, 422)
    assert agent.post("/api/hotline/classify", content=b"\xff\xfe", headers={"Content-Type": "application/json"}
                      ).status_code in (400, 422)
    r = agent.post("/api/hotline/classify", json={"title": "小区自来水停水", "text": "停水三天，水压不足"})
    assert r.status_code == 200 and r.json()["suggestions"][0]["path"][0] == "城乡建设"
