"""Proofreading of frequent 公文 mistakes from a word list (data/proofread_wordlist.txt) and the gateway's
sensitive-word lexicon. The list holds only concrete, unambiguous pairs (做为→作为, 截止+时间→截至 …):
fuzzy style rules produce false alarms that teach users to ignore the checker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from zhengwu.gateway import Governed

WORDLIST = Path(__file__).parent / "data" / "proofread_wordlist.txt"


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    word: str
    suggestion: str
    severity: str
    note: str


@lru_cache(maxsize=1)
def load_wordlist() -> tuple[tuple[re.Pattern, str, str, str], ...]:
    entries = []
    for line in WORDLIST.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, suggestion, severity, note = (line.split("\t") + ["", "", ""])[:4]
        entries.append((re.compile(pattern), suggestion, severity or "error", note))
    return tuple(entries)


def proofread(text: str) -> list[Finding]:
    """Every word-list hit in `text`, in text order."""
    out = []
    for pat, suggestion, severity, note in load_wordlist():
        for m in pat.finditer(text or ""):
            out.append(Finding(m.start(), m.end(), m.group(0), suggestion, severity, note))
    return sorted(out, key=lambda f: f.start)


def sensitive(text: str) -> list:
    """Hits of the gateway's TC260-003 lexicon, without its signals: those are ordinary in government text (政府,
    宗教) or ambiguous, recorded for the safety classifier, and no finding in a 公文."""
    try:
        return [h for h in Governed.sensitive_hits(text or "") if not getattr(h, "signal", False)]
    except Exception:  # noqa: BLE001 - a broken lexicon must not stop a format check
        return []
