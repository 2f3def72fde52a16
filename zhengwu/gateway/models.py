"""Gateway tables: the HMAC-chained audit log, its single-row chain head, and the scenario registry.

Times in the audit log are ISO-8601 UTC strings (not DateTime columns) so that the exact bytes that were
hashed are the bytes that are stored, on SQLite and PostgreSQL alike. JSON fields are stored as canonical
JSON text for the same reason.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zhengwu.store.base import Base, TenantMixin


class AuditRecord(TenantMixin, Base):
    """One gateway interaction. Append-only: rows are never updated except that `purge` blanks content."""

    __tablename__ = "gw_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True, nullable=False)
    created_at: Mapped[str] = mapped_column(String(40), index=True, nullable=False)
    user: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    role: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    scenario: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    backend: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(128))
    # content: PII-masked, blanked by the retention purge (the chain covers content_hash, not the content)
    input_text: Mapped[str | None] = mapped_column(Text)
    output_text: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    # metadata: covered by the chain hash
    output_hash: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    checks: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    extra: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    expires_at: Mapped[str | None] = mapped_column(String(40))
    purged_at: Mapped[str | None] = mapped_column(String(40))
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)  # HMAC-SHA256 (plain SHA-256 if key_id is NULL)
    # id of the HMAC key that signed this record (gateway/audit_keys.py); NULL = legacy unkeyed record
    key_id: Mapped[str | None] = mapped_column(String(16))


class AuditHead(Base):
    """The chain head: one row (id=1), updated in the appending transaction so appends are serialised."""

    __tablename__ = "gw_audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    hash: Mapped[str] = mapped_column(String(64), nullable=False, default="")


class Scenario(Base):
    """A use of the platform, with its risk level and the policy the gateway applies to it.

    Scenarios are platform-wide policy (department "*"); a department-specific scenario names its department.
    """

    __tablename__ = "gw_scenario"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    department: Mapped[str] = mapped_column(String(64), nullable=False, default="*")
    name_zh: Mapped[str] = mapped_column(String(128), nullable=False)
    name_en: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    risk: Mapped[str] = mapped_column(String(16), nullable=False, default="medium")
    pii_mode: Mapped[str] = mapped_column(String(16), nullable=False, default="mask")
    allowed_backends: Mapped[str] = mapped_column(Text, nullable=False, default='["*"]')
    human_review: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    retention_days: Mapped[int | None] = mapped_column(Integer)
    no_history: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # where generated text carries the visible AI label: append | prepend | metadata_only (gateway/labels.py)
    visible_label: Mapped[str] = mapped_column(String(16), nullable=False, default="append", server_default="append")
    approved: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    approved_by: Mapped[str | None] = mapped_column(String(128))
    approved_at: Mapped[str | None] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(128), nullable=False, default="system")
    created_at: Mapped[str] = mapped_column(String(40), nullable=False, default="")
