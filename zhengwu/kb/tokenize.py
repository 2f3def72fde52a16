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

import logging
import re
import threading
import unicodedata
from pathlib import Path

import jieba
import jieba_fast_dat

from zhengwu.kb.query_dict import query_cutter

jieba.setLogLevel(logging.WARNING)
jieba_fast_dat.setLogLevel(logging.WARNING)
_ready = threading.Lock()
_loaded = False


def _jieba():  # noqa: ANN202 - the jieba_fast_dat module, its dictionary loaded
    """jieba's own algorithm and bundled dictionary, run in C++ by jieba_fast_dat: with numbers such as "1.5%"
    kept whole as jieba keeps them (`index_tokens`), the same cuts as jieba (one difference in the 3,196
    paragraphs of the demo's State Council documents), 6-13x faster; tokenising was 80 % of the time of
    ingesting a 10 MB text (issue 15). Documents and queries are cut by the same functions, so
    stored tokens and queries agree. The dictionary is loaded on the first cut (about a second), not at import."""
    global _loaded
    if not _loaded:
        with _ready:
            if not _loaded:
                jieba_fast_dat.set_dictionary(str(Path(jieba.__file__).with_name("dict.txt")))
                _loaded = True
    return jieba_fast_dat

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


def _normalise(text: str) -> str:
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


def query_bigrams(query: str) -> list[str]:
    """Bigrams of a query with question / function words cut out (no bigram spans a removed word)."""
    q = _normalise(query)
    kept = "".join(" " if (t in QUERY_STOPWORDS or not t.strip()) else t for t in query_cutter().cut(q))
    return _bigrams_of(kept) or _bigrams_of(q)
