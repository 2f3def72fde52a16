"""kb: knowledge bases, documents, chunks, shares and ingest jobs NOT NULL where the models are

The first revisions created these columns nullable; the models (and so the application) never leave them empty,
and a database that accepts NULL there accepts rows the application would never write. Existing NULLs get the
value the application would have written, or the upgrade stops naming table, column and count
(zhengwu.store.not_null).

Revision ID: kb_0005
Revises: kb_0004
Create Date: 2026-11-30
"""
from zhengwu.store.not_null import REFUSE, SameAs, drop_not_null, set_not_null

revision = "kb_0005"
down_revision = "kb_0004"
branch_labels = None
depends_on = None

# kb_document.validity: a NULL is refused, not filled with the model's "effective": today the answering code treats
# a document whose validity is not "effective" as superseded; filling it would make a document nobody classified
# a current basis for citizens' answers. A person decides (docs/deployment.md).
COLUMNS: dict[str, dict[str, object]] = {
    "kb": {
        "description": "",
        "created_at": REFUSE,
    },
    "kb_chunk": {
        "kind": "text",
        "heading_path": "",
        "tokens": "",
    },
    "kb_document": {
        "title": "",
        "doc_type": "",
        "issuer": "",
        "doc_number": "",
        "validity": REFUSE,
        "meta": {},
        "created_at": REFUSE,
        "updated_at": SameAs("created_at"),
    },
    "kb_ingest_item": {
        "job_id": REFUSE,
        "status": "pending",
        "message": "",
    },
    "kb_ingest_job": {
        "kind": "ingest",
        "status": "pending",
        "total": 0,
        "done": 0,
        "failed": 0,
        "created_by": "",
        "created_at": REFUSE,
        "updated_at": SameAs("created_at"),
    },
    "kb_share": {
        "created_at": REFUSE,
    },
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        set_not_null(table, columns)


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        drop_not_null(table, list(columns))
