"""Build data/name_stats.json from jieba's bundled dictionary (MIT licence).

Run: `.venv/bin/python -m zhengwu.gateway.pii.build_name_stats`. The shipped file is derived only from
jieba's dict.txt and the hand-written surname lists — never from evaluation data.

What it holds:
- given: how often each character appears in the given-name part of jieba's `nr` entries that start with a
  known surname (the statistics of "is this a plausible given-name character");
- surname: how many `nr` entries start with each surname (a prior);
- words: 2–3 character dictionary words that start with a surname character but are NOT names
  (方法, 高速, 王国, 张贴…), to stop common words being read as names;
- common2: frequent two-character non-name words, to reject given names that are really a word;
- single: characters that are frequent one-character words (因, 开, 说…), unlikely to end a name.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import jieba

from zhengwu.gateway.pii.surnames import COMPOUND, SINGLE

OUT = Path(__file__).with_name("data") / "name_stats.json"
_NAME_TAGS = {"nr", "nrt", "nrfg"}


def build() -> dict:
    src = Path(os.path.dirname(jieba.__file__)) / "dict.txt"
    single = set(SINGLE)
    given: Counter[str] = Counter()
    surname: Counter[str] = Counter()
    words: set[str] = set()
    common2: set[str] = set()
    single_word: dict[str, int] = {}
    for line in src.open(encoding="utf-8"):
        parts = line.split()
        if len(parts) != 3:
            continue
        w, freq, tag = parts[0], int(parts[1]), parts[2]
        if len(w) == 1 and tag not in _NAME_TAGS:
            single_word[w] = max(single_word.get(w, 0), freq)
        if tag in _NAME_TAGS and freq >= 300 and len(w) <= 3:
            # jieba tags many ordinary words nr (修正, 齐全, 康复): frequent ones are words, not names
            words.add(w)
        if tag in _NAME_TAGS:
            sn = w[:2] if w[:2] in COMPOUND else (w[0] if w[0] in single else None)
            if sn and 1 <= len(w) - len(sn) <= 2 and all("\u4e00" <= c <= "\u9fff" for c in w):
                surname[sn] += 1
                given.update(w[len(sn):])
            continue
        if 2 <= len(w) <= 3 and (w[0] in single or w[:2] in COMPOUND):
            words.add(w)
        if len(w) == 2 and freq >= 300 and all("\u4e00" <= c <= "\u9fff" for c in w):
            common2.add(w)
    return {"source": "jieba 0.42.1 dict.txt (MIT) + zhengwu surnames.py",
            "given": {c: n for c, n in given.most_common() if n >= 2},
            "surname": dict(surname.most_common()),
            "words": sorted(words), "common2": sorted(common2),
            # characters that are frequent words on their own (因, 开, 说…): rarely the last given-name character
            "single": {c: n for c, n in single_word.items() if n >= 3000}}


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{OUT}: {len(data['given'])} given chars, {len(data['words'])} words, {len(data['common2'])} common2")


if __name__ == "__main__":
    main()
