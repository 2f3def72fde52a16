"""Checks the project's own follow-up conversations (data/everyday_own_conversations.jsonl, and those of the
thirteenth round, data/everyday_own13_conversations.jsonl) against the demo texts.

They measure the conversation path: a gold id must be a real demo document and a key fact verbatim in one (the
evaluator scores by string match), and a turn no document answers carries neither gold nor key facts.
"""

from __future__ import annotations

import pytest

from tests.qa.conftest import DATA, check_key_facts, demo_texts, licensed_rows


@pytest.mark.parametrize("name,split", [("everyday_own_conversations.jsonl", "own"),
                                        ("everyday_own13_conversations.jsonl", "own13")])
def test_own_conversations_against_the_demo_texts(name: str, split: str) -> None:
    docs = demo_texts()
    convs = licensed_rows(DATA / name)
    assert len({c["cid"] for c in convs}) == len(convs) >= 10
    unanswerable = changes = followups = 0
    for conv in convs:
        assert set(conv) == {"cid", "turns", "split"} and conv["split"] == split, conv
        turns = conv["turns"]
        assert turns[0]["new_topic"] is True and turns[0]["gold"], f"{conv['cid']}: the first turn opens a topic"
        for i, turn in enumerate(turns):
            assert set(turn) == {"question", "gold", "key_facts", "new_topic"}, turn
            if not turn["gold"]:
                assert i > 0 and not turn["key_facts"], f"{conv['cid']} turn {i}: an unanswerable turn has no facts"
                unanswerable += 1
                continue
            if turn["key_facts"]:
                check_key_facts(f"{conv['cid']} turn {i}", turn["gold"], turn["key_facts"], docs)
            else:
                assert all(g in docs for g in turn["gold"]), turn["gold"]
            changes += i > 0 and turn["new_topic"]
            followups += i > 0 and not turn["new_topic"]
    assert unanswerable >= 2 and changes >= 8 and followups >= 15
