"""Incremental index updates (issue 15): after any sequence of adds, replacements and deletions, the updated
collection equals a full rebuild — same documents and chunks in the same positions, the same scores in all four
BM25 indexes for real questions, the same search results — without the full build ever running; the vectors
follow; a damaged or old-format saved index is detected and rebuilt in full.

Real documents: the bundled demo corpus (Guangzhou/Linyi service guides and State Council documents) through the
real ingestion path into the test's own store (SQLite, or PostgreSQL in the suite's PostgreSQL pass); real
questions: the dev split of tests/qa/data/everyday.jsonl.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, insert, select

from tests.conftest import ROOT
from zhengwu.context import Caller
from zhengwu.kb import delta, index_files
from zhengwu.kb import search as search_mod
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.lexical import LexicalIndex, TermCounts, Vocabulary
from zhengwu.kb.manage import delete_document, readable_kbs
from zhengwu.kb.models import Chunk, ChunkVector, Document
from zhengwu.kb.search import clear_indexes, get_collection, rank
from zhengwu.kb.tokenize import query_bigrams, query_tokens
from zhengwu.store.db import session_scope

DEMO = ROOT / "data" / "demo"
CALLER = Caller(user="indexer", department="gz-zwfw", role="officer")
GUIDES = [json.loads(x) for x in (DEMO / "guangzhou_linyi_service_guides.jsonl").open(encoding="utf-8")]
COUNCIL = [json.loads(x) for x in (DEMO / "state_council_2018_2019.jsonl").open(encoding="utf-8")]
QUESTIONS = [r["question"] for r in map(json.loads, (ROOT / "tests/qa/data/everyday.jsonl").open(encoding="utf-8"))
             if r.get("split") == "dev"]
REAL_BUILD = search_mod.Collection.build.__func__
ARRAYS = ("doc_ids", "chunk_ids", "chunk_doc", "chunk_kb", "seg_start", "doc_span")
LEXICAL = ("chunk_lex", "doc_lex", "doc_big", "title_big")


def _ingest(tmp: Path, rows: list[dict], name: str) -> int:
    """Ingest the records as the file `name`.jsonl -> how many replaced a stored one (same file, same id)."""
    f = tmp / f"{name}.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    report = ingest_paths([f], kb="policies", caller=CALLER)
    assert report.added + report.replaced == len(rows)
    return report.replaced


def _collection():
    with session_scope() as s:
        return get_collection(s, readable_kbs(s, CALLER))


def _full_build():
    with session_scope() as s:
        kbs = readable_kbs(s, CALLER)
        return REAL_BUILD(search_mod.Collection, s, tuple(sorted((k.id, k.version) for k in kbs)))


def _no_build(*_a, **_k):
    raise AssertionError("the collection was rebuilt in full instead of updated")


def _assert_same(updated, full) -> None:
    """Positions, metadata, every index's scores for every question (bit for bit), ranking and hits."""
    assert updated.kb_versions == full.kb_versions
    for name in ARRAYS:
        assert np.array_equal(getattr(updated, name), getattr(full, name)), name
    assert list(updated.doc_type) == list(full.doc_type) and list(updated.doc_validity) == list(full.doc_validity)
    assert updated.token_memo == full.token_memo, "the cuts of titles and headings in use, no more"
    for name in LEXICAL:
        a, b = getattr(updated, name), getattr(full, name)
        assert a.size == b.size and set(a._bm25.vocab_dict) == set(b._bm25.vocab_dict), name
    matched = 0
    with session_scope() as s:
        for q in QUESTIONS:
            for name, toks in (("chunk_lex", query_tokens(q)), ("doc_lex", query_tokens(q)),
                               ("doc_big", query_bigrams(q)), ("title_big", query_bigrams(q))):
                a, b = getattr(updated, name).scores(toks), getattr(full, name).scores(toks)
                assert np.array_equal(a, b), (name, q)
            ra, rb = rank(updated, s, q, mode="lexical"), rank(full, s, q, mode="lexical")
            ta, tb = ra.top_docs(8), rb.top_docs(8)
            assert np.array_equal(ta, tb) and np.array_equal(ra.total[ta], rb.total[tb]), q
            assert [updated.best_chunk(int(d), ra.chunk_score) for d in ta] == \
                [full.best_chunk(int(d), rb.chunk_score) for d in tb], q
            matched += bool(len(ta))
    assert matched >= len(QUESTIONS) * 0.8, "most questions find something: the comparison is not vacuous"


@pytest.fixture
def stocked(zw_env, tmp_path):
    clear_indexes()
    _ingest(tmp_path, GUIDES[:20] + COUNCIL[:6], "first")
    yield tmp_path
    clear_indexes()


def test_adds_replacements_and_deletions_equal_a_full_rebuild(stocked, monkeypatch):
    assert len(QUESTIONS) >= 40
    first = _collection()
    assert first.updatable and len(first.chunk_ids) > 100
    monkeypatch.setattr(search_mod.Collection, "build", classmethod(_no_build))
    steps = 0

    def check() -> None:
        nonlocal steps
        updated = _collection()
        assert updated.updatable
        _assert_same(updated, _full_build())
        steps += 1

    _ingest(stocked, GUIDES[20:26], "second")  # added: the ingesting process updates and saves
    check()
    with session_scope() as s:  # deleted: one in the middle, and the one with the largest id (SQLite reuses it)
        ids = list(s.scalars(select(Document.id).order_by(Document.id)))
        for did in (ids[3], ids[-1]):
            delete_document(s, CALLER, "policies", did)
    check()  # the server finds its index stale and updates it
    _ingest(stocked, COUNCIL[6:9], "third")  # may reuse the deleted largest ids
    check()
    # replaced: the same record without its last materials (same document id, new chunks, fewer of them)
    guide = next(g for g in GUIDES[:20] if len(g.get("materials") or []) >= 3)
    with session_scope() as s:
        n_before = s.scalar(select(func.count(Chunk.id)))
    assert _ingest(stocked, [dict(guide, materials=guide["materials"][:1])], "first") == 1
    with session_scope() as s:
        assert s.scalar(select(func.count(Chunk.id))) < n_before
    check()
    with session_scope() as s:  # every document of one kind gone, others added in the same change
        for did in list(s.scalars(select(Document.id).where(Document.source.like("%second%")))):
            delete_document(s, CALLER, "policies", did)
    _ingest(stocked, GUIDES[26:28], "fourth")
    check()
    assert steps == 5


def test_an_update_reads_only_the_changed_documents(stocked, monkeypatch):
    _collection()
    seen: list[int] = []
    real = delta.unit_counts

    def counting(session, docs, memo):  # noqa: ANN001, ANN202
        seen.extend(d for d, _ in docs)
        return real(session, docs, memo)

    monkeypatch.setattr(delta, "unit_counts", counting)
    monkeypatch.setattr(search_mod.Collection, "build", classmethod(_no_build))
    _ingest(stocked, GUIDES[30:31], "one")
    with session_scope() as s:
        newest = s.scalar(select(Document.id).order_by(Document.id.desc()).limit(1))
    assert seen == [newest], "only the new document's chunks were read"
    assert _collection().n_docs == 27


def test_the_updated_index_is_saved_and_loads_in_a_fresh_process(stocked, monkeypatch):
    _collection()
    monkeypatch.setattr(search_mod.Collection, "build", classmethod(_no_build))
    _ingest(stocked, GUIDES[20:22], "second")
    updated = _collection()
    clear_indexes()  # a fresh process: from the saved files, checksums verified
    loaded = _collection()
    assert loaded is not updated and loaded.updatable
    _assert_same(loaded, _full_build())


@pytest.mark.parametrize("damage", ["counts", "old format"])
def test_a_damaged_or_old_format_index_is_rebuilt_in_full(stocked, monkeypatch, caplog, damage):
    old = _collection()
    path = index_files.index_root() / index_files.dir_name(old.kb_versions)
    if damage == "counts":  # a flipped byte in the term counts: the manifest's checksum catches it
        f = path / "chunk_lex" / "counts.npy"
        data = bytearray(f.read_bytes())
        data[-3] ^= 0xFF
        f.write_bytes(bytes(data))
    else:  # saved by the code before incremental updates (format 1: no term counts, no stamps)
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        manifest["format"] = 1
        (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    clear_indexes()
    builds: list[int] = []
    monkeypatch.setattr(search_mod.Collection, "build",
                        classmethod(lambda cls, *a, **k: builds.append(1) or REAL_BUILD(cls, *a, **k)))
    _ingest(stocked, GUIDES[20:21], "second")
    assert builds == [1], "rebuilt in full once, by the ingesting process"
    clear_indexes()
    new = _collection()
    assert new.updatable and builds == [1], "the rebuilt index was saved whole and loads"
    _assert_same(new, _full_build())
    if damage == "counts":
        assert "checksum" in caplog.text


def test_a_collection_without_stamps_is_rebuilt_not_updated(stocked, monkeypatch):
    """Stamps are what an update trusts to skip a document: without them it never guesses."""
    old = _collection()
    old.doc_stamp = None
    assert not old.updatable
    with session_scope() as s:
        assert delta.update(s, old, old.kb_versions) is None


def test_vectors_follow_and_only_new_ones_are_read(stocked, monkeypatch):
    """The update carries the loaded vectors over; the new chunks' vectors are read, the others are not."""
    def store_vectors(model: str) -> None:
        with session_scope() as s:
            have = set(s.scalars(select(ChunkVector.chunk_id)))
            rows = s.execute(select(Chunk.id, Chunk.kb_id).where(Chunk.id.not_in(have))).all()
            rng = np.random.default_rng(7)
            s.execute(insert(ChunkVector), [{"chunk_id": c, "kb_id": k, "model": model,
                                             "vector": rng.standard_normal(16).astype(np.float32).tobytes()}
                                            for c, k in rows])

    store_vectors("m")
    col = _collection()
    with session_scope() as s:
        before = col.dense_matrix(s, "m")
    assert before is not None and before.shape == (len(col.chunk_ids), 16)
    monkeypatch.setattr(search_mod.Collection, "build", classmethod(_no_build))
    _ingest(stocked, GUIDES[20:23], "second")
    store_vectors("m")
    read: list[int] = []
    real_exec = search_mod.dense.load_matrix

    def spy(session, kb_ids, model, chunk_pos, *, prior=None):  # noqa: ANN001, ANN202
        read.append(0 if prior is None else int((~prior[1]).sum()))
        return real_exec(session, kb_ids, model, chunk_pos, prior=prior)

    monkeypatch.setattr(search_mod.dense, "load_matrix", spy)
    new = _collection()
    with session_scope() as s:
        after = new.dense_matrix(s, "m")
        fresh = real_exec(s, [k for k, _ in new.kb_versions], "m", new.chunk_pos)
    assert read == [len(new.chunk_ids) - len(col.chunk_ids)] and read[0] > 0
    assert np.array_equal(after, fresh)


def test_updated_lexical_index_equals_from_counts_on_edge_cases(tmp_path):
    """Units without tokens, a term no unit keeps, every unit replaced, counts beyond 8 and 16 bits, an empty index
    filled."""
    lists = [["社保", "卡", "社保"], [], ["办理", "卡"], ["临沂", "户口"]]

    def counted(token_lists: list[list[str]]) -> TermCounts:
        units = TermCounts(Vocabulary())
        for toks in token_lists:
            units.add_ids(units.vocab.encode(toks))
        return units

    old = LexicalIndex.from_counts(counted(lists), k1=0.9, b=0.3)
    cases = [  # (kept old positions -> new positions, added lists at positions, the lists after)
        ([0, -1, 1, -1], [["户口", "迁移"], []], [2, 3], [lists[0], lists[2], ["户口", "迁移"], []]),
        ([-1, -1, -1, -1], [["卡"]], [0], [["卡"]]),
        ([1, 2, 3, 4], [["新", "卡"]], [0], [["新", "卡"], *lists]),
    ]
    for keep, added, rows, after in cases:
        up = old.updated(np.array(keep), np.array(rows), counted(added), len(after), k1=0.9, b=0.3)
        ref = LexicalIndex.from_counts(counted(after), k1=0.9, b=0.3)
        assert set(up._bm25.vocab_dict) == set(ref._bm25.vocab_dict)
        for q in (["社保"], ["卡", "办理"], ["户口"], ["迁移", "卡", "卡"], ["新"], ["没有"]):
            assert np.array_equal(up.scores(q), ref.scores(q)), (after, q)
    # counts are saved in the smallest type that holds them: one above uint8's range survives a save and an update
    many = [["卡"] * 300 + ["社保"], ["社保", "办理"]]
    saved = LexicalIndex.from_counts(counted(many))
    saved.save(tmp_path / "many")
    loaded = LexicalIndex.load(tmp_path / "many", 2)
    assert loaded.counts.dtype == np.uint16 and int(loaded.counts.max()) == 300
    up = loaded.updated(np.array([0, 1]), np.array([2]), counted([["卡"] * 70000]), 3)
    ref = LexicalIndex.from_counts(counted([*many, ["卡"] * 70000]))
    for q in (["卡"], ["社保"], ["办理", "卡"]):
        assert np.array_equal(up.scores(q), ref.scores(q)), q
    empty = LexicalIndex.from_counts(counted([]))
    up = empty.updated(np.zeros(0, dtype=np.int64), np.array([0, 1]), counted(lists[:2]), 2)
    assert np.array_equal(up.scores(["社保"]), LexicalIndex.from_counts(counted(lists[:2])).scores(["社保"]))


_UPDATE = """
import sys
from zhengwu.kb import search
real = search._build_and_save
search._build_and_save = lambda *a: print("updated", flush=True) or real(*a)
print(search.save_index_after_ingest(int(sys.argv[1])), flush=True)
"""


def test_two_processes_updating_at_once_update_once(stocked, monkeypatch):
    """Two processes apply the same change at once (two ingestions' ends, or a CLI command and a server): the
    build lock lets one update and save; the other waits, finds the saved index and leaves it."""
    import zhengwu.kb.ingest as ingest_mod

    _collection()
    with monkeypatch.context() as m:  # a change no process has applied yet
        m.setattr(ingest_mod, "save_index_after_ingest", lambda _kb_id: [])
        _ingest(stocked, GUIDES[20:24], "second")
    with session_scope() as s:
        kb_id = readable_kbs(s, CALLER)[0].id
    procs = [subprocess.Popen([sys.executable, "-c", _UPDATE, str(kb_id)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]
    assert sum(o.count("updated") for o, _ in outs) == 1, "one process updated, the other loaded its work"
    assert outs[0][0].splitlines()[-1] == outs[1][0].splitlines()[-1], "both report the same saved index"
    clear_indexes()
    monkeypatch.setattr(search_mod.Collection, "build", classmethod(_no_build))
    loaded = _collection()
    assert loaded.n_docs == 30 and loaded.updatable
    _assert_same(loaded, _full_build())
    saved = [p.name for p in index_files.index_root().iterdir() if "@" in p.name]
    assert saved == [index_files.dir_name(loaded.kb_versions)]
