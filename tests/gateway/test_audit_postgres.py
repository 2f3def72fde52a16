"""The audit chain on the scale profile's PostgreSQL: concurrent appends serialise on the chain head row."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.slow


def test_concurrent_appends_on_postgres(pg_server, zw_env, monkeypatch):
    from zhengwu.config import reset_settings
    from zhengwu.context import Caller
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
    errors: list[Exception] = []

    def worker(k: int) -> None:
        try:
            for i in range(10):
                with session_scope() as s:
                    audit.record(s, caller=Caller(f"u{k}", "office", "user"), scenario="kb_search",
                                 action="search", input_text=f"查询{k}-{i}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with session_scope() as s:
        res = audit.verify(s)
        assert res.ok and res.checked == 40
    with eng.begin() as conn:
        conn.execute(text("UPDATE gw_audit SET \"user\" = 'mallory' WHERE seq = 7"))
    with session_scope() as s:
        res = audit.verify(s)
        assert not res.ok and res.first_broken_seq == 7
    reset_engines()
