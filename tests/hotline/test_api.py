"""The hotline REST API over the real server, with real accounts: an agent of the centre, an officer of the unit
a ticket goes to, an agent of another department, a citizen — and an attacker forging headers."""

from __future__ import annotations

import io
import json
import time

import httpx
import pytest
from openpyxl import Workbook

from tests.conftest import api_key, signed_in, wait_for

CENTRE, UNIT, OTHER = "hotline-centre", "chengguan", "education"  # department codes (ASCII: they travel in headers)


def test_fill_create_dispatch_reply_close_over_http(live_server, court_filing):
    agent = signed_in(live_server, "agent1", CENTRE, "agent")
    officer = httpx.Client(base_url=live_server, headers=api_key(UNIT, "officer"), timeout=60)

    r = agent.post("/api/hotline/fill", json={"text": court_filing})
    assert r.status_code == 200, r.text
    filled = r.json()
    s, e = filled["contact"]["span"]
    assert court_filing[s:e] == filled["contact"]["value"] == "18629087654"
    assert filled["location"]["value"]["city"] == "西安市"
    assert set(filled["suggestions"]) == {"categories", "department"}

    loc = filled["location"]["value"]
    r = agent.post("/api/hotline/tickets", json={
        "title": "购房定金纠纷", "text": court_filing, "caller_name": filled["caller_name"]["value"],
        "contact": filled["contact"]["value"], "request_type": filled["request_type"]["value"],
        "location_text": loc["text"], "city": loc["city"], "district": loc["district"]})
    assert r.status_code == 201, r.text
    tid = r.json()["id"]

    assert officer.get(f"/api/hotline/tickets/{tid}").status_code == 404  # not dispatched to it yet
    r = agent.post(f"/api/hotline/tickets/{tid}/transition", json={"status": "回访"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "bad_transition"
    assert "可转到" in r.json()["error"]["message_zh"]
    r = agent.post(f"/api/hotline/tickets/{tid}/transition", json={"status": "派单", "department": UNIT})
    assert r.status_code == 200 and r.json()["status"] == "派单"

    got = officer.get(f"/api/hotline/tickets/{tid}").json()
    assert got["contact"] == "18629087654"  # the unit calls back (no confidentiality wish)
    assert officer.post(f"/api/hotline/tickets/{tid}/transition", json={"status": "办理"}).status_code == 200
    r = officer.post(f"/api/hotline/tickets/{tid}/transition", json={"status": "答复", "reply": "已协调退还定金。"})
    assert r.status_code == 200 and r.json()["reply"] == "已协调退还定金。"
    assert officer.patch(f"/api/hotline/tickets/{tid}", json={"urgency": "特急"}).status_code == 403

    r = agent.patch(f"/api/hotline/tickets/{tid}", json={"district": "雁塔区"})
    assert r.status_code == 200 and r.json()["district"] == "雁塔区"
    listed = agent.get("/api/hotline/tickets", params={"status": "答复"}).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == tid
    assert agent.get("/api/hotline/tickets", params={"status": "受理"}).json()["total"] == 0


def test_attackers_get_nothing(live_server, court_filing):
    agent = signed_in(live_server, "agent1", CENTRE, "agent")
    tid = agent.post("/api/hotline/tickets", json={"text": court_filing, "contact": "18629087654"}).json()["id"]

    stranger = httpx.Client(base_url=live_server, headers=api_key(OTHER, "agent"), timeout=60)
    assert stranger.get(f"/api/hotline/tickets/{tid}").status_code == 404
    assert stranger.get("/api/hotline/tickets").json()["total"] == 0
    for path, body in [(f"/api/hotline/tickets/{tid}/transition", {"status": "派单", "department": OTHER}),
                       (f"/api/hotline/tickets/{tid}/merge", {"ticket_ids": [tid]}),
                       (f"/api/hotline/tickets/{tid}/unmerge", {})]:
        assert stranger.post(path, json=body).status_code == 404
    assert stranger.patch(f"/api/hotline/tickets/{tid}", json={"contact": "110"}).status_code == 404

    # forged identity headers without the proxy secret: an anonymous citizen, refused
    forged = httpx.Client(base_url=live_server, timeout=60, headers={
        "X-Zhengwu-User": "agent1", "X-Zhengwu-Department": CENTRE, "X-Zhengwu-Role": "admin",
        "Origin": live_server})
    assert forged.get(f"/api/hotline/tickets/{tid}").status_code == 403
    assert forged.get("/api/hotline/tickets").status_code == 403
    assert forged.post("/api/hotline/tickets", json={"text": "x"}).status_code == 403
    assert forged.post("/api/hotline/fill", json={"text": court_filing}).status_code == 403

    citizen = signed_in(live_server, "resident", CENTRE, "citizen")
    assert citizen.get(f"/api/hotline/tickets/{tid}").status_code == 403

    # a signed-in agent's cookie used from another site: refused before any handler
    cross = httpx.Client(base_url=live_server, timeout=60, cookies=agent.cookies,
                         headers={"Origin": "https://evil.example"})
    assert cross.post("/api/hotline/tickets", json={"text": "x"}).status_code == 403

    # ids that are not ids
    assert agent.get("/api/hotline/tickets/0").status_code == 422
    assert agent.get(f"/api/hotline/tickets/{2 ** 70}").status_code == 422
    assert agent.get(f"/api/hotline/tickets/{tid + 1000}").status_code == 404
    r = agent.post("/api/hotline/tickets", json={"text": "x", "request_type": "<script>"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_ticket_field"
    assert agent.post("/api/hotline/fill", json={"text": "x" * 20001}).status_code == 422
    # and the ticket is unchanged
    assert agent.get(f"/api/hotline/tickets/{tid}").json()["contact"] == "18629087654"


def test_merge_over_http_keeps_every_caller(live_server, court_filing):
    agent = signed_in(live_server, "agent1", CENTRE, "agent")
    ids = [agent.post("/api/hotline/tickets", json={"title": "购房定金纠纷", "text": court_filing,
                                                     "contact": f"1862908765{i}"}).json()["id"] for i in range(3)]
    assert any(c["ticket_id"] == ids[0] for c in agent.get(f"/api/hotline/tickets/{ids[1]}").json()[
        "duplicate_candidates"])
    r = agent.post(f"/api/hotline/tickets/{ids[0]}/merge", json={"ticket_ids": ids[1:]})
    assert r.status_code == 200, r.text
    assert sorted(m["contact"] for m in r.json()["merged"]) == ["18629087651", "18629087652"]
    assert agent.post(f"/api/hotline/tickets/{ids[0]}/merge", json={"ticket_ids": [ids[0]]}).status_code == 400
    assert agent.post(f"/api/hotline/tickets/{ids[2]}/unmerge").status_code == 200
    assert agent.post(f"/api/hotline/tickets/{ids[2]}/unmerge").status_code == 409


def test_xlsx_upload_runs_as_a_background_job(live_server, messages):
    agent = signed_in(live_server, "agent1", CENTRE, "agent")
    wb = Workbook()
    ws = wb.active
    ws.append(["留言编号", "留言主题", "留言详情", "留言时间", "点赞数"])
    for m in messages[:300]:
        ws.append([m["msg_id"], m["title"], m["text"], m["time"], m["likes"]])
    buf = io.BytesIO()
    wb.save(buf)
    r = agent.post("/api/hotline/ingest", files={"file": ("留言.xlsx", buf.getvalue())})
    assert r.status_code == 202, r.text
    job = r.json()
    job = wait_for(lambda: (j := agent.get(f"/api/hotline/ingest/{job['id']}").json())["status"]
                   in ("done", "failed", "interrupted") and j, 120, every=0.5)
    assert job["status"] == "done" and job["created"] == 300 and job["failed"] == 0
    assert agent.get("/api/hotline/tickets", params={"limit": 1}).json()["total"] == 300
    from zhengwu.kb.sources import uploads_root

    assert not list(uploads_root().rglob("留言.xlsx"))  # the citizens' data is not left lying in the upload
    # a sheet without a content column is refused at once, nothing imported
    wb = Workbook()
    wb.active.append(["留言编号", "留言时间"])
    wb.active.append([1, "2019/1/1 10:00:00"])
    buf = io.BytesIO()
    wb.save(buf)
    r = agent.post("/api/hotline/ingest", files={"file": ("缺列.xlsx", buf.getvalue())})
    assert r.status_code == 400 and r.json()["error"]["code"] == "missing_columns"
    other = httpx.Client(base_url=live_server, headers=api_key(OTHER, "agent"), timeout=60)
    assert other.get(f"/api/hotline/ingest/{job['id']}").status_code == 404


@pytest.mark.slow
def test_ten_thousand_tickets_in_one_upload(live_server, messages):
    """A city's morning: 10,000 real messages (the pool, repeated under new ids) in one JSONL upload."""
    agent = signed_in(live_server, "agent1", CENTRE, "agent")
    rows = [{**m, "msg_id": f"{m['msg_id']}-{i // len(messages)}"} for i, m in
            zip(range(10_000), (messages * (10_000 // len(messages) + 1)))]
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    r = agent.post("/api/hotline/ingest", files={"file": ("day.jsonl", body)})
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["total"] == 10_000
    seen = set()
    deadline = time.time() + 900
    while job["status"] not in ("done", "failed", "interrupted") and time.time() < deadline:
        time.sleep(2)
        job = agent.get(f"/api/hotline/ingest/{job['id']}").json()
        seen.add(job["done"])
    assert job["status"] == "done" and job["created"] == 10_000 and job["failed"] == 0
    assert len(seen) > 2  # progress was visible while it ran
    assert agent.get("/api/hotline/tickets", params={"limit": 1}).json()["total"] == 10_000


def test_an_interrupted_import_resumes_over_http(live_server, messages, tmp_path):
    from zhengwu.context import Caller
    from zhengwu.hotline import ingest
    from zhengwu.kb.sources import uploads_root

    agent = signed_in(live_server, "agent1", CENTRE, "agent")
    src = uploads_root() / "crashed" / "day.jsonl"  # as a web upload left it when the server died
    src.parent.mkdir(parents=True)
    src.write_text("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in messages[:700]), encoding="utf-8")
    job = ingest.create_job(src, Caller("agent1", CENTRE, "agent"))

    def crash(done: int, total: int, name: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest.run_job(job["id"], Caller("agent1", CENTRE, "agent"), on_progress=crash)
    stranger = httpx.Client(base_url=live_server, headers=api_key(OTHER, "agent"), timeout=60)
    assert stranger.post(f"/api/hotline/ingest/{job['id']}/resume").status_code == 404
    r = agent.post(f"/api/hotline/ingest/{job['id']}/resume")
    assert r.status_code == 202 and r.json()["done"] == ingest.BATCH
    deadline = time.time() + 120
    while r.json()["status"] != "done" and time.time() < deadline:
        time.sleep(0.5)
        r = agent.get(f"/api/hotline/ingest/{job['id']}")
    assert r.json()["created"] == 700
    while src.exists() and time.time() < deadline:  # removed by the job's thread just after it records "done"
        time.sleep(0.1)
    assert not src.exists()
    assert agent.get("/api/hotline/tickets", params={"limit": 1}).json()["total"] == 700
