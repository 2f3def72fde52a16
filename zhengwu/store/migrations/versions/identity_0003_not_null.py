"""identity: creation times NOT NULL, as the models

The first revisions created these columns nullable; the models (and so the application) never leave them empty,
and a database that accepts NULL there accepts rows the application would never write. Existing NULLs get the
value the application would have written, or the upgrade stops naming table, column and count
(zhengwu.store.not_null).

Revision ID: identity_0003
Revises: identity_0002
Create Date: 2026-11-30
"""
from zhengwu.store.not_null import REFUSE, drop_not_null, set_not_null

revision = "identity_0003"
down_revision = "identity_0002"
branch_labels = None
depends_on = None

COLUMNS: dict[str, dict[str, object]] = {
    "id_api_key": {
        "created_at": REFUSE,
    },
    "id_department": {
        "created_at": REFUSE,
    },
    "id_session": {
        "created_at": REFUSE,
    },
    "id_user": {
        "created_at": REFUSE,
    },
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        set_not_null(table, columns)


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        drop_not_null(table, list(columns))
