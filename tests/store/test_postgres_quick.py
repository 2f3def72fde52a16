"""The scale profile's database: migrations run on a real PostgreSQL and tenant columns exist."""

from sqlalchemy import inspect, text

from zhengwu.store.db import init_db, reset_engines


def test_migrations_on_postgres(pg_server):
    reset_engines()
    eng = init_db(pg_server)
    names = set(inspect(eng).get_table_names())
    assert {"kb", "kb_document", "kb_chunk", "alembic_version"} <= names
    cols = {c["name"] for c in inspect(eng).get_columns("kb_document")}
    assert {"department", "dup_group", "minhash"} <= cols
    with eng.connect() as conn:
        heads = {r[0] for r in conn.execute(text("select version_num from alembic_version"))}
    assert "kb_0005" in heads  # the kb branch's head: NOT NULL columns, after shares, the personal-data flag, ...
    reset_engines()


def test_the_pool_holds_three_connections_per_server_thread(pg_server):
    """A request may hold three connections at once (its session, the gateway's policy lookup, the quota
    counter) and `web_threads` requests run at once per process: all of them at once get a connection."""
    from zhengwu.config import get_settings

    reset_engines()
    eng = init_db(pg_server)
    threads = get_settings().web_threads
    assert eng.pool.size() == threads
    conns = [eng.connect() for _ in range(3 * threads)]
    try:
        assert all(c.execute(text("select 1")).scalar() == 1 for c in conns)
    finally:
        for c in conns:
            c.close()
        reset_engines()
