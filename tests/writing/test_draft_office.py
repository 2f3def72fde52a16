"""Drafting without a model: skeleton structure, formulas, SPEC accepted by load_spec, rendering passes check."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import run_cli
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError

CALLER = Caller(user="tester", department="办公厅", role="officer")


def _audit_count(scenario: str) -> int:
    from zhengwu.gateway.models import AuditRecord
    from zhengwu.store.db import session_scope

    with session_scope() as s:
        return s.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.scenario == scenario))


def test_qingshi_skeleton(zw_env):
    from zhengwu.writing.draft import draft

    r = draft(CALLER, doc_type="请示", issuer="广州市人民政府", recipients="广东省人民政府",
              points=["拟将城镇小区配套幼儿园移交教育行政部门，办成公办园或普惠性民办园"],
              subject="城镇小区配套幼儿园移交有关事项", use_model=False)
    spec = r.spec
    assert r.mode == "template" and r.ai_generated is False
    assert spec["title"] == "广州市人民政府关于城镇小区配套幼儿园移交有关事项的请示"
    paragraphs = spec["body"].split("\n\n")
    assert paragraphs[-1] == "妥否，请批示。"
    assert paragraphs[0].endswith("现将有关情况请示如下：")
    assert re.fullmatch(r"\d{4}年[1-9]\d?月[1-9]\d?日", spec["date"])
    assert spec["signature"] == "广州市人民政府"
    assert _audit_count("doc_draft") == 1


def test_notice_points_become_numbered_headings(zw_env):
    from zhengwu.writing.draft import draft

    points = ["摸底排查，列出清单、建立台账", "全面整改，逐一进行整改", "监督评估，对落实不力的地区进行通报"]
    r = draft(CALLER, doc_type="通知", issuer="国务院办公厅",
              recipients=["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"], points=points,
              subject="开展城镇小区配套幼儿园治理工作", use_model=False)
    paras = r.spec["body"].split("\n\n")
    assert paras[0] == "为开展城镇小区配套幼儿园治理工作，现将有关事项通知如下："
    assert paras[1:4] == ["一、摸底排查，列出清单、建立台账。", "二、全面整改，逐一进行整改。",
                          "三、监督评估，对落实不力的地区进行通报。"]
    assert paras[-1] == "特此通知。"
    assert r.spec["recipients"] == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构"
    assert r.spec["title"] == "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知"


@pytest.mark.parametrize("doc_type,closing", [("函", "特此函告。"), ("报告", "特此报告。"), ("批复", "此复。")])
def test_closing_formulas(zw_env, doc_type, closing):
    from zhengwu.writing.draft import draft

    r = draft(CALLER, doc_type=doc_type, issuer="教育部", recipients="国家发展改革委", points=["同意有关事项"],
              subject="职业教育工作部际联席会议制度", use_model=False)
    assert r.spec["body"].split("\n\n")[-1] == closing


def test_missing_elements_are_listed(zw_env):
    from zhengwu.writing.draft import draft

    with pytest.raises(ZhengwuError) as exc:
        draft(CALLER, doc_type="通知", issuer="", recipients=[], points=[], use_model=False)
    assert "发文机关" in exc.value.zh and "主送机关" in exc.value.zh and "要点" in exc.value.zh
    assert "issuer" in exc.value.en
    with pytest.raises(ZhengwuError) as exc:
        draft(CALLER, doc_type="请示", issuer="某市政府", recipients=["省政府", "省发展改革委"], points=["x"],
              use_model=False)
    assert exc.value.code == "qingshi_one_recipient"
    with pytest.raises(ZhengwuError):
        draft(CALLER, doc_type="便条", issuer="x", recipients="y", points=["z"], use_model=False)


def _drafts():
    from zhengwu.writing.draft import draft

    yield draft(CALLER, doc_type="通知", issuer="国务院办公厅", recipients="各省、自治区、直辖市人民政府",
                points=["摸底排查", "全面整改"], subject="开展城镇小区配套幼儿园治理工作", number="国办发〔2019〕3号",
                use_model=False)
    yield draft(CALLER, doc_type="请示", issuer="教育部", recipients="国务院", points=["调整完善职业教育工作部际联席会议制度"],
                subject="调整完善职业教育工作部际联席会议制度", number="教职成〔2018〕8号", signer="陈宝生",
                use_model=False)


def test_draft_spec_is_accepted_by_load_spec(zw_env):
    from zhengwu.writing.spec import load_spec

    for r in _drafts():
        doc = load_spec(r.spec)
        assert doc.type == r.spec["type"] and doc.title == r.spec["title"]
        assert doc.paragraphs()[-1] in ("特此通知。", "妥否，请批示。")


def test_rendered_draft_passes_check(zw_env, tmp_path):
    from zhengwu.writing.check import check_file
    from zhengwu.writing.render_docx import render_docx
    from zhengwu.writing.spec import load_spec

    for i, r in enumerate(_drafts()):
        out = render_docx(load_spec(r.spec), tmp_path / f"d{i}.docx")
        report = check_file(out)
        assert report.ok, [(v.rule, v.message_zh) for v in report.violations]


def test_cli_draft_json_and_out(zw_env, tmp_path):
    out = tmp_path / "spec.json"
    res = run_cli("write", "draft", "--type", "请示", "--issuer", "教育部", "--to", "国务院", "--point",
                  "调整完善职业教育工作部际联席会议制度", "--subject", "调整完善职业教育工作部际联席会议制度",
                  "--number", "教职成〔2018〕8号", "--signer", "陈宝生", "--json", "--out", str(out))
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["mode"] == "template" and data["label"] is None
    spec = json.loads(out.read_text(encoding="utf-8"))
    assert spec["title"] == "教育部关于调整完善职业教育工作部际联席会议制度的请示"
    assert spec["body"].endswith("妥否，请批示。") and spec["signer"] == "陈宝生"
    bad = run_cli("write", "draft", "--type", "请示", "--issuer", "教育部", "--point", "x")
    assert bad.returncode == 2 and "主送机关" in bad.stderr and "recipients" in bad.stderr


def test_press_release_skeleton(zw_env):
    from zhengwu.writing.draft import draft

    r = draft(CALLER, doc_type="新闻稿", issuer="国务院办公厅", recipients=None,
              points=["国务院办公厅日前印发通知，部署开展城镇小区配套幼儿园治理工作", "通知要求2019年4月底前完成摸底排查"],
              subject="国务院办公厅部署开展城镇小区配套幼儿园治理工作", use_model=False)
    assert r.spec["title"] == "国务院办公厅部署开展城镇小区配套幼儿园治理工作"
    paras = r.spec["body"].split("\n\n")
    assert paras[0] == "国务院办公厅日前印发通知，部署开展城镇小区配套幼儿园治理工作。" and paras[-1] == "（完）"
    assert not any(p.startswith("一、") for p in paras)


def test_title_composition_is_idempotent(zw_env):
    from zhengwu.writing.draft import compose_title, draft

    want = "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知"
    for subject in ("开展城镇小区配套幼儿园治理工作", "关于开展城镇小区配套幼儿园治理工作", want,
                    "开展城镇小区配套幼儿园治理工作的通知"):
        assert compose_title("国务院办公厅", subject, "通知") == want
    with pytest.raises(ZhengwuError) as exc:
        draft(CALLER, doc_type="通知", issuer="国务院办公厅", recipients="各省", points=["x"], subject="很长" * 50,
              use_model=False)
    assert exc.value.code == "title_too_long"
