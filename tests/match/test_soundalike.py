"""Typos by sound (zhengwu/match/soundalike.py): a cue word typed with a same-sounding character is read as the cue;
a real word is left alone. Phrasings are our own."""

from __future__ import annotations

import datetime as dt

from zhengwu.match.facts import read_facts
from zhengwu.match.soundalike import CUES, restore

TODAY = dt.date(2026, 11, 29)


def test_cue_words_typed_by_sound_are_restored_in_place():
    for typed, meant in (("我有居主证", "我有居住证"), ("单位帮我交住房工积金", "单位帮我交住房公积金"),
                         ("去年办了残疾正", "去年办了残疾证"), ("失业报险交了两年", "失业保险交了两年"),
                         ("个体户营业执找还在", "个体户营业执照还在"), ("失业经领完了", "失业金领完了")):
        assert restore(typed) == meant
        assert len(restore(typed)) == len(typed)


def test_only_cues_of_three_characters_or_more():
    assert CUES and all(len(cue) >= 3 for cue in CUES)
    assert restore("我交了社宝") == "我交了社宝"      # 社保 is two characters: not a cue here


def test_real_words_and_short_cues_are_left_alone():
    for text in ("惠及所有残疾人政策待遇",      # 政策 is a word, not a typo of 残疾人证
                 "失业经过三个月才找到工作",    # 经过
                 "祝你事业进步",                # two characters differ from 失业金
                 "我有居住证", "我家住在证券大厦"):
        assert restore(text) == text


def test_the_rules_read_through_a_typo():
    reading = read_facts("我湖南户口，在广州打工两年了，有居主证，住房工积金也在交", today=TODAY)
    assert reading.facts["residence_permit_local"] is True
    assert reading.facts["hpf_depositor"] is True


def test_a_vocabulary_of_its_own_and_no_sound_looked_up_without_a_near_window():
    """The Q&A rewrite passes its synonym table's terms; a text with no window one character off any term is
    returned as it is without a sound being looked up (pypinyin's tables take about a second to load)."""
    from zhengwu.match import soundalike

    assert restore("第一次办设保卡要带什么", ("社保卡", "公租房")) == "第一次办社保卡要带什么"
    assert restore("第一次办设保卡要带什么") == "第一次办设保卡要带什么"  # not a matching cue
    soundalike._sound.cache_clear()
    assert restore("社保卡怎么办", ("社保卡", "公租房")) == "社保卡怎么办"
    assert soundalike._sound.cache_info().currsize == 0


def test_two_characters_off_only_with_the_very_same_sound():
    """A three-character cue may be two characters off when both sound exactly like the cue's, tone included, and
    are no word together: "工基金" is 公积金; "土地保护" stays (地 dì is not 低 dī), and so does "事业进步"."""
    assert restore("公司每月给我交工基金") == "公司每月给我交公积金"
    for text in ("土地保护很重要", "祝你事业进步", "他攻击进来"):
        assert restore(text) == text
    assert read_facts("单位一直有帮我交工基金，上个月买了房", today=TODAY).facts.get("hpf_depositor") is True
