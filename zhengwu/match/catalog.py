"""The scheme catalogue: benefit schemes with explicit, typed eligibility conditions.

Matching rests on this catalogue, not on free-text search: every condition names a fact of the vocabulary
(vocabulary.py), compares it with a typed value, and keeps the verbatim sentence of the policy it was read
from, so that every outcome can be explained with the rule's own words. Imported and exported as YAML or
JSON; an entry that does not validate is refused with the scheme id and the condition's path, never
half-loaded. A condition on a closed-value fact (法律援助事项, 提取原因 …) names the vocabulary's canonical values only
(data/facts.yaml, `values`): an alias or a wording variant is refused with the allowed values, so that a value the
reader or a form gives cannot silently fail to equal the catalogue's spelling.

Condition tree (one node is exactly one of these):
    {fact: age, op: ">=", value: 60, sentence: "年满60周岁…"}          a leaf
    {fact: hukou, op: "!=", ref: residence_city}                      compare two facts
    {fact: new_key_group_hires_12m, op: ">=", ref: staff_count, scale: 0.1}   fact ≥ 0.1 × staff_count
    {all: [...]} / {any: [...]} / {not: {...}}                        groups (three-valued logic)
Operators: == != >= <= > < in not_in. `exclusions` are conditions that, when stated true, bar the scheme
(“领取工伤保险护理费…的，不享受”); an exclusion nobody stated does not bar it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from zhengwu.errors import ZhengwuError
from zhengwu.match.places import place_at
from zhengwu.match.vocabulary import check_value, value_sets, vocabulary

OPS = ("==", "!=", ">=", "<=", ">", "<", "in", "not_in")
NATIONAL = ("", "全国", "中国", "中华人民共和国")   # a scheme's region that holds every place
ORDER_OPS = (">=", "<=", ">", "<")


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    fact: str | None = None
    op: Literal["==", "!=", ">=", "<=", ">", "<", "in", "not_in"] | None = None
    value: Any = None
    ref: str | None = None
    scale: float | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    sentence: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _one_kind(self) -> Condition:
        kinds = [k for k in ("fact", "all", "any", "not_") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a condition is exactly one of: fact, all, any, not")
        if self.fact is not None:
            if self.op is None:
                raise ValueError(f"condition on {self.fact!r} has no op")
            if (self.value is None) == (self.ref is None):
                raise ValueError(f"condition on {self.fact!r} needs exactly one of value, ref")
        elif self.all is not None and not self.all or self.any is not None and not self.any:
            raise ValueError("an all/any group is empty")
        return self

    def leaves(self) -> list[Condition]:
        """Leaves in document order: the order in which a failed or missing condition is reported."""
        if self.fact is not None:
            return [self]
        children = self.all or self.any or [self.not_]
        return [leaf for child in children for leaf in child.leaves()]

    def facts(self) -> list[str]:
        names: list[str] = []
        for leaf in self.leaves():
            for name in (leaf.fact, leaf.ref):
                if name and name not in names:
                    names.append(name)
        return names


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    policy_id: str                       # the document's id in the knowledge base / benefit_policies.jsonl
    title: str
    issuer: str = ""
    doc_number: str = ""                 # 文号, e.g. 穗府办规〔2021〕7号
    url: str = ""
    published: str = ""


class Validity(BaseModel):
    """The scheme's own validity, read from the document's text (有效期5年, 申请时间…至…)."""
    model_config = ConfigDict(extra="forbid")
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None   # last day it is open; None: no end stated
    sentence: str = ""


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid")
    office: str = ""
    phone: str = ""
    address: str = ""
    url: str = ""


class Scheme(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str                              # unique; several schemes may share one source policy
    name: str
    target: Literal["person", "household", "enterprise"]
    region: str = ""
    source: Source
    summary: str = ""
    benefits: list[str] = []
    materials: list[str] = []
    process: str = ""
    deadline: str = ""
    validity: Validity = Validity()
    eligibility: Condition
    exclusions: list[Condition] = []
    decided_by: str = ""                 # the office that decides (guidance names it; we never decide)
    contact: Contact = Contact()
    status: Literal["draft", "published"] = "published"
    notes: str = ""

    def is_closed(self, today: dt.date) -> bool:
        v = self.validity
        return (v.valid_until is not None and today > v.valid_until) or (
            v.valid_from is not None and today < v.valid_from)


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = 1
    schemes: list[Scheme] = []

    def get(self, scheme_id: str) -> Scheme | None:
        return next((s for s in self.schemes if s.id == scheme_id), None)

    def published(self) -> list[Scheme]:
        return [s for s in self.schemes if s.status == "published"]


def _bad(scheme_id: str, path: str, zh: str, en: str) -> ZhengwuError:
    return ZhengwuError("match_bad_catalog", f"目录条目 {scheme_id} 的条件 {path} 无法解析：{zh}",
                        f"catalogue entry {scheme_id}, condition {path}: {en}", scheme=scheme_id, path=path)


def _check_condition(scheme_id: str, cond: Condition, path: str) -> None:
    vocab = vocabulary()
    if cond.fact is None:
        children = cond.all or cond.any or [cond.not_]
        for i, child in enumerate(children):
            _check_condition(scheme_id, child, f"{path}.{i}")
        return
    for name in (cond.fact, cond.ref):
        if name is not None and name not in vocab:
            raise _bad(scheme_id, path, f"未知的事实项 {name}", f"unknown fact {name!r}")
    f = vocab[cond.fact]
    if cond.op in ORDER_OPS and f.type not in ("int", "date"):
        raise _bad(scheme_id, path, f"{cond.op} 只能用于数值或日期", f"{cond.op} needs a number or a date")
    if cond.ref is not None:
        if vocab[cond.ref].type != f.type:
            raise _bad(scheme_id, path, "比较的两个事实类型不同", "compared facts have different types")
        return
    values = cond.value if cond.op in ("in", "not_in") else [cond.value]
    if not isinstance(values, list) or not values:
        raise _bad(scheme_id, path, f"{cond.op} 需要一个非空列表", f"{cond.op} needs a non-empty list")
    for v in values:
        if f.values and v not in f.values:  # a closed value: the canonical name only, never an alias
            raise _not_canonical(scheme_id, path, cond.fact, v)
        try:
            check_value(cond.fact, v)
        except ZhengwuError as exc:
            raise _bad(scheme_id, path, exc.zh, exc.en) from None


def _not_canonical(scheme_id: str, path: str, name: str, value: object) -> ZhengwuError:
    """A closed-value condition must use the vocabulary's canonical value, so the reader, a form and the catalogue
    spell it the same way; an alias is named with the value it stands for."""
    f = vocabulary()[name]
    canonical = value_sets()[name].canonical(value) if isinstance(value, str) else None
    hint_zh = f"（“{value}”应写作“{canonical}”）" if canonical else ""
    hint_en = f" ({value!r} is written {canonical!r})" if canonical else ""
    err = _bad(scheme_id, path, f"“{f.zh}”（{name}）的值“{value}”不是规范值{hint_zh}；可用的值：{'；'.join(f.values)}",
               f"{f.en} ({name}): {value!r} is not a canonical value{hint_en}; allowed: {', '.join(f.values)}")
    err.context.update(fact=name, value=value, allowed=list(f.values))
    return err


def _check_region(scheme: Scheme) -> None:
    """A region is 全国 or a place of the national divisions (广东省, 广州市, 广州市天河区): matching compares it with
    where the resident lives, so a name that is no place would silently match nobody."""
    region = scheme.region.strip()
    if region in NATIONAL:
        return
    place, _ = place_at(region, city="")
    if place is None or place.level == "elsewhere":
        raise ZhengwuError("match_bad_catalog", f"目录条目 {scheme.id} 的适用地区“{region}”不是可识别的行政区划。",
                           f"catalogue entry {scheme.id}: region {region!r} is no known administrative division.",
                           scheme=scheme.id, path="region")


def validate_catalog(data: dict) -> Catalog:
    """Parse and check a whole catalogue; the first bad entry is named and nothing is loaded."""
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ZhengwuError("match_bad_catalog", f"目录格式错误（{where}）：{first['msg']}",
                           f"catalogue format error at {where}: {first['msg']}", path=where) from None
    seen: set[str] = set()
    for scheme in catalog.schemes:
        if scheme.id in seen:
            raise ZhengwuError("match_bad_catalog", f"目录条目编号重复：{scheme.id}",
                               f"duplicate catalogue entry id: {scheme.id}", scheme=scheme.id)
        seen.add(scheme.id)
        _check_region(scheme)
        _check_condition(scheme.id, scheme.eligibility, "eligibility")
        for i, cond in enumerate(scheme.exclusions):
            _check_condition(scheme.id, cond, f"exclusions.{i}")
    return catalog


def parse_catalog(text: str, fmt: str = "yaml") -> Catalog:
    try:
        data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ZhengwuError("match_bad_catalog", f"目录文件无法读取（{fmt}）：{exc}",
                           f"catalogue file is not valid {fmt}: {exc}") from None
    if not isinstance(data, dict):
        raise ZhengwuError("match_bad_catalog", "目录文件应是一个包含 schemes 列表的对象。",
                           "a catalogue file is an object holding a `schemes` list.")
    return validate_catalog(data)


def load_catalog(path: str | Path) -> Catalog:
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise ZhengwuError("match_catalog_unreadable", f"无法读取目录文件 {path}：{exc.strerror}",
                           f"cannot read catalogue file {path}: {exc.strerror}") from None
    return parse_catalog(text, "json" if path.suffix.lower() == ".json" else "yaml")


def dump_catalog(catalog: Catalog, fmt: str = "yaml") -> str:
    data = catalog.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def demo_catalog_path() -> Path:
    """The catalogue shipped with the project, built by hand from real published policies."""
    return Path(__file__).parent / "data" / "catalog.yaml"
