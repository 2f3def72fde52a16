"""Checks the independent everyday-question set (data/everyday_team*.jsonl) against the bundled demo documents.

The set is only worth measuring with if every gold id is a real demo document, every key fact is really in a gold
document (verbatim, so that a right answer can be scored by string match), unanswerable rows carry no gold, and no
document has questions in both splits (a system tuned on `train` must meet `holdout` documents fresh).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"
DATA = Path(__file__).resolve().parent / "data"
QUESTIONS = DATA / "everyday_team.jsonl"
CONVERSATIONS = DATA / "everyday_team_conversations.jsonl"

KINDS = {"materials", "procedure", "time", "amount", "condition", "place", "contact", "yesno", "other"}
SPLITS = {"train", "holdout"}
# provenance fields of the demo records: not text a citizen's answer could come from
META_FIELDS = {"id", "url", "index_number", "source_url", "source_url_origin", "source_repo", "source_path",
               "source_commit", "source_platform", "retrieved_approx", "record_format", "duplicate_paths",
               "eligibility_excerpts_method", "implementing_agency_note"}


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _demo_texts() -> dict[str, str]:
    texts = {}
    for path in sorted(DEMO.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts[record["id"]] = "\n".join(s for k, v in record.items() if k not in META_FIELDS for s in _strings(v))
    return texts


def _rows(path: Path) -> tuple[dict, list[dict]]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[0], lines[1:]


@pytest.fixture(scope="module")
def docs() -> dict[str, str]:
    texts = _demo_texts()
    assert len(texts) == 160, "the demo corpus should hold 160 documents"
    return texts


@pytest.fixture(scope="module")
def questions() -> list[dict]:
    notice, rows = _rows(QUESTIONS)
    assert set(notice) == {"notice"} and "licence" in notice["notice"].lower()
    return rows


@pytest.fixture(scope="module")
def conversations() -> list[dict]:
    notice, rows = _rows(CONVERSATIONS)
    assert set(notice) == {"notice"} and "licence" in notice["notice"].lower()
    return rows


def _check_facts(where: str, gold: list[str], facts: list[str], docs: dict[str, str]) -> None:
    assert gold and len(set(gold)) == len(gold), f"{where}: gold must be non-empty and without repeats"
    unknown = [g for g in gold if g not in docs]
    assert not unknown, f"{where}: unknown demo ids {unknown}"
    assert 1 <= len(facts) <= 3, f"{where}: 1-3 key facts"
    for fact in facts:
        for alternative in fact.split("|"):
            assert 2 <= len(alternative) <= 12, f"{where}: key fact {alternative!r} should be 2-12 characters"
            assert any(alternative in docs[g] for g in gold), f"{where}: {alternative!r} is in no gold document"


def test_question_rows_have_the_agreed_shape(questions: list[dict]) -> None:
    keys = {"qid", "question", "gold", "key_facts", "answerable", "split", "kind"}
    for row in questions:
        assert set(row) == keys, row
        assert re.fullmatch(r"tm-\d{3}", row["qid"]), row["qid"]
        assert isinstance(row["answerable"], bool)
        assert row["split"] in SPLITS and row["kind"] in KINDS, row
        assert 4 <= len(row["question"]) <= 60, row["question"]
    assert len({r["qid"] for r in questions}) == len(questions), "qids must be unique"
    assert len({r["question"] for r in questions}) == len(questions), "questions must not repeat"


def test_size_and_proportions(questions: list[dict]) -> None:
    n = len(questions)
    unanswerable = [r for r in questions if not r["answerable"]]
    assert 200 <= n <= 260
    assert 0.2 <= len(unanswerable) / n <= 0.3, "about a quarter should be unanswerable"
    for group in ([r for r in questions if r["answerable"]], unanswerable):
        holdout = sum(r["split"] == "holdout" for r in group) / len(group)
        assert 0.35 <= holdout <= 0.45, "about 60 % train, 40 % holdout"
    assert len({r["kind"] for r in questions}) >= 8, "question types should vary"


def test_gold_ids_exist_and_key_facts_are_verbatim(questions: list[dict], docs: dict[str, str]) -> None:
    for row in questions:
        if row["answerable"]:
            _check_facts(row["qid"], row["gold"], row["key_facts"], docs)


def test_unanswerable_rows_carry_no_gold(questions: list[dict]) -> None:
    for row in questions:
        if not row["answerable"]:
            assert row["gold"] == [] and row["key_facts"] == [], row["qid"]


def test_topics_from_all_three_demo_files(questions: list[dict]) -> None:
    cited = {g for r in questions for g in r["gold"]}
    for path in DEMO.glob("*.jsonl"):
        ids = {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()}
        assert len(cited & ids) >= 5, f"too few questions on {path.name}"


def _doc_splits(questions: list[dict]) -> dict[str, str]:
    seen: dict[str, str] = {}
    for row in questions:
        for g in row["gold"]:
            assert seen.setdefault(g, row["split"]) == row["split"], f"{g} has questions in both splits"
    return seen


def test_splits_are_disjoint_by_gold_document(questions: list[dict]) -> None:
    seen = _doc_splits(questions)
    assert set(seen.values()) == SPLITS


def test_conversations(conversations: list[dict], questions: list[dict], docs: dict[str, str]) -> None:
    doc_split = _doc_splits(questions)
    assert 12 <= len(conversations) <= 20
    assert len({c["cid"] for c in conversations}) == len(conversations)
    topic_changes = 0
    for conv in conversations:
        assert set(conv) == {"cid", "turns", "split"} and conv["split"] in SPLITS, conv
        turns = conv["turns"]
        assert 2 <= len(turns) <= 4, conv["cid"]
        assert turns[0]["new_topic"] is True, f"{conv['cid']}: the first turn opens a topic"
        topic_changes += any(t["new_topic"] for t in turns[1:])
        for i, turn in enumerate(turns):
            assert set(turn) == {"question", "gold", "key_facts", "new_topic"}, turn
            _check_facts(f"{conv['cid']} turn {i}", turn["gold"], turn["key_facts"], docs)
            for g in turn["gold"]:
                assert doc_split.get(g, conv["split"]) == conv["split"], f"{conv['cid']}: {g} is in the other split"
    assert 0.35 <= topic_changes / len(conversations) <= 0.65, "about half should change topic"
