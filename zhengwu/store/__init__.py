"""Storage: SQLAlchemy 2 models on one Base, alembic migrations, one engine per database URL."""

from zhengwu.store.base import Base, TenantMixin, utcnow
from zhengwu.store.db import get_engine, init_db, session_scope

__all__ = ["Base", "TenantMixin", "utcnow", "get_engine", "init_db", "session_scope"]
