"""With a generative model configured, an unsure suggestion asks it (through the gateway) to pick a candidate:
against a small OpenAI-compatible HTTP server on 127.0.0.1 returning a fixed reply (a protocol-boundary double,
no model is installed here). Checks what is sent (masked, no contact data), how the reply is used, the audit."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.conftest import EVAL
from zhengwu.context import Caller

LABELED = EVAL / "citizen_messages" / "labeled.dev.jsonl"
pytestmark = pytest.mark.skipif(not LABELED.exists(), reason=f"evaluation data missing: {LABELED}")
AGENT = Caller("agent1", "city12345", "agent")


@pytest.fixture
def model(fixed_reply_model):
    return fixed_reply_model


def _records() -> list:
    from zhengwu.gateway.models import AuditRecord
    from zhengwu.store.db import session_scope

    with session_scope() as s:
        return list(s.scalars(select(AuditRecord).where(AuditRecord.scenario == "ticket_classify")))


def test_model_picks_among_unsure_candidates(model):
    from zhengwu.hotline.classify import suggest

    row = json.loads(LABELED.read_text(encoding="utf-8").splitlines()[0])
    text = row["text"] + " 联系电话13912345678"
    before = suggest(AGENT, row["title"], text, use_model=False)
    assert len(before) == 3 and before[0].confidence < 0.9  # untrained: keyword suggestions are never sure
    model.reply = "3"
    after = suggest(AGENT, row["title"], text)
    assert after[0].code == before[2].code and after[0].source == "keywords+llm"
    assert [s.code for s in after[1:]] == [before[0].code, before[1].code]
    sent = model.received[-1]["messages"]
    assert "1. " + "/".join(before[0].path) in sent[1]["content"] and "13912345678" not in json.dumps(sent)
    recs = _records()
    assert len(recs) == 1 and recs[0].action == "classify"

    model.reply = "这个工单我无法判断"  # no number: the statistical order stands, still one record
    again = suggest(AGENT, row["title"], text)
    assert [s.code for s in again] == [s.code for s in before]
    assert len(_records()) == 2 and len(model.received) == 2
    suggest(AGENT, row["title"], text, use_model=False)
    assert len(model.received) == 2  # not asked
