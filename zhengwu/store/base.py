"""The declarative base shared by every feature module's models."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class TenantMixin:
    """Every stored record belongs to a department (tenant); queries filter on it."""

    department: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
