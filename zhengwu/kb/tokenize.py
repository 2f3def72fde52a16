"""Lexical tokens for BM25 (jieba's algorithm and bundled dictionary, search mode; run by jieba_fast_dat).

Why search mode: it yields a long word and its sub-words (“新型冠状病毒” -> 新型, 冠状, 病毒, 新型冠状病毒),
so a question that names only part of a compound still meets the document. Tokens are lower-cased and
punctuation / whitespace is dropped. Queries go through `query_tokens`, which also removes question words
(什么、如何、哪些 …) and function words that carry no topic: they are frequent in questions, rare in
documents, and would otherwise pull documents that merely contain them.

Besides words, documents are also indexed by overlapping character bigrams (`text_bigrams`), computed from
the chunk text when the in-memory index is built. Bigrams across word boundaries act as a cheap phrase match
and do not depend on jieba cutting question and document the same way; on the policy-QA dev set whole-document
bigram BM25 finds the right document first far more often than word BM25 (see docs/benchmarks.md).

Documents are cut by jieba_fast_dat (jieba's algorithm and dictionary in C++: ingestion speed); queries by
`query_dict.query_cutter()` (jieba's algorithm over the same dictionary stored as SQLite: a fresh process need
not load the whole dictionary to cut a question, zhengwu/kb/query_dict.py). Both are jieba's cut; numbers such
as "1.5%" are kept whole on both sides by `index_tokens`.

`index_tokens` is stored with each chunk at ingest time (Chunk.tokens, space-joined); changing it means
re-ingesting, so it stays deliberately simple.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import threading
import unicodedata
import uuid
from pathlib import Path

import jieba
import jieba_fast_dat
import numpy as np

from zhengwu.kb.query_dict import query_cutter

log = logging.getLogger("zhengwu.kb.index")
jieba.setLogLevel(logging.WARNING)
jieba_fast_dat.setLogLevel(logging.WARNING)
_ready = threading.Lock()
_loaded = False


def _jieba():  # noqa: ANN202 - the jieba_fast_dat module, its dictionary loaded
    """jieba's own algorithm and bundled dictionary, run in C++ by jieba_fast_dat: with numbers such as "1.5%"
    kept whole as jieba keeps them (`index_tokens`), the same cuts as jieba (one difference in the 3,196
    paragraphs of the demo's State Council documents), 6-13x faster; tokenising was 80 % of the time of
    ingesting a 10 MB text (issue 15). Documents and queries are cut by the same functions, so
    stored tokens and queries agree. The dictionary is loaded on the first cut, not at import, from its saved
    trie (`_load_dictionary`)."""
    global _loaded
    if not _loaded:
        with _ready:
            if not _loaded:
                _load_dictionary(str(Path(jieba.__file__).with_name("dict.txt")))
                _loaded = True
    return jieba_fast_dat


def _load_dictionary(source: str) -> None:
    """Load jieba's dictionary into jieba_fast_dat from the trie saved under the data directory, else build it
    from the text and save the trie there (temp file + rename, its SHA-256 beside it).

    Why: `jieba_fast_dat.set_dictionary` always rebuilds the trie from the 500,000-line text (1-2 s in every
    ingesting process, a tenth of a 10 MB ingest) and rewrites a cache in the shared /tmp that it never reads;
    loading the saved trie takes 0.06 s. A missing, altered or unreadable file is rebuilt, which gives the same trie."""
    from zhengwu.kb.index_files import index_root

    dt = jieba_fast_dat.dt
    path = index_root() / f"jieba_fast_dat-{jieba_fast_dat.__version__}-jieba-{jieba.__version__}.dat"
    sha = Path(f"{path}.sha256")
    try:
        valid = sha.read_text(encoding="ascii").strip() == _sha256(path)
    except OSError:
        valid = False
    tmp = path.with_name(f".tmp-{path.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        if valid:
            dt.cache_file = str(path)
            dt.initialize(source)  # loads the trie: the file is newer than the dictionary text
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        dt.cache_file = str(tmp)  # built from the text and saved there (tmp does not exist: nothing to load)
        dt.initialize(source)
        Path(f"{tmp}.sha256").write_text(_sha256(tmp), encoding="ascii")
        os.replace(f"{tmp}.sha256", sha)
        os.replace(tmp, path)
    except OSError as exc:  # an unwritable data directory: the trie is built each time, as before
        log.warning("jieba 词典缓存未能保存 / jieba dictionary trie not saved: %s", exc)
    finally:
        dt.cache_file = None
        if not dt.initialized:  # not even built (the directory could not be made): as set_dictionary did
            dt.initialize(source, force_rebuild=True)
        for p in (tmp, Path(f"{tmp}.sha256")):
            with contextlib.suppress(OSError):
                p.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


_LONG = 200  # characters: a query is normalised directly, a chunk by the faster path
_PUNCT_ONLY = re.compile(r"^[\W_]+$", re.UNICODE)
_DECIMAL = re.compile(r"[a-z0-9]+(?:\.\d+%?|%)")  # as jieba's finalseg keeps numbers whole: 1.5%, 3.5, 80%

# Question and function words: removed from queries only (documents keep every token for BM25 statistics).
QUERY_STOPWORDS: frozenset[str] = frozenset("""
什么 什么样 啥 怎么 怎么样 怎样 如何 哪些 哪个 哪里 哪儿 哪 多少 几 几个 是否 是不是 有没有 有何 为何 为什么
吗 呢 吧 啊 呀 么 请问 请 问 一下 能否 能不能 可否 可以 可不可以 需要 要 应该 应当 该 会 能 有 是 的 了 和 与 及 或
在 对 对于 关于 把 被 将 从 向 给 以 为 中 上 下 都 也 还 就 又 并 并且 而 等 等等 其 之 我 我们 你 你们 他们 它
这 这个 这些 那 那个 那些 哪位 谁 时 时候 情况 方面 相关 有关 具体 主要 分别 目前 现在 已经 通过 进行 采取 做 做好
的话 多久 多长时间 几天 什么时候 何时 是什么 有哪些 怎么办 如何做 要求 内容 规定 措施
""".split())


@functools.cache
def _compatibility_forms() -> tuple[re.Pattern[str], dict[str, str]]:
    """The characters of the Basic Multilingual Plane that NFKC changes, and their NFKC forms (20 ms: built on
    the first long text, not at import, which every `zhengwu search` pays)."""
    forms = {c: unicodedata.normalize("NFKC", c) for c in map(chr, range(0x10000))
             if not unicodedata.is_normalized("NFKC", c) and not 0xD800 <= ord(c) < 0xE000}
    return re.compile("[" + "".join(re.escape(c) for c in forms) + "]"), forms


def _normalise(text: str) -> str:
    """NFKC, lower-cased. Why the substitution first for a long text: Chinese text is full of full-width
    punctuation (，：（）), which NFKC changes, so `unicodedata.normalize` never takes its fast path (a text it
    leaves alone) and took 1.2 s for a 10 MB text. Each such character is replaced by its own NFKC form first (a
    character and its NFKC form have the same compatibility decomposition, so the text's NFKC is unchanged);
    what is left is nearly always normalised already and passes the fast check, and anything else (combining
    marks) is still normalised by `unicodedata.normalize` itself. 3-7x faster on chunks of laws."""
    if len(text) >= _LONG:
        pattern, forms = _compatibility_forms()
        text = pattern.sub(lambda m: forms[m.group()], text)
    return unicodedata.normalize("NFKC", text).lower()


def index_tokens(text: str, tokenizer: jieba.Tokenizer | None = None) -> list[str]:
    """Tokens stored with each chunk at ingest time (search-mode cut: words and their sub-words)."""
    out: list[str] = []
    # documents: jieba's algorithm in C++ (jieba_fast_dat); queries: the same algorithm over the SQLite
    # dictionary (query_dict), so a fresh process need not load the whole dictionary to cut a question
    cut = tokenizer.lcut_for_search if tokenizer is not None else _jieba().lcut_for_search
    text = _normalise(text)
    pos = 0
    for m in _DECIMAL.finditer(text):  # jieba keeps "1.5%" whole; its C++ port would cut "1", ".", "5", "%"
        out += cut(text[pos:m.start()])
        out.append(m.group())
        pos = m.end()
    out += cut(text[pos:])
    # isalnum() first: it settles nearly every token without the regular expression (a third of the time)
    return [t for t in out if t.isalnum() or (t.strip() and not _PUNCT_ONLY.match(t))]


def query_tokens(query: str) -> list[str]:
    """Tokens of a search query: as `index_tokens`, without question / function words.

    If the query consists only of such words, the unfiltered tokens are returned so it still matches.
    """
    toks = index_tokens(query, query_cutter())
    kept = [t for t in toks if t not in QUERY_STOPWORDS]
    return kept or toks


_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")


def _bigrams_of(text: str) -> list[str]:
    out: list[str] = []
    for run in _RUN.findall(text):
        if len(run) > 1 and not run[0].isascii():
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)  # a single Chinese character, or a Latin word / number as a whole
    return out


def text_bigrams(text: str) -> list[str]:
    """Overlapping Chinese character bigrams (Latin words and numbers whole) of a document text."""
    return _bigrams_of(_normalise(text))


_WORD = re.compile(r"[a-z0-9]+")
_CHAR_BITS = 21  # every code point fits in 21 bits
_SINGLE = (1 << _CHAR_BITS) - 1  # the second half of a lone Chinese character's key (no code point is 0x1FFFFF)
_WORD_KEY = 1 << (2 * _CHAR_BITS)  # keys from here on are Latin words and numbers (their number in `words`)


def bigram_counts(texts: list[str], words: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """The bigrams of `texts` (each text's `text_bigrams`, all counted together) as (distinct int64 keys, counts).

    Why keys: the index build counted every bigram of the knowledge base as a Python str (a third of a fresh
    build). A pair of Chinese characters is its two code points in one integer and is found by numpy over the
    whole batch; a lone character is its code point and _SINGLE; a Latin word or number (few) gets the next
    number in `words` (kept by the caller across batches) above _WORD_KEY. `bigram_texts` turns keys back into
    the bigrams `text_bigrams` gives. The texts are joined by a line break: no run crosses it."""
    joined = "\n".join(_normalise(t) for t in texts)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    cjk = ((cp >= 0x3400) & (cp <= 0x4DBF)) | ((cp >= 0x4E00) & (cp <= 0x9FFF)) | ((cp >= 0xF900) & (cp <= 0xFAFF))
    pair = cjk[:-1] & cjk[1:]
    alone = cjk.copy()
    alone[1:] &= ~cjk[:-1]
    alone[:-1] &= ~cjk[1:]
    found = _WORD.findall(joined)
    parts = [(cp[:-1][pair] << _CHAR_BITS) | cp[1:][pair], (cp[alone] << _CHAR_BITS) | _SINGLE,
             _WORD_KEY + np.array([words.setdefault(w, len(words)) for w in found], dtype=np.int64)]
    return np.unique(np.concatenate(parts), return_counts=True)


def bigram_texts(keys: list, word_of: list[str]) -> list[str]:
    """The bigrams of keys of `bigram_counts` (`word_of`: the words of its `words` dict, in number order); any
    other key (a str) is kept as it is."""
    out = list(keys)
    at = [i for i, k in enumerate(keys) if isinstance(k, int)]
    arr = np.array([keys[i] for i in at], dtype=np.int64)
    second = arr & _SINGLE
    # every key as two characters, all decoded from UTF-32 at once (a lone character's second one and words: " ")
    chars = np.stack([arr >> _CHAR_BITS, np.where(second == _SINGLE, 32, second)], axis=1)
    chars[arr >= _WORD_KEY] = 32
    text = chars.astype("<u4").tobytes().decode("utf-32-le")
    for j, (i, k) in enumerate(zip(at, arr.tolist())):
        out[i] = word_of[k - _WORD_KEY] if k >= _WORD_KEY else text[2 * j:2 * j + 2].rstrip(" ")
    return out


def query_bigrams(query: str) -> list[str]:
    """Bigrams of a query with question / function words cut out (no bigram spans a removed word)."""
    q = _normalise(query)
    kept = "".join(" " if (t in QUERY_STOPWORDS or not t.strip()) else t for t in query_cutter().cut(q))
    return _bigrams_of(kept) or _bigrams_of(q)
