"""The SQLite database (and its -wal / -shm) is created 0600 and the data directory 0700, whatever the umask."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from tests.conftest import sqlite_only

# file modes of the SQLite file (PostgreSQL keeps its own files), as the product creates them: no template copy
pytestmark = [sqlite_only, pytest.mark.fresh_data_dir]


def _mode(p) -> int:  # noqa: ANN001
    return stat.S_IMODE(os.stat(p).st_mode)


def test_database_and_data_dir_are_private(zw_env):
    from zhengwu.store.db import session_scope

    old = os.umask(0o022)  # the usual default: files 0644, directories 0755
    try:
        with session_scope() as s:
            s.execute(text("SELECT 1"))
        db = zw_env / "zhengwu.db"
        assert _mode(zw_env) == 0o700
        assert _mode(db) == 0o600
        for side in ("zhengwu.db-wal", "zhengwu.db-shm"):
            if (zw_env / side).exists():  # present while a connection is open in WAL mode
                assert _mode(zw_env / side) == 0o600, side
    finally:
        os.umask(old)


def test_an_existing_world_readable_database_is_tightened(zw_env):
    from zhengwu.store.db import reset_engines, session_scope

    zw_env.mkdir(mode=0o755)
    os.chmod(zw_env, 0o755)
    db = zw_env / "zhengwu.db"
    db.touch()
    os.chmod(db, 0o644)
    reset_engines()
    with session_scope() as s:
        s.execute(text("SELECT 1"))
    assert _mode(db) == 0o600 and _mode(zw_env) == 0o700
