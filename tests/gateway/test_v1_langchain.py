"""The governed /v1 endpoint through a framework client: LangChain's `ChatOpenAI` (package langchain-openai)
against the real `zhengwu serve` and the recording upstream of tests/gateway/conftest.py (which echoes the
masked prompt back in 3-character pieces, so pseudonyms arrive cut across chunks).

Why a framework besides the official client: Dify, MaxKB and FastGPT and most in-house tools reach a model
through such a layer, which adds its own request fields (`stream_options`, `n`, ...) and reads the response
its own way; the door has to hold for them too."""

from __future__ import annotations

import json

import pytest

from tests.conftest import api_key, running_server

lc_openai = pytest.importorskip("langchain_openai",
                                reason="langchain-openai is a test dependency (pip install -e .[test])")

PROMPT = "我叫王小明，手机13812345678，身份证号11010519491231002X。请问生育津贴怎么申请？"
RAW_PII = ("王小明", "13812345678", "11010519491231002X")


@pytest.fixture
def chat(model_server):
    """(a ChatOpenAI pointed at the real server's /v1 with a policy_qa key, the upstream)."""
    with running_server() as base:
        key = api_key("办公厅", app="langchain", scenarios=["policy_qa"])["Authorization"][7:]
        llm = lc_openai.ChatOpenAI(base_url=base + "/v1", api_key=key, model="policy_qa", max_retries=0, timeout=30)
        yield llm, model_server


def _v1_records() -> list[dict]:
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    with session_scope() as s:
        assert audit.verify(s).ok
        return [{"user": r.user, "input": r.input_text or "", "output": r.output_text or "",
                 "extra": json.loads(r.extra)} for r in audit.query(s) if r.action == "v1_chat"]


def test_invoke_restores_pseudonyms_and_carries_the_labels(chat):
    llm, srv = chat
    msg = llm.invoke([("system", "你是政务助手。"), ("human", PROMPT)])
    sent = srv.all_received()
    assert sent and all(raw not in sent for raw in RAW_PII) and "【" in sent  # pseudonyms went up
    assert "王小明" in msg.content and "13812345678" in msg.content and "【" not in msg.content
    assert msg.content.rstrip().endswith("（人工智能生成）")
    rows = _v1_records()
    assert len(rows) == 1 and rows[0]["user"] == "app:langchain"
    assert all(raw not in rows[0]["input"] + rows[0]["output"] for raw in RAW_PII)
    # the response id LangChain keeps names the audit record: a support desk can find it from the app's logs
    assert msg.response_metadata["id"] == f"chatcmpl-{rows[0]['extra']['request_id']}"


def test_stream_restores_pseudonyms_cut_across_chunks(chat):
    llm, srv = chat
    pieces = [c.content for c in llm.stream(PROMPT)]
    text = "".join(p for p in pieces if isinstance(p, str))
    assert sum(1 for p in pieces if p) > 2  # really streamed, not one block
    assert all(raw not in srv.all_received() for raw in RAW_PII)
    assert "王小明" in text and "13812345678" in text and "【" not in text
    assert text.rstrip().endswith("（人工智能生成）")
    assert len(_v1_records()) == 1


def test_a_scenario_the_key_lacks_is_refused_through_the_framework(chat):
    llm, srv = chat
    import openai

    other = llm.bind(extra_body={"scenario": "doc_draft"})
    with pytest.raises(openai.PermissionDeniedError) as exc:
        other.invoke("起草一份通知")
    assert exc.value.body["code"] == "scenario_not_allowed"
    assert srv.received == [] and _v1_records() == []


@pytest.mark.slow
def test_real_llama_cpp_upstream(llama_proxy, zw_env, monkeypatch):
    """The same client with a real model behind the door (llama.cpp, gemma3-270m); skips when it is absent."""
    from tests.conftest import use_backend

    llama_proxy.received.clear()
    use_backend(monkeypatch, f"http://127.0.0.1:{llama_proxy.server_address[1]}", model="gemma3-270m", timeout="300")
    with running_server() as base:
        key = api_key("办公厅", app="langchain", scenarios=["policy_qa"])["Authorization"][7:]
        llm = lc_openai.ChatOpenAI(base_url=base + "/v1", api_key=key, model="policy_qa", max_retries=0,
                                   timeout=300, max_tokens=24, temperature=0)
        plain = llm.invoke(PROMPT).content
        streamed = "".join(c.content for c in llm.stream(PROMPT) if isinstance(c.content, str))
    sent = "\n".join(llama_proxy.received)
    assert len(llama_proxy.received) == 2 and all(raw not in sent for raw in RAW_PII)
    assert plain.rstrip().endswith("（人工智能生成）") and streamed.rstrip().endswith("（人工智能生成）")
    assert len(_v1_records()) == 2
