"""Engine, sessions and migrations.

SQLite (the default) runs in WAL mode with a busy timeout so that the web server, the CLI and the
background worker can write to the same file. Schema changes are alembic revisions under
`zhengwu/store/migrations/versions/`; `init_db()` upgrades to all heads (one branch per feature module).
"""

from __future__ import annotations

import ast
import os
import re
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.orm import Session, sessionmaker

from zhengwu.config import get_settings
from zhengwu.errors import ZhengwuError

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_POOL = 16  # SQLite connections kept open per process (more are opened when needed, closed after)

_engines: dict[str, Engine] = {}
_migrated: set[str] = set()
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def secure_sqlite_file(path: Path) -> None:
    """Create the SQLite file 0600 in a 0700 directory before SQLite opens it, and tighten an existing one.

    Why: the file holds conversations, documents and the audit log; SQLite would create it (and its -wal /
    -shm, which copy the database file's mode) with the process umask, world-readable by default."""
    parent = path.parent
    if not parent.exists():
        parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        os.chmod(parent, 0o700)  # mkdir's mode is filtered by the umask
    elif parent.resolve() == get_settings().data_dir.resolve() and parent.stat().st_uid == os.getuid():
        os.chmod(parent, 0o700)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if p.exists() and p.stat().st_uid == os.getuid() and p.stat().st_mode & 0o077:
                os.chmod(p, 0o600)
        except OSError:
            pass


def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().resolved_database_url
    with _lock:
        eng = _engines.get(url)
        if eng is None:
            if url.startswith("sqlite"):
                path = url.split("///", 1)[-1]
                if path and path != ":memory:":
                    secure_sqlite_file(Path(path))
                # No cap on connections (max_overflow=-1): a request's session, the gateway's policy lookup and
                # the quota counter each take one, for every server thread at once. With the default cap of 15 a
                # writer holding SQLite's write lock waited for a connection that readers waiting on that lock
                # held, until the 30 s busy timeout broke the knot: "database is locked" (50 users, issue 15).
                # A SQLite connection is a file handle: opening one costs well under a millisecond.
                eng = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                                    pool_size=SQLITE_POOL, max_overflow=-1)
                event.listen(eng, "connect", _sqlite_pragmas)
            elif url.startswith("postgresql"):
                # the same 30 s bound on waiting for a lock as SQLite's busy_timeout: a transaction that waits on
                # a row another one of the same thread holds fails after 30 s instead of hanging forever.
                # Pool sized to the server's threads: `web_threads` requests run at once per process and each may
                # hold three connections (as above); SQLAlchemy's default (5 + 10 overflow) would make a busy
                # server's requests queue for a connection. Connections open only when needed; PostgreSQL's
                # max_connections must cover processes x 3 x web_threads (docs/deployment.md).
                threads = get_settings().web_threads
                eng = create_engine(url, pool_pre_ping=True, pool_size=threads, max_overflow=2 * threads,
                                    connect_args={"options": "-c lock_timeout=30000"})
            else:
                eng = create_engine(url, pool_pre_ping=True)
            _engines[url] = eng
        return eng


def init_db(url: str | None = None) -> Engine:
    """Create or upgrade the schema (idempotent, cheap after the first call in a process).

    A database whose alembic_version rows are exactly the heads of the code's revisions is current: one
    query, without importing alembic (~0.3 s, in every CLI process). Anything else (a new or older database,
    one written by a newer version, a tampered version table) goes through alembic's upgrade as always, which
    migrates it or fails with alembic's own error."""
    eng = get_engine(url)
    key = str(eng.url)
    if key in _migrated:
        return eng
    with _lock:
        if key in _migrated:
            return eng
        if not _is_current(eng):
            from alembic import command
            from alembic.config import Config

            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS))
            with eng.connect() as conn:
                sqlite = eng.dialect.name == "sqlite"
                if sqlite:
                    # SQLite changes a column by rebuilding its table (alembic's batch mode): with foreign keys
                    # on, dropping the old table deletes its rows first and ON DELETE CASCADE empties the child
                    # tables (a ticket's events, a conversation's turns). SQLite's own procedure for schema
                    # changes: foreign keys off (outside a transaction, where the pragma is a no-op), change,
                    # then check every reference before committing.
                    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                    conn.commit()  # ends SQLAlchemy's autobegun transaction (no BEGIN was sent for a pragma)
                try:
                    with conn.begin():
                        if sqlite:
                            # Python's sqlite3 opens a transaction only before INSERT/UPDATE/DELETE: a migration
                            # starting with DDL (a table rebuild's CREATE) would commit it at once and leave it
                            # behind if a later step fails. An explicit BEGIN makes the whole upgrade one unit.
                            conn.exec_driver_sql("BEGIN")
                        before = _broken_references(conn) if sqlite else Counter()
                        cfg.attributes["connection"] = conn
                        command.upgrade(cfg, "heads")
                        if sqlite:
                            _check_sqlite_references(conn, before)
                finally:
                    if sqlite:
                        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                        conn.commit()
        _migrated.add(key)
    return eng


def _broken_references(conn) -> Counter:  # noqa: ANN001 - a SQLAlchemy Connection
    """Rows referencing a missing row, counted per (table, referenced table): SQLite's foreign_key_check."""
    return Counter((r[0], r[2]) for r in conn.exec_driver_sql("PRAGMA foreign_key_check"))


def _check_sqlite_references(conn, before: Counter) -> None:  # noqa: ANN001 - a SQLAlchemy Connection
    """Fail the migration (rolled back) when it left rows referencing missing rows: with foreign keys off during
    the migration, nothing else would notice. References already broken before (a file edited by hand with the
    sqlite3 shell, where foreign keys are off by default) are not the migration's doing and do not stop it."""
    new = _broken_references(conn) - before
    if new:
        where = ", ".join(f"{t} -> {p}" for t, p in sorted(new))
        n = sum(new.values())
        raise ZhengwuError("schema_upgrade_references",
                           f"数据库升级已停止，未做任何修改：升级会使 {n} 行引用不存在的记录（{where}）。",
                           f"Database upgrade stopped, nothing changed: it would leave {n} row(s) referencing "
                           f"missing rows ({where}).")


_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)


def code_heads() -> frozenset[str]:
    """The heads of the revision files under migrations/versions/: the revisions no other revision builds on.

    Read from the files' `revision = ...` / `down_revision = ...` lines (literals, as alembic writes them),
    not by loading alembic's script directory. A file that cannot be read this way yields an empty set,
    which never equals a database's version rows: the full alembic path decides then."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("[!_]*.py"):
        src = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(src), _DOWN.search(src)
        if rev is None or down is None:
            return frozenset()
        try:
            revisions.add(ast.literal_eval(rev.group(1).strip()))
            d = ast.literal_eval(down.group(1).strip())
        except (ValueError, SyntaxError):
            return frozenset()
        downs.update([d] if isinstance(d, str) else list(d or ()))
    return frozenset(revisions - downs)


def _is_current(eng: Engine) -> bool:
    """Whether the database's alembic_version rows are the code's heads (False when the table is missing)."""
    heads = code_heads()
    if not heads:
        return False
    try:
        with eng.connect() as conn:
            rows = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except exc.DBAPIError:  # no table yet (a new database), or not readable: alembic decides
        return False
    return rows == heads


_sessionmakers: dict[str, sessionmaker] = {}


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A transaction: committed on success, rolled back on any error (nothing half-stored)."""
    eng = init_db(url)
    key = str(eng.url)
    maker = _sessionmakers.get(key)
    if maker is None:
        maker = _sessionmakers[key] = sessionmaker(bind=eng, expire_on_commit=False)
    session = maker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def ping() -> bool:
    """Whether the database answers a trivial query (for /readyz); never raises."""
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False
    return True


def reset_engines() -> None:
    """Forget cached engines (tests switch databases between cases)."""
    with _lock:
        for eng in _engines.values():
            eng.dispose()
        _engines.clear()
        _migrated.clear()
        _sessionmakers.clear()
