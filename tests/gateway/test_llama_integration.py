"""Integration with a real llama.cpp server (llama-cpp-python[server] + the gemma3-270m GGUF from PyPI).

The server runs behind a tiny recording HTTP proxy on 127.0.0.1 (`llama_proxy`, tests/gateway/conftest.py), so the test inspects exactly
what reached the model: no raw PII, only pseudonyms. It also checks the answer is labelled and audited.
Install with `make llama` (see the gateway report); skips with a reason when the package or model is absent.
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow

PROMPT = "我叫王小明，身份证号11010519491231002X，手机13812345678。请问广州生育津贴怎么申请？"
RAW_PII = ("王小明", "11010519491231002X", "13812345678")


@pytest.fixture
def via_llama(llama_proxy, zw_env, monkeypatch):
    from tests.conftest import use_backend

    llama_proxy.received.clear()
    use_backend(monkeypatch, f"http://127.0.0.1:{llama_proxy.server_address[1]}", model="gemma3-270m", timeout="300")
    return llama_proxy


def _audit_rows():
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    with session_scope() as s:
        assert audit.verify(s).ok
        return [{k: getattr(r, k) for k in audit.EXPORT_FIELDS} for r in audit.query(s)]


def test_llama_server_never_sees_pii_and_answer_is_labelled_and_audited(via_llama, pii):
    from zhengwu.context import Caller
    from zhengwu.gateway import complete
    from zhengwu.gateway.labels import validate_aigc

    comp = complete(Caller("zhangsan", "办公厅", "user"), "policy_qa", [{"role": "user", "content": PROMPT}],
                    conversation_id="llama-1", max_tokens=24, temperature=0)
    sent = "\n".join(via_llama.received)
    assert len(via_llama.received) == 1
    body = json.loads(via_llama.received[0])
    assert body["model"] == "gemma3-270m" and "【姓名1】" in body["messages"][-1]["content"]
    for raw in RAW_PII:
        assert raw not in sent
    assert isinstance(comp.text, str) and comp.model
    assert comp.label == "人工智能生成" and validate_aigc(comp.aigc)["ProduceID"] == comp.produce_id
    rows = _audit_rows()
    assert rows[-1]["id"] == comp.audit_id and rows[-1]["action"] == "complete" and rows[-1]["backend"] == "openai"
    assert all(raw not in json.dumps(rows, ensure_ascii=False) for raw in RAW_PII)


def test_llama_server_streaming(via_llama, pii):
    from zhengwu.context import Caller
    from zhengwu.gateway import Completion, complete

    events = list(complete(Caller("zhangsan", "办公厅", "user"), "policy_qa", [{"role": "user", "content": PROMPT}],
                           stream=True, max_tokens=16, temperature=0))
    final = events[-1]
    assert isinstance(final, Completion)
    assert "".join(e for e in events[:-1] if isinstance(e, str)) == final.text
    assert json.loads(via_llama.received[0])["stream"] is True
    assert all(raw not in via_llama.received[0] for raw in RAW_PII)
    assert final.label == "人工智能生成" and _audit_rows()[-1]["id"] == final.audit_id
