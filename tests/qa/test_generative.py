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
