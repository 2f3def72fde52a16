"""Ingestion speed work (issue 15) keeps its results: the accelerated tokeniser cuts as jieba does, the MinHash of
a large text computed in blocks is the same signature, and a large text goes in whole."""

from __future__ import annotations

import json
import logging
import zlib

import jieba
import numpy as np
from sqlalchemy import func, select

from tests.kb.conftest import DEMO
from zhengwu.kb import dedup
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.models import Chunk, Document
from zhengwu.kb.tokenize import _PUNCT_ONLY, _normalise, index_tokens
from zhengwu.store import session_scope


def _demo_texts() -> list[str]:
    return [json.loads(line)["text"] for line in DEMO.open(encoding="utf-8")]


def test_index_tokens_are_jiebas_own_cuts():
    jieba.setLogLevel(logging.WARNING)
    paragraphs = [p for t in _demo_texts()[:60] for p in t.split("\n") if p.strip()]
    assert len(paragraphs) > 500
    same = sum(index_tokens(p) == [t for t in jieba.cut_for_search(_normalise(p))
                                   if t.strip() and not _PUNCT_ONLY.match(t)] for p in paragraphs)
    # documents indexed before the change and queries cut after it must meet: (nearly) every paragraph alike
    assert same / len(paragraphs) >= 0.995, (same, len(paragraphs))


def test_minhash_in_blocks_is_the_whole_text_signature():
    text = "\n".join(_demo_texts())  # several hundred thousand characters: many blocks
    sh = dedup.shingles(text)
    assert len(sh) > 10 * dedup._BLOCK
    h = np.fromiter((zlib.crc32(s.encode("utf-8")) for s in sh), dtype=np.uint64, count=len(sh))
    with np.errstate(over="ignore"):
        whole = (dedup._mix(dedup._mix(h)[None, :] ^ dedup._SEEDS[:, None]).min(axis=1) >> np.uint64(32))
    assert np.array_equal(dedup.signature(text), whole.astype(np.uint32))


def test_a_large_text_goes_in_whole_and_is_found(zw_env, caller, tmp_path):
    big = tmp_path / "汇编.txt"
    texts = _demo_texts()
    big.write_text("\n\n".join(texts), encoding="utf-8")
    rep = ingest_paths([big], kb="big", caller=caller)
    assert (rep.added, rep.failed) == (1, [])
    assert rep.chars == len(big.read_text(encoding="utf-8"))
    with session_scope() as s:
        assert s.scalar(select(func.count(Document.id))) == 1
        chunks = s.scalars(select(Chunk.text).order_by(Chunk.ordinal)).all()
    assert len(chunks) > 300
    stored = "".join(chunks)
    for t in texts[::25]:  # every part of the text is in some chunk: nothing lost in the one big write
        line = next(x for x in t.split("\n") if len(x.strip()) > 20).strip()
        assert line[:20] in stored, line
