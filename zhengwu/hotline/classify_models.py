"""Stored state of classification and dispatch, per department: labelled examples (history and agents'
corrections), the trained model, the department's category tree and its responsibility list (权责清单).

Why in the database rather than files under the data dir: the scale profile runs several stateless app servers
and workers against one PostgreSQL; a model trained by one worker must be what every server suggests from, and
a correction taken on one server must reach the next training wherever it runs. Every row carries its
department and every query filters on it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhengwu.store.base import Base, TenantMixin, utcnow


class Example(TenantMixin, Base):
    """A labelled ticket text: from imported history (`source="history"`) or an agent's correction."""

    __tablename__ = "hotline_cls_example"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    label: Mapped[str] = mapped_column(String(200), nullable=False)  # the name the model learns (a path, "/"-joined)
    path: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(16), default="history")  # history | correction
    user: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TrainedModel(TenantMixin, Base):
    """The department's current classifier (one row per department, replaced at each training)."""

    __tablename__ = "hotline_cls_model"

    department: Mapped[str] = mapped_column(String(64), index=True, unique=True, nullable=False)  # one per department

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    n_examples: Mapped[int] = mapped_column(Integer, default=0)
    labels: Mapped[list] = mapped_column(JSON, default=list)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    trained_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DepartmentTaxonomy(TenantMixin, Base):
    """The tree a department classifies into, when it is not our default."""

    __tablename__ = "hotline_cls_taxonomy"

    department: Mapped[str] = mapped_column(String(64), index=True, unique=True, nullable=False)  # one per department

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rows: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Duty(TenantMixin, Base):
    """One line of the 权责清单: tickets in `category` (a path prefix, "/"-joined) in `area` go to `responsible`."""

    __tablename__ = "hotline_duty"
    # One responsible unit per category and area (hotline_cls_0001): an import replaces a line, never doubles it.
    __table_args__ = (UniqueConstraint("department", "category", "area", name="uq_hotline_duty_line"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(200), nullable=False)
    area: Mapped[str] = mapped_column(String(100), default="")  # "" = any area
    responsible: Mapped[str] = mapped_column(String(200), nullable=False)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(128), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
