"""A very long document (laws concatenated into one text file, as the 10 MB load test uploads) is answered from
the part around its search hit, not read whole: every sentence handed to the answer ranker is scored, and the
whole 10 MB text took minutes per question (issue 15). Real laws from the shared corpus."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.qa.conftest import caller, ingest
from zhengwu.qa import evidence
from zhengwu.qa.answer import ask

LAWS = Path(os.environ.get("ZHENGWU_SHARED", "/work/shared")) / "corpus" / "laws" / "laws.jsonl"


@pytest.fixture
def long_doc(zw_env, tmp_path):
    if not LAWS.exists():
        pytest.skip(f"the shared corpus of laws is missing: {LAWS}")
    text, titles = [], []
    with LAWS.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            text.append(f"{row['title']}\n\n{row['text']}\n\n")
            titles.append(row["title"])
            if sum(map(len, text)) > 400_000:
                break
    path = tmp_path / "laws.txt"
    path.write_text("".join(text), encoding="utf-8")
    ingest(path)
    return titles, len(path.read_text(encoding="utf-8"))


def test_a_long_document_is_read_around_its_hit(long_doc):
    from zhengwu.kb.models import Chunk
    from zhengwu.store.db import session_scope

    titles, whole = long_doc
    question = f"{titles[-1]}的立法目的是什么"
    with session_scope() as s:
        ev = evidence.answer_inputs(s, caller(), question)
        assert ev.cands, "the long document is found"
        hit = ev.cands[0]
        n = s.query(Chunk).filter(Chunk.document_id == hit.document_id).count()
        assert n > evidence.LONG_DOCUMENT_CHUNKS, "the text is long enough to be cut"
        text = ev.texts[hit.document_id][0]
        hit_text = s.get(Chunk, hit.chunk_id).text
    assert hit_text in text, "the passage search found is in what the ranker reads"
    assert len(text) < whole / 3, "not the whole document"
    t = time.perf_counter()
    a = ask(question, caller=caller(), kb="demo")
    assert time.perf_counter() - t < 30 and a.reply_kind in ("answer", "no_basis")
