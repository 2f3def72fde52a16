"""Generative mode through the gateway against a real (tiny) OpenAI-compatible HTTP server: grounded answers
keep their citations, unsupported sentences are dropped, a stream that stops mid-way falls back to the
extractive answer."""

from __future__ import annotations


import pytest

from tests.qa.conftest import caller, gateway_conftest


@pytest.fixture
def llm(qa_kb, monkeypatch):
    gw = gateway_conftest()
    srv = gw.ModelServer()
    gw.use_model_server(monkeypatch, srv)
    yield srv
    srv.close()


def test_grounded_generation_keeps_cited_sentences(llm):
    from zhengwu.qa.answer import ask

    llm.mode = "fixed"
    llm.reply = ("根据规定，春节放假4天（农历除夕、正月初一至初三）[1]。"
                 "春节期间高速公路免费通行[1]。")  # second sentence: not in any source
    a = ask("春节放假几天？", caller=caller())
    assert a.mode == "generative"
    assert "春节放假4天" in a.answer and "高速公路" not in a.answer
    assert a.citations[0].external_id == "lrb-a719366336c28362" and a.citations[0].n == 1
    assert any(c.startswith("grounding_dropped:1") for c in a.checks)
    sent = llm.all_received()
    assert "全国年节及纪念日放假办法" in sent  # the numbered sources reached the model through the gateway
    assert a.label == "人工智能生成" and a.audit_id


def test_model_stopping_mid_stream_falls_back_to_extractive(llm):
    from zhengwu.qa.answer import ask

    llm.mode = "drop"
    llm.reply = "根据规定，春节放假4天（农历除夕、正月初一至初三）[1]。"
    a = ask("春节放假几天？", caller=caller())
    assert a.mode == "extractive" and "4天" in a.body
    assert any(c.startswith("model_failed") or c == "model_stream_incomplete" for c in a.checks)


def test_nothing_supported_falls_back_to_extractive(llm):
    from zhengwu.qa.answer import ask

    llm.mode = "fixed"
    llm.reply = "春节放假整整一个月，大家好好休息。"
    a = ask("春节放假几天？", caller=caller())
    assert a.mode == "extractive" and "一个月" not in a.answer
    assert "grounding_nothing_supported" in a.checks


def test_tokens_stream_before_the_answer_is_done_and_an_unsupported_sentence_is_withdrawn(llm):
    """Real streaming: the model's tokens reach the client as they come (many deltas before "done"), the
    grounding check runs on each sentence as it completes and withdraws the unsupported one with a note."""
    from zhengwu.qa.answer import ask_stream

    llm.mode = "fixed"
    llm.reply = ("根据规定，春节放假4天（农历除夕、正月初一至初三）[1]。"
                 "春节期间高速公路免费通行[1]。还有一些别的安排。")
    events = list(ask_stream("春节放假几天？", caller=caller()))
    kinds = [e for e, _ in events]
    assert kinds[0] == "meta" and kinds[-1] == "done"
    deltas = [d["text"] for e, d in events if e == "delta"]
    assert len(deltas) > 3 and "".join(deltas).startswith("根据规定")  # the model's own tokens, streamed
    withdrawn = [d for e, d in events if e == "withdraw"]
    assert withdrawn and "高速公路" in withdrawn[0]["text"] and withdrawn[0]["note"]
    # the withdrawal comes as soon as its sentence is complete, before the stream ends
    assert kinds.index("withdraw") < len(kinds) - 2
    done = events[-1][1]
    assert done["mode"] == "generative" and "高速公路" not in done["answer"] and "春节放假4天" in done["answer"]
