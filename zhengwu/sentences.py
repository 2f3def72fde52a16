"""The one Chinese sentence and clause splitter: every module that needs sentences asks this one.

Why one: chunking, Q&A extraction, the grounding check, readability, summaries, minutes and simplification
each cut text into sentences; when each had its own regular expression they disagreed on quotes, semicolons
and line breaks, so a sentence the Q&A answer quoted was not the sentence the grounding check looked at.

The rules (each is tested in tests/test_sentences.py):
- A unit ends after 。！？ (and ASCII ! ? when not inside a URL or word, e.g. "a.html?id=1"). A run of them
  ("？！", "。。。") is one end. With ``semicolons=True`` ；; end a unit too: the finer 分句 that chunking,
  the Q&A candidates, minutes and simplification want; readability and summaries count whole sentences.
- Closing quotes and brackets after the end stay with their sentence (“……。”  （……。）), as do citation
  marks such as "[1]" (a generated answer's "……。[1]" cites the sentence before it).
- ASCII "." ends a unit only after a letter or a closing ) " ' and before whitespace (English "Done. Next"):
  never in 3.5 or 1.2万元, never in "...", never after a number ("一、明确范围 1. 许可范围" is one item, not
  "…1." and "许可范围"), never after a bare letter marker ("a. Submit").
- An ellipsis (…… … ...) never ends a unit by itself: it trails off inside a sentence or lists on ("等等……").
- Nothing inside a 《》 title is a unit end (《关于“十四五”……的通知》 may contain 。 or ？).
- Every line break ends a unit. Why: all callers treat a line as at least a paragraph (a heading, a list
  item — 一、 （一） 1. （1） ① — a transcript utterance, a table row), and headings usually carry no
  closing punctuation, so a line break is the only sign that they end. A list item therefore always
  starts a new unit when it starts a line; inside a line, items separated by ；are cut with
  ``semicolons=True``. Soft-wrapped lines (PDF layout) are the parser's business, not the splitter's.
- Units are trimmed of surrounding whitespace; whitespace-only text has no units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FULL_STOPS = "。！？!?"
_SEMICOLONS = "；;"
# closing quotes/brackets that stay with the sentence they close
_CLOSERS = "”’」』）)】"
_CITATION = re.compile(r"\[\d{1,2}\]")
# a 《》 title: bounded so that an unmatched 《 cannot swallow the rest of a document
_TITLE = re.compile(r"《[^《》\n]{0,120}》")
# English sentence ends: "." after a letter or a closing ) " ' and before whitespace (never after a digit:
# "1. " inside Chinese text is a list number, "in 2020. Next" is rare)
_ASCII_CLOSERS = ")\"'"
# a unit that so far is only a letter list marker ("a." "(b).") does not end at its "."
_BARE_MARKER = re.compile(r"^\s*[（(]?[A-Za-z][)）]?$")
# ASCII ! ? followed by a URL / word character are part of it ("index.html?id=1", "Yahoo!Japan" aside)
_URL_CHAR = re.compile(r"[A-Za-z0-9=&%_/#+\-]")
# clause cuts: after ，,：:；; — but not in 1,200 or 9:00, and never inside 《》
_CLAUSE_PUNCT = "，,：:；;"


@dataclass(frozen=True)
class Span:
    """One unit of `text`: text[start:end] == self.text (already trimmed of surrounding whitespace)."""

    start: int
    end: int
    text: str


def _protected(text: str) -> list[tuple[int, int]]:
    return [(m.start() + 1, m.end() - 1) for m in _TITLE.finditer(text)]


def _ends_at(line: str, i: int, unit_start: int, enders: str) -> int | None:
    """The end offset (exclusive) of a unit whose terminator starts at line[i], or None if line[i] is no end."""
    ch = line[i]
    n = len(line)
    if ch == ".":
        before = line[i - 1] if i else ""
        j = i + 1
        while j < n and line[j] in _ASCII_CLOSERS:  # He said "yes." Then
            j += 1
        english = before.isascii() and before.isalpha() or before != "" and before in _ASCII_CLOSERS
        if not english or j >= n or not line[j].isspace() or _BARE_MARKER.match(line[unit_start:i]):
            return None
        return j
    if ch not in enders:
        return None
    if ch in "!?" and i + 1 < n and _URL_CHAR.match(line[i + 1]) and i and _URL_CHAR.match(line[i - 1]):
        return None
    j = i + 1
    while j < n and line[j] in enders:
        j += 1
    while j < n:
        if line[j] in _CLOSERS:
            j += 1
            continue
        m = _CITATION.match(line, j)
        if not m:
            break
        j = m.end()
    return j


def sentence_spans(text: str, *, semicolons: bool = False) -> list[Span]:
    """Units of `text` with their offsets (see the module docstring for the rules).

    Why offsets: callers that must point back into the source (chunk positions, grounding, line links)
    get them from the same cut as everyone else instead of re-finding a sentence by search."""
    if not text or text.isspace():
        return []
    enders = _FULL_STOPS + (_SEMICOLONS if semicolons else "")
    spans: list[Span] = []

    def emit(a: int, b: int) -> None:
        piece = text[a:b]
        stripped = piece.strip()
        if stripped:
            a += len(piece) - len(piece.lstrip())
            spans.append(Span(a, a + len(stripped), stripped))

    candidates = re.compile("[" + re.escape(enders) + ".]")
    line_start = 0
    for line in text.split("\n"):
        titles = _protected(line)
        unit = 0
        for m in candidates.finditer(line):
            i = m.start()
            if i < unit or any(a <= i < b for a, b in titles):
                continue
            end = _ends_at(line, i, unit, enders)
            if end is not None:
                emit(line_start + unit, line_start + end)
                unit = end
        emit(line_start + unit, line_start + len(line))
        line_start += len(line) + 1
    return spans


def split_sentences(text: str, *, semicolons: bool = False) -> list[str]:
    """The units of `text` as strings, in order (``semicolons=True``: also cut at ；;)."""
    return [s.text for s in sentence_spans(text, semicolons=semicolons)]


def split_clauses(sentence: str) -> list[str]:
    """Cut a sentence after ，,：:；; into clauses, keeping the punctuation and all characters.

    Why lossless: the Q&A answer re-joins a run of clauses and must quote the official text exactly.
    Not cut: inside 《》, and ASCII , : between digits (1,200元, 9:00)."""
    if not sentence:
        return []
    titles = _protected(sentence)
    out: list[str] = []
    start = 0
    for i, ch in enumerate(sentence):
        if ch not in _CLAUSE_PUNCT or any(a <= i < b for a, b in titles):
            continue
        if ch in ",:" and 0 < i < len(sentence) - 1 and sentence[i - 1].isdigit() and sentence[i + 1].isdigit():
            continue
        out.append(sentence[start:i + 1])
        start = i + 1
    if start < len(sentence):
        out.append(sentence[start:])
    return out
