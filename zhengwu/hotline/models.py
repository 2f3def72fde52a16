"""Hotline records: tickets (工单, GB/T 33358 §3.6 and the 12345 work rules), their history, duplicate links and
ingest jobs. Every row carries its department (tenant).

Why the caller's name and contact are stored as given: masking depends on who reads (the receiving agents see
them, others do not, a confidentiality wish hides them from everyone else), so `zhengwu.hotline.tickets` masks
on the way out, by role; nothing in this package sends them to a model.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhengwu.store.base import Base, TenantMixin, utcnow

REQUEST_TYPES = ("咨询", "求助", "投诉", "举报", "建议", "表扬")
URGENCIES = ("一般", "紧急", "特急")
CHANNELS = ("电话", "网站", "微信", "短信", "APP", "邮件", "来信", "其他")


class Ticket(TenantMixin, Base):
    """One citizen request. `department` is the receiving hotline centre; `responsible_department` the unit it is
    dispatched to (承办单位). `duplicate_of` points at the ticket it was merged into (并单): the row itself stays,
    so every caller and every event of a merged ticket is kept."""

    __tablename__ = "hotline_ticket"
    __table_args__ = (UniqueConstraint("department", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(128))  # e.g. an imported msg_id; re-import skips it
    channel: Mapped[str] = mapped_column(String(16), default="电话")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    event_time: Mapped[str] = mapped_column(String(64), default="")  # as the caller said it ("昨天晚上十点")
    caller_name: Mapped[str] = mapped_column(String(128), default="")
    contact: Mapped[str] = mapped_column(String(128), default="")
    confidential: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    location_text: Mapped[str] = mapped_column(Text, default="")
    province: Mapped[str] = mapped_column(String(32), default="")
    city: Mapped[str] = mapped_column(String(32), default="")
    district: Mapped[str] = mapped_column(String(32), default="", index=True)
    street: Mapped[str] = mapped_column(String(64), default="")
    community: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    request_type: Mapped[str] = mapped_column(String(8), default="咨询")
    category_code: Mapped[str] = mapped_column(String(32), default="", index=True)
    category_path: Mapped[list] = mapped_column(JSON, default=list)
    title: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    appeal: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[str] = mapped_column(String(8), default="一般")
    responsible_department: Mapped[str] = mapped_column(String(64), default="", index=True)
    status: Mapped[str] = mapped_column(String(8), default="受理", index=True)
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reply: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[str] = mapped_column(String(16), default="")
    likes: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("hotline_ticket.id", ondelete="SET NULL"), index=True)
    created_by: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class TicketEvent(TenantMixin, Base):
    """The ticket's history, append-only: creation, edits, status changes, dispatch, merges, with who and when."""

    __tablename__ = "hotline_ticket_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("hotline_ticket.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16), nullable=False)  # create update transition merge unmerge
    from_status: Mapped[str] = mapped_column(String(8), default="")
    to_status: Mapped[str] = mapped_column(String(8), default="")
    user: Mapped[str] = mapped_column(String(128), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # field -> [old, new] (contact fields never)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TicketLink(TenantMixin, Base):
    """A duplicate candidate (same place, same problem, close in time) between two tickets; `state` says what the
    agent did with it: candidate, merged, dismissed."""

    __tablename__ = "hotline_ticket_link"
    __table_args__ = (UniqueConstraint("ticket_id", "other_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("hotline_ticket.id", ondelete="CASCADE"), index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("hotline_ticket.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)  # FLOAT as migrated (double on PostgreSQL)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16), default="candidate")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TicketIngestJob(TenantMixin, Base):
    """A hotline job (migration hotline_0002 made the import table the one place for all of them):
    `kind` import (a JSONL/XLSX file; `next_row` is where an interrupted import resumes), classify (batch
    classification; `next_row` is the last ticket id done, so a resumed run never redoes a ticket) or hotspots
    (mining; `stage` says how far it got, `result` holds the topics). `params` are what the job was asked
    (and the role it runs with), so a crashed run can be run again as it was asked."""

    __tablename__ = "hotline_ingest_job"
    # The job list (by kind) and the latest finished hotspots run filter on these three (hotline_0002).
    __table_args__ = (Index("ix_hotline_ingest_job_kind", "department", "kind", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="import")  # import classify hotspots
    path: Mapped[str] = mapped_column(String(1024), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending running done failed interrupted cancelled
    stage: Mapped[str] = mapped_column(String(16), default="")
    total: Mapped[int] = mapped_column(Integer, default=0)
    next_row: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list] = mapped_column(JSON, default=list)  # [{row, code, message_zh, message_en}], first 100
    params: Mapped[dict | None] = mapped_column(JSON, default=dict)
    result: Mapped[dict | None] = mapped_column(JSON, default=None)
    created_by: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
