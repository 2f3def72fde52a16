"""The responsibility list (权责清单): which department handles a ticket of a category in an area.

A line maps a category path prefix ("城乡建设" or "城乡建设/市政设施/供水") and an area ("" = anywhere, or a
district/county name such as "岳麓区") to the responsible department. `{area}` in a department name is replaced
by the ticket's area, or by "市" when the ticket has none, so one line serves every district. The most specific
line wins: the longest category prefix, then an exact area over "anywhere", then the department's own lines
over the shipped defaults (zhengwu/hotline/data/duty.jsonl, written for our default tree).

Why prefixes: responsibility is usually fixed at level 1 or 2 (教育 → 教育局) with a few exceptions deeper down
(供水 → 水务局); a prefix list states that in a few dozen lines instead of one per leaf.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, NotFound, ZhengwuError
from zhengwu.hotline.classify_models import Duty
from zhengwu.hotline.files import read_utf8
from zhengwu.store import session_scope

CITY = "市"


@dataclass(frozen=True)
class DutyLine:
    category: str
    area: str
    responsible: str
    source: str = "default"  # default | department

    def to_dict(self) -> dict:
        return {"category": self.category, "area": self.area, "responsible": self.responsible, "source": self.source}


@lru_cache(maxsize=1)
def default_lines() -> tuple[DutyLine, ...]:
    text = resources.files("zhengwu.hotline").joinpath("data", "duty.jsonl").read_text(encoding="utf-8")
    return tuple(DutyLine(r["category"], r.get("area", ""), r["responsible"])
                 for r in (json.loads(x) for x in text.splitlines() if x.strip()))


def lines(caller: Caller) -> list[DutyLine]:
    """The department's own lines, then the shipped defaults."""
    with session_scope() as s:
        own = s.scalars(select(Duty).where(Duty.department == caller.department).order_by(Duty.category, Duty.area))
        mine = [DutyLine(d.category, d.area or "", d.responsible, "department") for d in own]
    return mine + list(default_lines())


def _clean_category(category: str | list[str]) -> str:
    parts = category if isinstance(category, list) else str(category).split("/")
    return "/".join(p.strip() for p in parts if p and p.strip())


def department_for(caller: Caller, path: list[str], area: str | None, *,
                   duty: list[DutyLine] | None = None) -> str | None:
    """The responsible department for a ticket of category `path` in `area` (None when no line covers it).
    `duty`: the caller's `lines()`, read once by a batch instead of once per ticket."""
    p = [x.strip() for x in path or [] if x and x.strip()]
    a = (area or "").strip()
    best, best_key = None, None
    for line in lines(caller) if duty is None else duty:
        cat = line.category.split("/")
        if p[:len(cat)] != cat or (line.area and line.area != a):
            continue
        key = (len(cat), bool(line.area), line.source == "department")
        if best_key is None or key > best_key:
            best, best_key = line, key
    if best is None:
        return None
    return best.responsible.replace("{area}", a or CITY)


def set_line(caller: Caller, category: str | list[str], responsible: str, area: str = "", note: str = "") -> DutyLine:
    """Add or change one line of the department's list (administrators)."""
    _require_admin(caller)
    cat, resp, area = _clean_category(category), str(responsible or "").strip(), str(area or "").strip()
    _check(cat, resp, area)
    with session_scope() as s:
        _upsert(s, caller, cat, area, resp, note)
    return DutyLine(cat, area, resp, "department")


def _check(cat: str, resp: str, area: str, where: str = "") -> None:
    if not cat or not resp:
        raise ZhengwuError("duty_incomplete", f"{where}权责清单条目需要分类和责任单位。",
                           "A duty-list line needs a category and a responsible department.")
    if len(cat) > 200 or len(resp) > 200 or len(area) > 100:
        raise ZhengwuError("duty_too_long", f"{where}分类、区域或责任单位名称过长。",
                           "Category, area or department name too long.")


def _upsert(s: Session, caller: Caller, cat: str, area: str, resp: str, note: str) -> None:
    row = s.scalars(select(Duty).where(Duty.department == caller.department, Duty.category == cat,
                                       Duty.area == area)).first()
    if row is None:
        s.add(Duty(department=caller.department, category=cat, area=area, responsible=resp, note=note,
                   updated_by=caller.user))
    else:
        row.responsible, row.note, row.updated_by = resp, note, caller.user


def remove_line(caller: Caller, category: str | list[str], area: str = "") -> None:
    """Remove one of the department's own lines (the shipped defaults stay underneath)."""
    _require_admin(caller)
    cat = _clean_category(category)
    with session_scope() as s:
        n = s.execute(delete(Duty).where(Duty.department == caller.department, Duty.category == cat,
                                         Duty.area == (area or "").strip())).rowcount
    if not n:
        raise NotFound("duty_not_found", f"本部门权责清单中没有该条目：{cat} {area}",
                       f"No such line in the department's duty list: {cat} {area}")


def import_lines(caller: Caller, path: str | Path) -> int:
    """Add or change the lines of a JSONL file `{category, area?, responsible, note?}`; all or nothing."""
    _require_admin(caller)
    p = Path(path)
    raw = read_utf8(p).splitlines()
    rows = []
    for n, line in enumerate(raw, 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            rows.append((_clean_category(r["category"]), str(r.get("area") or "").strip(),
                         str(r["responsible"]).strip(), str(r.get("note") or "")))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            raise ZhengwuError("duty_row", f"第 {n} 行需要 JSON 对象，含 category 和 responsible。",
                               f"Line {n} must be a JSON object with category and responsible.", line=n) from None
        _check(rows[-1][0], rows[-1][2], rows[-1][1], f"第 {n} 行：")
    with session_scope() as s:  # one transaction: a bad file changes nothing
        for cat, area, resp, note in rows:
            _upsert(s, caller, cat, area, resp, note)
    return len(rows)


def _require_admin(caller: Caller) -> None:
    if not caller.is_admin:
        raise Forbidden("hotline_admin_only", "只有管理员可以修改权责清单。",
                        "Only an administrator may edit the duty list.")
