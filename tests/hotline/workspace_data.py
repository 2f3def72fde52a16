"""Real inputs for the workspace tests: citizen messages from the evaluation set (read at run time, never copied
into the repository; tests skip when it is missing) and the real government documents of tests/qa/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EVAL

MESSAGES = EVAL / "citizen_messages"
REAL_DOCS = Path(__file__).resolve().parent.parent / "qa" / "data" / "real_docs.jsonl"
SOCIAL_CARD_MSG = 8648  # labeled.dev: "A市民没有社保只有城镇居民医疗保险怎么办理社保卡"
# the contact details a caller gives on the phone (the eval messages are anonymised: these are the test's own)
CALLER_NAME, CALLER_PHONE = "王建国", "13912345678"


def eval_rows(name: str) -> list[dict]:
    path = MESSAGES / name
    if not path.exists():
        pytest.skip(f"evaluation data missing: {path} (set ZHENGWU_SHARED to the shared folder)")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def message(msg_id: int) -> dict:
    for row in eval_rows("labeled.dev.jsonl"):
        if row["msg_id"] == msg_id:
            return row
    pytest.skip(f"message {msg_id} not in labeled.dev.jsonl")


def transcript(msg: dict) -> str:
    """A call transcript made from a real message: the agent's opening, the caller's name and number, the message."""
    return (f"坐席：您好，12345政务服务便民热线，请问有什么可以帮您？\n"
            f"市民：你好，我叫{CALLER_NAME}，电话{CALLER_PHONE}。{msg['text']}\n"
            f"坐席：好的，您反映的情况我们已记录。")


def ingest_real_docs(department: str = "default") -> None:
    from zhengwu.context import Caller
    from zhengwu.kb.ingest import ingest_paths
    from zhengwu.kb.search import clear_indexes

    clear_indexes()
    rep = ingest_paths([REAL_DOCS], kb="demo", caller=Caller("tester", department, "admin"), progress=False)
    assert not rep.failed, rep.failed
