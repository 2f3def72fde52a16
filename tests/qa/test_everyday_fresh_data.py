"""Checks the fresh everyday-question sets (data/everyday_fresh*.jsonl) against the bundled demo documents.

A fresh set is a check measured once per round and never fitted on, so it is only worth its name if every gold id is
a real demo document, every key fact is really in a gold document (verbatim: the evaluator scores by string match),
unanswerable rows carry no gold, and no question repeats one of the sets the system is tuned on, nor another fresh
set (two checks asking the same question are one check). Each set is checked the same way, by file, qid prefix and
split. (fresh and fresh2 are fitted on since the eleventh round, docs/qa.md Data: their data is still checked here,
as fitted-on data must be right too.)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.qa.conftest import DATA, DEMO, KINDS, check_key_facts, demo_texts, licensed_rows, question_set


@dataclass(frozen=True)
class FreshSet:
    questions: Path
    conversations: Path
    prefix: str  # qids are "<prefix>-NNN", conversation ids "<prefix>-cNN"
    split: str


FRESH_SETS = [
    FreshSet(DATA / "everyday_fresh.jsonl", DATA / "everyday_fresh_conversations.jsonl", "fr", "fresh"),
    FreshSet(DATA / "everyday_fresh2.jsonl", DATA / "everyday_fresh2_conversations.jsonl", "f2", "fresh2"),
    FreshSet(DATA / "everyday_fresh3.jsonl", DATA / "everyday_fresh3_conversations.jsonl", "f3", "fresh3"),
    FreshSet(DATA / "everyday_fresh4.jsonl", DATA / "everyday_fresh4_conversations.jsonl", "f4", "fresh4"),
    FreshSet(DATA / "everyday_fresh5.jsonl", DATA / "everyday_fresh5_conversations.jsonl", "f5", "fresh5"),
    FreshSet(DATA / "everyday_fresh6.jsonl", DATA / "everyday_fresh6_conversations.jsonl", "f6", "fresh6"),
    FreshSet(DATA / "everyday_fresh7.jsonl", DATA / "everyday_fresh7_conversations.jsonl", "f7", "fresh7"),
    FreshSet(DATA / "everyday_fresh8.jsonl", DATA / "everyday_fresh8_conversations.jsonl", "f8", "fresh8"),
    FreshSet(DATA / "everyday_fresh9.jsonl", DATA / "everyday_fresh9_conversations.jsonl", "f9", "fresh9"),
    FreshSet(DATA / "everyday_fresh10.jsonl", DATA / "everyday_fresh10_conversations.jsonl", "f10", "fresh10"),
]
TUNED_ON = [DATA / "everyday.jsonl", DATA / "everyday_team.jsonl"]


@pytest.fixture(scope="module")
def docs() -> dict[str, str]:
    texts = demo_texts()
    assert len(texts) == 160, "the demo corpus should hold 160 documents"
    return texts


@pytest.fixture(scope="module", params=FRESH_SETS, ids=[s.split for s in FRESH_SETS])
def fresh(request: pytest.FixtureRequest) -> FreshSet:
    return request.param


@pytest.fixture(scope="module")
def questions(fresh: FreshSet) -> list[dict]:
    return licensed_rows(fresh.questions)


@pytest.fixture(scope="module")
def conversations(fresh: FreshSet) -> list[dict]:
    return licensed_rows(fresh.conversations)


def test_question_rows_have_the_agreed_shape(fresh: FreshSet, questions: list[dict]) -> None:
    keys = {"qid", "question", "gold", "key_facts", "answerable", "split", "kind"}
    for row in questions:
        assert set(row) == keys, row
        assert re.fullmatch(rf"{fresh.prefix}-\d{{3}}", row["qid"]), row["qid"]
        assert isinstance(row["answerable"], bool) and row["answerable"] == bool(row["gold"]), row["qid"]
        assert row["split"] == fresh.split and row["kind"] in KINDS, row
        assert 4 <= len(row["question"]) <= 60, row["question"]
    assert len({r["qid"] for r in questions}) == len(questions), "qids must be unique"
    assert len({r["question"] for r in questions}) == len(questions), "questions must not repeat"


def test_size_and_proportions(questions: list[dict]) -> None:
    n = len(questions)
    unanswerable = sum(not r["answerable"] for r in questions)
    assert 200 <= n <= 260
    assert 0.2 <= unanswerable / n <= 0.3, "about a quarter should be unanswerable"
    assert len({r["kind"] for r in questions}) >= 8, "question types should vary"
    lengths = [len(r["question"]) for r in questions]
    assert min(lengths) <= 6 and max(lengths) >= 40, "short and rambling questions both belong in the set"


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


def asked_in(path: Path) -> set[str]:
    """Every question a set asks: its rows' questions, or its conversations' turns."""
    _, rows = question_set(path)
    return {r["question"] for r in rows if "question" in r} | {t["question"] for r in rows for t in r.get("turns", [])}


def test_no_question_repeats_a_set_the_system_is_tuned_on(fresh: FreshSet) -> None:
    asked = asked_in(fresh.questions) | asked_in(fresh.conversations)
    others = TUNED_ON + [p for s in FRESH_SETS if s != fresh for p in (s.questions, s.conversations)]
    for path in others:
        if not path.is_file():
            continue
        repeated = sorted(asked & asked_in(path))
        assert not repeated, f"{path.name} already asks {repeated}"


def test_conversations(fresh: FreshSet, conversations: list[dict], docs: dict[str, str]) -> None:
    assert 12 <= len(conversations) <= 20
    assert len({c["cid"] for c in conversations}) == len(conversations)
    topic_changes = 0
    for conv in conversations:
        assert set(conv) == {"cid", "turns", "split"} and conv["split"] == fresh.split, conv
        assert re.fullmatch(rf"{fresh.prefix}-c\d{{2}}", conv["cid"]), conv["cid"]
        turns = conv["turns"]
        assert 2 <= len(turns) <= 4, conv["cid"]
        assert turns[0]["new_topic"] is True, f"{conv['cid']}: the first turn opens a topic"
        topic_changes += any(t["new_topic"] for t in turns[1:])
        for i, turn in enumerate(turns):
            assert set(turn) == {"question", "gold", "key_facts", "new_topic"}, turn
            check_key_facts(f"{conv['cid']} turn {i}", turn["gold"], turn["key_facts"], docs)
    assert 0.35 <= topic_changes / len(conversations) <= 0.65, "about half should change topic"
