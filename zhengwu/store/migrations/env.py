"""Alembic environment: the connection is passed in by zhengwu.store.db.init_db()."""

from alembic import context

from zhengwu.store.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through zhengwu.store.db.init_db()")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
