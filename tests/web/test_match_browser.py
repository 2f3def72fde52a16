"""The policy-matching page in a real browser (Debian chromium driven by Playwright), on the shipped demo
catalogue: a resident describes their situation, answers at most three follow-up questions by clicking, and sees
the schemes with the rule's sentences and the source policies; at phone width, by keyboard, and in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web import test_match_page

# one real server for the module, with the demo catalogue published (the fixtures of test_match_page.py)
match_server, live_server = test_match_page.match_server, test_match_page.live_server

pytestmark = pytest.mark.slow

# What the resident knows of their own situation, by the vocabulary's fact names: used only to answer the
# questions the page chooses to ask (an unlisted fact is answered "不清楚，跳过").
PERSONA = {"ui_contribution_months": "36", "registered_unemployed": True, "job_seeking": True,
           "holds_business_license": False, "receiving_pension": False, "remaining_ui_entitlement": False,
           "residence_permit_local": False}


@pytest.fixture
def phone(browser):
    page = browser.new_page(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh"},
                            viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors  # CSP violations show up as console errors
    return page


def answer_rounds(page) -> int:
    """Answer every question the page asks, by clicking; returns how many were asked."""
    rounds = 0
    while page.locator("#match-question").count():
        rounds += 1
        assert rounds <= 3, "more than three follow-up questions"
        form = page.locator("#match-question")
        fact = form.get_attribute("data-fact")
        legend = page.locator("#match-q")
        expect(legend).to_be_focused()  # focus follows the conversation (keyboard, screen reader)
        value = PERSONA.get(fact)
        if value is None:
            page.click("#answer-skip")
        elif isinstance(value, bool):
            page.click("#answer-yes" if value else "#answer-no")
        else:
            page.fill("#q-value", value)
            page.keyboard.press("Enter")
        expect(page.locator(f"#match-question[data-fact='{fact}']")).to_have_count(0)
    return rounds


def test_describe_answer_and_see_schemes(live_server, phone):
    page = phone
    page.goto(live_server + "/")
    page.click("nav >> text=政策匹配")
    expect(page).to_have_url(live_server + "/match")
    page.fill("#situation", "我今年45岁，广州户籍，上个月被公司裁员了，已经办了失业登记，正在找工作")
    page.click("#match-go")
    page.locator("#match-results").wait_for()
    # what the page understood, shown as editable fields
    expect(page.locator("#fact-age")).to_have_value("45")
    rounds = answer_rounds(page)
    assert 1 <= rounds <= 3
    scheme = page.locator("[data-group=eligible] article[data-scheme='law-失业保险条例-1999-01-22']")
    expect(scheme).to_be_visible()
    expect(scheme).to_contain_text("已办理失业登记，并有求职要求的")       # the rule's own sentence
    expect(scheme.locator(".match-source")).to_contain_text("国务院令第258号")  # 文号
    expect(scheme.locator(".match-decider")).to_contain_text("社会保险经办机构")
    expect(scheme).to_contain_text("仅供参考，不是审批决定")
    expect(page.locator("#match-guidance")).to_contain_text("仅供参考")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling on a phone
    assert not [e for e in page.errors if "Content Security Policy" in e]


def test_keyboard_english_and_bad_input(live_server, phone):
    page = phone
    page.goto(live_server + "/match?lang=en")
    expect(page.locator("h1")).to_have_text("Policy and benefit matching")
    page.locator("#situation").focus()
    page.keyboard.type("我今年200岁")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the submit button, by keyboard
    alert = page.locator("#match-error")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("impossible")
    expect(page.locator("#situation")).to_have_value("我今年200岁")  # the text is kept
    page.fill("#situation", "我今年62岁，广州户籍")
    page.click("#match-go")
    elder = page.locator("[data-group=eligible] article[data-scheme='gz-policy-33']")
    expect(elder).to_be_visible()
    link = elder.locator(".match-source a")
    expect(link).to_have_attribute("href", "https://www.gz.gov.cn/zwgk/fggw/wyzzc/content/post_8300620.html")
    expect(page.locator("#results-h")).to_have_text("Results")
    # the enterprise switch: only enterprise schemes
    page.click("label[for=target-enterprise]")
    page.fill("#situation", "我们是在广州注册的小微企业，现有20名职工")
    page.click("#match-go")
    expect(page.locator("article[data-scheme='gz-policy-15#enterprise']")).to_have_count(1)
    expect(page.locator("article[data-scheme='gz-policy-33']")).to_have_count(0)
    # a server that fails (here: every POST answered 500 by the browser's route) is said, not silent
    page.route("**/match", lambda route: route.fulfill(status=500, content_type="application/json",
                                                       body='{"error": {"code": "internal"}}')
               if route.request.method == "POST" else route.continue_())
    page.click("#match-go")
    expect(page.locator("#match-area [role=alert]")).to_contain_text("12345")
    page.unroute("**/match")
    page.click("#large-font-toggle")
    assert "large-font" in (page.locator("html").get_attribute("class") or "")


def test_whole_page_in_english_has_no_chinese_chrome(live_server, phone):
    """The English page after a match, as the browser shows it: apart from the schemes' own content (names,
    rule sentences, places, offices), the quoted examples and the switch to 中文, nothing is Chinese — 登录 too."""
    import re

    page = phone
    page.goto(live_server + "/match?lang=en")
    page.fill("#situation", "我住在广州，今年70岁，家里是低保户")
    page.click("#match-go")
    page.locator("#match-results").wait_for()
    expect(page.locator("[data-group=elsewhere] h3")).to_contain_text("Schemes of other areas")
    chrome = page.evaluate("""() => {
        const body = document.body.cloneNode(true);
        body.querySelectorAll('article.match-scheme, textarea, input, select, .match-facts dd, [hreflang=zh],'
            + ' #match-unknown-areas, .match-group > p.muted').forEach(e => e.remove());
        return body.innerText; }""")
    chrome = re.sub(r"“[^”]*”", "", chrome)
    for office in page.locator(".match-decider").all_inner_texts():   # the guidance names an office: data too
        chrome = chrome.replace(office, "")
    cjk = re.findall(r"[\u3400-\u9fff]+", chrome)
    assert not cjk, cjk
    expect(page.locator("header")).to_contain_text("Sign in")
