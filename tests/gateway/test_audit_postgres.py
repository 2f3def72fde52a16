"""The audit chain on the scale profile's PostgreSQL: concurrent appends serialise on the chain head row."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.gateway.conftest import append_concurrently

pytestmark = pytest.mark.slow


def test_concurrent_appends_on_postgres(pg_server, zw_env, monkeypatch):
    from zhengwu.config import reset_settings
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope
    from zhengwu.store.db import init_db, reset_engines

    monkeypatch.setenv("ZHENGWU_DATABASE_URL", pg_server)
    reset_settings()
    reset_engines()
    eng = init_db()
    with eng.begin() as conn:  # the cluster is shared by the session: start from an empty log
        conn.execute(text("DELETE FROM gw_audit"))
        conn.execute(text("UPDATE gw_audit_head SET seq = 0, hash = '' WHERE id = 1"))
    assert append_concurrently(4, 10, "office") == []
    with session_scope() as s:
        res = audit.verify(s)
        assert res.ok and res.checked == 40
    with eng.begin() as conn:
        conn.execute(text("UPDATE gw_audit SET \"user\" = 'mallory' WHERE seq = 7"))
    with session_scope() as s:
        res = audit.verify(s)
        assert not res.ok and res.first_broken_seq == 7
    reset_engines()
