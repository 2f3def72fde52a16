"""The generative paths of drafting, summaries, minutes and simplification, through the real gateway pipeline
(policy → PII masking → HTTP backend → restore → checks → label → audit) against a small OpenAI-compatible
HTTP server on 127.0.0.1 that returns a fixed reply: a protocol-boundary double, since no model is installed
here. It checks what our code sends, how it parses the reply, and that results are labelled and audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from zhengwu.context import Caller

CALLER = Caller(user="clerk", department="gov-office", role="officer")


@pytest.fixture
def model(fixed_reply_model):
    return fixed_reply_model


def _audit(audit_id: int):
    from zhengwu.gateway.models import AuditRecord
    from zhengwu.store.db import session_scope

    with session_scope() as s:
        return s.scalar(select(AuditRecord).where(AuditRecord.id == audit_id))


def test_generative_draft_is_labelled_and_keeps_the_closing(model):
    from zhengwu.writing.draft import draft

    model.reply = '```json\n{"title": "模型起的标题", "body": "为落实相关要求，现就有关事项通知如下：\\n\\n一、摸底排查。"}\n```'
    r = draft(CALLER, doc_type="通知", issuer="国务院办公厅", recipients="各省、自治区、直辖市人民政府",
              points=["摸底排查"], subject="开展城镇小区配套幼儿园治理工作", number="国办发〔2019〕3号")
    assert r.mode == "generative" and r.ai_generated and r.backend == "openai"
    assert r.spec["title"] == "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知"  # structure kept
    assert r.spec["body"].startswith("为落实相关要求") and r.spec["body"].endswith("特此通知。")
    d = r.to_dict()
    assert d["ai_label"] == "人工智能生成" and d["AIGC"]["Label"] == "1"
    sent = model.received[-1]["messages"]
    assert "通知" in sent[0]["content"] and "- 摸底排查" in sent[1]["content"]
    rec = _audit(r.audit_id)
    assert rec is not None and rec.scenario == "doc_draft"


def test_generative_summary_minutes_simplify(model):
    from zhengwu.writing.minutes import make_minutes
    from zhengwu.writing.simplify import simplify
    from zhengwu.writing.summarize import summarize

    model.reply = "国务院办公厅部署开展城镇小区配套幼儿园治理工作。"
    s = summarize(CALLER, "城镇小区配套建设幼儿园是城镇公共服务设施建设的重要内容。" * 5, ratio=0.3)
    assert s.mode == "abstractive" and s.summary == model.reply and s.to_dict()["ai_label"] == "人工智能生成"
    assert _audit(s.audit_id).scenario == "doc_summary"

    transcript = "会议同意成立治理工作小组。\n各地要在2019年4月底前完成摸底排查。\n"
    model.reply = json.dumps({"decisions": [{"text": "成立治理工作小组", "lines": [1]}, {"text": "编造的", "lines": [9]}],
                              "actions": [{"who": "各地", "what": "摸底排查", "when": "2019年4月底前", "lines": [2]}]},
                             ensure_ascii=False)
    m = make_minutes(CALLER, transcript, meeting="部署会", issuer="国务院办公厅")
    assert m.mode == "generative" and [d.text for d in m.decisions] == ["成立治理工作小组"]  # line 9 does not exist
    assert m.actions[0].lines == [2] and "[1] 会议同意" in model.received[-1]["messages"][1]["content"]
    assert m.spec["type"] == "纪要" and _audit(m.audit_id).scenario == "meeting_minutes"

    model.reply = "Employers must register their staff for social insurance within 30 days."
    e = simplify(CALLER, "用人单位应当自用工之日起三十日内为其职工申请办理社会保险登记。", audience="English")
    assert e.mode == "generative" and e.text == model.reply and e.readability == {}
    assert "plain English" in model.received[-1]["messages"][0]["content"]
    model.reply = "用人单位要在30天内给职工办社保登记。"
    z = simplify(CALLER, "用人单位应当自用工之日起三十日内为其职工申请办理社会保险登记。", audience="老年人版")
    assert z.readability["after"]["avg_sentence_len"] < z.readability["before"]["avg_sentence_len"]
    assert _audit(z.audit_id).scenario == "simplify"


def test_model_reply_that_is_not_json_falls_back(model):
    from zhengwu.writing.minutes import make_minutes

    model.reply = "对不起，我无法完成。"
    m = make_minutes(CALLER, "会议同意成立治理工作小组。\n", meeting="部署会", issuer="国务院办公厅")
    assert m.mode == "rules" and m.decisions[0].lines == [1]
