"""The hotspot dashboard and its API over the real HTTP server, and the page in a real browser (chromium).

Tickets are real citizen messages from the evaluation pool, stored through the ticket service; the page and
the API are for the department's managers and administrators, not for citizens or agents."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import EVAL, TEST_PASSWORD, make_account, signed_in
from zhengwu.context import Caller
from zhengwu.hotline.hotspots import mine, parse_time, read_messages

POOL = EVAL / "citizen_messages" / "hotspot_pool.jsonl"
pytestmark = pytest.mark.skipif(not POOL.is_file(), reason=f"evaluation data not present: {POOL}")
DEPT = "city-12345"


def _store_pool_sample() -> dict:
    """The pool's hottest topic and 80 other messages as tickets of DEPT; returns the hottest topic."""
    from zhengwu.hotline.tickets import create_ticket

    rows, _ = read_messages(POOL)
    top = mine(rows, top=1)[0]
    members = set(top.msg_ids)
    chosen = [r for r in rows if r["msg_id"] in members] + [r for r in rows[:80] if r["msg_id"] not in members]
    agent = Caller("agent1", DEPT, "agent")
    for r in chosen:
        create_ticket(agent, {"title": r["title"], "text": r["text"][:2000], "likes": int(r.get("likes") or 0),
                              "received_at": parse_time(r["time"]).isoformat(), "external_id": str(r["msg_id"])})
    return {"size": top.size, "titles": {r["title"] for r in chosen if r["msg_id"] in members}}


def test_api_and_reports_for_managers_only(live_server):
    top = _store_pool_sample()
    boss = signed_in(live_server, "boss", DEPT, "manager")
    r = boss.get("/api/hotline/hotspots", params={"top": 5})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["department"] == DEPT and len(data["topics"]) == 5
    first = data["topics"][0]
    assert first["rank"] == 1 and first["size"] >= 0.9 * top["size"]
    assert {t["title"] for t in first["tickets"]} <= top["titles"]
    assert [t["heat"] for t in data["topics"]] == sorted((t["heat"] for t in data["topics"]), reverse=True)
    assert boss.get("/api/hotline/hotspots", params={"top": 0}).status_code == 400
    # the pool's messages are from 2019-2020: none falls in the last 30 days
    recent = boss.get("/api/hotline/hotspots", params={"top": 5, "days": 30}).json()
    assert recent["days"] == 30 and recent["topics"] == []
    docx = boss.get("/hotline/hotspots/report.docx", params={"top": 5})
    assert docx.status_code == 200 and docx.content[:2] == b"PK" and "attachment" in docx.headers["content-disposition"]
    page = boss.get("/hotline/hotspots/report.html", params={"top": 5})
    assert page.status_code == 200 and "<svg" in page.text and first["label"] in page.text

    anonymous = httpx.get(live_server + "/api/hotline/hotspots")
    assert anonymous.status_code == 403 and anonymous.json()["error"]["message_en"]
    agent = signed_in(live_server, "agent2", DEPT, "agent")
    assert agent.get("/api/hotline/hotspots").status_code == 403
    assert agent.get("/hotline/hotspots/report.docx").status_code == 403
    other = signed_in(live_server, "boss-b", "other-city", "manager")
    assert other.get("/api/hotline/hotspots").json()["topics"] == []


@pytest.mark.slow
def test_dashboard_in_a_real_browser(live_server, browser, tmp_path):
    top = _store_pool_sample()
    make_account("leader", DEPT, "manager")
    ctx = browser.new_context(locale="zh-CN", accept_downloads=True,
                              extra_http_headers={"Accept-Language": "zh-CN,zh"})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Failed to load" not in m.text
            else None)
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    page.goto(live_server + "/hotline/hotspots?top=6")
    assert "/login" in page.url
    page.fill("#username", "leader")
    page.fill("#password", TEST_PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(live_server + "/hotline/hotspots?top=6")
    page.wait_for_selector("#chart-heat[data-rendered='1'] svg")
    page.wait_for_selector("#chart-trend[data-rendered='1'] svg")
    assert page.locator("#table-topics tbody tr").count() == 6
    row = page.locator("#table-topics tbody tr").first
    row.locator("summary").click()
    items = row.locator("ul.topic-tickets li")
    assert items.count() >= 0.9 * top["size"] or items.count() == 50
    assert any(t in items.first.inner_text() for t in top["titles"])
    with page.expect_download() as dl:
        page.click("#report-docx")
    saved = tmp_path / "report.docx"
    dl.value.save_as(saved)
    assert saved.stat().st_size > 5000 and saved.read_bytes()[:2] == b"PK"
    assert not errors, errors  # no CSP violation or script error
    # a citizen's session cannot open the page
    make_account("citizen1", DEPT, "citizen")
    other = browser.new_context(locale="zh-CN")
    p2 = other.new_page()
    p2.goto(live_server + "/login")
    p2.fill("#username", "citizen1")
    p2.fill("#password", TEST_PASSWORD)
    p2.click("form.login-form button[type=submit]")
    p2.wait_for_url(live_server + "/")
    resp = p2.goto(live_server + "/hotline/hotspots")
    assert resp.status == 403 and p2.locator("#hotspots-error").is_visible()


def test_generated_requests_to_the_api_get_no_server_error(live_server, tmp_path):
    """Schemathesis against the real server's schema, as a manager with tickets in the department."""
    from tests.conftest import api_key, run_schemathesis

    _store_pool_sample()
    run = run_schemathesis(live_server, tmp_path, r"^/api/hotline/hotspots$", max_examples=30,
                           authorization=api_key(DEPT, "manager")["Authorization"], request_timeout=60)
    out = run.stdout + run.stderr
    assert "Tested: 1" in out and "30 passed" in out, out[-3000:]
    assert run.returncode == 0, out[-6000:]
