"""The shared sentence/clause splitter (zhengwu/sentences.py): one test per edge case it promises."""

from __future__ import annotations

import pytest

from zhengwu.sentences import sentence_spans, split_clauses, split_sentences


def test_plain_chinese_sentence_ends():
    assert split_sentences("今天开会。请准时参加！有问题吗？好") == ["今天开会。", "请准时参加！", "有问题吗？", "好"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", " \u3000\n\t "])
def test_empty_and_whitespace_input_has_no_units(text):
    assert split_sentences(text) == []
    assert sentence_spans(text) == []
    assert split_clauses("") == []


def test_closing_quote_stays_with_its_sentence():
    text = "他说：“要做好工作。要继续努力。”随后散会。"
    assert split_sentences(text) == ["他说：“要做好工作。", "要继续努力。”", "随后散会。"]
    # brackets and 「」 close a sentence too
    assert split_sentences("（以上为试行。）正式执行。「好！」") == ["（以上为试行。）", "正式执行。", "「好！」"]


def test_run_of_end_marks_is_one_end():
    assert split_sentences("真的吗？！是的。。。") == ["真的吗？！", "是的。。。"]


def test_never_split_inside_a_title():
    text = "依据《非沪籍不列入新增病例？上海医疗队物资被盗？都辟谣了！》执行。下一句。"
    assert split_sentences(text) == ["依据《非沪籍不列入新增病例？上海医疗队物资被盗？都辟谣了！》执行。", "下一句。"]
    # ；inside a title (HTML entities in scraped titles) is no cut either
    assert split_sentences("转发《关于&lt;通知&gt;的通知》；执行。", semicolons=True) == \
        ["转发《关于&lt;通知&gt;的通知》；", "执行。"]


def test_unmatched_title_bracket_does_not_swallow_the_text():
    assert split_sentences("见《办法。第二句。") == ["见《办法。", "第二句。"]


def test_numbered_items_each_start_a_unit_and_their_dot_is_no_end():
    text = "一、总体要求\n（一）指导思想\n1. 坚持人民至上。2. 提交材料。\n（1）身份证\n①户口簿"
    assert split_sentences(text) == ["一、总体要求", "（一）指导思想", "1. 坚持人民至上。", "2. 提交材料。",
                                     "（1）身份证", "①户口簿"]
    # a list number flattened into a line (web pages) is not a sentence end either
    assert split_sentences("三、落实防控要求 1. 各单位负责人是第一责任人。") == ["三、落实防控要求 1. 各单位负责人是第一责任人。"]
    assert split_sentences("a. Submit the form. b. Wait.") == ["a. Submit the form.", "b. Wait."]


def test_decimals_never_split():
    assert split_sentences("补贴3.5万元，合计1.2万元。版本 2.0 发布。") == ["补贴3.5万元，合计1.2万元。", "版本 2.0 发布。"]


def test_ellipsis_is_no_end():
    assert split_sentences("包括材料、证件等等……请带齐。") == ["包括材料、证件等等……请带齐。"]
    assert split_sentences("Wait... then go. Next") == ["Wait... then go.", "Next"]
    assert split_sentences("等等…") == ["等等…"]


def test_every_line_break_ends_a_unit():
    assert split_sentences("关于社保卡\n办理地点在大厅\n\n  电话12345。") == ["关于社保卡", "办理地点在大厅", "电话12345。"]
    assert split_sentences("第一行。\r\n第二行") == ["第一行。", "第二行"]


def test_english_sentence_ends_need_a_space():
    assert split_sentences("Apply online. Bring your ID! Done? Yes") == \
        ["Apply online.", "Bring your ID!", "Done?", "Yes"]
    assert split_sentences('He said "yes." Then (see above). End') == ['He said "yes."', "Then (see above).", "End"]
    assert split_sentences(". 以点开头") == [". 以点开头"]
    assert split_sentences("访问www.gov.cn查询。") == ["访问www.gov.cn查询。"]


def test_url_query_mark_is_no_end():
    text = "网址：http://a.gov.cn/show.html?tid=5 查询。好!下一句"
    assert split_sentences(text) == ["网址：http://a.gov.cn/show.html?tid=5 查询。", "好!", "下一句"]


def test_semicolons_end_units_only_when_asked():
    text = "甲；乙。丙！\n丁"
    assert split_sentences(text) == ["甲；乙。", "丙！", "丁"]
    assert split_sentences(text, semicolons=True) == ["甲；", "乙。", "丙！", "丁"]


def test_citation_mark_after_the_end_stays_with_its_sentence():
    assert split_sentences("在银行办理。[1]工本费20元[2]。") == ["在银行办理。[1]", "工本费20元[2]。"]


def test_spans_point_into_the_text():
    text = "  第一句。 “第二句！”\n\n三、标题\n"
    spans = sentence_spans(text)
    assert [s.text for s in spans] == ["第一句。", "“第二句！”", "三、标题"]
    for s in spans:
        assert text[s.start:s.end] == s.text


def test_clauses_cut_at_commas_colons_semicolons_and_keep_every_character():
    s = "办理时间：工作日上午9:00-12:00，费用1,200元；详见《关于甲，乙的通知》。"
    clauses = split_clauses(s)
    assert clauses == ["办理时间：", "工作日上午9:00-12:00，", "费用1,200元；", "详见《关于甲，乙的通知》。"]
    assert "".join(clauses) == s
    assert split_clauses("无标点") == ["无标点"]


def test_callers_share_the_splitter():
    """The modules that used to carry their own regex now cut where the shared splitter does."""
    from zhengwu.kb.chunking import split_sentences as chunk_pieces
    from zhengwu.qa.extract import sentences as qa_sentences
    from zhengwu.qa.grounding import check_answer
    from zhengwu.writing.minutes import _clauses
    from zhengwu.writing.readability import split_sentences as readability_sentences
    from zhengwu.writing.simplify import split_sentences_for
    from zhengwu.writing.summarize import split_document

    text = "依据《关于“十四五”规划？》执行；补贴3.5万元。"
    assert readability_sentences(text) == [text]
    assert [s.text for s in split_document(text)] == [text]
    assert qa_sentences(text) == ["依据《关于“十四五”规划？》执行；", "补贴3.5万元。"]
    assert _clauses(text) == ["依据《关于“十四五”规划？》执行；", "补贴3.5万元。"]
    assert split_sentences_for(text, 100) == "依据《关于“十四五”规划？》执行。补贴3.5万元。"
    # chunk pieces keep every character (chunks glue them back)
    assert "".join(chunk_pieces(text + "\n第二行")) == text + "\n第二行"
    assert len(chunk_pieces(text)) == 2
    r = check_answer("在银行办理。[1]\n工本费20元[1]。", ["社保卡在银行办理，工本费20元。"])
    assert [c.cited for c in r.sentences] == [[1], [1]] and r.dropped == 0
    assert r.text == "在银行办理。[1]\n工本费20元[1]。"
