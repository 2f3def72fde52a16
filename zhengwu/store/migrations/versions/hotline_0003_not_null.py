"""hotline: tickets, their events, duplicate links and jobs NOT NULL where the models are

The first revisions created these columns nullable; the models (and so the application) never leave them empty,
and a database that accepts NULL there accepts rows the application would never write. Existing NULLs get the
value the application would have written, or the upgrade stops naming table, column and count
(zhengwu.store.not_null).

Revision ID: hotline_0003
Revises: hotline_0002
Create Date: 2026-11-30
"""
from zhengwu.store.not_null import REFUSE, SameAs, drop_not_null, set_not_null

revision = "hotline_0003"
down_revision = "hotline_0002"
branch_labels = None
depends_on = None

COLUMNS: dict[str, dict[str, object]] = {
    "hotline_ingest_job": {
        "status": "pending",
        "total": 0,
        "next_row": 0,
        "created": 0,
        "skipped": 0,
        "failed": 0,
        "errors": [],
        "created_by": "",
        "created_at": REFUSE,
        "updated_at": SameAs("created_at"),
    },
    "hotline_ticket": {
        "channel": "电话",
        "received_at": SameAs("created_at"),
        "event_time": "",
        "caller_name": "",
        "contact": "",
        "location_text": "",
        "province": "",
        "city": "",
        "district": "",
        "street": "",
        "community": "",
        "detail": "",
        "request_type": "咨询",
        "category_code": "",
        "category_path": [],
        "title": "",
        "summary": "",
        "appeal": "",
        "text": "",
        "urgency": "一般",
        "responsible_department": "",
        "status": "受理",
        "reply": "",
        "satisfaction": "",
        "likes": 0,
        "created_by": "",
        "created_at": REFUSE,
        "updated_at": SameAs("created_at"),
    },
    "hotline_ticket_event": {
        "ticket_id": REFUSE,
        "from_status": "",
        "to_status": "",
        "user": "",
        "note": "",
        "changes": {},
        "at": REFUSE,
    },
    "hotline_ticket_link": {
        "ticket_id": REFUSE,
        "other_id": REFUSE,
        "score": 0.0,
        "reasons": [],
        "state": "candidate",
        "created_at": REFUSE,
    },
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        set_not_null(table, columns)


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        drop_not_null(table, list(columns))
