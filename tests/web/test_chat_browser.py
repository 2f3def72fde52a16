"""The public chat page in a real browser (Debian chromium driven by Playwright): a multi-turn conversation over
real documents, streamed answers with visible sources and the AI label, feedback, keyboard use, large-font mode."""

from __future__ import annotations


import pytest

from tests.qa.conftest import REAL_DOCS, ingest

pytestmark = pytest.mark.slow


@pytest.fixture
def browser_page(browser):
    return browser.new_page(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh"},
                            viewport={"width": 390, "height": 844})  # a phone


def test_multi_turn_chat_in_browser(live_server, browser_page):
    ingest(REAL_DOCS)
    page = browser_page
    page.goto(live_server + "/chat")
    assert page.locator("label[for=question]").inner_text() == "您的问题"
    assert page.locator("#chat-log").get_attribute("aria-live") == "polite"

    page.fill("#question", "社保卡怎么申领？")
    page.keyboard.press("Enter")  # keyboard only
    first = page.locator(".chat-turn").nth(0)
    first.locator(".feedback:not([hidden])").wait_for(timeout=20000)
    assert first.locator("[data-ai-label]").inner_text() == "人工智能生成"
    assert first.locator("[data-ai-label]").is_visible()
    assert "怎么申领广州市社会保障卡？" in first.locator(".chat-sources").inner_text()
    assert "[1]" in first.locator(".chat-a-text").inner_text()
    assert first.locator(".chat-note a[href='/guide/gz-guide-22']").count() == 1  # the guided service is offered

    page.fill("#question", "那需要带什么材料？")
    page.click("#ask-btn")
    second = page.locator(".chat-turn").nth(1)
    second.locator(".feedback:not([hidden])").wait_for(timeout=20000)
    text = second.locator(".chat-a-text").inner_text()
    assert "申领人本人有效身份证件原件" in text
    assert "申领所需材料" in second.locator(".chat-sources").inner_text()
    assert second.locator("[data-ai-label]").is_visible()
    conv = page.input_value("#conversation_id")
    assert len(conv) == 32

    second.locator("button.fb[data-rating='1']").click()
    page.wait_for_function("document.querySelectorAll('.chat-turn')[1].querySelector('.feedback').dataset.sent === '1'")
    assert second.locator("button.fb[data-rating='1']").get_attribute("aria-pressed") == "true"

    # a question with no basis: said plainly, hotline offered
    page.fill("#question", "火星移民签证怎么办理？")
    page.keyboard.press("Enter")
    third = page.locator(".chat-turn").nth(2)
    third.locator(".feedback:not([hidden])").wait_for(timeout=20000)
    assert "12345" in third.locator(".chat-a-text").inner_text()

    # an empty question: a clear message, nothing sent
    page.fill("#question", "")
    page.click("#ask-btn")
    assert page.locator(".chat-turn").count() == 3

    # large-font mode from the shared layout
    page.click("#large-font-toggle")
    assert "large-font" in (page.locator("html").get_attribute("class") or "")

    # the server-rendered conversation (reload) keeps turns, sources and labels
    page.goto(f"{live_server}/chat?conversation_id={conv}")
    assert page.locator(".chat-turn").count() == 3
    assert page.locator(".ai-label").nth(1).inner_text() == "人工智能生成"


def test_waiting_state_and_feedback_only_when_finished(live_server, browser_page):
    """While the answer is on its way the turn says "正在查找…" and offers no feedback buttons; once the answer
    is finished the waiting note is gone and the buttons appear."""
    ingest(REAL_DOCS)
    page = browser_page
    # hold every chat request back 1.5 s so that the waiting state can be seen
    page.add_init_script("""(() => { const f = window.fetch; window.fetch = (u, o) =>
        (String(u).indexOf('/api/chat') !== -1 ? new Promise(r => setTimeout(r, 1500)).then(() => f(u, o)) : f(u, o)); })();""")
    page.goto(live_server + "/chat")
    page.fill("#question", "社保卡怎么申领？")
    page.keyboard.press("Enter")
    turn = page.locator(".chat-turn").nth(0)
    waiting = turn.locator(".chat-waiting")
    waiting.wait_for(state="visible", timeout=5000)
    assert waiting.inner_text() == "正在查找…"
    assert not turn.locator(".feedback").is_visible()
    assert not turn.locator("button.fb").first.is_visible()
    turn.locator(".feedback:not([hidden])").wait_for(timeout=20000)
    assert turn.locator(".chat-waiting").count() == 0
    assert turn.locator("button.fb").first.is_visible()
    assert "[1]" in turn.locator(".chat-a-text").inner_text()
