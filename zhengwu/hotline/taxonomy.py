"""The 3-level ticket category tree (一级/二级/三级分类): our shipped default, any other tree, and changes between trees.

Why a tree of plain rows: 12345 centres publish and exchange their classification as a table, one row per
level-3 category (`{level1, level2, level3}`, the shape of the TipDM / 12345 trees). We read that shape as is;
our own tree (zhengwu/hotline/data/taxonomy.jsonl, written from public 12345 practice) adds a stable `code`,
`keywords` (so the classifier has something to go on before any history is trained) and level-1 `aliases`
(卫生健康 was 卫生计生 in older trees), all optional.

Why codes derive from names when a tree has none: a ticket stores its category's code *and* path, so when an
administrator loads a changed tree, a code that no longer exists is still shown by its stored path and reported
by `changes()`; nothing about an open ticket is lost, it is listed for re-classification.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from zhengwu.errors import ZhengwuError
from zhengwu.hotline.files import read_utf8

DEFAULT_FILE = "taxonomy.jsonl"


@dataclass(frozen=True)
class Category:
    """One level-3 category (a leaf); `path` is [level1, level2, level3] (shorter when a tree stops earlier)."""

    code: str
    path: tuple[str, ...]
    keywords: tuple[str, ...] = ()

    @property
    def level1(self) -> str:
        return self.path[0]


def derived_code(path: tuple[str, ...]) -> str:
    """A code that depends only on the names, so reordering a tree does not renumber it."""
    return "T" + hashlib.sha1("/".join(path).encode("utf-8")).hexdigest()[:10]


@dataclass
class Taxonomy:
    """A loaded tree: leaves in file order, lookup by code and by path, and level-1 aliases."""

    categories: list[Category]
    aliases: dict[str, str] = field(default_factory=dict)  # alias level-1 name -> level-1 name of this tree
    source: str = "default"

    def __post_init__(self) -> None:
        self._by_code = {c.code: c for c in self.categories}
        self._by_path = {c.path: c for c in self.categories}

    @property
    def level1(self) -> list[str]:
        """Level-1 names in file order."""
        return list(dict.fromkeys(c.level1 for c in self.categories))

    def get(self, code: str) -> Category | None:
        return self._by_code.get(code)

    def find(self, path: list[str] | tuple[str, ...]) -> Category | None:
        """The leaf for a full path, or the first leaf under a shorter one (a level-1 label names its subtree)."""
        p = tuple(x.strip() for x in path if x and x.strip())
        if not p:
            return None
        p = (self.aliases.get(p[0], p[0]),) + p[1:]
        if p in self._by_path:
            return self._by_path[p]
        return next((c for c in self.categories if c.path[:len(p)] == p), None)

    def level1_of(self, name: str) -> str | None:
        """The tree's level-1 name for `name` or one of its aliases."""
        name = self.aliases.get(name.strip(), name.strip())
        return name if name in self.level1 else None

    def to_rows(self) -> list[dict]:
        return [{"code": c.code, **dict(zip(("level1", "level2", "level3"), c.path)), "keywords": list(c.keywords)}
                for c in self.categories]


def parse_rows(rows: list[dict], *, source: str = "") -> Taxonomy:
    """A tree from rows `{level1, level2?, level3?, code?, keywords?, aliases?}`; bad rows are a clear error."""
    cats: list[Category] = []
    aliases: dict[str, str] = {}
    seen: set[tuple[str, ...]] = set()
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not str(row.get("level1") or "").strip():
            raise ZhengwuError("taxonomy_row", f"分类表第 {n} 行缺少一级分类 level1。",
                           f"Taxonomy row {n} has no level1.", row=n)
        path = tuple(str(row[k]).strip() for k in ("level1", "level2", "level3") if str(row.get(k) or "").strip())
        if path in seen:
            continue  # a repeated row says nothing new
        seen.add(path)
        kw = row.get("keywords") or []
        if isinstance(kw, str):
            kw = kw.split()
        cats.append(Category(code=str(row.get("code") or derived_code(path)), path=path,
                             keywords=tuple(str(k) for k in kw)))
        for a in row.get("aliases") or []:
            aliases[str(a)] = path[0]
    if not cats:
        raise ZhengwuError("taxonomy_empty", "分类表为空。", "The taxonomy has no rows.")
    codes = [c.code for c in cats]
    if len(set(codes)) != len(codes):
        dup = next(c for c in codes if codes.count(c) > 1)
        raise ZhengwuError("taxonomy_code", f"分类代码重复：{dup}。", f"Duplicate category code: {dup}.", category=dup)
    return Taxonomy(cats, aliases, source)


def load(path: str | Path | None = None) -> Taxonomy:
    """The tree in a JSONL file (one row per line), or our default tree when `path` is None."""
    if path is None:
        text = resources.files("zhengwu.hotline").joinpath("data", DEFAULT_FILE).read_text(encoding="utf-8")
        source = "default"
    else:
        text = read_utf8(path, what=("分类表文件", "Taxonomy file"), codes=("taxonomy_missing", "taxonomy_encoding"))
        source = str(Path(path))
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                raise ZhengwuError("taxonomy_json", f"分类表第 {n} 行不是 JSON。", f"Taxonomy line {n} is not JSON.",
                               line=n) from None
    return parse_rows(rows, source=source)


@lru_cache(maxsize=1)
def default() -> Taxonomy:
    """Our shipped tree (read once per process; callers do not modify it)."""
    return load(None)


def changes(old: Taxonomy, new: Taxonomy) -> dict:
    """What replacing `old` by `new` does to stored codes: kept, moved (same path, new code) and removed.

    Why: tickets keep the code and the path they were classified with; the administrator sees which codes
    are gone (and which tickets to look at) before and after switching trees; nothing is rewritten silently.
    """
    kept, moved, removed = [], [], []
    for c in old.categories:
        if new.get(c.code) is not None and new.get(c.code).path == c.path:
            kept.append(c.code)
            continue
        same = new.find(c.path)
        if same is not None and same.path == c.path:
            moved.append({"old": c.code, "new": same.code, "path": list(c.path)})
        else:
            removed.append({"code": c.code, "path": list(c.path)})
    added = [c.code for c in new.categories if old.find(c.path) is None or old.find(c.path).path != c.path]
    return {"kept": len(kept), "moved": moved, "removed": removed, "added": added}
