"""Checks the project's own follow-up conversations (data/everyday_own_conversations.jsonl, and those of the
thirteenth to seventeenth rounds, data/everyday_own13_conversations.jsonl, everyday_own14_conversations.jsonl,
everyday_own15_conversations.jsonl, everyday_own16_conversations.jsonl and everyday_own17_conversations.jsonl) against
the demo texts.

They measure the conversation path: a gold id must be a real demo document and a key fact verbatim in one (the
evaluator scores by string match), and a turn no document answers carries neither gold nor key facts.
"""

from __future__ import annotations

import pytest

from tests.qa.conftest import DATA, check_key_facts, demo_texts, licensed_rows


# (file, split, at least: unanswerable turns, topic changes, follow-ups[, conversations]); the fourteenth round's set
# is of follow-ups asking one detail and returns, the fifteenth's of yes-or-no follow-ups (eight conversations, one
# topic change), the sixteenth's of corrections, "more of the same" and conditions (eight conversations), the
# seventeenth's of details the previous document holds (post, the other party, the asker's own place), another person
# and a return (eight conversations), not of unanswerable turns
@pytest.mark.parametrize("name,split,least", [("everyday_own_conversations.jsonl", "own", (2, 8, 15)),
                                              ("everyday_own13_conversations.jsonl", "own13", (2, 8, 15)),
                                              ("everyday_own14_conversations.jsonl", "own14", (0, 6, 15)),
                                              ("everyday_own15_conversations.jsonl", "own15", (0, 1, 18, 8)),
                                              ("everyday_own16_conversations.jsonl", "own16", (0, 2, 13, 8)),
                                              ("everyday_own17_conversations.jsonl", "own17", (0, 1, 15, 8))])
def test_own_conversations_against_the_demo_texts(name: str, split: str, least: tuple[int, ...]) -> None:
    docs = demo_texts()
    convs = licensed_rows(DATA / name)
    assert len({c["cid"] for c in convs}) == len(convs) >= (least[3] if len(least) > 3 else 10)
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
    assert unanswerable >= least[0] and changes >= least[1] and followups >= least[2]
