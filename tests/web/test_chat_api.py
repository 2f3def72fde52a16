"""Q&A over HTTP against the real server: JSON ask, SSE chat with conversation ids, feedback, guided service,
the chat page (no-JS path), the widget script."""

from __future__ import annotations

import json

import httpx

from tests.qa.conftest import REAL_DOCS, ingest


def _sse(resp: httpx.Response) -> list[tuple[str, dict]]:
    events = []
    for block in resp.text.split("\n\n"):
        ev, data = "message", ""
        for line in block.splitlines():
            if line.startswith("event:"):
                ev = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].strip()
        if data:
            events.append((ev, json.loads(data)))
    return events


def test_ask_chat_feedback_over_http(live_server):
    ingest(REAL_DOCS)
    with httpx.Client(base_url=live_server, timeout=30) as c:
        r = c.post("/api/ask", json={"question": "春节放假几天？"})
        assert r.status_code == 200
        d = r.json()
        assert d["ai_label"] == "人工智能生成" and d["AIGC"]["Label"] == "1" and d["audit_id"]
        assert d["citations"][0]["external_id"] == "lrb-a719366336c28362" and "4天" in d["answer"]

        r = c.post("/api/chat", json={"question": "社保卡怎么申领？"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        ev = _sse(r)
        kinds = [e for e, _ in ev]
        assert kinds[0] == "meta" and kinds[-1] == "done" and kinds.count("delta") >= 2
        done = ev[-1][1]
        assert "".join(d["text"] for e, d in ev if e == "delta") == done["answer"]
        cid = ev[0][1]["conversation_id"]
        assert done["conversation_id"] == cid and done["citations"][0]["external_id"] == "gz-guide-22"

        r = c.post("/api/chat", json={"question": "那需要带什么材料？", "conversation_id": cid})
        done2 = _sse(r)[-1][1]
        assert done2["conversation_id"] == cid and done2["followup"] is True
        assert "申领人本人有效身份证件原件" in done2["answer"]

        conv = c.get(f"/api/conversations/{cid}").json()
        assert [t["question"] for t in conv["turns"]] == ["社保卡怎么申领？", "那需要带什么材料？"]

        fb = c.post("/api/feedback", json={"turn_id": done2["turn_id"], "rating": -1})
        assert fb.status_code == 200 and fb.json()["rating"] == -1
        assert c.post("/api/feedback", json={"turn_id": done2["turn_id"], "rating": 5}).status_code == 400

        # errors: JSON body for /api/ask, an error event for the stream
        r = c.post("/api/ask", json={"question": "x" * 10_000})
        assert r.status_code == 413 and r.json()["error"]["code"] == "question_too_long"
        ev = _sse(c.post("/api/chat", json={"question": ""}))
        assert ev == [("error", ev[0][1])] and ev[0][1]["code"] == "question_empty"

        # the page renders the conversation server-side, with the label and the sources
        page = c.get(f"/chat?conversation_id={cid}").text
        assert "人工智能生成" in page and "怎么申领广州市社会保障卡？" in page and 'aria-live="polite"' in page
        # no-JavaScript path
        page = c.post("/chat", data={"question": "春节放假几天？"}).text
        assert "全国年节及纪念日放假办法" in page and "4天" in page


def test_guide_pages_widget_and_home(live_server):
    with httpx.Client(base_url=live_server, timeout=30) as c:
        services = c.get("/api/guide/services").json()
        assert any(s["id"] == "gz-guide-22" for s in services)
        step = c.post("/api/guide/start", json={"text": "我是广州户籍，想给孩子办社保卡"}).json()
        assert step["item"] == "gz-guide-22" and step["question"]["id"] == "identity"  # two answers recognised
        while not step["done"]:
            q = step["question"]
            step = c.post("/api/guide/answer", json={"state": step["state"], "question_id": q["id"],
                                                     "value": q["options"][0]["value"]}).json()
        assert step["eligible"] and any("法定监护人" in m for m in step["checklist"]["materials"])
        bad = c.post("/api/guide/answer", json={"state": step["state"], "question_id": "channel", "value": "??"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "guide_bad_answer"

        page = c.get("/guide/gz-guide-22").text
        assert "您是广州市（本市）户籍吗？" in page and "<fieldset>" in page
        js = c.get("/widget.js")
        assert js.status_code == 200 and "javascript" in js.headers["content-type"] and "/chat?embed=1" in js.text
        embed = c.get("/chat?embed=1").text
        assert "site-header" not in embed and 'id="chat-form"' in embed
        home = c.get("/").text
        assert 'href="/chat"' in home and 'href="/guide"' in home and "widget.js" in home
