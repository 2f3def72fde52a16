"""Chinese readability measures, used to show what a plain-language rewrite changed.

The numbers:
- ``avg_sentence_len``: Chinese characters, letters and digits per sentence; sentences are the shared
  splitter's (zhengwu/sentences.py: 。！？!? or a line break; ；is not a sentence end, so splitting at ；lowers
  the figure, as it should for a reader).
- ``avg_word_len``: characters per word over jieba's words that contain a Chinese character (reported,
  not scored: plain Chinese often uses longer words than officialese — 须 → 必须, 兹 → 现在).
- ``uncommon_word_share``: share of those words outside the 8,000 most frequent words of jieba's bundled
  dictionary (MIT licence; list in ``data/common_words_8000.txt``, built by ``build_common_words``). Words
  such as 逾期, 责令, 缴纳 are outside it, their plain replacements 超过期限, 命令, 交 inside.
- ``rare_char_share``: share of Chinese characters outside the 3,500 most frequent ones. The list stands in
  for the 《通用规范汉字表》 一级字表 (3,500 常用字), which we do not ship verbatim: it is built from jieba's
  bundled dictionary as the 3,500 GB2312 characters with the largest summed word frequency
  (``build_common_chars``), stored in ``data/common_chars_3500.txt``.
- ``score``: a Flesch-style reading-ease number, higher = easier, clamped to 0..100::

      score = 110 − 1.5 × avg_sentence_len − 80 × uncommon_word_share − 100 × rare_char_share

  The coefficients are chosen, not fitted: long official sentences (≈40 characters, ≈15 % uncommon words)
  score about 40, short plain sentences (≈12 characters, ≈5 % uncommon words) about 85; each rare character
  per hundred costs one point. It ranks versions of the same text; it is not calibrated against reader
  tests and should not be read as a grade level.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import jieba

from zhengwu.sentences import split_sentences as _split
from zhengwu.writing.assist import lcut

DATA = Path(__file__).parent / "data"
COMMON_CHARS_FILE = DATA / "common_chars_3500.txt"
COMMON_WORDS_FILE = DATA / "common_words_8000.txt"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_COUNTED = re.compile(r"[\u4e00-\u9fffA-Za-z0-9０-９]")


def build_common_chars(n: int = 3500) -> list[str]:
    """The n most frequent simplified characters by summed word frequency in jieba's bundled dictionary."""
    counts: Counter[str] = Counter()
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                continue
            freq = int(parts[1])
            for ch in parts[0]:
                if _HAN.match(ch):
                    try:
                        ch.encode("gb2312")  # simplified characters only (the dictionary has some traditional)
                    except UnicodeEncodeError:
                        continue
                    counts[ch] += freq
    return [ch for ch, _ in counts.most_common(n)]


def _jieba_dict() -> list[tuple[str, int]]:
    out = []
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                out.append((parts[0], int(parts[1])))
    return out


def _simplified(word: str) -> bool:
    try:
        word.encode("gb2312")  # the dictionary also lists traditional spellings
    except UnicodeEncodeError:
        return False
    return True


def build_common_words(n: int = 8000) -> list[str]:
    """The n most frequent simplified words (with a Chinese character) of jieba's dictionary, ties by spelling."""
    words = [(w, f) for w, f in _jieba_dict() if _HAN.search(w) and _simplified(w)]
    words.sort(key=lambda x: (-x[1], x[0]))
    return [w for w, _ in words[:n]]


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    text = COMMON_WORDS_FILE.read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    """The shipped frequent-character set (regenerate with ``build_common_chars``)."""
    text = COMMON_CHARS_FILE.read_text(encoding="utf-8")
    return frozenset(ch for line in text.splitlines() if not line.startswith("#") for ch in line.strip())


def split_sentences(text: str) -> list[str]:
    """Whole sentences (the shared splitter without ；cuts: a semicolon does not end a sentence a reader
    has to hold in mind); pieces without a character or digit (stray punctuation) are not sentences."""
    return [s for s in _split(text) if _COUNTED.search(s)]


@dataclass
class Readability:
    chars: int
    sentences: int
    avg_sentence_len: float
    avg_word_len: float
    uncommon_word_share: float
    rare_char_share: float
    score: float

    def to_dict(self) -> dict:
        return asdict(self)


def readability(text: str) -> Readability:
    """Measure one text (see the module docstring for the definitions)."""
    sentences = split_sentences(text)
    counted = _COUNTED.findall(text)
    han = _HAN.findall(text)
    words = [w for w in lcut(text) if _HAN.search(w)]
    asl = len(counted) / len(sentences) if sentences else 0.0
    awl = sum(len(w) for w in words) / len(words) if words else 0.0
    common = common_chars()
    rare = sum(1 for ch in han if ch not in common) / len(han) if han else 0.0
    known = common_words()
    uncommon = sum(1 for w in words if w not in known) / len(words) if words else 0.0
    score = 110 - 1.5 * asl - 80 * uncommon - 100 * rare if counted else 0.0
    return Readability(chars=len(counted), sentences=len(sentences), avg_sentence_len=round(asl, 2),
                       avg_word_len=round(awl, 3), uncommon_word_share=round(uncommon, 4), rare_char_share=round(rare, 4),
                       score=round(max(0.0, min(100.0, score)), 1))


def compare(before: str, after: str) -> dict:
    """Readability of two versions side by side, with the change of each figure (after − before)."""
    b, a = readability(before), readability(after)
    delta = {k: round(getattr(a, k) - getattr(b, k), 4) for k in
             ("avg_sentence_len", "avg_word_len", "uncommon_word_share", "rare_char_share", "score")}
    return {"before": b.to_dict(), "after": a.to_dict(), "delta": delta}
