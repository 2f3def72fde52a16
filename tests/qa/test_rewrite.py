"""Conversation-aware rewriting and the administrator-editable synonym table."""

from __future__ import annotations

import json

from zhengwu.qa.rewrite import detect_language, expand_synonyms, load_synonyms, rewrite, save_synonym_group


def test_colloquial_terms_get_official_ones(zw_env):
    r = rewrite("社保卡怎么办理？")
    assert ("社保卡", "社会保障卡") in r.synonyms
    assert "社会保障卡" in r.query and "社保卡" in r.query  # both kept: documents use either
    q, added = expand_synonyms("我想落户，公积金和医保怎么弄，低保呢")
    officials = {o for _, o in added}
    assert {"户口迁入", "住房公积金", "基本医疗保险", "最低生活保障"} <= officials
    assert all(o in q for o in officials)


def test_followup_keeps_topic_of_earlier_turn(zw_env):
    first = rewrite("社保卡怎么申领？")
    assert not first.followup and "社保卡" in first.topic
    follow = rewrite("那需要带什么材料？", [{"question": first.original, "topic": first.topic}])
    assert follow.followup
    assert "社保卡" in follow.standalone and "材料" in follow.standalone
    assert "社会保障卡" in follow.query
    third = rewrite("多久能拿到？", [{"question": first.original, "topic": first.topic},
                                   {"question": follow.original, "topic": follow.topic}])
    assert third.followup and "社保卡" in third.standalone
    h = [{"question": first.original, "topic": first.topic}]
    assert rewrite("要多少钱？", h).followup and rewrite("在哪办？", h).followup
    for new_topic in ("公积金怎么取？", "春节放几天？", "护照怎么办？", "火星移民签证怎么办理？"):
        assert not rewrite(new_topic, h).followup, new_topic
    # a new full question changes the topic
    other = rewrite("异地就医怎么备案？", [{"question": first.original, "topic": first.topic}])
    assert not other.followup and "社保卡" not in other.standalone


def test_first_question_is_never_a_followup(zw_env):
    assert not rewrite("那需要带什么材料？").followup


def test_administrator_overrides_synonyms(zw_env):
    path = save_synonym_group(["城乡居民基本养老保险", "城乡居民养老", "农保"])
    assert path.is_file() and json.loads(path.read_text(encoding="utf-8"))["groups"][0][0] == "城乡居民基本养老保险"
    r = rewrite("农保一个月交多少钱")
    assert ("农保", "城乡居民基本养老保险") in r.synonyms
    # replacing a shipped group by its official term
    save_synonym_group(["社会保障卡", "社保卡", "市民卡"])
    groups = {g[0]: g for g in load_synonyms()}
    assert "市民卡" in groups["社会保障卡"]
    assert ("市民卡", "社会保障卡") in rewrite("市民卡丢了怎么办").synonyms


def test_language_detection():
    assert detect_language("How do I apply for a social security card?") == "en"
    assert detect_language("社保卡怎么办") == "zh"
    assert detect_language("我的 social security card 丢了怎么办") == "zh"  # mixed: the documents are Chinese


def _conversations() -> list[dict]:
    from pathlib import Path

    path = Path(__file__).resolve().parent / "data" / "everyday_conversations.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if "turns" in r]


def test_topic_change_conversations_search_the_new_topic_alone(zw_env):
    """Every conversation of the everyday set: continuing turns keep the topic, a new topic drops it."""
    convs = _conversations()
    assert len(convs) >= 10
    for conv in convs:
        hist: list[dict] = []
        first_topic = ""
        for j, turn in enumerate(conv["turns"]):
            r = rewrite(turn["question"], hist)
            if j == 0:
                first_topic = r.topic
                assert not r.followup
            elif turn["new_topic"]:
                assert not r.followup, (conv["cid"], turn["question"], r.standalone)
                assert r.standalone == turn["question"].strip(), (conv["cid"], r.standalone)
                assert not any(w in r.standalone for w in first_topic.split() if w not in turn["question"])
            else:  # continues the topic: borrowed when elliptic, or named again by the question itself
                assert r.followup or any(w in turn["question"] for w in first_topic.split()), conv["cid"]
                assert any(w in r.standalone for w in first_topic.split()), (conv["cid"], r.standalone)
            hist.append({"question": r.original, "topic": r.topic})


def test_the_reported_conversation_is_no_longer_rewritten_to_the_old_topic(zw_env):
    """Issue 10: after two 社保卡 questions, "如何办理居住证？" was rewritten to "社保卡 如何办理居住证？"."""
    h: list[dict] = []
    for q in ("社保卡怎么办？", "社保卡能在哪些银行办"):
        r = rewrite(q, h)
        h.append({"question": r.original, "topic": r.topic})
    r = rewrite("如何办理居住证？", h)
    assert not r.followup and "社保卡" not in r.query and "居住证" in r.query
    # a subject given in colloquial words, or after "那", is a subject all the same
    assert not rewrite("办暂住证要什么材料", h).followup
    assert not rewrite("那居住证呢？", h).followup
    # elliptic follow-ups, with or without "那", continue the topic
    for q in ("那需要带什么材料？", "多久能办好？", "要带什么？", "能领多少钱？", "在哪个银行办？", "要交钱吗"):
        r = rewrite(q, h)
        assert r.followup and "社保卡" in r.standalone, q


def test_a_colloquial_term_counts_only_as_a_word(zw_env):
    """"领养" inside "领养老金" (领 / 养老金) is not adoption; "社保" inside "社保卡" is not 社会保险."""
    _, added = expand_synonyms("领养老金每年都要认证吗")
    assert "收养登记" not in {o for _, o in added}
    assert "基本养老金" in {o for _, o in added}
    _, added = expand_synonyms("社保卡怎么办")
    assert {o for _, o in added} == {"社会保障卡"}
    _, added = expand_synonyms("公司没给交社保，能补缴吗")
    assert "社会保险" in {o for _, o in added}


def _after(question: str) -> list[dict]:
    r = rewrite(question)
    return [{"question": r.original, "topic": r.topic}]


def test_question_words_ordinals_degrees_and_details_are_not_subjects(zw_env):
    """Only words naming a matter make a new topic: "喺边度办" (Cantonese: where do I do it) after a 居住证 answer
    asks about the 居住证, so do "第一次…", "最多…", "批下来…" and a detail of the matter ("有效期", "利息")."""
    from zhengwu.qa.rewrite import own_subjects

    h = _after("电子居住证怎么申请")
    for q in ("喺边度办", "点样申请", "审核要等几耐", "第一次申领要带什么", "最多能领几个月", "批下来要多久",
              "有效期多久", "利息政府补多少", "照片要审核多久", "今年什么时候报名", "过咗期冇认证会点"):
        assert own_subjects(q) == [], q
        r = rewrite(q, h)
        assert r.followup and "居住证" in r.standalone, q
    # words naming a matter still open a topic of their own
    for q in ("春节放几天？", "护照怎么办？", "生育津贴怎么申请", "独生子女个税能扣多少", "公租房单身能申请吗"):
        assert own_subjects(q), q
        assert not rewrite(q, h).followup, q


def test_a_family_member_continues_the_topic(zw_env):
    """"那我老婆孩子能一起迁吗" after a 户口 answer is about that 户口 move, not a topic of its own."""
    h = _after("在临沂租房子能落户吗")
    for q in ("那我老婆孩子能一起迁吗", "我爸妈能一起迁过来吗", "我还有个妹妹呢"):
        r = rewrite(q, h)
        assert r.followup and "落户" in r.standalone, q
    # a family member is not carried to the next turn as the topic
    assert "我妈" not in rewrite("我妈刚满60 老年人优待卡怎么办").topic.split()


def test_a_later_turn_s_lead_in_is_dropped_so_a_new_topic_reads_as_if_asked_first(zw_env):
    h = _after("社保卡怎么申领")
    for lead in ("对了，", "顺便问一下，", "顺便问下 ", "另外想问 ", "另外，", "还有 ", "换个问题，", "再问一下，",
                 "我还想问，"):
        r, alone = rewrite(lead + "生育津贴怎么申请", h), rewrite("生育津贴怎么申请")
        assert not r.followup, lead
        assert (r.standalone, r.query, r.topic, r.asks) == \
            (alone.standalone, alone.query, alone.topic, alone.asks), lead
    # a first question is read as asked
    assert rewrite("对了，生育津贴怎么申请").standalone == "对了，生育津贴怎么申请"


def test_a_cantonese_follow_up_asks_for_the_same_kind_as_in_mandarin(zw_env):
    from zhengwu.qa import answer_types

    h = _after("租房合同备案怎么弄")
    for cantonese, kind in (("喺边度办", "place"), ("要几耐", "duration"), ("几多钱", "money"), ("要带咩资料", "materials")):
        r = rewrite(cantonese, h)
        assert r.followup and kind in answer_types.asked(r.asks), (cantonese, r.asks)
