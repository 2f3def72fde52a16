"""Quota tables: the limits administrators set, and today's request counters that enforce them.

Counters live in the database (not in process memory) so that every app server of the scale profile counts
the same day; the per-minute rate limit is per process (zhengwu/admin/quotas.py says why).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhengwu.store.base import Base, utcnow


class QuotaRule(Base):
    """A limit for one user, one department or anonymous clients; subject "*" is the default of its kind.
    A NULL limit inherits (the "*" row, then the setting); 0 means no limit."""

    __tablename__ = "adm_quota"
    __table_args__ = (UniqueConstraint("kind", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # user | department | anonymous
    subject: Mapped[str] = mapped_column(String(128), nullable=False)  # user name, department code or "*"
    daily_limit: Mapped[int | None] = mapped_column(Integer)
    per_minute: Mapped[int | None] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class UsageCounter(Base):
    """Requests counted on a model-using endpoint, per day and subject (user:, department: or anon: address)."""

    __tablename__ = "adm_usage"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, server local date
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    subject: Mapped[str] = mapped_column(String(128), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
