"""The office page in a real browser (Debian chromium driven by Playwright): fill the form, see the 公文 preview
with its red mark and title, see the check results, draft from key points, download the DOCX."""

from __future__ import annotations

import re
import zipfile

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow


@pytest.fixture
def browser_page(browser):
    return browser.new_page(accept_downloads=True, locale="zh-CN",
                            extra_http_headers={"Accept-Language": "zh-CN,zh"})


def test_office_page_in_browser(live_server, browser_page, tmp_path):
    page = browser_page
    page.goto(live_server + "/office")
    page.select_option("#f-type", "通知")
    page.fill("#f-issuer", "国务院办公厅")
    page.fill("#f-number", "国办发〔2019〕3号")
    page.fill("#f-recipients", "各省、自治区、直辖市人民政府，国务院各部委、各直属机构")
    page.fill("#f-title", "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知")
    page.fill("#f-body", "为落实相关要求，经国务院同意，现就开展治理工作有关事项通知如下：\n\n一、总体要求\n\n"
                         "聚焦小区配套幼儿园规划、建设、移交、办园等环节存在的突出问题开展治理。\n\n特此通知。")
    page.fill("#f-signature", "国务院办公厅")
    page.fill("#f-date", "2019年1月9日")

    mark = page.locator("#gw-mark")
    mark.wait_for()
    expect(mark).to_contain_text("国务院办公厅文件")  # (no page-side eval: the CSP forbids it)
    color = ""
    for _ in range(50):  # the preview is swapped in by htmx as the form changes: read it once it has settled
        page.wait_for_load_state("networkidle")
        color = page.locator("#gw-mark").evaluate("el => el.isConnected ? getComputedStyle(el).color : ''")
        if color:
            break
        page.wait_for_timeout(100)
    r, g, b = [int(x) for x in color[color.index("(") + 1:color.index(")")].split(",")[:3]]
    assert r > 180 and g < 60 and b < 60, color  # the red issuing-body mark
    expect(page.locator("#gw-title")).to_contain_text("城镇小区配套幼儿园治理工作")
    assert page.locator(".gw-sep").count() == 1
    checks = page.locator("#check-results")
    assert checks.is_visible() and "格式检查" in checks.inner_text()

    # A padded date is reported by the checks (the spec loader normalises it and says so).
    page.wait_for_selector("#check-ok")  # the complete, correct notice passes the check
    page.fill("#f-date", "2019年01月09日")
    expect(page.locator("#check-results")).to_contain_text("2019年1月9日")
    page.wait_for_selector("#check-results .office-violations li")  # the text checker flags the padded date itself
    page.fill("#f-date", "2019年1月9日")
    page.wait_for_selector("#check-ok")

    with page.expect_download() as info:
        page.click("#download-docx")
    path = tmp_path / "doc.docx"
    info.value.save_as(path)

    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    assert "城镇小区配套幼儿园治理工作的通知" in text and "国办发〔2019〕3号" in text
    assert "聚焦小区配套幼儿园规划" in text

    # Drafting from key points fills the body with the skeleton; the preview follows.
    page.fill("#f-title", "")
    page.fill("#f-subject", "开展城镇小区配套幼儿园治理工作")
    page.fill("#f-points", "摸底排查，列出清单、建立台账\n全面整改，逐一进行整改")
    page.click("#draft-btn")
    expect(page.locator("#f-body")).to_have_value(re.compile("一、摸底排查"))
    body = page.input_value("#f-body")
    assert "一、摸底排查，列出清单、建立台账。" in body and "二、全面整改，逐一进行整改。" in body
    assert page.input_value("#f-title") == "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知"

    # Simplify tab: readability before/after appears.
    page.click("#tab-simplify")
    page.fill("#simp-text", "用人单位应当自用工之日起三十日内为其职工向社会保险经办机构申请办理社会保险登记；"
                            "逾期未办理的，由社会保险行政部门责令限期改正。")
    page.click("#simp-go")
    page.wait_for_selector(".office-readability")
    assert "30日内" in page.inner_text("#simplify-result")
