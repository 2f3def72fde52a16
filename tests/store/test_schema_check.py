"""init_db's schema check: one query when the database is at the code's heads, alembic's upgrade otherwise.

A database from an older version is migrated, one from a newer version or with a tampered version table
fails as it did when every process ran alembic's upgrade (the same errors)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.util.exc import CommandError
from sqlalchemy import exc as sa_exc

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_url(tmp_path):
    """A SQLite URL in tmp_path migrated to all heads, and the file's path; engines forgotten around it."""
    from zhengwu.store.db import init_db, reset_engines

    path = tmp_path / "schema.db"
    url = f"sqlite:///{path}"
    reset_engines()
    init_db(url)
    reset_engines()
    yield url, path
    reset_engines()


def _versions(path: Path) -> set[str]:
    db = sqlite3.connect(path)
    try:
        return {r[0] for r in db.execute("SELECT version_num FROM alembic_version")}
    finally:
        db.close()


def _tamper(path: Path, sql: str) -> None:
    db = sqlite3.connect(path)
    db.execute(sql)
    db.commit()
    db.close()


def test_code_heads_are_what_alembic_stores(fresh_url):
    from zhengwu.store.db import code_heads

    assert code_heads() == _versions(fresh_url[1])
    assert any(h.startswith("kb_") for h in code_heads())


def test_a_current_database_is_checked_without_alembic(fresh_url, tmp_path):
    """A fresh process opening a current database does not import alembic (its upgrade is ~0.3 s)."""
    url, _ = fresh_url
    code = ("import sys; from zhengwu.store.db import init_db; init_db(sys.argv[1]); "
            "print('alembic' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k != "ZHENGWU_DATABASE_URL"}
    out = subprocess.run([sys.executable, "-c", code, url], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_an_older_database_is_migrated(tmp_path):
    """A database stopped at an older revision of one branch gets every migration since, as before."""
    from alembic import command
    from alembic.config import Config

    from zhengwu.store.db import MIGRATIONS, code_heads, get_engine, init_db, reset_engines

    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    reset_engines()
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with get_engine(url).begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "kb_0003")
    assert _versions(path) == {"kb_0003"}
    reset_engines()
    init_db(url)
    reset_engines()
    assert _versions(path) == set(code_heads())
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
    assert {"kb_share", "qa_conversation", "gw_audit"} <= tables


@pytest.mark.parametrize("sql, revision", [
    ("UPDATE alembic_version SET version_num='kb_0099' WHERE version_num='kb_0005'", "kb_0099"),  # newer version
    ("INSERT INTO alembic_version VALUES ('zz_bogus')", "zz_bogus"),  # tampered: an unknown row
])
def test_a_newer_or_unknown_revision_fails_as_before(fresh_url, sql, revision):
    from zhengwu.store.db import init_db

    url, path = fresh_url
    _tamper(path, sql)
    with pytest.raises(CommandError, match=f"Can't locate revision identified by '{revision}'"):
        init_db(url)
    assert revision in _versions(path)  # nothing was changed


@pytest.mark.parametrize("sql", ["DELETE FROM alembic_version WHERE version_num='qa_0002'",
                                 "DELETE FROM alembic_version"])
def test_a_version_table_missing_rows_fails_as_before(fresh_url, sql):
    """Rows removed from the version table: alembic re-runs those migrations, which find their tables."""
    from zhengwu.store.db import init_db

    url, path = fresh_url
    before = _versions(path)
    _tamper(path, sql)
    with pytest.raises(sa_exc.OperationalError, match="already exists"):
        init_db(url)
    assert _versions(path) < before  # the failed upgrade was rolled back
