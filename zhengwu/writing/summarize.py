"""Summaries of official documents: extractive without a model, abstractive with one (scenario doc_summary).

Extractive scoring (why: a summary that only quotes the document cannot misstate it):
  score(s) = textrank(s) normalised to max 1  + 0.3 × position(s) + 0.4 × title_overlap(s)
- textrank: PageRank (damping 0.85) over the cosine similarity of the sentences' TF-IDF vectors of jieba
  words (IDF over the document's own sentences);
- position: 1 for the first sentence of the document, 0.5 for the first sentence of a paragraph, else 0
  (公文 put the purpose first and each section's point in its first sentence);
- title_overlap: share of the title's words found in the sentence.
Sentences are taken by score until the character budget (ratio × length, or max_chars) is used, then put
back in document order. Headings (lines without a sentence end, such as 一、总体要求 or the title) and
run-in headings shorter than 10 characters (坚持规范透明。) are never chosen.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from zhengwu.gateway import Governed
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.sentences import split_sentences
from zhengwu.writing import assist

MAX_INPUT_CHARS = 200_000
MIN_SENTENCE_CHARS = 10
_STOP = set("的 了 和 与 及 或 在 是 为 对 等 将 把 被 于 以 其 之 也 并 而 由 从 向 就 都 要 这 那 有 中 上 下 个 各 按 各类 "
            "进一步 有关 相关 以及 或者 一个 我们 通过 按照 根据 进行 加强 推进 工作".split())
_HAN_OR_ALNUM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|（\d+）|第[一二三四五六七八九十百]+[章节条])")


@dataclass
class Sentence:
    index: int
    paragraph: int
    text: str
    first_in_paragraph: bool
    heading: bool


def split_document(text: str) -> list[Sentence]:
    """Sentences in order, each knowing its paragraph (a non-empty line) and whether it is a heading."""
    out: list[Sentence] = []
    for p_no, para in enumerate(line for line in text.splitlines() if line.strip()):
        pieces = split_sentences(para)
        for j, s in enumerate(pieces):
            # a line that is one piece without a sentence end is a title or heading (一、总体要求, the doc title)
            heading = j == 0 and len(pieces) == 1 and len(s) <= 60 and s[-1] not in "。！？；!?;…"
            if _HEADING.match(s) and len(s) <= 30 and not s.endswith("。"):
                heading = True
            out.append(Sentence(len(out), p_no, s, j == 0, heading))
    return out


def _words(text: str) -> list[str]:
    return [w for w in assist.lcut(text) if _HAN_OR_ALNUM.search(w) and w not in _STOP]


def textrank(sentences: list[list[str]], damping: float = 0.85, iterations: int = 50) -> np.ndarray:
    """PageRank scores of sentences over the cosine similarity of their TF-IDF vectors."""
    n = len(sentences)
    if n == 0:
        return np.zeros(0)
    vocab: dict[str, int] = {}
    df: Counter[str] = Counter()
    for ws in sentences:
        df.update(set(ws))
        for w in ws:
            vocab.setdefault(w, len(vocab))
    mat = np.zeros((n, max(1, len(vocab))), dtype=np.float64)
    for i, ws in enumerate(sentences):
        for w, tf in Counter(ws).items():
            mat[i, vocab[w]] = tf * (math.log((1 + n) / (1 + df[w])) + 1)
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1
    mat /= norms
    sim = mat @ mat.T
    np.fill_diagonal(sim, 0)
    row = sim.sum(axis=1, keepdims=True)
    row[row == 0] = 1
    trans = sim / row
    scores = np.full(n, 1.0 / n)
    for _ in range(iterations):
        scores = (1 - damping) / n + damping * trans.T @ scores
    return scores


@dataclass
class SummaryResult:
    summary: str
    mode: str  # "extractive" | "abstractive"
    ai_generated: bool
    chars_in: int
    chars_out: int
    sentences: list[dict] = field(default_factory=list)  # extractive: index, paragraph, text, score
    backend: str | None = None
    model: str | None = None
    audit_id: int | None = None

    def to_dict(self) -> dict:
        out = {"summary": self.summary, "mode": self.mode, "ai_generated": self.ai_generated,
               "chars_in": self.chars_in, "chars_out": self.chars_out, "sentences": self.sentences,
               "backend": self.backend, "model": self.model, "audit_id": self.audit_id,
               "label": Governed.explicit_label() if self.ai_generated else None}
        return Governed.label_json(out) if self.ai_generated else out


def extractive_summary(text: str, *, title: str | None = None, ratio: float = 0.2,
                       max_chars: int | None = None) -> tuple[str, list[dict]]:
    """The extractive summary and the chosen sentences with their scores (see module docstring)."""
    sents = split_document(text)
    if title is None and sents and sents[0].heading:
        title = sents[0].text
    # very short sentences ("坚持规范透明。") are run-in headings, not content
    candidates = [s for s in sents if not s.heading and len(_HAN_OR_ALNUM.findall(s.text)) >= MIN_SENTENCE_CHARS]
    if not candidates:
        return "", []
    words = [_words(s.text) for s in candidates]
    tr = textrank(words)
    tr = tr / tr.max() if tr.max() > 0 else tr
    title_words = set(_words(title)) if title else set()
    scores = []
    for k, s in enumerate(candidates):
        pos = 1.0 if k == 0 else (0.5 if s.first_in_paragraph else 0.0)
        overlap = len(title_words & set(words[k])) / len(title_words) if title_words else 0.0
        scores.append(float(tr[k]) + 0.3 * pos + 0.4 * overlap)
    total = sum(len(s.text) for s in candidates)
    budget = max_chars if max_chars else max(60, int(total * ratio))
    chosen: list[int] = []
    used = 0
    for k in sorted(range(len(candidates)), key=lambda i: -scores[i]):
        length = len(candidates[k].text)
        if used and used + length > budget:
            continue
        chosen.append(k)
        used += length
        if used >= budget:
            break
    chosen.sort()
    picked = [{"index": candidates[k].index, "paragraph": candidates[k].paragraph, "text": candidates[k].text,
               "score": round(scores[k], 4)} for k in chosen]
    return "".join(p["text"] for p in picked), picked


def summarize(caller: Caller, text: str, *, title: str | None = None, ratio: float = 0.2,
              max_chars: int | None = None, use_model: bool | None = None) -> SummaryResult:
    """Summarise one document; one audit record in scenario doc_summary either way."""
    text = (text or "").strip()
    if not text:
        raise ZhengwuError("empty_text", "没有可摘要的文字。", "There is no text to summarise.")
    if len(text) > MAX_INPUT_CHARS:
        raise ZhengwuError("text_too_long", f"文字过长（超过 {MAX_INPUT_CHARS} 字），请分段摘要。",
                           f"The text is too long (over {MAX_INPUT_CHARS} characters); summarise it in parts.")
    if not 0 < ratio <= 1:
        raise ZhengwuError("bad_ratio", "摘要比例须在 0 到 1 之间。", "The ratio must be between 0 and 1.")
    budget = max_chars or max(60, int(len(text) * ratio))
    title_line = f"文件标题：{title}\n" if title else ""
    messages = [{"role": "system", "content": assist.fill(assist.load_prompt("doc_summary"), max_chars=budget,
                                                          title_line=title_line)},
                {"role": "user", "content": text}]
    completion = assist.try_complete(caller, "doc_summary", messages, use_model=use_model)
    if completion is not None:
        summary = completion.text.replace(f"（{Governed.explicit_label()}）", "").strip()
        info = assist.completion_info(completion)
        return SummaryResult(summary=summary, mode="abstractive", ai_generated=True, chars_in=len(text),
                             chars_out=len(summary), backend=info["backend"], model=info["model"],
                             audit_id=info["audit_id"])
    summary, picked = extractive_summary(text, title=title, ratio=ratio, max_chars=max_chars)
    audit_id = assist.audit(caller, "doc_summary", "summarize", input_text=text[:2000], output_text=summary,
                            extra={"mode": "extractive", "ratio": ratio, "chars_in": len(text)})
    return SummaryResult(summary=summary, mode="extractive", ai_generated=False, chars_in=len(text),
                         chars_out=len(summary), sentences=picked, backend="rules", audit_id=audit_id)
