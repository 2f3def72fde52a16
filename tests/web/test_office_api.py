"""REST endpoints of the writing area and the office page, over the real server."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import httpx

from tests.conftest import api_key
import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "writing" / "fixtures"
def _headers() -> dict:
    """A clerk's application key (officer of gov-office)."""
    return api_key("gov-office", "officer", app="office-tests")
NOTICE = {"type": "通知", "issuer": "国务院办公厅", "recipients": ["各省、自治区、直辖市人民政府"],
          "points": ["摸底排查，列出清单、建立台账", "全面整改，逐一进行整改"],
          "subject": "开展城镇小区配套幼儿园治理工作", "number": "国办发〔2019〕3号", "date": "2019年1月9日"}


def _audit_scenarios() -> list[str]:
    from sqlalchemy import select

    from zhengwu.gateway.models import AuditRecord
    from zhengwu.store.db import session_scope

    with session_scope() as s:
        return list(s.scalars(select(AuditRecord.scenario)))


def test_writing_api_and_office_page(live_server):
    c = httpx.Client(base_url=live_server, headers=_headers(), timeout=60)
    r = c.post("/api/write/draft", json=NOTICE)
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["mode"] == "template" and d["label"] is None and d["ai_generated"] is False
    assert d["spec"]["title"] == "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知"
    assert d["spec"]["body"].endswith("特此通知。")

    bad = c.post("/api/write/draft", json={"type": "通知", "issuer": "", "points": []})
    assert bad.status_code == 400 and "发文机关" in bad.json()["error"]["message_zh"]

    transcript = (FIXTURES / "kindergarten_meeting_transcript.txt").read_text(encoding="utf-8")
    m = c.post("/api/write/minutes", json={"transcript": transcript, "meeting": "治理工作部署会"}).json()
    assert any("成立城镇小区配套幼儿园治理工作小组" in x["text"] for x in m["decisions"])
    assert all(a["lines"] for a in m["actions"]) and m["spec"]["type"] == "纪要"

    article = json.loads((FIXTURES / "laws_articles_sample.jsonl").read_text(encoding="utf-8").splitlines()[5])
    s = c.post("/api/write/simplify", json={"text": article["text"], "audience": "通俗版"}).json()
    assert s["mode"] == "rules" and s["readability"]["after"]["avg_sentence_len"] <= \
        s["readability"]["before"]["avg_sentence_len"]
    en = c.post("/api/write/simplify", json={"text": article["text"], "audience": "English"}).json()
    assert en["mode"] == "unavailable" and en["text"] == ""

    long_text = "\n".join(json.loads(x)["text"] for x in
                          (FIXTURES / "laws_articles_sample.jsonl").read_text(encoding="utf-8").splitlines()[:12])
    sm = c.post("/api/write/summarize", json={"text": long_text, "ratio": 0.2}).json()
    assert sm["mode"] == "extractive" and 0 < sm["chars_out"] < sm["chars_in"]

    chk = c.post("/api/write/check", json={"spec": {**d["spec"], "number": "", "signature": ""}}).json()
    assert chk["ok"] is False and any("number" in v["message_en"] for v in chk["violations"])

    scenarios = _audit_scenarios()
    for sc in ("doc_draft", "meeting_minutes", "simplify", "doc_summary"):
        assert sc in scenarios, (sc, scenarios)

    # the office page and its live preview
    page = c.get("/office")
    assert page.status_code == 200 and 'id="doc-form"' in page.text and "/static/htmx.min.js" in page.text
    form = {"type": "通知", "issuer": "国务院办公厅", "number": "国办发〔2019〕3号",
            "title": "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知", "recipients": "各省、自治区、直辖市人民政府",
            "body": "一、总体要求\n\n二、工作任务", "signature": "国务院办公厅", "date": "2019年1月9日"}
    prev = c.post("/office/preview", data=form)
    assert prev.status_code == 200
    assert '<div class="gw-mark" id="gw-mark">国务院办公厅文件</div>' in prev.text
    assert "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知" in prev.text
    assert 'class="gw-p gw-h1">一、总体要求' in prev.text
    bad = c.post("/office/preview", data={**form, "date": "2019年01月09日", "number": "国办发[2019]3号"})
    assert bad.status_code == 200 and 'class="office-violations"' in bad.text and "国办发〔2019〕3号" in bad.text
    drafted = c.post("/office/draft", data={**form, "points": "摸底排查\n全面整改", "subject": "开展治理工作",
                                              "title": "", "body": ""}, headers={"HX-Request": "true"})
    assert drafted.status_code == 200 and "特此通知。" in drafted.text and 'id="doc-workspace"' in drafted.text
    assert "<!doctype html>" not in drafted.text  # an htmx fragment; without htmx the whole page comes back
    plain = c.post("/office/draft", data={**form, "points": "摸底排查", "subject": "开展治理工作", "title": ""})
    assert plain.text.lstrip().startswith("<!doctype html>") and "特此通知。" in plain.text
    tool = c.post("/office/simplify", data={"text": article["text"], "audience": "老年人版"})  # no JavaScript
    assert tool.text.lstrip().startswith("<!doctype html>") and 'class="office-readability"' in tool.text
    frag = c.post("/office/minutes", data={"transcript": transcript, "meeting": "部署会"}, headers={"HX-Request": "true"})
    assert "<!doctype html>" not in frag.text and "成立城镇小区配套幼儿园治理工作小组" in frag.text


def test_render_endpoint(live_server):
    c = httpx.Client(base_url=live_server, headers=_headers(), timeout=120)
    spec = c.post("/api/write/draft", json=NOTICE).json()["spec"]
    r = c.post("/api/write/render", json={"spec": spec, "format": "docx"})
    assert r.status_code == 200, r.text  # the DOCX renderer is part of zhengwu: never skipped
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    z = zipfile.ZipFile(io.BytesIO(r.content))
    xml = z.read("word/document.xml").decode("utf-8")
    assert "开展城镇小区配套幼儿园治理工作" in xml and "特此通知" in xml
    assert "docProps/custom.xml" not in z.namelist() or "AIGC" not in z.read("docProps/custom.xml").decode()
    labelled = c.post("/api/write/render", json={"spec": spec, "format": "docx", "ai_generated": True})
    assert labelled.status_code == 200
    z2 = zipfile.ZipFile(io.BytesIO(labelled.content))
    assert "AIGC" in z2.read("docProps/custom.xml").decode("utf-8")
    # the rendered draft, uploaded to the checker, passes it
    chk = c.post("/api/write/check", files={"file": ("notice.docx", r.content, "application/octet-stream")})
    assert chk.status_code == 200 and chk.json()["ok"] is True, chk.text
    assert "doc_render" in _audit_scenarios()
    missing = c.post("/api/write/render", json={"spec": {"type": "通知", "title": "x"}})
    assert missing.status_code == 400 and "missing" in missing.json()["error"]["message_en"].lower()


@pytest.mark.slow
def test_render_pdf_endpoint(live_server):
    from zhengwu.writing.render_pdf import find_soffice

    if not find_soffice():
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    c = httpx.Client(base_url=live_server, headers=_headers(), timeout=240)
    spec = c.post("/api/write/draft", json=NOTICE).json()["spec"]
    r = c.post("/api/write/render", json={"spec": spec, "format": "pdf", "ai_generated": True})
    assert r.status_code == 200, r.text
    assert r.content[:5] == b"%PDF-" and r.headers["content-type"] == "application/pdf"
    from pypdf import PdfReader

    meta = PdfReader(io.BytesIO(r.content)).metadata
    assert "AIGC" in str(meta.get("/AIGC"))
