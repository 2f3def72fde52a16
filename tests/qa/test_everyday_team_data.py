"""Checks the independent everyday-question set (data/everyday_team*.jsonl) against the bundled demo documents.

The set is only worth measuring with if every gold id is a real demo document, every key fact is really in a gold
document (verbatim, so that a right answer can be scored by string match), unanswerable rows carry no gold, and no
document has questions in both splits (a system tuned on `train` must meet `holdout` documents fresh).
"""

from __future__ import annotations

import json
import re

import pytest

from tests.qa.conftest import DATA, DEMO, KINDS, check_key_facts, demo_texts, licensed_rows

QUESTIONS = DATA / "everyday_team.jsonl"
CONVERSATIONS = DATA / "everyday_team_conversations.jsonl"

SPLITS = {"train", "holdout"}


@pytest.fixture(scope="module")
def docs() -> dict[str, str]:
    texts = demo_texts()
    assert len(texts) == 160, "the demo corpus should hold 160 documents"
    return texts


@pytest.fixture(scope="module")
def questions() -> list[dict]:
    return licensed_rows(QUESTIONS)


@pytest.fixture(scope="module")
def conversations() -> list[dict]:
    return licensed_rows(CONVERSATIONS)


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
            check_key_facts(row["qid"], row["gold"], row["key_facts"], docs)


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
            check_key_facts(f"{conv['cid']} turn {i}", turn["gold"], turn["key_facts"], docs)
            for g in turn["gold"]:
                assert doc_split.get(g, conv["split"]) == conv["split"], f"{conv['cid']}: {g} is in the other split"
    assert 0.35 <= topic_changes / len(conversations) <= 0.65, "about half should change topic"
