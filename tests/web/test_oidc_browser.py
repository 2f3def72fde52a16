"""统一身份认证 in a real browser (Debian chromium + Playwright) against the real provider: the site is opened as
http://localhost:PORT and the provider lives at http://127.0.0.1:PORT, so the redirect back from the provider is
a genuinely cross-site navigation. It proves the cookie design: the SameSite=Lax binding cookie comes back with
the callback, and the SameSite=Strict session cookie set there is sent on the same-site hop to `next`."""

from __future__ import annotations

import pytest

from tests.web.test_oidc import provider, set_claims, site  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow


def test_sign_on_in_a_browser_across_sites(site, provider, browser):  # noqa: F811
    set_claims(provider, "sub-browser-li", {"preferred_username": "li.si", "name": "李四", "department": "health",
                                            "role": "agent"})
    local = site.replace("127.0.0.1", "localhost")
    page = browser.new_page(locale="zh-CN")
    page.goto(local + "/login?next=/chat")
    page.get_by_role("link", name="统一身份认证登录").click()
    page.wait_for_url(provider + "/oauth2/authorize**")
    page.get_by_placeholder("sub").fill("sub-browser-li")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(local + "/chat")  # callback page -> meta refresh -> next
    me = page.evaluate("fetch('/api/me').then(r => r.json())")
    assert me == {"user": "li.si", "department": "health", "role": "agent", "signed_in": True}
    cookies = {c["name"]: c for c in page.context.cookies(local)}
    assert cookies["zw_session"]["sameSite"] == "Strict" and cookies["zw_session"]["httpOnly"]
    assert not [c for c in page.context.cookies(local + "/auth/oidc/callback") if c["name"] == "zw_oidc"]  # used up
