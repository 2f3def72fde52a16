"""Grounding check for generated answers: every sentence must be supported by the source it cites.

Why: a citizen must never be shown as fact a sentence no retrieved source supports (DESIGN non-negotiable 4).
A sentence is supported when it cites a numbered source ([n]) and enough of its character bigrams occur in
that source (the model is told to stay close to the official wording), and every number, date, amount and
文号 in it appears in a source verbatim. Unsupported sentences are dropped (or kept flagged when the
caller asks for flags), so what remains is checkable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhengwu.sentences import sentence_spans

CITE = re.compile(r"\[(\d{1,2})\]")
# numbers with their units, dates, and 文号 such as 穗府办规〔2024〕13号
FACTS = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号|\d{4}年\d{1,2}月\d{1,2}日|\d{4}年|\d{1,2}月\d{1,2}日|"
                   r"\d+(?:\.\d+)?\s*(?:万|亿)?(?:元|%|％|天|个工作日|工作日|个月|年|岁|人|件|户|次|倍|小时|平方米)?")
SUPPORT_THRESHOLD = 0.5  # share of the sentence's bigrams found in the cited source


@dataclass
class SentenceCheck:
    text: str
    cited: list[int]
    support: float
    missing_facts: list[str] = field(default_factory=list)
    supported: bool = False


@dataclass
class GroundingResult:
    text: str  # the answer with unsupported sentences removed (or flagged)
    sentences: list[SentenceCheck]
    dropped: int

    @property
    def ok(self) -> bool:
        return self.dropped == 0 and bool(self.sentences)


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[\s\[\]\d，。、；：！？,.;:!?“”\"'（）()]", "", text)
    return {t[i:i + 2] for i in range(len(t) - 1)}


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def check_sentence(sentence: str, sources: list[str], threshold: float = SUPPORT_THRESHOLD) -> SentenceCheck:
    cited = [int(n) for n in CITE.findall(sentence)]
    body = CITE.sub("", sentence)
    valid = [n for n in cited if 1 <= n <= len(sources)]
    support = 0.0
    b = _bigrams(body)
    for n in valid:
        sb = _bigrams(sources[n - 1])
        if b:
            support = max(support, len(b & sb) / len(b))
    all_sources = _norm("".join(sources))
    missing = [f for f in (m.group(0) for m in FACTS.finditer(body)) if f.strip() and _norm(f) not in all_sources]
    ok = bool(valid) and support >= threshold and not missing
    return SentenceCheck(text=sentence, cited=cited, support=round(support, 3), missing_facts=missing, supported=ok)


def check_answer(text: str, sources: list[str], *, threshold: float = SUPPORT_THRESHOLD,
                 flag: bool = False) -> GroundingResult:
    """Check every sentence; drop the unsupported ones (or mark them "（未核实）" with flag=True).

    Sentences are the shared splitter's units cut at ；too, so "……。[1]" keeps its citation; the line breaks
    after a kept sentence are kept (a list answer stays a list)."""
    text = text or ""
    spans = sentence_spans(text, semicolons=True)
    checks = [check_sentence(s.text, sources, threshold) for s in spans]
    kept: list[str] = []
    dropped = 0
    for i, (span, c) in enumerate(zip(spans, checks)):
        gap = text[span.end:spans[i + 1].start if i + 1 < len(spans) else span.end]
        gap = "\n" if "\n" in gap else ""
        if c.supported:
            kept.append(c.text + gap)
        else:
            dropped += 1
            if flag:
                kept.append(c.text + "（未核实 / unverified）" + gap)
    return GroundingResult(text="".join(kept).strip(), sentences=checks, dropped=dropped)
