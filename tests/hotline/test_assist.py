"""Agent assist on real documents and a real citizen message: knowledge from the department's own knowledge base,
a labelled draft from a template or from a (real, tiny) model server through the door, the caller's name and
number never sent to a model nor written to the audit log, one audit record per interaction."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text as sql

from tests.hotline.workspace_data import CALLER_NAME, CALLER_PHONE, SOCIAL_CARD_MSG, ingest_real_docs, message, transcript
from tests.qa.conftest import gateway_conftest
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError

AGENT = Caller("agent-1", "default", "agent")


def _audit(scenario: str) -> list[dict]:
    from zhengwu.store.db import session_scope

    with session_scope() as s:
        rows = s.execute(sql("SELECT scenario, action, input_text, output_text, checks, extra FROM gw_audit "
                             "WHERE scenario = :s ORDER BY id"), {"s": scenario}).mappings().all()
        return [dict(r) for r in rows]


@pytest.fixture
def kb(zw_env):
    ingest_real_docs()
    return zw_env


@pytest.fixture
def call() -> dict:
    msg = message(SOCIAL_CARD_MSG)
    return {"text": transcript(msg), "caller_name": CALLER_NAME, "contact": CALLER_PHONE, "request_type": "咨询",
            "summary": msg["title"]}


def test_recommend_finds_the_guide_and_masks_the_query(kb, call):
    from zhengwu.hotline.assist import recommend

    hits = recommend(AGENT, call["text"], k=5)
    titles = [h["title"] for h in hits]
    assert "怎么申领广州市社会保障卡？" in titles
    assert all(h["validity"] == "effective" and h["passage"] for h in hits)
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    rec = _audit("hotline_assist")
    assert len(rec) == 1 and rec[0]["action"] == "recommend"
    assert CALLER_PHONE not in rec[0]["input_text"] and CALLER_NAME not in rec[0]["input_text"]


def test_other_departments_see_nothing(kb, call):
    from zhengwu.hotline.assist import recommend

    assert recommend(Caller("agent-2", "bureau-b", "agent"), call["text"]) == []


def test_template_draft_is_labelled_and_quotes_the_knowledge(kb, call):
    from zhengwu.hotline.assist import draft_reply, recommend
    from zhengwu.hotline.quality import inspect

    knowledge = recommend(AGENT, call["text"], 3)
    answering = [k for k in knowledge if k["answers_appeal"]]
    assert answering
    for k in answering:  # the words it answers by are the caller's words and the document's
        assert len(k["answers_appeal"]) >= 2
        assert all(w in call["text"] and w in k["title"] + "\n" + k["passage"] for w in k["answers_appeal"])
    d = draft_reply(AGENT, call, knowledge=knowledge)
    assert d["generated"] is False and d["label"] == "人工智能生成" and d["review_required"] is True
    assert d["AIGC"]["Label"] and d["AIGC"]["ProduceID"]
    assert f"根据《{answering[0]['title'].strip('《》')}》" in d["text"] and call["summary"] in d["text"]
    assert CALLER_NAME not in d["text"] and CALLER_PHONE not in d["text"]
    rep = inspect(d["text"], appeal=call["text"])  # our own template passes our own checklist's form items
    for item in ("greeting", "commitment", "forbidden", "politeness", "closing"):
        assert next(i for i in rep.items if i.id == item).passed, item
    rec = _audit("hotline_reply")
    assert len(rec) == 1 and rec[0]["action"] == "draft"
    assert CALLER_NAME not in (rec[0]["input_text"] or "") and CALLER_PHONE not in (rec[0]["input_text"] or "")


def test_a_draft_never_quotes_a_passage_that_does_not_answer(kb):
    """A real complaint about a property company's parking fees: the knowledge base (social security, residence
    permits, holidays, adoption) has nothing on it; documents are still offered as possibly related, none quoted."""
    from tests.hotline.workspace_data import eval_rows
    from zhengwu.hotline.assist import draft_reply, recommend

    msg = next(r for r in eval_rows("labeled.dev.jsonl") if "停车费" in r["title"] and "物业" in r["title"])
    hits = recommend(AGENT, msg["text"], 5)
    assert hits and not any(h["answers_appeal"] for h in hits)
    d = draft_reply(AGENT, {"text": msg["text"], "summary": msg["title"], "request_type": "投诉"}, knowledge=hits)
    assert "根据《" not in d["text"] and d["sources"] == []


@pytest.mark.parametrize("rtype", ["咨询", "求助", "投诉", "举报", "建议", "表扬"])
def test_every_request_type_has_a_template(kb, call, rtype):
    from zhengwu.hotline.assist import draft_reply

    d = draft_reply(AGENT, {**call, "request_type": rtype, "responsible_department": "市人力资源和社会保障局"}, knowledge=[])
    from zhengwu.hotline.workflow import deadline_days

    assert "{" not in d["text"] and d["text"].startswith("您好")
    assert "市人力资源和社会保障局" in d["text"]
    if rtype != "表扬":  # the deadline the hotline_deadline_days setting gives this type
        assert f"{deadline_days(rtype)}个工作日内" in d["text"]


def test_model_draft_goes_through_the_door_without_caller_data(kb, call, monkeypatch):
    from zhengwu.hotline.assist import draft_reply

    gw = gateway_conftest()
    srv = gw.ModelServer()
    try:
        gw.use_model_server(monkeypatch, srv)
        srv.mode, srv.reply = "fixed", "您好！关于社保卡办理，请按指南携带身份证件到银行网点申领[1]。感谢您的来电！"
        d = draft_reply(AGENT, call)
        assert d["generated"] is True and d["text"] == srv.reply and d["label"] == "人工智能生成"
        sent = srv.all_received()
        assert "社保卡" in sent  # the model saw the matter…
        assert CALLER_NAME not in sent and CALLER_PHONE not in sent  # …and not who called
        rec = _audit("hotline_reply")
        assert len(rec) == 1 and json.loads(rec[0]["extra"])["generated"] is True

        srv.mode, srv.status = "status", 500  # the model fails: the template answers, still one record
        monkeypatch.setenv("ZHENGWU_LLM_RETRIES", "0")
        from zhengwu.config import reset_settings

        reset_settings()
        d2 = draft_reply(AGENT, call)
        assert d2["generated"] is False and d2["text"].startswith("您好")
        assert len(_audit("hotline_reply")) == 2
    finally:
        srv.close()


def test_bad_tickets_are_refused_clearly(kb):
    from zhengwu.hotline.assist import draft_reply, recommend

    for bad in ({}, {"caller_name": CALLER_NAME}):
        with pytest.raises(ZhengwuError) as err:
            draft_reply(AGENT, bad)
        assert err.value.code == "empty_ticket" and err.value.zh and err.value.en
    with pytest.raises(ZhengwuError) as err:
        draft_reply(AGENT, "社保卡怎么办")  # type: ignore[arg-type]
    assert err.value.code == "bad_ticket"
    for text in ("", "  "):
        with pytest.raises(ZhengwuError):
            recommend(AGENT, text)
    with pytest.raises(ZhengwuError) as err:
        recommend(AGENT, "社保" * 20001)
    assert err.value.code == "text_too_long"
