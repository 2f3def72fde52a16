"""hotline_cls: examples, trained models, taxonomies and duty lines NOT NULL where the models are

The first revisions created these columns nullable; the models (and so the application) never leave them empty,
and a database that accepts NULL there accepts rows the application would never write. Existing NULLs get the
value the application would have written, or the upgrade stops naming table, column and count
(zhengwu.store.not_null).

Revision ID: hotline_cls_0002
Revises: hotline_cls_0001
Create Date: 2026-11-30
"""
from zhengwu.store.not_null import REFUSE, drop_not_null, set_not_null

revision = "hotline_cls_0002"
down_revision = "hotline_cls_0001"
branch_labels = None
depends_on = None

COLUMNS: dict[str, dict[str, object]] = {
    "hotline_cls_example": {
        "title": "",
        "text": "",
        "path": [],
        "source": "history",
        "user": "",
        "created_at": REFUSE,
    },
    "hotline_cls_model": {
        "n_examples": 0,
        "labels": [],
        "seconds": 0.0,
        "trained_at": REFUSE,
    },
    "hotline_cls_taxonomy": {
        "rows": [],
        "source": "",
        "updated_at": REFUSE,
    },
    "hotline_duty": {
        "area": "",
        "note": "",
        "updated_by": "",
        "updated_at": REFUSE,
    },
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        set_not_null(table, columns)


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        drop_not_null(table, list(columns))
