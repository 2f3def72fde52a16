"""JSONL corpora: one document per line, `{docid, text[, title, issuer, doc_number, status, ...]}`.

Common variants of the field names found in real corpora are accepted (id / doc_id for docid, full_text /
content for text). A bad line fails alone; the other lines go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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
