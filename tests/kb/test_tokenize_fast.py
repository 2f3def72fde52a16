"""The faster text paths of ingestion and the index build (issue 15, third round) give exactly what the plain ones
give: NFKC by pre-substitution, bigrams counted as integer keys, chunk units counted in one sort.

Real texts: the State Council documents of the bundled demo corpus and the real documents of tests/qa/data; the
hand-written strings below are edge cases of the character classes (full-width forms, compatibility ideographs,
combining marks, Latin words and numbers), not documents.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import unicodedata
from collections import Counter

import numpy as np

from tests.conftest import ROOT
from zhengwu.kb.lexical import TermCounts, Vocabulary
from zhengwu.kb.tokenize import _normalise, bigram_counts, bigram_texts, text_bigrams

REAL = [json.loads(line)["text"] for path in (ROOT / "data" / "demo" / "state_council_2018_2019.jsonl",
                                              ROOT / "tests" / "qa" / "data" / "real_docs.jsonl")
        for line in path.open(encoding="utf-8")]
EDGES = ["", "一", "a", "中文abc中", "ＡＢＣ１２３，全角", "⼀⼆ 豈更", "Ⅻ章①条…", "e\u0301中\u0301文", "x" * 300 + "é\u0301",
         "第1.5%条 COVID-19 疫情", "\u3000\u3000第一条\u200b为了", "𠀀𠀁 ext-b", "ﬁ ligature ﬀ"]


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def test_normalise_is_nfkc_lowered():
    assert len(REAL) > 50
    for text in REAL + EDGES + [e * 40 for e in EDGES]:  # long texts take the substitution path
        assert _normalise(text) == _plain(text), text[:40]
    bmp = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]
    rng = random.Random(15)
    for _ in range(3000):  # any characters, combining marks included, in texts long enough for the fast path
        text = "".join(rng.choice(bmp) for _ in range(250))
        assert _normalise(text) == _plain(text)


def test_bigram_counts_are_text_bigrams_counted():
    texts = REAL[:40] + EDGES
    words: dict[str, int] = {}
    keys, counts = bigram_counts(texts, words)
    expected = Counter(b for t in texts for b in text_bigrams(t))
    got = dict(zip(bigram_texts(keys.tolist(), list(words)), counts.tolist()))
    assert got == dict(expected)
    assert {"中文", "abc", "一", "123", "covid", "19", "全角"} <= set(got)
    # the words' numbers carry over between batches: a second batch names the same words the same way
    keys2, _ = bigram_counts(["abc 与 covid"], words)
    assert set(bigram_texts(keys2.tolist(), list(words))) == {"abc", "与", "covid"}
    assert bigram_counts([], {})[0].size == 0 and bigram_counts([""], {})[0].size == 0


def test_bigram_texts_keeps_other_keys():
    words: dict[str, int] = {}
    keys, _ = bigram_counts(["社保卡 ok"], words)
    out = bigram_texts(["", *keys.tolist()], list(words))
    assert out[0] == "" and sorted(out[1:]) == sorted(["社保", "保卡", "ok"])


def test_add_units_counts_each_unit_as_add_ids():
    vocab = Vocabulary()
    lists = [t.split() for t in ("社保 卡 社保", "", "办理 卡", "卡", "")] + [text_bigrams(t) for t in REAL[:30]]
    one, batch = TermCounts(vocab), TermCounts(vocab)
    encoded = [vocab.encode(toks) for toks in lists]
    for ids in encoded:
        one.add_ids(ids)
    batch.add_units(encoded[:3])
    batch.add_units([])
    batch.add_units(encoded[3:])
    assert one.lengths == batch.lengths and len(batch) == len(lists)
    for a, b, c, d in zip(one.ids, batch.ids, one.counts, batch.counts):
        assert np.array_equal(a, b) and np.array_equal(c, d)


TOKENS_SCRIPT = """
import json, sys, time
from zhengwu.kb import tokenize
t = time.perf_counter()
tokenize._jieba()
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "tokens": [tokenize.index_tokens(t) for t in json.loads(sys.stdin.read())]}))
"""


def test_the_saved_dictionary_trie_cuts_as_the_one_built_from_the_text(zw_env):
    """The first process builds jieba_fast_dat's trie from jieba's dictionary text and saves it under the data
    directory; the next loads it, and cuts every real text the same way; an altered file is rebuilt, never used."""
    texts = json.dumps(REAL[:20] + EDGES)

    def run(**env: str) -> dict:
        r = subprocess.run([sys.executable, "-c", TOKENS_SCRIPT], input=texts, capture_output=True, text=True,
                           cwd=ROOT, check=True, env={**os.environ, **env})
        return json.loads(r.stdout) | {"stderr": r.stderr}

    built = run()
    [trie] = (zw_env / "indexes").glob("jieba_fast_dat-*.dat")
    assert trie.with_name(trie.name + ".sha256").exists()
    loaded = run()
    assert loaded["tokens"] == built["tokens"] and sum(map(len, built["tokens"])) > 10_000
    trie.write_bytes(trie.read_bytes()[:1000])  # damaged: fails its checksum
    rebuilt = run()
    assert rebuilt["tokens"] == built["tokens"]
    assert trie.stat().st_size > 1_000_000  # the rebuilt trie replaced the damaged one
    assert not [p for p in (zw_env / "indexes").iterdir() if p.name.startswith(".tmp-")]
    (zw_env / "a-file").write_text("", encoding="utf-8")  # a data directory that cannot be made: built each time
    unwritable = run(ZHENGWU_DATA_DIR=str(zw_env / "a-file" / "data"))
    assert unwritable["tokens"] == built["tokens"] and "jieba dictionary trie not saved" in unwritable["stderr"]
