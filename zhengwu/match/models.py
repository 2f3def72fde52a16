"""The scheme catalogue as stored with the knowledge base: one row per scheme and department.

The entry itself is kept as the catalogue's JSON (validated by zhengwu.match.catalog on the way in and out)
rather than as columns: conditions are a tree, and the schema evolves with the policies; the columns hold only
what is queried (department, id, status) and who changed it when (an administrator publishes; residents are
matched only against published entries).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhengwu.store.base import Base, TenantMixin, utcnow


class SchemeRow(TenantMixin, Base):
    __tablename__ = "match_scheme"
    __table_args__ = (UniqueConstraint("department", "scheme_id", name="uq_match_scheme_dept_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheme_id: Mapped[str] = mapped_column(String(128), nullable=False)
    policy_id: Mapped[str] = mapped_column(String(128), default="", index=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    target: Mapped[str] = mapped_column(String(16), default="person")
    status: Mapped[str] = mapped_column(String(16), default="draft")      # draft | published
    entry: Mapped[dict] = mapped_column(JSON, nullable=False)             # the Scheme as catalogue JSON
    created_by: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(128), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
