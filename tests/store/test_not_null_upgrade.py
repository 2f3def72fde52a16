"""The NOT NULL revisions (admin_0002, hotline_0003, hotline_cls_0002, identity_0003, kb_0005, match_0002,
qa_0002) on a database that already holds rows at the previous heads, some with NULLs written behind the
application's back: rows kept (children of rebuilt tables included), NULLs given the application's value,
the constraints in place after, a NULL insert refused by the database; and an upgrade that meets a NULL with
no knowable value stops, naming table, column and count, with nothing changed. SQLite file, or PostgreSQL in the
PostgreSQL pass."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import datetime, timezone

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, exc, text

from tests.conftest import sqlite_only
from tests.store.test_schema_drift import schema_drift
from zhengwu.errors import ZhengwuError

NEW = {"admin_0002": "admin_0001", "hotline_0003": "hotline_0002", "hotline_cls_0002": "hotline_cls_0001",
       "identity_0003": "identity_0002", "kb_0005": "kb_0004", "match_0002": "match_0001", "qa_0002": "qa_0001"}
T0 = datetime(2026, 11, 1, 8, 30, tzinfo=timezone.utc)


def _at_previous_heads(url: str) -> Engine:
    """The database as the release before these revisions left it: every branch at its head but the new ones."""
    from zhengwu.store.db import MIGRATIONS, code_heads, get_engine

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    eng = get_engine(url)
    targets = sorted((code_heads() - NEW.keys()) | set(NEW.values()))
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        for target in targets:
            command.upgrade(cfg, target)
    return eng


def _versions(eng: Engine) -> set[str]:
    with eng.connect() as conn:
        return {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}


def _seed(eng: Engine) -> None:
    """Rows as an older release or a hand-edit left them: explicit NULLs where the columns allowed them."""
    with eng.begin() as c:
        c.execute(text("INSERT INTO hotline_ticket (id, department, title, category_path, status, created_at, "
                       "updated_at, received_at) VALUES (1, 'd1', NULL, NULL, NULL, :t, NULL, NULL)"), {"t": T0})
        c.execute(text("INSERT INTO hotline_ticket_event (department, ticket_id, action, note, changes, at) "
                       "VALUES ('d1', 1, 'create', NULL, NULL, :t)"), {"t": T0})
        c.execute(text("INSERT INTO qa_conversation (id, department, \"user\", created_at, updated_at) "
                       "VALUES ('c1', 'd1', NULL, :t, NULL)"), {"t": T0})
        c.execute(text("INSERT INTO qa_turn (department, conversation_id, ordinal, question, answer, no_basis, "
                       "citations, created_at) VALUES ('d1', 'c1', 0, '低保怎么申请', NULL, NULL, NULL, :t)"),
                  {"t": T0})
        c.execute(text("INSERT INTO qa_pinned (department, family, answer, active, created_at) "
                       "VALUES ('d1', 'f', '答', NULL, :t)"), {"t": T0})
        c.execute(text("INSERT INTO kb (id, department, name, description, created_at) "
                       "VALUES (1, 'd1', 'policy', NULL, :t)"), {"t": T0})


def test_rows_are_kept_filled_and_guarded_after_the_upgrade(empty_url):
    from zhengwu.store.db import init_db

    eng = _at_previous_heads(empty_url)
    assert not NEW.keys() & _versions(eng)
    _seed(eng)
    init_db(empty_url)
    assert NEW.keys() <= _versions(eng)
    with eng.connect() as c:
        # the children of rebuilt tables are still there (SQLite rebuilds a table to change a column)
        assert c.execute(text("SELECT COUNT(*) FROM hotline_ticket_event WHERE ticket_id = 1")).scalar_one() == 1
        assert c.execute(text("SELECT COUNT(*) FROM qa_turn WHERE conversation_id = 'c1'")).scalar_one() == 1
        title, path, status, updated, received = c.execute(text(
            "SELECT title, category_path, status, updated_at, received_at FROM hotline_ticket")).one()
        assert (title, status) == ("", "受理")
        assert (json.loads(path) if isinstance(path, str) else path) == []
        assert updated == received and updated is not None  # the row's own creation time, not the upgrade's
        answer, no_basis = c.execute(text("SELECT answer, no_basis FROM qa_turn")).one()
        assert answer == "" and not no_basis
        # a pin nobody activated stays unserved (NULL was never `IS TRUE`)
        assert not c.execute(text("SELECT active FROM qa_pinned")).scalar_one()
        assert c.execute(text("SELECT description FROM kb")).scalar_one() == ""
    assert schema_drift(eng) == []
    # what an attacker editing the database could do before, the database now refuses: each insert is complete
    # but for the one NULL, and that column is what the database names
    attacks = [  # (column, insert with :v in that column, a value the application would write there)
        ("ticket_id", "INSERT INTO hotline_ticket_event (department, ticket_id, action, changes, at) "
                      "VALUES ('d1', :v, 'x', '{}', :t)", 1),
        ("conversation_id", "INSERT INTO qa_turn (department, conversation_id, ordinal, question, citations, "
                            "created_at) VALUES ('d1', :v, 1, 'q', '[]', :t)", "c1"),
        ("created_at", "INSERT INTO id_department (code, name, created_at) VALUES ('d9', 'd9', :v)", T0),
    ]
    for column, sql, _ in attacks:
        with pytest.raises(exc.IntegrityError, match=column):
            with eng.begin() as c:
                c.execute(text(sql), {"v": None, "t": T0})
    with eng.begin() as c:  # the same rows with a value are accepted: what is refused is the NULL
        for _, sql, value in attacks:
            c.execute(text(sql), {"v": value, "t": T0})


def test_a_null_without_a_knowable_value_stops_the_upgrade_with_nothing_changed(empty_url):
    from zhengwu.store.db import init_db

    eng = _at_previous_heads(empty_url)
    before = _versions(eng)
    _seed(eng)
    with eng.begin() as c:  # an event whose ticket nobody can name, and a ticket without its creation time
        c.execute(text("INSERT INTO hotline_ticket_event (department, ticket_id, action, at) "
                       "VALUES ('d1', NULL, 'create', :t)"), {"t": T0})
        c.execute(text("INSERT INTO hotline_ticket (id, department, created_at) VALUES (2, 'd1', NULL)"))
    with pytest.raises(ZhengwuError) as err:
        init_db(empty_url)
    msg = str(err.value)
    assert err.value.code == "schema_upgrade_nulls"
    assert "数据库升级已停止" in err.value.zh and "Database upgrade stopped" in err.value.en
    assert ("hotline_ticket_event 的列 ticket_id 有 1 行" in msg) ^ ("hotline_ticket 的列 created_at 有 1 行" in msg)
    assert _versions(eng) == before
    with eng.connect() as c:
        assert c.execute(text("SELECT COUNT(*) FROM hotline_ticket_event")).scalar_one() == 2
        assert c.execute(text("SELECT title FROM hotline_ticket WHERE id = 1")).scalar_one() is None  # rolled back
    # the operator settles the rows the message named; the same upgrade then goes through (nothing half-done
    # by the stopped attempt is in its way)
    with eng.begin() as c:
        c.execute(text("DELETE FROM hotline_ticket_event WHERE ticket_id IS NULL"))
        c.execute(text("UPDATE hotline_ticket SET created_at = :t WHERE created_at IS NULL"), {"t": T0})
    init_db(empty_url)
    assert NEW.keys() <= _versions(eng)
    assert schema_drift(eng) == []


@sqlite_only
def test_references_broken_before_do_not_stop_the_upgrade_and_new_ones_would(empty_url):
    """SQLite migrates with foreign keys off and checks references before committing: an orphan a hand-edit left
    (the sqlite3 shell runs with foreign keys off) is not the upgrade's doing and stays; a reference the upgrade
    itself broke stops it."""
    from zhengwu.store.db import _check_sqlite_references, init_db

    eng = _at_previous_heads(empty_url)
    db = sqlite3.connect(empty_url.split("///", 1)[1])  # foreign keys off, as in the sqlite3 shell
    db.execute("INSERT INTO hotline_ticket_event (department, ticket_id, action, at) VALUES ('d1', 99, 'x', '')")
    db.commit()
    db.close()
    init_db(empty_url)
    assert NEW.keys() <= _versions(eng)
    with eng.connect() as c:
        assert c.execute(text("SELECT COUNT(*) FROM hotline_ticket_event WHERE ticket_id = 99")).scalar_one() == 1
        with pytest.raises(ZhengwuError, match="hotline_ticket_event -> hotline_ticket") as err:
            _check_sqlite_references(c, Counter())
    assert err.value.code == "schema_upgrade_references"
