"""Q&A records: conversations, turns, feedback, pinned (curated) answers, hotline hand-off ticket drafts.

Every row carries its department (tenant). Questions are stored PII-masked, never raw.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zhengwu.store.base import Base, TenantMixin, utcnow


class Conversation(TenantMixin, Base):
    __tablename__ = "qa_conversation"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex, given to the client
    user: Mapped[str] = mapped_column(String(128), default="")
    kb: Mapped[str | None] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(8), default="zh")
    topic: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Turn(TenantMixin, Base):
    __tablename__ = "qa_turn"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("qa_conversation.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer, nullable=False)
    question: Mapped[str] = mapped_column(Text, nullable=False)  # PII-masked
    rewritten: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(16), default="extractive")  # extractive generative curated none
    no_basis: Mapped[bool] = mapped_column(Boolean, default=False)
    citations: Mapped[list] = mapped_column(JSON, default=list)
    audit_id: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Feedback(TenantMixin, Base):
    __tablename__ = "qa_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    turn_id: Mapped[int] = mapped_column(ForeignKey("qa_turn.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[str] = mapped_column(String(32), index=True)
    rating: Mapped[int] = mapped_column(Integer, nullable=False)  # +1 thumbs up, -1 thumbs down
    comment: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PinnedAnswer(TenantMixin, Base):
    """An administrator-approved answer for a family of questions; a close match wins over generated text."""

    __tablename__ = "qa_pinned"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family: Mapped[str] = mapped_column(String(200), nullable=False)
    examples: Mapped[list] = mapped_column(JSON, default=list)  # example questions
    keywords: Mapped[list] = mapped_column(JSON, default=list)  # all must appear (after synonym mapping)
    answer: Mapped[str] = mapped_column(Text, nullable=False)
    citations: Mapped[list] = mapped_column(JSON, default=list)  # [{title, doc_number, url}]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HandoffTicket(TenantMixin, Base):
    """A ticket draft for the 12345 hotline when the knowledge base has no (current) basis."""

    __tablename__ = "qa_handoff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str | None] = mapped_column(String(32), index=True)
    question: Mapped[str] = mapped_column(Text, nullable=False)  # PII-masked
    reason: Mapped[str] = mapped_column(String(32), default="no_basis")  # no_basis expired user_request
    status: Mapped[str] = mapped_column(String(16), default="draft")
    channel: Mapped[str] = mapped_column(String(32), default="12345")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
