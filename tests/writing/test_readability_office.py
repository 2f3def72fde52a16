"""Readability figures on fixed inputs, the frequent-character list, and SARI at character level."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EVAL, run_cli


def test_readability_fixed_inputs():
    from zhengwu.writing.readability import readability

    r = readability("找工作的人必须超过16岁。这是法律规定的。")
    assert r.sentences == 2 and r.chars == 19 and r.avg_sentence_len == 9.5
    assert r.rare_char_share == 0.0
    # jieba: 找 工作 的 人 必须 超过 16 岁 。 这是 法律 规定 的 — 11 Chinese words, one (这是) outside the 8,000
    assert r.avg_word_len == pytest.approx(17 / 11, abs=1e-3)
    assert r.uncommon_word_share == pytest.approx(1 / 11, abs=1e-4)
    expected = 110 - 1.5 * r.avg_sentence_len - 80 * r.uncommon_word_share
    assert r.score == pytest.approx(round(expected, 1), abs=0.1)
    plain = readability("凡是超过期限未交者，给予处罚。")
    official = readability("凡逾期未缴纳者，予以处罚。")
    assert plain.uncommon_word_share < official.uncommon_word_share and plain.score > official.score
    rare = readability("饕餮之徒。")  # 饕 and 餮 are far outside the 3,500 most frequent characters
    assert rare.rare_char_share == pytest.approx(0.5)
    assert readability("").score == 0.0 and readability("").sentences == 0
    long = readability("在市场监管领域全面推行“双随机、一公开”监管，是党中央、国务院作出的重大决策部署，是市场监管理念和方式的重大创新。")
    assert long.sentences == 1 and long.score < r.score


def test_semicolon_is_not_a_sentence_end():
    from zhengwu.writing.readability import split_sentences

    assert split_sentences("甲；乙。丙！\n丁") == ["甲；乙。", "丙！", "丁"]


def test_common_words_list_is_reproducible():
    from zhengwu.writing.readability import build_common_words, common_words

    built = build_common_words()
    assert len(built) == 8000 and frozenset(built) == common_words()
    assert "超过" in common_words() and "逾期" not in common_words() and "责令" not in common_words()


def test_common_chars_list_is_reproducible():
    from zhengwu.writing.readability import build_common_chars, common_chars

    built = build_common_chars()
    assert len(built) == 3500 and len(set(built)) == 3500
    assert frozenset(built) == common_chars()
    for ch in "的是政府人民法律申请":
        assert ch in common_chars()


def test_sari_by_hand():
    from zhengwu.eval.simplification import _sari_ngram, sari

    assert _sari_ngram(list("abc"), list("abd"), [list("abd")]) == (1.0, 1.0, 1.0)
    keep, dele, add = _sari_ngram(list("abc"), list("abc"), [list("abd")])
    assert keep == pytest.approx(0.8) and dele == 0.0 and add == 0.0
    # two references: an n-gram kept by one of two references is worth half when kept
    keep, dele, add = _sari_ngram(list("ab"), list("ab"), [list("ab"), list("a")])
    assert keep == pytest.approx(2 * 0.75 * 1.0 / 1.75)
    perfect = sari("一九八六年举办", "1986年举办", ["1986年举办"])
    assert perfect["sari"] > sari("一九八六年举办", "一九八六年举办", ["1986年举办"])["sari"]


def test_eval_simplify_cli():
    data = EVAL / "simplification" / "mcts.dev.jsonl"
    if not data.exists():
        pytest.skip(f"MCTS evaluation data missing: {data}")
    res = run_cli("eval", "simplify", "--data", str(data), "--limit", "40", "--json", "--no-model")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["mode"] == "rules" and out["sentences"] == 40
    assert out["sari"]["output"]["sari"] > out["sari"]["identity_baseline"]["sari"]
    assert out["readability"]["output"]["avg_sentence_len"] < out["readability"]["source"]["avg_sentence_len"]
