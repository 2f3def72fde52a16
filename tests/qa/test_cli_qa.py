"""`zhengwu ask`, `zhengwu chat` (stdin piped), `zhengwu qa ...` as real subprocesses."""

from __future__ import annotations

import json

from tests.conftest import run_cli


def test_ask_json(qa_kb):
    r = run_cli("ask", "春节放假几天？", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    for key in ("answer", "citations", "mode", "no_basis", "label", "conversation_id", "audit_id"):
        assert key in d
    assert d["mode"] == "extractive" and d["no_basis"] is False and d["label"] == "人工智能生成"
    c = d["citations"][0]
    assert c["n"] == 1 and c["external_id"] == "lrb-a719366336c28362" and c["validity"] == "effective"
    assert c["title"] == "全国年节及纪念日放假办法" and "春节" in c["text"]
    assert "4天" in d["answer"] and d["ai_label"] == "人工智能生成" and d["AIGC"]["Label"] == "1"


def test_ask_error_is_bilingual(zw_env):
    r = run_cli("ask", "   ")
    assert r.returncode == 2 and "问题为空" in r.stderr and "empty" in r.stderr and "Traceback" not in r.stderr


def test_chat_keeps_the_conversation(qa_kb):
    r = run_cli("chat", input="社保卡怎么申领？\n那需要带什么材料？\n😀\n火星移民签证怎么办理？\n退出\n")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.count("【人工智能生成】") == 3 and "[1] 怎么申领广州市社会保障卡？" in out
    second = out.split("问 Q: 那需要带什么材料？", 1)[1]
    assert "申领人本人有效身份证件原件" in second and "怎么申领广州市社会保障卡？" in second
    assert "没有识别到文字内容" in out  # the emoji-only line gets a clear message, the chat goes on
    assert "会话 conversation:" in out
    tickets = json.loads(run_cli("qa", "handoffs").stdout)
    assert tickets and tickets[0]["status"] == "draft" and "火星" in tickets[0]["question"]


def test_pin_curated_answer(qa_kb):
    r = run_cli("qa", "pin", "--family", "春节假期", "--example", "春节放几天假", "--answer",
                "春节放假4天（农历除夕、正月初一至初三）。", "--source", "全国年节及纪念日放假办法|国务院令")
    assert r.returncode == 0, r.stderr
    d = json.loads(run_cli("ask", "春节放几天假", "--json").stdout)
    assert d["mode"] == "curated" and d["answer"].startswith("春节放假4天")
