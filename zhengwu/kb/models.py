"""Knowledge-base records. Every row carries its department (tenant)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (BigInteger, Boolean, JSON, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String,
                        Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zhengwu.store.base import Base, TenantMixin, utcnow


class KnowledgeBase(TenantMixin, Base):
    __tablename__ = "kb"
    __table_args__ = (UniqueConstraint("department", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="")
    # bumped on every change of its documents; in-memory indexes compare it to know they are stale
    version: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # holds personal data (case files, tickets): its passages are PII-masked before any embedding model sees
    # them, unless mask_passages says otherwise explicitly (None = follow personal_data)
    personal_data: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    mask_passages: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    @property
    def masks_passages(self) -> bool:
        return self.personal_data if self.mask_passages is None else self.mask_passages


class KBShare(Base):
    """A knowledge base shared on purpose with another department: its people may read and search it; only the
    owning department writes to it (DESIGN non-negotiable 6: nothing crosses departments unless shared on purpose)."""

    __tablename__ = "kb_share"

    kb_id: Mapped[int] = mapped_column(ForeignKey("kb.id", ondelete="CASCADE"), primary_key=True)
    department: Mapped[str] = mapped_column(String(64), primary_key=True)
    shared_by: Mapped[str] = mapped_column(String(128), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Document(TenantMixin, Base):
    __tablename__ = "kb_document"
    __table_args__ = (UniqueConstraint("kb_id", "source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kb_id: Mapped[int] = mapped_column(ForeignKey("kb.id", ondelete="CASCADE"), index=True, nullable=False)
    source: Mapped[str] = mapped_column(String(1024), nullable=False)  # file path, URL or "jsonl:<docid>"
    source_type: Mapped[str] = mapped_column(String(16), nullable=False)  # pdf docx html txt md xlsx csv jsonl
    external_id: Mapped[str | None] = mapped_column(String(256), index=True)  # e.g. the JSONL docid
    content_hash: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
    title: Mapped[str] = mapped_column(Text, default="")
    doc_type: Mapped[str] = mapped_column(String(32), default="")  # 通知 意见 办法 办事指南 FAQ 法律 ...
    issuer: Mapped[str] = mapped_column(Text, default="")  # 发文机关
    doc_number: Mapped[str] = mapped_column(String(128), default="")  # 发文字号 / 文号
    pub_date: Mapped[date | None] = mapped_column(Date)
    effective_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    validity: Mapped[str] = mapped_column(String(16), default="effective")  # effective | expired | repealed
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    # near-duplicates (the same notice reposted by several sites): the id of the group's first stored copy,
    # set on every member of a group of two or more; None for a document without copies (zhengwu.kb.dedup)
    dup_group: Mapped[int | None] = mapped_column(Integer, index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)  # MinHash signature of its 5-character shingles
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    chunks: Mapped[list[Chunk]] = relationship(back_populates="document", cascade="all, delete-orphan",
                                               passive_deletes=True, order_by="Chunk.ordinal")


class Chunk(TenantMixin, Base):
    __tablename__ = "kb_chunk"
    # a long document's passage around a search hit is read by ordinal (migration kb_read_0001)
    __table_args__ = (Index("ix_kb_chunk_document_ordinal", "document_id", "ordinal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("kb_document.id", ondelete="CASCADE"), index=True,
                                             nullable=False)
    kb_id: Mapped[int] = mapped_column(Integer, index=True, nullable=False)
    ordinal: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), default="text")  # text | table | faq
    heading_path: Mapped[str] = mapped_column(Text, default="")  # "一、总体要求 > （一）指导思想"
    text: Mapped[str] = mapped_column(Text, nullable=False)
    tokens: Mapped[str] = mapped_column(Text, default="")  # space-joined lexical tokens, computed at ingest
    page: Mapped[int | None] = mapped_column(Integer)
    char_start: Mapped[int | None] = mapped_column(Integer)

    document: Mapped[Document] = relationship(back_populates="chunks")


class ChunkVector(Base):
    """Dense vector of a chunk for one embedding model (float32 bytes), filled in the background."""

    __tablename__ = "kb_chunk_vector"

    chunk_id: Mapped[int] = mapped_column(ForeignKey("kb_chunk.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(64), primary_key=True)
    kb_id: Mapped[int] = mapped_column(Integer, index=True, nullable=False)
    vector: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class IngestJob(TenantMixin, Base):
    """A batch of files; items are resumable: an interrupted job continues with its pending items."""

    __tablename__ = "kb_ingest_job"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kb_id: Mapped[int] = mapped_column(ForeignKey("kb.id", ondelete="CASCADE"), index=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), default="ingest")  # ingest | embed
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending running done failed cancelled
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    # volume of the run in progress (rate and ETA of GET /api/jobs/{id}); migration kb_ingest_0001
    bytes_total: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    bytes_done: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class IngestItem(Base):
    __tablename__ = "kb_ingest_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("kb_ingest_job.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(1024), nullable=False)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending added unchanged replaced failed
    message: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[int | None] = mapped_column(Integer)
