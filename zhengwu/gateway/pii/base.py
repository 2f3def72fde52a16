"""Recogniser building blocks in the shape of Presidio's PatternRecognizer.

A recogniser has named regex patterns with base scores, context words that raise the score when they
appear just before a hit, negative context words (订单/单号/Order…) that lower it, and two hooks:
`validate_result` (True -> score 1.0, False -> drop, None -> no opinion: checksums) and `invalidate_result`
(True -> drop: pruning such as all-same digits). Every finding carries the reasons for its score, so a
reviewer can see why a value was masked (or why it was not).

Chinese text has no spaces, so `\\b` never separates a Han character from a digit; every pattern here
uses lookarounds instead.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

MAX_SCORE = 1.0
# Presidio's LemmaContextAwareEnhancer adds 0.35; we also lift a context-confirmed hit to at least 0.6 so
# that a weak pattern (passport letters + digits) passes the default threshold only with its context.
CONTEXT_BOOST = 0.35
MIN_SCORE_WITH_CONTEXT = 0.6
NEGATIVE_CONTEXT_PENALTY = 0.6
DEFAULT_THRESHOLD = 0.5


class LazyPattern:
    """A regular expression compiled on its first use, used like the compiled one (finditer, search, ...).

    Why: the address patterns and the surname alternations take 0.2-0.6 s to compile, and every process that
    masks text (each `zhengwu search` a script starts) imported them all, although a text without an address
    character or a colon never runs them. Compiling later changes nothing that is found."""

    __slots__ = ("pattern", "flags", "_rx")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._rx: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._rx is None:  # two threads may both compile it: the same pattern, harmless
            self._rx = re.compile(self.pattern, self.flags)
        return self._rx

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: str
    score: float
    # a cheap regex the text must contain for this pattern to run at all (e.g. the document name a bare number
    # needs as context): most texts skip the pattern after one search
    requires: str | None = None


@dataclass
class Explanation:
    """Why a finding got its score (mirrors Presidio's AnalysisExplanation)."""

    recognizer: str
    pattern_name: str
    original_score: float
    validation_result: bool | None = None
    context_words: list[str] = field(default_factory=list)
    negative_context_words: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Finding:
    """One detected PII value; start/end index the ORIGINAL text passed to scan()."""

    entity: str
    start: int
    end: int
    text: str
    score: float
    recognizer: str
    pattern: str
    validated: bool | None
    explanation: Explanation

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "label": label_of(self.entity), "start": self.start, "end": self.end,
                "text": self.text, "score": round(self.score, 3), "recognizer": self.recognizer,
                "pattern": self.pattern, "validated": self.validated,
                "explanation": self.explanation.to_dict()}


# Entity ids and their Chinese mask labels. The ids are the public vocabulary of `entities=`.
LABELS: dict[str, str] = {
    "id_card": "身份证号",
    "credit_code": "统一社会信用代码",
    "mobile": "手机号",
    "landline": "固定电话",
    "bank_card": "银行卡号",
    "license_plate": "车牌号",
    "passport": "护照号",
    "hkmt_permit": "港澳台通行证",
    "military_id": "军人证件号",
    "social_security": "社会保障号",
    "driver_license": "驾驶证号",
    "foreigner_id": "永久居留证号",
    "email": "电子邮箱",
    "ip": "IP地址",
    "imei": "设备识别码",
    "mac": "MAC地址",
    "address": "地址",
    "person": "姓名",
    "account": "社交账号",
}


def label_of(entity: str) -> str:
    return LABELS.get(entity, entity)


def _contains_any(window: str, words: tuple[str, ...]) -> list[str]:
    low = window.lower()
    return [w for w in words if w in low]


class PatternRecognizer:
    """Regex patterns + context + validation for one entity type."""

    entity: ClassVar[str] = ""
    name: ClassVar[str] = ""
    patterns: ClassVar[tuple[Pattern, ...]] = ()
    context: ClassVar[tuple[str, ...]] = ()
    negative_context: ClassVar[tuple[str, ...]] = ()
    context_prefix_chars: ClassVar[int] = 12
    context_suffix_chars: ClassVar[int] = 0
    # A cheap test on the whole text: skip the recogniser when it cannot match (e.g. no '@').
    prefilter: ClassVar[str | None] = None
    flags: ClassVar[int] = 0
    # A value whose checksum or date fails is still masked when a context word right before it names the type
    # (身份证号110105194912310029): a mistyped identifier is still personal data.
    keep_invalid_with_context: ClassVar[bool] = False
    # Documents that carry another document's number (驾驶证号 and 社会保障号码 are the citizen ID number): when
    # one of these words is the nearest cue before a hit, the hit is masked as that entity (entity, words).
    context_entities: ClassVar[tuple[tuple[str, tuple[str, ...]], ...]] = ()

    def __init__(self) -> None:
        self._compiled = [(p, LazyPattern(p.regex, self.flags), LazyPattern(p.requires) if p.requires else None)
                          for p in self.patterns]
        self._pre = re.compile(self.prefilter) if self.prefilter else None
        # every word that names the type: our own context and the documents of context_entities
        self._named = self.context + tuple(w for _, words in self.context_entities for w in words)

    def compile_patterns(self) -> None:
        """Compile every pattern now (they compile on first use): a deployment's own recognisers are checked
        when their file is loaded, so a bad regular expression is the file's clear error, not a failed scan."""
        for _, rx, req in self._compiled:
            rx.compiled()
            if req is not None:
                req.compiled()

    # -- hooks -------------------------------------------------------------------------------------
    def validate_result(self, value: str) -> bool | None:
        return None

    def invalidate_result(self, value: str) -> bool:
        return False

    def adjust(self, value: str, text: str, start: int, end: int, expl: Explanation, score: float) -> float:
        """Recogniser-specific score changes (prefix tables, Luhn as a confidence signal...)."""
        return score

    def value_of(self, match: re.Match[str]) -> tuple[int, int]:
        return match.span()

    @property
    def entities(self) -> tuple[str, ...]:
        """Every entity this recogniser can report (the registry filters `entities=` on it)."""
        return (self.entity,) + tuple(e for e, _ in self.context_entities)

    def _entity_named_before(self, before: str) -> str:
        """The entity the nearest cue in `before` names (our own context words name self.entity)."""
        low = before.lower()
        best, where = self.entity, max((low.rfind(w) for w in self.context), default=-1)
        for entity, words in self.context_entities:
            pos = max(low.rfind(w) for w in words)
            if pos > where:
                best, where = entity, pos
        return best

    # -- analysis ----------------------------------------------------------------------------------
    def analyze(self, text: str, threshold: float = DEFAULT_THRESHOLD, prefiltered: bool = False) -> list[Finding]:
        """Findings on `text` (already normalised); positions index `text`."""
        if not prefiltered and self._pre is not None and not self._pre.search(text):
            return []
        out: list[Finding] = []
        for pat, rx, req in self._compiled:
            if req is not None and not req.search(text):
                continue
            for m in rx.finditer(text):
                start, end = self.value_of(m)
                if end <= start:
                    continue
                f = self._score(text, start, end, pat)
                if f is not None and f.score >= threshold:
                    out.append(f)
        return out

    def _score(self, text: str, start: int, end: int, pat: Pattern) -> Finding | None:
        value = text[start:end]
        expl = Explanation(recognizer=self.name, pattern_name=pat.name, original_score=pat.score)
        if self.invalidate_result(value):
            return None
        score = pat.score
        valid = self.validate_result(value)
        expl.validation_result = valid
        if valid is False:
            before = text[max(0, start - self.context_prefix_chars):start]
            if not (self.keep_invalid_with_context and _contains_any(before, self._named)):
                return None
            expl.notes.append("check failed, masked because the context names the type")
        if valid is True:
            score = MAX_SCORE
        score = self.adjust(value, text, start, end, expl, score)
        if score <= 0:
            return None
        before = text[max(0, start - self.context_prefix_chars):start]
        after = text[end:end + self.context_suffix_chars] if self.context_suffix_chars else ""
        if self._named:
            seen = _contains_any(before + after, self._named)
            if seen:
                expl.context_words = seen
                score = min(MAX_SCORE, max(score + CONTEXT_BOOST, MIN_SCORE_WITH_CONTEXT))
        if self.negative_context:
            neg = _contains_any(text[max(0, start - 10):start], self.negative_context)
            if neg:
                expl.negative_context_words = neg
                score -= NEGATIVE_CONTEXT_PENALTY
        entity = self._entity_named_before(before) if self.context_entities else self.entity
        return Finding(entity=entity, start=start, end=end, text=value, score=round(score, 4),
                       recognizer=self.name, pattern=pat.name, validated=valid, explanation=expl)
