"""Output and input checks: the sensitive-word lexicon (TC260-003 categories) and prompt-injection defanging.

The lexicon is a JSON file (default zhengwu/gateway/data/lexicon.json, the TC260-003 keyword library built by
bench/build_lexicon.py; sources and licences in data/LEXICON_SOURCE.md) organised as category (A.1–A.5) → risk
(A.1.a …) → `words` and `signals`. A word of a category marked "blocking" replaces the whole output with the
refusal template; a signal is only recorded (it is ordinary in government text or ambiguous, so it must not
refuse alone). Deployments point `lexicon_path` (env ZHENGWU_LEXICON_PATH) at their licensed library.

Matching is one Aho-Corasick automaton (ahocorasick-rs, Rust) over the lower-cased text, leftmost-longest and
non-overlapping: linear in the text whatever the library's size. Measured on a 2,000-character prompt: 0.06 ms;
pyahocorasick 1.5 ms; a regex alternation of the 12,000 words about 40 times slower than pyahocorasick.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from typing import Any, NamedTuple

import ahocorasick_rs

from zhengwu.config import get_settings
from zhengwu.hookspecs import hookimpl

DEFAULT_LEXICON = Path(__file__).parent / "data" / "lexicon.json"


@dataclass(frozen=True)
class Hit:
    category: str  # "A.1" … "A.5"
    risk: str  # "A.1.d"
    word: str
    start: int
    end: int
    blocking: bool
    signal: bool = False  # see Entry.signal

    def to_dict(self) -> dict:
        return asdict(self)


class Entry(NamedTuple):
    category: str
    risk: str
    blocking: bool  # refuses alone
    signal: bool  # ordinary in government text or ambiguous: recorded and fed to the classifier, never a finding


@dataclass
class Lexicon:
    path: Path
    automaton: ahocorasick_rs.AhoCorasick | None
    words: list[str]  # the automaton's patterns, by index
    entries: dict[str, Entry]  # by lower-cased word
    categories: dict[str, dict]
    refusal_template: dict[str, str]

    @property
    def size(self) -> int:
        return len(self.entries)


_cache: dict[tuple[str, float], Lexicon] = {}
_lock = threading.Lock()


def lexicon_path() -> Path:
    configured = getattr(get_settings(), "lexicon_path", "") or os.environ.get("ZHENGWU_LEXICON_PATH", "")
    return Path(configured) if configured else DEFAULT_LEXICON


_current: tuple[float, Lexicon] | None = None
RECHECK_SECONDS = 5.0  # the configured file is re-checked for edits at most this often


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon at `path` (or the configured one), compiled once per file version."""
    global _current
    if path is None and _current is not None and time.monotonic() - _current[0] < RECHECK_SECONDS:
        return _current[1]
    explicit = path is not None
    path = Path(path or lexicon_path())
    key = (str(path), path.stat().st_mtime)
    with _lock:
        if key in _cache and not explicit:
            _current = (time.monotonic(), _cache[key])
        lex = _cache.get(key)
        if lex is not None:
            return lex
        data = json.loads(path.read_text(encoding="utf-8"))
        entries: dict[str, Entry] = {}
        for cat, cdata in data.get("categories", {}).items():
            blocking = bool(cdata.get("blocking", False))
            for risk, rdata in cdata.get("risks", {}).items():
                for kind in ("words", "signals"):
                    for w in rdata.get(kind, []):
                        if w and w.lower() not in entries:
                            entries[w.lower()] = Entry(cat, risk, blocking and kind == "words", kind == "signals")
        words = list(entries)
        automaton = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest) if words else None
        lex = Lexicon(path, automaton, words, entries, data.get("categories", {}), data.get("refusal_template", {}))
        _cache[key] = lex
        if not explicit:
            _current = (time.monotonic(), lex)
        return lex


def sensitive_hits(text: str) -> list[Hit]:
    """Every lexicon word in `text` with its TC260-003 category, risk and position."""
    lex = load_lexicon()
    if lex.automaton is None or not text:
        return []
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lower-cased (İ): keep offsets true
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    hits = []
    for i, start, end in lex.automaton.find_matches_as_indexes(low):
        e = lex.entries[lex.words[i]]
        hits.append(Hit(e.category, e.risk, text[start:end], start, end, e.blocking, e.signal))
    return hits


def refusal_text(hits: list[Hit], lang: str = "zh") -> str:
    """The refusal template naming the blocking categories hit."""
    return refusal_for(sorted({h.category for h in hits if h.blocking}), lang)


def refusal_for(cats: list[str], lang: str = "zh") -> str:
    """The refusal template naming the given TC260-003 categories (A.1 …)."""
    lex = load_lexicon()
    names = "、".join(f"{c} {lex.categories.get(c, {}).get('name_zh', '')}".strip() for c in cats) if lang == "zh" \
        else ", ".join(f"{c} {lex.categories.get(c, {}).get('name_en', '')}".strip() for c in cats)
    tmpl = lex.refusal_template.get(lang) or lex.refusal_template.get("zh") or "{category}"
    return tmpl.format(category=names)


_prefixes: dict[int, tuple[Lexicon, frozenset[str], int]] = {}


def held_back(text: str) -> int:
    """How many characters at the end of a streamed `text` must wait before they are shown: the longest tail
    that is the beginning of a blocking lexicon word (0 for nearly all text).

    Why not a fixed hold of the longest word: that delays every stream's first text by several tokens, which
    on a slow model is most of what the door adds to the first token; holding back only a tail that could
    still grow into a blocking word keeps the guarantee (no part of a blocking word is shown before the
    stream stops) at no cost to ordinary text."""
    lex = load_lexicon()
    hit = _prefixes.get(id(lex))
    if hit is None or hit[0] is not lex:  # once per lexicon version
        pre = frozenset(w[:i] for w, e in lex.entries.items() if e.blocking for i in range(1, len(w)))
        hit = (lex, pre, max(map(len, pre), default=0))
        _prefixes.clear()
        _prefixes[id(lex)] = hit
    _, pre, longest = hit
    tail = text[-longest:].lower() if longest else ""
    return next((k for k in range(len(tail), 0, -1) if tail[-k:] in pre), 0)


# ------------------------------------------------------------------------------------------ injection

_INJECTION = [
    ("ignore_instructions", re.compile(
        r"(?:请)?(?:忽略|无视|忘记|忘掉|不要理会|跳过)(?:掉)?(?:你)?(?:以上|上述|之前|前面|先前|此前|上面|原有|原来|所有|全部|一切)"
        r"(?:的)?(?:所有|全部|一切)?(?:的)?(?:指令|指示|要求|规则|提示|设定|约束|内容|命令)")),
    ("ignore_instructions", re.compile(
        r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier|preceding|"
        r"system)\s+(?:instructions?|prompts?|rules?|messages?|directions?)", re.IGNORECASE)),
    ("role_override", re.compile(r"(?:你现在是|你现在扮演|从现在(?:开始|起)[，,]?你(?:是|将|要)|你的新(?:身份|角色|任务)是|请扮演)")),
    ("role_override", re.compile(r"\byou\s+are\s+now\b|\bact\s+as\s+(?:a|an|the)\b|\bnew\s+instructions?\s*:",
                                 re.IGNORECASE)),
    ("system_tag", re.compile(
        r"</?\s*(?:system|assistant|user|instructions?|im_start|im_end)\s*>|<\|[a-z_]+\|>|\[/?INST\]|<<\s*/?SYS\s*>>"
        r"|^#{2,}\s*(?:system|instruction)s?\b", re.IGNORECASE | re.MULTILINE)),
    ("system_prompt", re.compile(r"(?:系统提示词|系统提示|system\s+prompt|developer\s+message)", re.IGNORECASE)),
    ("exfiltrate", re.compile(r"(?:输出|泄露|打印|告诉我)(?:你的)?(?:系统提示|提示词|初始指令)|reveal\s+your\s+(?:system\s+)?prompt",
                              re.IGNORECASE)),
]


def _defang(s: str) -> str:
    """Break the marker (a zero-width space after its first character, look-alike brackets) so that it no
    longer parses as an instruction or tag, and a second pass does not match it again."""
    s = s[:1] + "\u200b" + s[1:]
    return s.replace("<", "‹").replace(">", "›").replace("[", "［").replace("]", "］").replace("|", "¦").replace("#", "＃")


def neutralise_injection(text: str) -> tuple[str, list[str]]:
    """Defang instruction-like markers in retrieved text: the words stay readable, quoted and flagged.

    Returns (defanged text, list of marker kinds found). Text without markers is returned unchanged.
    """
    if not text:
        return text, []
    found: list[str] = []
    for kind, pat in _INJECTION:
        if pat.search(text) is None:
            continue
        found.append(kind)
        text = pat.sub(lambda m: f"〔已屏蔽的疑似指令：「{_defang(m.group(0))}」〕", text)
    return text, sorted(set(found))


@hookimpl
def register_output_checks(register: Any) -> None:
    """The built-in output check: the TC260-003 lexicon (risk ids; "block:<category>" for blocking ones)."""
    register("sensitive", lexicon_check)


def lexicon_check(text: str, call: Any = None) -> list[str]:
    hits = sensitive_hits(text)
    return sorted({h.risk for h in hits}) + sorted({f"block:{h.category}" for h in hits if h.blocking})
