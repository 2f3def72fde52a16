"""The recogniser registry and `scan`: normalise once, run every recogniser, map positions back, resolve
overlaps (higher score wins, then the longer span)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from zhengwu.config import get_settings
from zhengwu.gateway.pii.address import AddressRecognizer
from zhengwu.gateway.pii.base import DEFAULT_THRESHOLD, LABELS, Finding, PatternRecognizer
from zhengwu.gateway.pii.names import PersonRecognizer
from zhengwu.gateway.pii.normalize import Normalized
from zhengwu.gateway.pii.structured import STRUCTURED
from zhengwu.gateway.pii.yaml_recognizers import load_yaml_recognizers
from zhengwu.hookspecs import hookimpl
from zhengwu.plugins import collect, on_reset, settings_key


class RecognizerRegistry:
    """Holds recogniser instances; `add` lets a deployment register its own (e.g. employee numbers)."""

    def __init__(self, recognizers: list[PatternRecognizer] | None = None):
        self.recognizers: list = list(recognizers or [])
        self._plan: list[tuple[Any, set[str], Any, bool]] | None = None

    def add(self, recognizer) -> None:
        self.recognizers.append(recognizer)
        self._plan = None

    def _steps(self) -> list[tuple[Any, set[str], Any, bool]]:
        """(recogniser, its entities, its prefilter, whether it needs the others' findings), worked out once: the
        scan loop runs for every text that reaches a model or a log."""
        if self._plan is None:
            self._plan = [(rec, set(getattr(rec, "entities", (rec.entity,))), getattr(rec, "_pre", None),
                           bool(getattr(rec, "needs_prior", False))) for rec in self.recognizers]
        return self._plan

    @property
    def entities(self) -> list[str]:
        return sorted({r.entity for r in self.recognizers})

    def analyze(self, text: str, *, entities: list[str] | None = None,
                threshold: float = DEFAULT_THRESHOLD, deep_names: bool = False) -> list[Finding]:
        if not text:
            return []
        norm = Normalized(text)
        wanted = set(entities) if entities else None
        raw: list[Finding] = []
        late = []
        pre_seen: dict[str, bool] = {}
        t = norm.text
        for rec, ents, pre, needs_prior in self._steps():
            if wanted is not None and wanted.isdisjoint(ents):
                continue
            if needs_prior:
                late.append(rec)
                continue
            if pre is not None:
                # one test per distinct prefilter and text, shared by the recognisers that use it
                ok = pre_seen.get(pre.pattern)
                if ok is None:
                    ok = pre_seen[pre.pattern] = pre.search(t) is not None
                if not ok:
                    continue
            raw.extend(rec.analyze(t, threshold, prefiltered=True))
        # Context-dependent recognisers (names) see the structured findings first.
        for rec in late:
            raw.extend(rec.analyze(norm.text, threshold, prior=list(raw), deep=deep_names))
        if wanted is not None:
            raw = [f for f in raw if f.entity in wanted]
        for f in raw:
            s, e = norm.span(f.start, f.end)
            f.start, f.end, f.text = s, e, text[s:e]
        return resolve_overlaps(raw)


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep a non-overlapping subset: by score, then length, then earliest start. The characters already
    taken are marked in a bytearray, so a prompt with thousands of findings (one name repeated) stays linear
    (comparing each finding with every kept one took seconds on a 40,000-character prompt)."""
    order = sorted((f for f in findings if f.end > f.start), key=lambda f: (-f.score, -(f.end - f.start), f.start))
    kept: list[Finding] = []
    taken = bytearray(max((f.end for f in order), default=0))
    for f in order:
        if any(taken[f.start:f.end]):
            continue
        kept.append(f)
        taken[f.start:f.end] = b"\x01" * (f.end - f.start)
    kept.sort(key=lambda f: f.start)
    return kept


@hookimpl
def register_recognizers(register: Any) -> None:
    """The built-in recognisers (structured identifiers with checksums, addresses, person names), then those
    of the YAML files named in the setting `pii_recognizers_yaml`."""
    for cls in STRUCTURED:
        register(cls())
    register(AddressRecognizer())
    register(PersonRecognizer())
    for path in get_settings().pii_recognizers_yaml:
        for rec in load_yaml_recognizers(path):
            register(rec)


def default_registry() -> RecognizerRegistry:
    """Every recogniser registered through the `register_recognizers` hook (built-ins first)."""
    return _registry(settings_key())


@lru_cache(maxsize=4)
def _registry(key: tuple) -> RecognizerRegistry:
    return RecognizerRegistry([args[0] for args in collect("register_recognizers")])


on_reset(_registry.cache_clear)


def known_entities() -> list[str]:
    return list(LABELS)
