"""Citizens' words the documents write otherwise (twelfth round).

A few of data/demo's documents go into a real store; the questions (phrasings written for these tests, not the
everyday sets') go through the product path — rewrite, search, the coverage filter, the ranker — and the
abstention's evidence (`evidence.basis_features`) is read: a citizen's word the synonym table translates reaches
the document of its official term and counts as found there. (The round's evidence of a detail no candidate
document holds was given weight 0 and is no longer computed since the fifteenth round.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.qa.conftest import ingest_demo, judged
from zhengwu.qa import abstain

DOCS = {"gz-policy-11", "gz-policy-16", "gz-policy-19", "gz-policy-21", "gz-policy-29", "gz-guide-22",
        "law-社会救助暂行办法-2019-03-02", "law-居住证暂行条例-2015-11-26", "law-工伤保险条例-2010-12-20"}


@pytest.fixture
def demo_kb(zw_env, tmp_path: Path):
    ingest_demo(tmp_path, DOCS)
    return zw_env


@pytest.mark.parametrize("question, expected", [
    ("我在跑网约车，养老保险能不能自己交", "gz-policy-21"),  # 跑网约车 → 灵活就业
    ("第一次申领居住证要不要钱", "law-居住证暂行条例-2015-11-26"),  # 要不要钱 → 收费 (an aspect)
    ("家里出事了日子过不下去，政府能帮一把吗", "gz-policy-29"),  # → 意外, 生活困难: 广州's 临时救助 rules
])
def test_a_citizen_s_word_written_otherwise_reaches_its_document_and_counts_there(demo_kb, question, expected):
    cited, f = judged(question)
    assert cited == expected or (cited, expected) == ("law-社会救助暂行办法-2019-03-02", "gz-policy-29")
    # the heaviest terms are the citizen's words with their official terms: found in the cited document
    assert f["key_missing"] == 0.0 and f["heavy_in_doc"] == 1.0


@pytest.mark.parametrize("said, official", [
    ("跑外卖", "灵活就业"), ("跑网约车", "灵活就业"), ("创业资助", "创业补贴"), ("生活过不下去", "生活困难"),
    ("瘫痪", "失能"), ("个税", "个人所得税"), ("送饭", "送餐"), ("收不收钱", "收费"),
])
def test_the_synonym_table_translates_the_words_citizens_use(said, official):
    from zhengwu.qa.rewrite import expand_synonyms

    assert (said, official) in expand_synonyms(f"请问{said}的事")[1]


def test_cantonese_question_words_and_ordinals_are_not_topic_terms():
    """"边度" (哪里), "使唔使" (要不要) and "第一次" ask, they name no topic: not terms a document must hold (the
    document writes 首次 for 第一次; "收不收钱" is the fee aspect)."""
    from zhengwu.qa.rewrite import rewrite

    assert not any("边度" in t for t in abstain._terms(rewrite("社保卡寄到屋企，密码去边度设").query))
    assert not any("使唔使" in t for t in abstain._terms(rewrite("去白云山使唔使买飞").query))
    assert set(abstain._terms(rewrite("第一次办居住证收不收钱").query)) == {"居住证"}
    # degree words say how much, not what about: the document writes 最高 where the citizen says 最多
    assert not any(t.startswith(("最多", "自己")) for t in abstain._terms(rewrite("创业担保贷款最多能自己贷多少").query))


@pytest.mark.parametrize("question", ["最多能领多久", "第一次申请要钱吗", "写错了怎么改", "能打折吗"])
def test_a_follow_up_in_such_words_still_continues_the_topic(question):
    """The table's words count as subjects of their own (`rewrite.own_subjects`): 最多, 第一次, 写错 or 打折 in the
    table would make these follow-ups new topics — they stay out of it."""
    from zhengwu.qa.rewrite import is_followup

    assert is_followup(question, has_history=True)
