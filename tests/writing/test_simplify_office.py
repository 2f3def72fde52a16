"""Rule-based plain-language rewriting on real legal articles."""

from __future__ import annotations

import json
from pathlib import Path
from statistics import mean

import pytest

from tests.conftest import run_cli
from zhengwu.context import Caller

CALLER = Caller(user="tester", department="人社局", role="officer")
ARTICLES = [json.loads(x) for x in (Path(__file__).parent / "fixtures" / "laws_articles_sample.jsonl")
            .read_text(encoding="utf-8").splitlines() if x.strip()]


def test_rules_lower_sentence_length_on_law_articles(zw_env):
    from zhengwu.writing.readability import readability
    from zhengwu.writing.simplify import simplify

    before, after = [], []
    for art in ARTICLES:
        r = simplify(CALLER, art["text"], audience="老年人版", use_model=False)
        assert r.mode == "rules" and not r.ai_generated
        before.append(r.readability["before"]["avg_sentence_len"])
        after.append(r.readability["after"]["avg_sentence_len"])
        assert r.readability["after"]["avg_sentence_len"] <= r.readability["before"]["avg_sentence_len"]
        assert r.readability["before"] == readability(art["text"]).to_dict()
    assert mean(after) < 0.8 * mean(before)


def test_officialese_and_numerals():
    from zhengwu.writing.simplify import arabic_numerals, han_to_int, plain_words, simplify_rules

    assert han_to_int("十六") == 16 and han_to_int("一九八六") == 1986 and han_to_int("二千零五") == 2005
    assert han_to_int("三万五千") == 35000 and han_to_int("一百零八") == 108
    assert arabic_numerals("一九八六年，年满十六周岁，百分之三十，三十日内，十分重要，百姓，第一条") == \
        "1986年，年满16周岁，30%，30日内，十分重要，百姓，第一条"
    text, used = plain_words("逾期未缴纳的，不得办理。即使如此，系统照常运行。")
    assert ("逾期", "超过期限") in used and ("不得", "不能") in used
    assert "即使" in text and "系统" in text  # whole words only
    out, _ = simplify_rules("用人单位应当自用工之日起三十日内为其职工申请办理社会保险登记；逾期未办理的，由社会保险行政部门责令限期改正。")
    assert out.count("。") == 2 and "30日内" in out and "应该" in out


def test_english_needs_a_model(zw_env):
    from zhengwu.writing.simplify import simplify

    r = simplify(CALLER, ARTICLES[0]["text"], audience="English", use_model=False)
    assert r.mode == "unavailable" and r.text == "" and "generative model" in r.message_en
    assert r.audit_id  # the refused request is on record too


def test_unknown_audience(zw_env):
    from zhengwu.errors import ZhengwuError
    from zhengwu.writing.simplify import simplify

    with pytest.raises(ZhengwuError):
        simplify(CALLER, "文字。", audience="外星人版", use_model=False)


def test_cli_simplify_text_json(zw_env):
    res = run_cli("write", "simplify", ARTICLES[1]["text"], "--audience", "儿童版", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["mode"] == "rules" and data["audience"] == "儿童版"
    assert data["readability"]["after"]["avg_sentence_len"] <= data["readability"]["before"]["avg_sentence_len"]
