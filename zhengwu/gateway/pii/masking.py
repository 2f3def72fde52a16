"""Masking modes: fixed labels (`[身份证号]`), reversible pseudonyms (`【姓名1】`) and restore.

A PseudonymMap lives as long as a conversation: the same value always gets the same pseudonym, so the
model can still tell "person 1" from "person 2", and the reply can be restored for the user. It serialises
to a plain dict to be kept with the conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from zhengwu.errors import ZhengwuError
from zhengwu.gateway.pii.address import region_prefix_len as _address_region_len
from zhengwu.gateway.pii.base import LABELS, Explanation, Finding, label_of
from zhengwu.gateway.pii.validators import compact

MODES = ("mask", "pseudonym", "words")
# "words": ordinary placeholder words that keep a sentence natural for an embedding model (a query with
# "[身份证号]" embeds as a query about ID cards; "某号码" does not change its topic).
WORDS = {"person": "某人", "address": "某地", "email": "某邮箱", "license_plate": "某车牌", "account": "某账号",
         "ip": "某地址"}


class PseudonymMap:
    """value <-> pseudonym, per entity type, stable within a conversation."""

    def __init__(self) -> None:
        self.forward: dict[str, str] = {}   # "entity\x1fkey" -> pseudonym
        self.reverse: dict[str, str] = {}   # pseudonym -> original text (first spelling seen)
        self.counters: dict[str, int] = {}  # label -> last number used

    @staticmethod
    def _key(entity: str, value: str) -> str:
        # Spelling variants of one identifier (spaces, full-width digits already normalised) share one pseudonym.
        k = value if entity in ("person", "address") else compact(value)
        return f"{entity}\x1f{k}"

    def pseudonym(self, entity: str, value: str) -> str:
        key = self._key(entity, value)
        if key in self.forward:
            return self.forward[key]
        label = label_of(entity)
        n = self.counters.get(label, 0) + 1
        self.counters[label] = n
        p = f"【{label}{n}】"
        self.forward[key] = p
        self.reverse[p] = value
        return p

    def known_findings(self, text: str, entities: list[str] | None = None) -> list[Finding]:
        """Findings for every recurrence of a name or address value this map already holds."""
        out: list[Finding] = []
        for key, pseudo in self.forward.items():
            entity, _, value = key.partition("\x1f")
            if entity not in ("person", "address") or len(value) < 2 or (entities and entity not in entities):
                continue
            i = text.find(value)
            while i >= 0:
                out.append(Finding(entity=entity, start=i, end=i + len(value), text=value, score=0.9,
                                   recognizer="PseudonymMap", pattern="known_value", validated=None,
                                   explanation=Explanation("PseudonymMap", "known_value", 0.9,
                                                           notes=[f"seen earlier as {pseudo}"])))
                i = text.find(value, i + 1)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"forward": dict(self.forward), "reverse": dict(self.reverse), "counters": dict(self.counters)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "PseudonymMap":
        m = cls()
        if data:
            m.forward = dict(data.get("forward", {}))
            m.reverse = dict(data.get("reverse", {}))
            m.counters = {k: int(v) for k, v in data.get("counters", {}).items()}
        return m

    def __len__(self) -> int:
        return len(self.reverse)


@dataclass
class MaskResult:
    text: str
    findings: list[Finding] = field(default_factory=list)
    mapping: PseudonymMap | None = None

    @property
    def entities(self) -> list[str]:
        return sorted({f.entity for f in self.findings})

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "findings": [f.to_dict() for f in self.findings],
                "mapping": self.mapping.to_dict() if self.mapping is not None else None}


def apply(text: str, findings: list[Finding], *, mode: str, mapping: PseudonymMap | None,
          keep_region: bool) -> MaskResult:
    if mode not in MODES:
        raise ZhengwuError("bad_pii_mode", f"脱敏方式无效：{mode}（mask/pseudonym/words）",
                           f"Invalid masking mode: {mode} (mask/pseudonym/words)")
    if mode == "pseudonym" and mapping is None:
        mapping = PseudonymMap()
    parts: list[str] = []
    pos = 0
    for f in findings:  # sorted, non-overlapping
        start = f.start
        if f.entity == "address" and keep_region:
            start = f.start + region_prefix_len(f.text)
            if start >= f.end:
                continue
        parts.append(text[pos:start])
        value = text[start:f.end]
        if mode == "mask":
            parts.append(f"[{label_of(f.entity)}]")
        elif mode == "words":
            parts.append(WORDS.get(f.entity, "某号码"))
        else:
            parts.append(mapping.pseudonym(f.entity, value))  # type: ignore[union-attr]
        pos = f.end
    parts.append(text[pos:])
    return MaskResult(text="".join(parts), findings=findings, mapping=mapping)


def region_prefix_len(address: str) -> int:
    """Length of the leading province/city/district part that may be kept (keep_region=True)."""
    return _address_region_len(address)


def labels_to_words(text: str) -> str:
    """Turn mask labels already in a text ([姓名], 【姓名1】) into placeholder words (某人) for embedding."""
    words = {label_of(e): WORDS.get(e, "某号码") for e in LABELS}
    return _LABEL.sub(lambda m: words.get(m.group(1), m.group(0)), text)


_LABEL = re.compile(r"[\[【]([^\[\]【】\s\d]{1,12})\d{0,5}[\]】]")
_PSEUDO = re.compile(r"【[^【】\s]{1,12}?\d{1,5}】")


def restore(text: str, mapping: PseudonymMap | dict | None) -> str:
    """Put the original values back for every pseudonym of `mapping` found in `text`."""
    if mapping is None:
        return text
    if isinstance(mapping, dict):
        mapping = PseudonymMap.from_dict(mapping)
    rev = mapping.reverse
    if not rev:
        return text
    return _PSEUDO.sub(lambda m: rev.get(m.group(0), m.group(0)), text)
