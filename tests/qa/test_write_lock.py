"""A question being answered holds no SQLite write lock: other writers (other questions, an ingestion's
batches) are never made to wait for its search and answer (issue 15: "database is locked" under load)."""

from __future__ import annotations

import sqlite3

import pytest

from tests.qa.conftest import caller
from zhengwu.config import get_settings
from zhengwu.store.db import session_scope


def _can_write_now() -> bool:
    """Whether another connection gets the write lock at once (no waiting)."""
    url = get_settings().resolved_database_url
    con = sqlite3.connect(url.split("///", 1)[-1], timeout=0)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.rollback()
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        con.close()


@pytest.mark.parametrize("question", ["社保卡怎么办？", "月球上的房子怎么申请产权登记？"])  # answered; no basis
def test_no_write_lock_while_a_question_is_answered(qa_kb, question):
    if not get_settings().resolved_database_url.startswith("sqlite"):
        pytest.skip("SQLite's single write lock only")
    from zhengwu.qa.answer import Answer, answer_events
    from zhengwu.qa.models import Conversation, Turn

    events = answer_events(question, caller=caller("citizen"))
    kind, meta = next(events)  # the conversation exists (its id is sent to the client) before any search
    assert kind == "meta"
    assert _can_write_now(), "the new conversation's INSERT holds the write lock while the question is answered"
    ans = None
    for item in events:
        if isinstance(item, Answer):
            ans = item
    assert ans is not None and ans.audit_id
    assert _can_write_now()  # committed at the end
    with session_scope() as s:  # and stored with its turn, nothing lost by writing it late
        assert s.get(Conversation, meta["conversation_id"]) is not None
        assert s.query(Turn).filter_by(conversation_id=meta["conversation_id"]).count() == 1


def test_a_failed_answer_leaves_no_empty_conversation(qa_kb):
    if not get_settings().resolved_database_url.startswith("sqlite"):
        pytest.skip("SQLite's single write lock only")
    from zhengwu.qa.answer import answer_events
    from zhengwu.qa.models import Conversation

    events = answer_events("社保卡怎么办？", caller=caller("citizen"))
    _, meta = next(events)
    events.close()  # the client went away before the answer
    with session_scope() as s:
        assert s.get(Conversation, meta["conversation_id"]) is None
