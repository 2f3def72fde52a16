"""match: schemes NOT NULL where the model is

The first revisions created these columns nullable; the models (and so the application) never leave them empty,
and a database that accepts NULL there accepts rows the application would never write. Existing NULLs get the
value the application would have written, or the upgrade stops naming table, column and count
(zhengwu.store.not_null).

Revision ID: match_0002
Revises: match_0001
Create Date: 2026-11-30
"""
from zhengwu.store.not_null import REFUSE, SameAs, drop_not_null, set_not_null

revision = "match_0002"
down_revision = "match_0001"
branch_labels = None
depends_on = None

COLUMNS: dict[str, dict[str, object]] = {
    "match_scheme": {
        "policy_id": "",
        "name": "",
        "target": "person",
        "status": "draft",
        "created_by": "",
        "created_at": REFUSE,
        "updated_by": "",
        "updated_at": SameAs("created_at"),
    },
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        set_not_null(table, columns)


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        drop_not_null(table, list(columns))
