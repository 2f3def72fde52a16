"""The admin console in a real browser (Debian chromium driven by Playwright) against the real `zhengwu serve`.

An administrator signs in through the login page, creates a department, a user and a knowledge base, uploads a
real document, approves a scenario another administrator created, is refused approving their own (four eyes,
shown on the page), and finds the new user's activity in the audit log. A user of department A sees nothing
of department B's documents through the pages or the API, and a form on another site cannot act (403).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest

from tests.conftest import FIXTURES, TEST_PASSWORD, make_account, signed_in

pytestmark = pytest.mark.slow

DOC = FIXTURES / "guofa_2019_5_shuangsuiji.docx"


def _sign_in(page, base: str, target: str, username: str, password: str = TEST_PASSWORD) -> None:  # noqa: ANN001
    page.goto(base + target)
    assert "/login" in page.url  # anonymous: sent to the login page, coming back afterwards
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(base + target)


def _foreign_department_with_a_document() -> None:
    """Department B (bureau-b) with its own knowledge base holding a real document."""
    from zhengwu.context import Caller
    from zhengwu.kb.ingest import ingest_paths

    make_account("li", "bureau-b", "officer")
    rep = ingest_paths([FIXTURES / "gz_guide_06_resident_medical_insurance.docx"], kb="b-secret",
                       caller=Caller("li", "bureau-b", "officer"))
    assert not rep.failed


def test_administrator_console_end_to_end(live_server, browser, tmp_path):
    base = live_server
    make_account("root", "prov", "admin")
    _foreign_department_with_a_document()
    # another administrator registers a scenario through the API (it needs a second pair of eyes)
    other = signed_in(base, "admin2", "prov", "admin")
    assert other.post("/api/scenarios", json={"id": "hotline_summary", "name_zh": "热线工单摘要",
                                              "risk": "medium"}).status_code == 201

    ctx = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh"})
    page = ctx.new_page()
    _sign_in(page, base, "/admin/departments", "root")
    assert page.locator(".admin-menu a[aria-current=page]").inner_text() == "部门"

    # a department below ours
    page.fill("#nd-code", "city-a")
    page.fill("#nd-name", "甲市")
    page.select_option("#nd-parent", "prov")
    page.click("#dept-create button[type=submit]")
    assert "已创建部门 city-a" in page.locator(".notice.ok").inner_text()
    assert "甲市" in page.locator("#dept-prov #dept-city-a").inner_text()

    # a user in it
    page.goto(base + "/admin/users")
    page.fill("#nu-username", "zhang")
    page.fill("#nu-display", "张三")
    page.select_option("#nu-dept", "city-a")
    page.select_option("#nu-role", "officer")
    page.fill("#nu-password", "Xian-Pass-2026!")
    page.click("#user-create button[type=submit]")
    assert "已创建用户 zhang" in page.locator(".notice.ok").inner_text()
    assert "city-a" in page.locator("#user-zhang").inner_text()
    # one's own role cannot be changed: there is no form for it
    assert page.locator("#user-root form").count() == 0

    # a knowledge base, and a real document uploaded into it
    page.goto(base + "/admin/kb")
    page.fill("#kb-name", "政策文件")
    page.fill("#kb-desc", "国务院文件")
    page.click("#kb-create button[type=submit]")
    assert "政策文件" in page.locator(".notice.ok").inner_text()
    assert page.locator("text=b-secret").count() == 0  # department B's knowledge base is not listed
    page.click("a:text('政策文件')")
    page.set_input_files("#kb-files", str(DOC))
    with page.expect_navigation():  # the page reloads after a successful upload
        page.click("#kb-upload button[type=submit]")
    row = page.locator("table.admin-docs tbody tr").first
    assert "国发〔2019〕5号" in row.inner_text()
    assert row.locator(".doc-file").inner_text() == DOC.name  # the file's name, never a server path
    assert "/" not in row.locator(".doc-file").inner_text()
    assert page.locator("table.admin-docs tbody tr").count() == 1

    # four eyes: the scenario admin2 registered is approved by root; root's own one is refused, visibly
    page.goto(base + "/admin/scenarios")
    assert "admin2" in page.locator("#scenario-hotline_summary .created-by").inner_text()
    page.click("#scenario-hotline_summary button:text('批准')")
    assert "已批准场景 hotline_summary" in page.locator(".notice.ok").inner_text()
    assert "批准人 root" in page.locator("#scenario-hotline_summary .approval").inner_text()
    page.fill("#sc-id", "my_own")
    page.fill("#sc-name", "自建场景")
    page.click("#scenario-create button[type=submit]")
    assert "须由另一位管理员批准" in page.locator("#scenario-my_own").inner_text()
    page.click("#scenario-my_own button:text('批准')")
    alert = page.locator(".notice.error[role=alert]")
    assert "四眼原则" in alert.inner_text()
    assert "未批准" in page.locator("#scenario-my_own .approval").inner_text()

    # the new user signs in (a browser of their own) and looks for department B's documents: nothing
    zctx = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh"})
    zpage = zctx.new_page()
    _sign_in(zpage, base, "/admin/kb", "zhang", "Xian-Pass-2026!")
    assert zpage.locator("text=b-secret").count() == 0
    resp = zpage.goto(base + "/admin/kb/b-secret")
    assert resp.status == 404 and "不存在" in zpage.locator("[role=alert]").inner_text()
    api = zctx.request
    assert api.get(base + "/api/kb/b-secret/documents").status == 404
    assert all(k["name"] != "b-secret" for k in api.get(base + "/api/kb").json()["knowledge_bases"])
    hits = api.post(base + "/api/search", data={"q": "城乡居民医保", "kb": "b-secret"}, headers={"Origin": base})
    assert hits.status == 404 or hits.json()["hits"] == []
    resp = zpage.goto(base + "/admin/users")  # an officer is not an administrator
    assert resp.status == 403 and "无权访问" in zpage.locator("h1").inner_text()
    zctx.close()

    # the administrator sees the user's activity in the audit log (search by user)
    page.goto(base + "/admin/audit")
    assert page.locator("[data-verify=ok]").count() == 1
    page.fill("#a-user", "zhang")
    page.click("#audit-search button[type=submit]")
    page.wait_for_url(re.compile(r".*[?&]user=zhang(&|$)"))  # the results page loaded, not only its URL committed
    rows = page.locator("table.gw-audit tbody tr")
    assert rows.count() >= 1
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert all("\tzhang\t" in x for x in texts)
    assert any("\tlogin\t" in x for x in texts) and any("kb_search" in x for x in texts)  # signed in, searched
    page.fill("#a-user", "root")
    page.fill("#a-action", "scenario_approve_refused")
    page.click("#audit-search button[type=submit]")
    page.wait_for_url(re.compile(r".*action=scenario_approve_refused.*"))
    assert "my_own" in page.locator("table.gw-audit tbody tr").first.inner_text()

    # a form on another site (its own server, another origin) cannot act: 403, nothing changes
    site = tmp_path / "evil-site"
    site.mkdir()
    (site / "evil.html").write_text(
        f'<form method="post" action="{base}/admin/scenarios/hotline_summary/revoke" id="f">'
        '<button id="go">go</button></form>', encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{evil.server_port}/evil.html")
        with page.expect_response(re.compile(r".*/admin/scenarios/hotline_summary/revoke$")) as info:
            page.click("#go")
        assert info.value.status == 403 and "cross_site_request" in info.value.text()
    finally:
        evil.shutdown()
    page.goto(base + "/admin/scenarios")
    assert "已批准" in page.locator("#scenario-hotline_summary .approval").inner_text()
    ctx.close()
