"""Fixtures of the storage tests."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ON_POSTGRES


@pytest.fixture
def empty_url(tmp_path, request) -> str:
    """The URL of an empty database, no migration run: a SQLite file, or a new database in the session's
    PostgreSQL cluster in the PostgreSQL pass (dropped after). Engines are forgotten around it."""
    from zhengwu.store.db import reset_engines

    reset_engines()
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        reset_engines()
        return
    server = request.getfixturevalue("pg_server")
    name = f"zw_store_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        reset_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
