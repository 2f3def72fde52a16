"""The collection build from term counts (issue 15, memory) scores exactly as bm25s does from token lists.

Reference: the four indexes built the way the build did before, handing bm25s one Python list of str per unit
(LexicalIndex(token lists), bm25s' own `index`), over the same rows read back from the database. Real documents:
tests/qa/data/real_docs.jsonl and State Council documents of the bundled demo corpus, ingested through the real
ingestion path; real questions: the first 30 of tests/qa/data/everyday.jsonl.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from sqlalchemy import select

from tests.conftest import ROOT
from zhengwu.context import Caller
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.lexical import LexicalIndex, TermCounts, Vocabulary
from zhengwu.kb.manage import readable_kbs
from zhengwu.kb.models import Chunk, Document
from zhengwu.kb.search import BIGRAM_B, BIGRAM_K1, HEADING_BOOST, TITLE_BOOST, Collection, clear_indexes, \
    get_collection
from zhengwu.kb.tokenize import index_tokens, query_bigrams, query_tokens, text_bigrams
from zhengwu.store.db import session_scope

QA_DATA = ROOT / "tests" / "qa" / "data"
DEMO = ROOT / "data" / "demo" / "state_council_2018_2019.jsonl"
CALLER = Caller(user="indexer", department="gz-zwfw", role="officer")
QUESTIONS = [r["question"] for r in map(json.loads, (QA_DATA / "everyday.jsonl").open(encoding="utf-8"))
             if "question" in r][:30]


def _reference(s, col: Collection) -> dict[str, LexicalIndex]:
    """The four indexes from token lists, as the build made them before it counted terms."""
    docs = s.execute(select(Document.id, Document.title).where(Document.id.in_([int(d) for d in col.doc_ids]))
                     .order_by(Document.id)).all()
    pos = {d[0]: i for i, d in enumerate(docs)}
    titles = [index_tokens(d[1] or "") for d in docs]
    chunks: list[list[str]] = []
    doc_words: list[list[str]] = [t * TITLE_BOOST for t in titles]
    doc_bigrams: list[list[str]] = [[] for _ in docs]
    last: dict[int, str] = {}
    for did, heading, toks, text in s.execute(
            select(Chunk.document_id, Chunk.heading_path, Chunk.tokens, Chunk.text)
            .where(Chunk.id.in_([int(c) for c in col.chunk_ids])).order_by(Chunk.document_id, Chunk.ordinal)):
        p = pos[did]
        body = (toks or "").split() or index_tokens(text or "")
        chunks.append(body + titles[p] * TITLE_BOOST + (index_tokens(heading) if heading else []) * HEADING_BOOST)
        doc_words[p].extend(body)
        if heading and last.get(p) != heading:
            last[p] = heading
            doc_bigrams[p].extend(text_bigrams(heading.split(" > ")[-1]))
        doc_bigrams[p].extend(text_bigrams(text or ""))
    return {"chunk_lex": LexicalIndex(chunks), "doc_lex": LexicalIndex(doc_words),
            "doc_big": LexicalIndex(doc_bigrams, k1=BIGRAM_K1, b=BIGRAM_B),
            "title_big": LexicalIndex([text_bigrams(d[1] or "") for d in docs], k1=BIGRAM_K1, b=0.3)}


@pytest.fixture
def collection(zw_env, tmp_path) -> Collection:
    clear_indexes()
    rows = [json.loads(line) for line in (QA_DATA / "real_docs.jsonl").open(encoding="utf-8")]
    rows += [json.loads(line) for line in DEMO.open(encoding="utf-8")][:12]
    f = tmp_path / "docs.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert ingest_paths([f], kb="policies", caller=CALLER, progress=False).added == len(rows)
    with session_scope() as s:
        yield get_collection(s, readable_kbs(s, CALLER))
    clear_indexes()


def test_counted_build_scores_as_bm25s_on_token_lists(collection):
    assert len(QUESTIONS) == 30 and collection.n_docs == 20 and len(collection.chunk_ids) > 20
    with session_scope() as s:
        ref = _reference(s, collection)
    nonzero = 0
    for q in QUESTIONS:
        for name, toks in (("chunk_lex", query_tokens(q)), ("doc_lex", query_tokens(q)),
                           ("doc_big", query_bigrams(q)), ("title_big", query_bigrams(q))):
            mine, theirs = getattr(collection, name), ref[name]
            assert mine.size == theirs.size, name
            a, b = mine.scores(toks), theirs.scores(toks)
            assert np.array_equal(a, b), (name, q)
            weights = {t: 1.0 + i / 10 for i, t in enumerate(dict.fromkeys(toks))}
            assert np.array_equal(mine.scores(toks, weights), theirs.scores(toks, weights)), name
            nonzero += bool(a.any())
    assert nonzero >= 90, "most questions match something in every index"


def test_counted_index_saves_and_loads(collection, tmp_path):
    idx = collection.doc_big
    idx.save(tmp_path / "doc_big")
    loaded = LexicalIndex.load(tmp_path / "doc_big", idx.size)
    for q in QUESTIONS:
        assert np.array_equal(loaded.scores(query_bigrams(q)), idx.scores(query_bigrams(q))), q


def test_empty_units_score_like_bm25s():
    """Units without tokens are bm25s' one-token [""] units; they change the average length, never match."""
    lists = [["社保", "卡", "社保"], [], ["办理", "卡"], []]
    vocab = Vocabulary()
    units = TermCounts(vocab)
    for toks in lists:
        units.add_ids(vocab.encode(toks))
    mine, theirs = LexicalIndex.from_counts(units), LexicalIndex(lists)
    for q in (["社保"], ["卡", "办理"], ["卡", "卡"], ["没有"], [""]):
        assert np.array_equal(mine.scores(q), theirs.scores(q)), q
    assert mine.scores(["卡"])[[1, 3]].tolist() == [0.0, 0.0] and mine.scores(["卡"])[0] > 0
