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


def test_attacks_caught_on_postgres(pg_server, zw_env, monkeypatch):
    """Re-chaining with plain SHA-256 and truncating with the head moved back, on PostgreSQL."""
    import hashlib
    import json

    from zhengwu.config import reset_settings
    from zhengwu.context import Caller
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope
    from zhengwu.store.db import init_db, reset_engines

    monkeypatch.setenv("ZHENGWU_DATABASE_URL", pg_server)
    reset_settings()
    reset_engines()
    eng = init_db()

    def fresh(n: int) -> None:
        with eng.begin() as conn:
            conn.execute(text("DELETE FROM gw_audit"))
            conn.execute(text("UPDATE gw_audit_head SET seq = 0, hash = '' WHERE id = 1"))
        (zw_env / "audit" / "anchors.log").unlink(missing_ok=True)
        for i in range(n):
            with session_scope() as s:
                audit.append(s, caller=Caller("u", "office", "user"), scenario="kb_search", action="search",
                             input_text=f"查询{i}", output_text=f"结果{i}")

    def verify():
        with session_scope() as s:
            return audit.verify(s)

    fresh(6)
    res = verify()
    assert res.ok and res.checked == 6 and res.anchors_checked == 6, res.reason

    fields = ("seq", "created_at", "department", "user", "role", "scenario", "action", "backend", "model",
              "output_hash", "content_hash", "checks", "extra", "expires_at", "prev_hash", "key_id")
    with eng.begin() as conn:  # edit seq 3's output, then re-chain 3.. with plain SHA-256 and fix the head
        conn.execute(text("UPDATE gw_audit SET output_text = NULL, input_text = NULL WHERE seq = 3"))
        conn.execute(text("UPDATE gw_audit SET content_hash = :h WHERE seq = 3"),
                     {"h": audit.content_hash(None, None, None)})
        rows = conn.execute(text("SELECT * FROM gw_audit ORDER BY seq")).mappings().all()
        prev = ""
        for r in rows:
            if r["seq"] >= 3:
                meta = {k: r[k] for k in fields}
                meta["prev_hash"] = prev
                h = hashlib.sha256(json.dumps(meta, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                                   .encode()).hexdigest()
                conn.execute(text("UPDATE gw_audit SET prev_hash = :p, hash = :h WHERE id = :id"),
                             {"p": prev, "h": h, "id": r["id"]})
                prev = h
            else:
                prev = r["hash"]
        conn.execute(text("UPDATE gw_audit_head SET hash = :h WHERE id = 1"), {"h": prev})
    res = verify()
    assert not res.ok and res.status == "tampered" and res.first_broken_seq == 3

    fresh(6)
    with eng.begin() as conn:  # delete the last two records and move the head back
        conn.execute(text("DELETE FROM gw_audit WHERE seq > 4"))
        conn.execute(text("UPDATE gw_audit_head SET seq = 4, hash = (SELECT hash FROM gw_audit WHERE seq = 4) "
                          "WHERE id = 1"))
    res = verify()
    assert not res.ok and res.first_broken_seq == 5 and "deleted" in res.reason
    reset_engines()
