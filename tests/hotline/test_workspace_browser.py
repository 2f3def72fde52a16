"""The agent workspace in a real browser (Debian chromium driven by Playwright) against the real server: an agent
signs in, pastes a transcript made from a real citizen message and gets a filled ticket (each field's source span
marked, confidence shown), category suggestions, a department, knowledge from a real document, a labelled draft
and its quality check, then saves the ticket; a citizen is refused with 403."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD, make_account
from tests.hotline.workspace_data import CALLER_NAME, CALLER_PHONE, SOCIAL_CARD_MSG, ingest_real_docs, message, transcript


pytestmark = pytest.mark.slow


def _sign_in(page, base: str, username: str) -> None:  # noqa: ANN001
    page.goto(base + "/hotline")
    assert "/login" in page.url  # anonymous: sent to the login page first
    page.fill("#username", username)
    page.fill("#password", TEST_PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(base + "/hotline")


def test_agent_workspace_in_browser(live_server, browser):
    ingest_real_docs()
    make_account("agent-w", "default", "agent")
    make_account("citizen-w", "default", "citizen")
    text = transcript(message(SOCIAL_CARD_MSG))

    ctx = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh"})
    page = ctx.new_page()
    _sign_in(page, live_server, "agent-w")
    expect(page.locator("h1")).to_have_text("坐席工作台")

    page.focus("#ws-transcript")
    page.fill("#ws-transcript", text)
    page.dispatch_event("#ws-transcript", "paste")  # the form fills itself on paste, no button press
    page.wait_for_selector("#ws-ticket-form", timeout=60000)

    expect(page.locator("#ws-caller_name")).to_have_value(CALLER_NAME)
    expect(page.locator("#ws-contact")).to_have_value(CALLER_PHONE)
    assert page.locator('.ws-span[data-field="contact"]').inner_text() == CALLER_PHONE  # the source span is marked
    assert re.search(r"\d+%", page.locator('.ws-field[data-field="caller_name"] .ws-conf').inner_text())
    page.focus("#ws-contact")  # focusing a field highlights where it came from
    expect(page.locator('.ws-span[data-field="contact"]')).to_have_class(re.compile("ws-active"))

    cats = page.locator(".ws-category")
    assert 1 <= cats.count() <= 3
    assert "社会保险" in cats.first.inner_text() or "社会保障" in cats.first.inner_text()
    assert page.input_value("#ws-department").strip()  # a department is suggested

    knowledge = page.locator(".ws-kn-item")
    assert knowledge.count() >= 1
    assert "怎么申领广州市社会保障卡？" in page.locator(".ws-knowledge").inner_text()
    expect(page.locator(".ws-draft .ai-label")).to_have_text("人工智能生成")
    draft = page.input_value("#ws-reply")
    assert draft.startswith("您好") and CALLER_PHONE not in draft

    page.click("#ws-check")
    page.wait_for_selector(".ws-quality-report")
    score = float(page.locator(".ws-score").inner_text())
    assert 0 <= score <= 100
    assert page.locator('.ws-checks li[data-item="greeting"]').get_attribute("data-passed") == "true"
    page.fill("#ws-reply", "不知道，这事不归我们管。")  # a rude reply is caught, with the words that count
    page.click("#ws-check")
    expect(page.locator('.ws-checks li[data-item="forbidden"]')).to_have_attribute("data-passed", "false")
    expect(page.locator('.ws-checks li[data-item="forbidden"]')).to_contain_text("不归我们管")

    page.fill("#ws-summary", "没有社保只有城镇居民医保，怎么办理社保卡")  # the agent corrects a field and saves
    page.click("#ws-save")
    saved = page.locator("#ws-saved [data-ticket-id]")
    saved.wait_for(timeout=30000)
    ticket_id = int(saved.get_attribute("data-ticket-id"))
    r = page.request.get(f"{live_server}/api/hotline/tickets/{ticket_id}")  # the tickets API has the correction
    assert r.status == 200 and r.json()["summary"] == "没有社保只有城镇居民医保，怎么办理社保卡"
    ctx.close()

    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto(live_server + "/login")
    page.fill("#username", "citizen-w")
    page.fill("#password", TEST_PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(live_server + "/")
    resp = page.goto(live_server + "/hotline")
    assert resp.status == 403 and "无权" in page.content()
    ctx.close()
