"""With a generative model configured, an unsure suggestion asks it (through the gateway) to pick a candidate:
against a small OpenAI-compatible HTTP server on 127.0.0.1 returning a fixed reply (a protocol-boundary double,
no model is installed here). Checks what is sent (masked, no contact data), how the reply is used, the audit."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from tests.conftest import EVAL
from zhengwu.context import Caller

LABELED = EVAL / "citizen_messages" / "labeled.dev.jsonl"
pytestmark = pytest.mark.skipif(not LABELED.exists(), reason=f"evaluation data missing: {LABELED}")
AGENT = Caller("agent1", "city12345", "agent")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass

    def do_POST(self) -> None:  # noqa: N802
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
        self.server.received.append(json.loads(raw))  # type: ignore[attr-defined]
        out = {"id": "x", "object": "chat.completion", "model": "test-model",
               "choices": [{"index": 0, "message": {"role": "assistant", "content": self.server.reply},  # type: ignore[attr-defined]
                            "finish_reason": "stop"}],
               "usage": {"prompt_tokens": 10, "completion_tokens": 1, "total_tokens": 11}}
        data = json.dumps(out, ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def model(zw_env, monkeypatch):
    from tests.conftest import use_backend

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.received, httpd.reply = [], ""  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    use_backend(monkeypatch, f"http://127.0.0.1:{httpd.server_address[1]}", retries="0")
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _records() -> list:
    from zhengwu.gateway.models import AuditRecord
    from zhengwu.store.db import session_scope

    with session_scope() as s:
        return list(s.scalars(select(AuditRecord).where(AuditRecord.scenario == "ticket_classify")))


def test_model_picks_among_unsure_candidates(model):
    from zhengwu.hotline.classify import suggest

    row = json.loads(LABELED.read_text(encoding="utf-8").splitlines()[0])
    text = row["text"] + " 联系电话13912345678"
    before = suggest(AGENT, row["title"], text, use_model=False)
    assert len(before) == 3 and before[0].confidence < 0.9  # untrained: keyword suggestions are never sure
    model.reply = "3"
    after = suggest(AGENT, row["title"], text)
    assert after[0].code == before[2].code and after[0].source == "keywords+llm"
    assert [s.code for s in after[1:]] == [before[0].code, before[1].code]
    sent = model.received[-1]["messages"]
    assert "1. " + "/".join(before[0].path) in sent[1]["content"] and "13912345678" not in json.dumps(sent)
    recs = _records()
    assert len(recs) == 1 and recs[0].action == "classify"

    model.reply = "这个工单我无法判断"  # no number: the statistical order stands, still one record
    again = suggest(AGENT, row["title"], text)
    assert [s.code for s in again] == [s.code for s in before]
    assert len(_records()) == 2 and len(model.received) == 2
    suggest(AGENT, row["title"], text, use_model=False)
    assert len(model.received) == 2  # not asked
