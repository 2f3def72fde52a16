"""The key fact inside the right document, by kind of miss (bench/qa_passage_misses.py), on real demo documents.

Each test ingests a few documents of data/demo into a real store, reads one document's text the way the answer
path reads it (answer_inputs: its chunks joined with their heading marks) and asks, in a citizen's words of our
own, what the answer shown would be: a service guide's fields of the kind asked; the item of a labelled list the
question names; the sentence of the kind asked when the chosen one states none. Asserted as well: the answer is
bounded and never cut inside a sentence or a list item.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.qa.conftest import caller, ingest_demo
from zhengwu.qa.whole import WHOLE_LIMIT, bounded, guide_answer, guide_fields, typed_span, whole_answer

DOCS = {"linyi-huzheng-AdoptionMigrationInstructions", "linyi-huzheng-CoupleDependenceInstructions",
        "govcn-000014349/2018-00213", "law-居住证暂行条例-2015-11-26", "gz-guide-23", "gz-policy-09"}


@pytest.fixture
def demo_texts(zw_env, tmp_path: Path) -> dict[str, str]:
    """external id -> the document's text as the answer path reads it."""
    from zhengwu.qa.evidence import answer_inputs
    from zhengwu.store.db import session_scope

    ingest_demo(tmp_path, DOCS)
    texts: dict[str, str] = {}
    with session_scope() as session:
        for query in ("收养迁移户口", "夫妻投靠落户", "2019年节假日安排", "居住证申领", "企业职工基本养老金申领",
                      "生育津贴办理材料"):
            ev = answer_inputs(session, caller(), query, kb="demo")
            for text, doc in ev.texts.values():
                texts[str(doc.external_id)] = text
    assert DOCS <= set(texts), set(texts)
    return texts


def _whole_lines(body: str, text: str) -> None:
    """Every line of `body` is a whole line of the document, or a field's label with its whole value."""
    lines = {ln.strip() for ln in text.split("\n")}
    for ln in body.split("\n"):
        value = ln.split("：", 1)[1] if "：" in ln else ln
        assert ln in lines or value in lines or not value, ln


# --- a service guide's fields ---------------------------------------------------------------------------------

def test_a_how_question_on_a_guide_gets_its_materials_and_its_procedure(demo_texts):
    guide = demo_texts["linyi-huzheng-AdoptionMigrationInstructions"]
    body, label = guide_answer(guide, "领养的小孩户口咋落到我家")
    assert "收养登记证或者事实收养公证书" in body  # the material the ranker's 办理流程 sentence did not show
    assert "3个工作日内预审" in body and label == "申请材料、办理流程和时限"
    assert len(body) <= WHOLE_LIMIT
    _whole_lines(body, guide)


def test_a_guide_answers_a_period_with_the_field_stating_it_and_a_place_with_its_agency(demo_texts):
    guide = demo_texts["linyi-huzheng-CoupleDependenceInstructions"]
    body, label = guide_answer(guide, "结婚了投靠老公，网上交完资料派出所要审几天")
    assert "3个工作日" in body and "办理流程和时限" in label
    body, label = guide_answer(guide, "投靠配偶落户去哪里办")
    assert label == "实施机关" and "派出所" in body and "结婚证" not in body
    body, _ = guide_answer(guide, "投奔爱人上户口需要带哪些东西")
    assert "结婚证" in body


def test_a_guide_s_time_limit_yields_to_the_ranker_s_line_stating_the_asked_action_s_period(demo_texts):
    guide = demo_texts["gz-guide-23"]
    appeal = next(ln for ln in guide.split("\n") if "60日内" in ln and "复议" in ln)
    # the 60 days belong to the appeal asked about; the office's promised time limit is another action's period
    assert guide_answer(guide, "对养老金核定结果不服 多少天内要去申请复议", appeal) is None
    # asked how long the office takes, the time limit field answers, whatever sentence the ranker chose
    body, label = guide_answer(guide, "退休金申领要多少个工作日办结", appeal)
    assert label == "承诺办结时限" and "工作日" in body
    # without the ranker's sentence (or with one stating no period), the field answers as before
    assert guide_answer(guide, "对养老金核定结果不服 多少天内要去申请复议")[1] == "承诺办结时限"


def test_a_document_that_is_no_structured_guide_gets_no_field_answer(demo_texts):
    assert guide_fields(demo_texts["law-居住证暂行条例-2015-11-26"]) == {}
    assert guide_answer(demo_texts["gz-guide-23"], "退休金怎么申请") is None


# --- the item a question names ------------------------------------------------------------------------------

def test_a_question_naming_a_holiday_gets_that_holiday_s_line(demo_texts):
    notice = demo_texts["govcn-000014349/2018-00213"]
    first = "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。"
    body, _ = whole_answer(notice, first, "", "19年国庆节一共放几天")
    assert body.startswith("七、国庆节：10月1日至7日放假调休，共7天。") and "元旦" not in body
    # from the list's lead-in ("…具体安排通知如下。") as well
    lead = "现将2019年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。"
    assert lead in notice
    body, _ = whole_answer(notice, lead, "", "过年那次春节怎么调休的")
    assert body.startswith("二、春节：") and "2月2日" in body
    # naming no label, or the span's own, keeps the ranker's item (grown as before: a list question, the list)
    assert whole_answer(notice, first, "", "放几天") == (first + "2018年12月29日（星期六）上班。", "")
    assert whole_answer(notice, first, "", "2019年元旦放假吗")[0].startswith("一、元旦")


# --- the sentence of the kind asked ---------------------------------------------------------------------------

def test_a_materials_question_gets_the_sentence_naming_materials(demo_texts):
    law = demo_texts["law-居住证暂行条例-2015-11-26"]
    shown = "对申请材料不全的，公安派出所或者受公安机关委托的社区服务机构应当一次性告知申领人需要补充的材料。"
    sentence, heading = typed_span(law, "办居住证得交什么材料 居住证", shown)
    assert "本人居民身份证、本人相片" in sentence
    body, _ = whole_answer(law, sentence, heading, "办居住证得交什么材料")
    assert body.endswith("。") and len(body) <= WHOLE_LIMIT
    # an answer already naming materials stays
    assert typed_span(law, "办居住证得交什么材料", sentence) is None


def test_a_date_question_gets_the_date_not_a_yearly_duty(demo_texts):
    guide = demo_texts["gz-guide-23"]
    yearly = "（六）离退休人员每年须按规定办理基本养老金领取资格认证，逾期未认证或认证不通过的，暂停发放基本养老金。"
    assert yearly in guide
    sentence, _ = typed_span(guide, "退休手续办好了，养老金每个月几号打到卡里", yearly)
    assert "次月10日前" in sentence
    # a question asking no kind of fact: nothing is replaced
    assert typed_span(guide, "退休了", yearly) is None


def test_letter_items_are_one_list(demo_texts):
    guide = demo_texts["gz-policy-09"]
    item = "a.病历资料：职工住院生育或施行计生手术的，提供医疗机构盖章的出院记录；职工门诊生育或施行计生手术的，提供相应的门诊病历。"
    first = next(ln for ln in guide.split("\n") if ln.startswith("a.病历资料"))
    body, _ = whole_answer(guide, first, "一、办理材料", "申领生育津贴得准备啥资料")
    assert body.startswith("a.病历资料") and "《信息采集表》" in body and item[:20] in body


# --- bounded, cut only between units ------------------------------------------------------------------------

def test_the_bound_cuts_between_lines_or_sentences_never_inside_an_item():
    lines = ["申请材料：", "1. " + "甲" * 300 + "。", "2. " + "乙" * 300 + "。", "3. " + "丙" * 300 + "。"]
    out = bounded(lines)
    assert out == lines[:3] and sum(map(len, out)) <= WHOLE_LIMIT
    prose = ["办理流程和时限：" + "申请人提交材料。" * 120]
    cut = bounded(prose)
    assert len(cut) == 1 and cut[0].endswith("。") and len(cut[0]) <= WHOLE_LIMIT
    assert bounded(["申请材料：", "1. " + "甲" * 800]) == []  # a lead-in is never shown without its list
