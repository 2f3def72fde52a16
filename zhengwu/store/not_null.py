"""Making columns NOT NULL in a migration, on a database that may already hold rows, without losing or inventing
data.

Why: the first revisions created many columns nullable that the models (and so the application) never leave
empty; a database that accepts NULL there accepts rows the application would never write (an audit row without
its time, a ticket event without its ticket). Tightening such a column in an existing deployment must do one of
two things for each row holding NULL: give it the value the application would have written (the model's default:
"" for a text, 0 for a count, [] for a list, the row's own creation time for an update time), or, where no such
value exists (a creation time, the id of a parent row), stop the upgrade and say which table, column and how many
rows, in Chinese and English. Nothing is deleted and no value is made up; the migration's transaction is rolled
back when it stops, so the database stays as it was."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from alembic import op

from zhengwu.errors import ZhengwuError


@dataclass(frozen=True)
class SameAs:
    """Fill a NULL with the same row's value of another column (an update time from its creation time)."""

    column: str


REFUSE = None
"""No value the application would have written can be known: NULLs stop the upgrade."""


def set_not_null(table: str, columns: dict[str, object]) -> None:
    """Make `columns` of `table` NOT NULL; each maps to the fill for existing NULLs: a literal value (a list or
    dict is stored as JSON), `SameAs(other_column)`, or `REFUSE`. Raises ZhengwuError (code
    `schema_upgrade_nulls`) naming every column left with NULLs and their counts, before any column is altered;
    init_db runs the upgrade in one transaction, so the fills made so far are rolled back with it."""
    bind = op.get_bind()
    q = bind.dialect.identifier_preparer.quote
    for col, fill in columns.items():
        if fill is REFUSE:
            continue
        if isinstance(fill, SameAs):
            bind.execute(sa.text(f"UPDATE {q(table)} SET {q(col)} = {q(fill.column)} WHERE {q(col)} IS NULL"))
        else:
            target = sa.table(table, sa.column(col, sa.JSON() if isinstance(fill, (list, dict)) else None))
            bind.execute(sa.update(target).where(target.c[col].is_(None)).values({col: fill}))
    left = {}
    for col in columns:
        n = bind.execute(sa.text(f"SELECT COUNT(*) FROM {q(table)} WHERE {q(col)} IS NULL")).scalar_one()
        if n:
            left[col] = n
    if left:
        zh = "；".join(f"表 {table} 的列 {col} 有 {n} 行为空值（NULL）" for col, n in left.items())
        en = "; ".join(f"table {table}, column {col}: {n} row(s) hold NULL" for col, n in left.items())
        raise ZhengwuError(
            "schema_upgrade_nulls",
            f"数据库升级已停止，未做任何修改：{zh}。应用不会写入这样的行，也无法推断应有的值；"
            "请核对并补全或删除这些行后重新运行升级（见 docs/deployment.md）。",
            f"Database upgrade stopped, nothing changed: {en}. The application never writes such rows and the "
            "missing value cannot be inferred; check these rows, complete or delete them, then run the upgrade "
            "again (see docs/deployment.md).",
            table=table, columns=",".join(left))
    with op.batch_alter_table(table) as batch:
        for col in columns:
            batch.alter_column(col, nullable=False)


def drop_not_null(table: str, columns: list[str]) -> None:
    """The downgrade of `set_not_null`: the columns accept NULL again (the values filled in stay)."""
    with op.batch_alter_table(table) as batch:
        for col in columns:
            batch.alter_column(col, nullable=True)
