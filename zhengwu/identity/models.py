"""Identity tables: departments (a tree), users, web sessions, API keys. Secrets are stored only as hashes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zhengwu.store.base import Base, utcnow


class Department(Base):
    """A node of the department tree (province → city → district → bureau); `code` is what records carry."""

    __tablename__ = "id_department"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(256), nullable=False, default="")
    parent: Mapped[str | None] = mapped_column(ForeignKey("id_department.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    __tablename__ = "id_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(128), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(256), nullable=False, default="")
    department: Mapped[str] = mapped_column(ForeignKey("id_department.code"), index=True, nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(Text)  # None: sign-on only (OIDC)
    oidc_subject: Mapped[str | None] = mapped_column(String(256), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebSession(Base):
    __tablename__ = "id_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("id_user.id", ondelete="CASCADE"), index=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ApiKey(Base):
    """A key for an application: it acts as `role` in `department`, for the scenarios it names ("*" = any)."""

    __tablename__ = "id_api_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True, nullable=False)  # shown in lists, never the key
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    app: Mapped[str] = mapped_column(String(128), nullable=False)
    department: Mapped[str] = mapped_column(ForeignKey("id_department.code"), index=True, nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    scenarios: Mapped[str] = mapped_column(Text, nullable=False, default="*")  # comma-separated scenario ids
    created_by: Mapped[str] = mapped_column(String(128), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OidcLogin(Base):
    """A sign-on in progress (统一身份认证): the state, nonce and PKCE verifier of one redirect to the provider,
    kept on the server and keyed by the hash of `state` so that a callback can be used once, only within
    LOGIN_MINUTES, and only by the browser that started it (`browser_hash` is the hash of a SameSite=Lax cookie:
    the SameSite=Strict session cookie is not sent on the cross-site redirect back from the provider)."""

    __tablename__ = "id_oidc_login"

    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    browser_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    nonce: Mapped[str] = mapped_column(String(128), nullable=False)
    code_verifier: Mapped[str] = mapped_column(String(128), nullable=False)
    redirect_uri: Mapped[str] = mapped_column(Text, nullable=False)
    next_url: Mapped[str] = mapped_column(Text, nullable=False, default="/")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True, nullable=False)
