"""The migrated database is the database the models describe.

zhengwu creates and upgrades its schema only through alembic revisions, while the code reads and writes through
the ORM models: when the two drift, the database accepts rows the application would never write (a NULL audit
field, a NULL department id), or lacks an index the queries rely on. Here an empty database is migrated to all
heads and compared with `Base.metadata` by alembic's own comparison, on a SQLite file and, with
ZHENGWU_TEST_DATABASE=postgresql, on the session's PostgreSQL cluster."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

import zhengwu
from zhengwu.store.base import Base


def all_models() -> None:
    """Import every module that declares tables (`models.py`, `classify_models.py`, ...): a table whose module
    is not imported is missing from `Base.metadata` and would show as "dropped" below."""
    for mod in pkgutil.walk_packages(zhengwu.__path__, "zhengwu."):
        if mod.name.rsplit(".", 1)[-1].endswith("models"):
            importlib.import_module(mod.name)


def _server_default_differs(context, inspected_column, metadata_column, inspected_default,  # noqa: ANN001, ANN202
                            metadata_default, rendered_metadata_default):
    """A server default the migration gave a column and the model does not declare is not drift: the
    migrations add columns to tables that may hold rows (ADD COLUMN ... NOT NULL needs a default for them), and
    the ORM sends the model's own default on every insert, so the server default is never what the application
    relies on. A model that declares a server default is compared by alembic as usual (None = "you decide")."""
    if metadata_column.server_default is None:
        return False
    return None


def schema_drift(engine: Engine) -> list:
    """Alembic's differences between the database behind `engine` and the models: types, nullability, server
    defaults (as above), indexes, unique constraints, tables and columns."""
    all_models()
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "compare_type": True, "compare_server_default": _server_default_differs})
        diffs = compare_metadata(ctx, Base.metadata)
    flat = []
    for d in diffs:  # column changes come grouped in lists
        flat.extend(d if isinstance(d, list) else [d])
    return flat


def _describe(diff: tuple) -> str:
    if diff[0].startswith("modify_"):
        return f"{diff[0]} {diff[2]}.{diff[3]}: {diff[-2]!r} -> {diff[-1]!r}"
    return f"{diff[0]} {diff[1]!r}"


@pytest.fixture
def migrated(empty_url) -> Engine:
    """An empty database migrated to all heads by `init_db` (a SQLite file, or PostgreSQL in that pass)."""
    from zhengwu.store.db import init_db

    return init_db(empty_url)


def test_the_migrated_schema_is_the_models_schema(migrated):
    drift = schema_drift(migrated)
    assert not drift, f"{len(drift)} differences between migrations and models:\n" + "\n".join(
        _describe(d) for d in drift)


def test_the_check_sees_a_weakened_column(migrated):
    """The comparison is not blind: a NOT NULL column made nullable behind the application's back is found."""
    from alembic.operations import Operations

    with migrated.begin() as conn:
        ops = Operations(MigrationContext.configure(conn))
        with ops.batch_alter_table("qa_turn") as batch:
            batch.alter_column("answer", nullable=True)
    drift = schema_drift(migrated)
    assert any(d[0] == "modify_nullable" and d[2:4] == ("qa_turn", "answer") for d in drift), drift
