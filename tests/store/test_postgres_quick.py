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
    assert "kb_0004" in heads  # the kb branch's head: shares, after the personal-data flag and near-duplicate groups
    reset_engines()
