"""qa: conversations, turns, feedback, hand-offs and pinned answers NOT NULL where the models are

The first revisions created these columns nullable; the models (and so the application) never leave them empty,
and a database that accepts NULL there accepts rows the application would never write. Existing NULLs get the
value the application would have written, or the upgrade stops naming table, column and count
(zhengwu.store.not_null).

Revision ID: qa_0002
Revises: qa_0001
Create Date: 2026-11-30
"""
from zhengwu.store.not_null import REFUSE, SameAs, drop_not_null, set_not_null

revision = "qa_0002"
down_revision = "qa_0001"
branch_labels = None
depends_on = None

# qa_pinned.active: a NULL becomes False, not the model's True: today only `active IS TRUE` pins are served, so a
# pin with NULL is not shown to citizens; filling True would publish it at the upgrade. An officer can reactivate.
COLUMNS: dict[str, dict[str, object]] = {
    "qa_conversation": {
        "user": "",
        "language": "zh",
        "topic": "",
        "created_at": REFUSE,
        "updated_at": SameAs("created_at"),
    },
    "qa_feedback": {
        "turn_id": REFUSE,
        "conversation_id": REFUSE,
        "comment": "",
        "user": "",
        "created_at": REFUSE,
    },
    "qa_handoff": {
        "reason": "no_basis",
        "status": "draft",
        "channel": "12345",
        "created_at": REFUSE,
    },
    "qa_pinned": {
        "examples": [],
        "keywords": [],
        "citations": [],
        "active": False,
        "created_by": "",
        "created_at": REFUSE,
    },
    "qa_turn": {
        "conversation_id": REFUSE,
        "rewritten": "",
        "topic": "",
        "answer": "",
        "mode": "extractive",
        "no_basis": False,
        "citations": [],
        "created_at": REFUSE,
    },
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        set_not_null(table, columns)


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        drop_not_null(table, list(columns))
