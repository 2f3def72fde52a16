"""The stored catalogue of a department: import (all or nothing), export, list, publish.

An import validates the whole file first (zhengwu.match.catalog) and then writes every entry in one
transaction, so a catalogue with one unparseable condition loads nothing. An entry imported again replaces
the stored one (same department and scheme id) and returns to draft unless the import publishes it: a changed
rule is reviewed before residents are matched against it. An entry imported again unchanged keeps its status, so
re-importing an exported catalogue to correct one entry does not withdraw all the others from residents; the
report counts the published entries an import withdrew. Only administrators change the catalogue; residents
are matched against the published entries of their own department only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, NotFound, ZhengwuError
from zhengwu.match.catalog import Catalog, Scheme, demo_catalog_path, load_catalog, validate_catalog
from zhengwu.match.models import SchemeRow
from zhengwu.store import session_scope
from zhengwu.store.base import utcnow

STATUSES = ("draft", "published")


@dataclass
class ImportReport:
    created: int
    updated: int
    published: int
    schemes: list[str]
    withdrawn: int = 0   # entries residents were matched against that this import returned to draft


def _admin(caller: Caller, zh: str, en: str) -> None:
    if not caller.is_admin:
        raise Forbidden("admin_required", f"只有管理员可以{zh}。", f"Only an administrator may {en}.")


def _rows(s: Session, caller: Caller, status: str | None = None) -> list[SchemeRow]:
    q = select(SchemeRow).where(SchemeRow.department == caller.department)
    if status is not None:
        if status not in STATUSES:
            raise ZhengwuError("match_bad_status", f"状态只能是 draft 或 published（收到 {status}）。",
                           f"status is draft or published (got {status!r}).")
        q = q.where(SchemeRow.status == status)
    return list(s.scalars(q.order_by(SchemeRow.scheme_id)))


def _scheme(row: SchemeRow) -> Scheme:
    return Scheme.model_validate({**row.entry, "status": row.status})


def import_catalog(caller: Caller, catalog: Catalog, *, publish: bool = False,
                   session: Session | None = None) -> ImportReport:
    """Write every entry of an already validated catalogue into the caller's department, in one transaction.
    Entries are stored as drafts, unless `publish`: then those the file does not mark `status: draft` are
    published."""
    _admin(caller, "导入政策目录", "import the catalogue")
    # a Catalog built in code is checked as a file would be (vocabulary, operators, duplicate ids)
    catalog = validate_catalog(catalog.model_dump(mode="json", by_alias=True))
    if not catalog.schemes:
        raise ZhengwuError("match_empty_catalog", "目录文件没有任何条目（schemes 为空）。",
                       "the catalogue holds no entries (schemes is empty).")

    def write(s: Session) -> ImportReport:
        existing = {r.scheme_id: r for r in _rows(s, caller)}
        created = updated = published = withdrawn = 0
        for scheme in catalog.schemes:
            # --publish publishes what the file offers as published; an entry the file marks draft stays one
            status = "published" if publish and scheme.status == "published" else "draft"
            entry = scheme.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude={"status"})
            row = existing.get(scheme.id)
            if row is not None and row.status == "published" and scheme.status == "published" and row.entry == entry:
                status = "published"   # nothing changed to review: it stays offered
            withdrawn += row is not None and row.status == "published" and status == "draft"
            if row is None:
                s.add(SchemeRow(department=caller.department, scheme_id=scheme.id, policy_id=scheme.source.policy_id,
                                name=scheme.name, target=scheme.target, status=status, entry=entry,
                                created_by=caller.user, updated_by=caller.user))
                created += 1
            else:
                row.entry, row.name, row.target, row.policy_id = entry, scheme.name, scheme.target, \
                    scheme.source.policy_id
                row.status, row.updated_by, row.updated_at = status, caller.user, utcnow()
                updated += 1
            published += status == "published"
        return ImportReport(created=created, updated=updated, published=published,
                            schemes=[sc.id for sc in catalog.schemes], withdrawn=withdrawn)

    if session is not None:
        return write(session)
    with session_scope() as s:
        return write(s)


def _catalog(caller: Caller, status: str | None) -> Catalog:
    with session_scope() as s:
        return Catalog(schemes=[_scheme(r) for r in _rows(s, caller, status)])


def export_catalog(caller: Caller, *, status: str | None = None) -> Catalog:
    """The caller's department's catalogue (every entry, drafts included, or those of one status), each with
    its stored status: for administrators, who review drafts."""
    _admin(caller, "导出政策目录", "export the catalogue")
    return _catalog(caller, status)


def published_catalog(caller: Caller) -> Catalog:
    """What residents of the caller's department are matched against (and may see)."""
    return _catalog(caller, "published")


def list_schemes(caller: Caller, *, status: str | None = None) -> list[dict]:
    """One line per stored entry: id, name, policy, target, status, who changed it and when. Drafts are for
    administrators (they review them); anyone else may list the published entries."""
    if status != "published":
        _admin(caller, "查看草稿条目", "see draft entries")
    with session_scope() as s:
        return [{"id": r.scheme_id, "name": r.name, "policy_id": r.policy_id, "target": r.target,
                 "status": r.status, "updated_by": r.updated_by,
                 "updated_at": r.updated_at.isoformat() if r.updated_at else ""}
                for r in _rows(s, caller, status)]


def publish(caller: Caller, scheme_id: str) -> dict:
    """Publish one entry of the caller's department (another department's id is simply not found)."""
    _admin(caller, "发布政策目录条目", "publish a catalogue entry")
    with session_scope() as s:
        row = s.scalars(select(SchemeRow).where(SchemeRow.department == caller.department,
                                                SchemeRow.scheme_id == scheme_id)).first()
        if row is None:
            raise NotFound("match_scheme_not_found", f"本部门的政策目录中没有条目 {scheme_id}。",
                           f"no catalogue entry {scheme_id!r} in your department.", scheme=scheme_id)
        row.status, row.updated_by, row.updated_at = "published", caller.user, utcnow()
        return {"id": row.scheme_id, "status": row.status, "updated_by": row.updated_by}


def load_demo_catalog(caller: Caller) -> ImportReport | None:
    """Import and publish the catalogue shipped with the project (`zhengwu demo`), if the file exists."""
    path = demo_catalog_path()
    if not path.is_file():
        return None
    return import_catalog(caller, load_catalog(path), publish=True)
