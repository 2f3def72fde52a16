"""JSONL corpora: one document per line, `{docid, text[, title, issuer, doc_number, status, ...]}`.

Common variants of the field names found in real corpora are accepted (id / doc_id for docid, full_text /
content for text). A bad line fails alone; the other lines go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from zhengwu.kb.parsers.base import Parsed

ID_FIELDS = ("docid", "id", "doc_id", "_id")
TEXT_FIELDS = ("text", "full_text", "content", "body", "正文")
_MAX_META_JSON = 4000


@dataclass
class Record:
    line_no: int
    docid: str
    text: str
    record: dict
    raw: str  # the line as stored (its hash decides unchanged / replaced)
    error: tuple[str, str] | None = None  # (zh, en) when the line is unusable


# Structured service-guide records (办事指南 crawled field by field) have no running text: their fields are
# written out as sections under Chinese labels, so they are searchable and cited by section.
GUIDE_FIELDS: list[tuple[str, str]] = [
    ("item_name", "事项名称"), ("situation", "办理情形"), ("daily_expression", "通俗说法"),
    ("item_type", "事项类型"), ("implementing_agency", "实施机关"), ("joint_handling_agency", "联办机构"),
    ("exercise_level", "行使层级"), ("service_objects", "服务对象"), ("acceptance_conditions", "受理条件"),
    ("materials", "申请材料"), ("process_and_time_limit", "办理流程和时限"), ("legal_time_limit", "法定办结时限"),
    ("promised_time_limit", "承诺办结时限"), ("onsite_visits_required", "到现场次数"), ("fee", "收费标准"),
    ("handling_location", "办理地点"), ("consult_phone", "咨询电话"), ("complaint_phone", "投诉电话"),
    ("online_handling", "是否网上办理"), ("online_service_url", "网上办理地址"),
    ("courier_delivery_supported", "是否支持物流快递"), ("legal_basis", "设定依据"), ("region", "地区"),
]


def _value_text(v: object) -> str:
    if isinstance(v, list):
        items = [(x.get("name") or json.dumps(x, ensure_ascii=False)) if isinstance(x, dict) else str(x) for x in v]
        return "\n".join(f"{i}. {t}" for i, t in enumerate(items, 1)) if len(items) > 1 else "".join(items)
    if isinstance(v, dict):
        return "；".join(f"{k}：{x}" for k, x in v.items() if x not in (None, ""))
    return str(v).strip()


def render_structured(obj: dict) -> str:
    """Text for a record without a text field: the guide's fields as Markdown sections ("## 受理条件")."""
    if not obj.get("item_name"):
        return ""
    facts: list[str] = []
    sections: list[str] = []
    for key, label in GUIDE_FIELDS[1:]:
        v = obj.get(key)
        if v in (None, "", [], {}):
            continue
        text = _value_text(v)
        if len(text) <= 60 and "\n" not in text:
            facts.append(f"{label}：{text}")
        else:
            sections.append(f"## {label}\n{text}")
    if not facts and not sections:
        return ""
    parts = [f"# {obj['item_name']}"] + (["## 基本信息\n" + "\n".join(facts)] if facts else []) + sections
    return "\n\n".join(parts)


def count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def iter_records(path: Path) -> Iterator[Record]:
    with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
        for no, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Record(no, f"L{no}", "", {}, line, (f"第 {no} 行不是有效的 JSON（{exc.msg}）。",
                                                          f"line {no} is not valid JSON ({exc.msg})."))
                continue
            if not isinstance(obj, dict):
                yield Record(no, f"L{no}", "", {}, line, (f"第 {no} 行不是 JSON 对象。", f"line {no} is not a JSON object."))
                continue
            docid = next((str(obj[k]) for k in ID_FIELDS if obj.get(k) not in (None, "")), f"L{no}")
            text = next((obj[k] for k in TEXT_FIELDS if isinstance(obj.get(k), str) and obj[k].strip()), "")
            if not text:
                text = render_structured(obj)
                if text:
                    obj = {"doc_type": "办事指南", **obj}
            if not text:
                yield Record(no, docid, "", obj, line, (f"第 {no} 行（{docid}）没有 text 字段或正文为空。",
                                                        f"line {no} ({docid}) has no 'text' field or it is empty."))
                continue
            yield Record(no, docid, text.replace("\r\n", "\n"), obj, line)


def record_meta(obj: dict) -> dict:
    """The record's other fields, kept on the document (long values are left out)."""
    out = {}
    for k, v in obj.items():
        if k in TEXT_FIELDS:
            continue
        if len(json.dumps(v, ensure_ascii=False, default=str)) <= _MAX_META_JSON:
            out[k] = v
    return out


def parse(path: Path) -> Iterator[Parsed]:
    """One `Parsed` per line: keyed by its docid, hashed by the line as stored, a bad line carrying its error."""
    for rec in iter_records(path):
        where = (f"第 {rec.line_no} 行（{rec.docid}）", f"line {rec.line_no} ({rec.docid})")
        if rec.error:
            yield Parsed([], "", "jsonl", key=rec.docid, raw=rec.raw, where=where, error=rec.error)
            continue
        # blocks left empty: they are cut from the text only when the line is new or changed (see kb/store.py)
        yield Parsed([], rec.text, "jsonl", title=str(rec.record.get("title") or ""),
                     meta={**record_meta(rec.record), "line": rec.line_no}, record=rec.record, key=rec.docid,
                     raw=rec.raw, where=where)
