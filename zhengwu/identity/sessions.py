"""Web sessions: a random token in an HttpOnly, SameSite=Strict cookie; only its SHA-256 is stored, so a copy
of the database does not let anyone sign in. Sessions end after SESSION_HOURS or at logout."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select

from zhengwu.context import Caller
from zhengwu.gateway import record_admin_action
from zhengwu.identity.models import User, WebSession
from zhengwu.store.db import session_scope

SESSION_HOURS = 8
COOKIE = "zw_session"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(caller: Caller) -> str:
    """A new session for a signed-in user -> the token for the cookie (shown once, stored hashed)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(timezone.utc)
    with session_scope() as s:
        user = s.scalar(select(User).where(User.username == caller.user))
        s.execute(delete(WebSession).where(WebSession.expires_at < now))
        s.add(WebSession(token_hash=_hash(token), user_id=user.id, created_at=now,
                         expires_at=now + timedelta(hours=SESSION_HOURS)))
    return token


def session_caller(token: str | None) -> Caller | None:
    """The caller of a live session, or None (unknown, expired, or the user was deactivated)."""
    if not token or len(token) > 100:
        return None
    with session_scope() as s:
        row = s.execute(select(WebSession.expires_at, User.username, User.department, User.role, User.active)
                        .join(User, User.id == WebSession.user_id)
                        .where(WebSession.token_hash == _hash(token))).first()
    if row is None or not row.active:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=timezone.utc)
    if expires < datetime.now(timezone.utc):
        return None
    return Caller(row.username, row.department, row.role)


def end_session(token: str | None) -> None:
    if not token:
        return
    with session_scope() as s:
        row = s.execute(select(WebSession.user_id, User.username, User.department, User.role)
                        .join(User, User.id == WebSession.user_id).where(WebSession.token_hash == _hash(token))).first()
        s.execute(delete(WebSession).where(WebSession.token_hash == _hash(token)))
        if row is not None:
            record_admin_action(s, Caller(row.username, row.department, row.role), "logout", target=row.username)
