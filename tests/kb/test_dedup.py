"""Near-duplicate documents: reposted copies form one group; search shows one hit with "同文另见"."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np

from zhengwu.kb.dedup import _DROP, _SEEDS, NUM_PERM, SHINGLE, THRESHOLD, _mix, jaccard, piece_minima, \
    shingle_hashes, shingles, signature, similarity

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def _demo_text(docid: str) -> dict:
    for name in ("benefit_policies.jsonl", "guangzhou_linyi_service_guides.jsonl"):
        for line in (DEMO / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["id"] == docid:
                return row
    raise KeyError(docid)


def _repost(text: str) -> str:
    """What a second site makes of a notice: its own header and footer, the body unchanged."""
    return "转载自某区人民政府网站 发布时间：2025-12-10 浏览次数：12\n" + text + "\n【打印本页】【关闭窗口】\n"


def test_signature_estimates_shingle_jaccard_on_real_text():
    a = _demo_text("gz-policy-09")["full_text"]
    b = _repost(a)
    c = _demo_text("gz-policy-19")["full_text"]
    exact = jaccard(shingles(a), shingles(b))
    assert exact >= THRESHOLD
    assert abs(similarity(signature(a), signature(b)) - exact) < 0.1
    assert similarity(signature(a), signature(c)) < 0.3  # two different 社保 texts stay apart
    assert similarity(signature(a), signature(a)) == 1.0


def test_reposted_copies_are_grouped_and_search_shows_one_with_its_sources(zw_env, tmp_path):
    from zhengwu.context import Caller
    from zhengwu.kb.ingest import ingest_paths
    from zhengwu.kb.models import Document
    from zhengwu.kb.search import clear_indexes, search
    from zhengwu.store.db import session_scope

    orig = _demo_text("gz-policy-09")
    other = _demo_text("gz-policy-19")
    rows = [
        {"docid": "orig", "title": orig["title"], "text": orig["full_text"]},
        {"docid": "copy", "title": "（转载）" + orig["title"], "text": _repost(orig["full_text"])},
        {"docid": "other", "title": other["title"], "text": other["full_text"]},
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    caller = Caller(user="t", department="default", role="admin")
    clear_indexes()
    rep = ingest_paths([path], kb="dups", caller=caller, progress=False, embed=False)
    assert not rep.failed and rep.added == 3
    with session_scope() as s:
        docs = {d.external_id: d for d in s.query(Document).all()}
        assert docs["orig"].dup_group is not None and docs["orig"].dup_group == docs["copy"].dup_group
        assert docs["other"].dup_group is None
        hits = search(s, caller, "生育津贴怎么申请", kb="dups", k=5)
    ids = [h.external_id for h in hits]
    assert len({"orig", "copy"} & set(ids)) == 1  # one hit for the group ...
    h = next(h for h in hits if h.external_id in ("orig", "copy"))
    assert [a["docid"] for a in h.also_in] == [({"orig", "copy"} - {h.external_id}).pop()]  # ... naming the other
    assert h.also_in[0]["title"] and h.also_in[0]["source"] and h.also_in[0]["validity"] == "effective"
    assert "also_in" in h.to_dict()


def test_two_versions_of_a_law_are_not_copies(zw_env, tmp_path):
    """Nearly the same text but a different validity: an old version, not a repost."""
    from zhengwu.context import Caller
    from zhengwu.kb.ingest import ingest_paths
    from zhengwu.kb.models import Document
    from zhengwu.kb.search import clear_indexes
    from zhengwu.store.db import session_scope

    text = _demo_text("gz-policy-19")["full_text"]
    rows = [{"docid": "v1", "title": "条例", "text": text, "status": "已修改"},
            {"docid": "v2", "title": "条例", "text": text.replace("2250", "2350"), "status": "有效"}]
    path = tmp_path / "laws.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    clear_indexes()
    ingest_paths([path], kb="laws", caller=Caller(user="t", department="default", role="admin"), progress=False,
                 embed=False)
    with session_scope() as s:
        assert {d.external_id: d.dup_group for d in s.query(Document).all()} == {"v1": None, "v2": None}


def _minima_of_string_set(piece: str) -> np.ndarray:
    """The minima as they were computed before: a set of shingle strings, each encoded and hashed."""
    sh = {piece} if len(piece) <= SHINGLE else {piece[i:i + SHINGLE] for i in range(len(piece) - SHINGLE + 1)}
    h = np.array(sorted(zlib.crc32(s.encode()) for s in sh), dtype=np.uint64)
    with np.errstate(over="ignore"):
        return _mix(_mix(h)[None, :] ^ _SEEDS[:, None]).min(axis=1).reshape(NUM_PERM)


def test_vectorised_shingle_hashes_give_the_same_minima_on_real_text():
    """The windows' CRCs computed by numpy (dedup.shingle_hashes) are zlib's, and the minima those of the set
    of shingle strings, so stored signatures stay comparable with the ones computed before."""
    texts = [_demo_text(d)["full_text"] for d in ("gz-policy-09", "gz-policy-19")]
    texts += ["é中𠀀\u0800\u07ff\x7fabc\uffff" * 4, "一二三", "一二三四五", "ab"]  # 1- to 4-byte UTF-8, short pieces
    for text in texts:
        piece = _DROP.sub("", text)
        if len(piece) > 5:
            assert shingle_hashes(piece).tolist() == [zlib.crc32(piece[i:i + 5].encode())
                                                      for i in range(len(piece) - 4)]
        assert np.array_equal(piece_minima(piece), _minima_of_string_set(piece)), text[:20]
