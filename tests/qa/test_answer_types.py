"""The kind of fact a question asks for, told apart: a sum of money is not a length of time, nor a date."""

from __future__ import annotations

import pytest

from zhengwu.qa import abstain, answer_types


@pytest.mark.parametrize("question, kind", [
    ("广州失业金一个月能领多少钱", "money"),
    ("公积金最少交工资的百分之几", "money"),
    ("老人坐公交地铁免费吗", "money"),
    ("居住证多久能办好", "duration"),
    ("失业金最长能领几个月", "duration"),
    ("失业金每个月几号发", "date"),
    ("居民医保什么时候交费", "date"),
    ("石牌街便民服务中心电话多少", "phone"),
    ("社保卡能在哪里办", "place"),
    ("办暂住证要带啥", "materials"),
    ("积分入户有多少个名额", "count"),
])
def test_the_asked_kind_is_found(question, kind):
    assert kind in answer_types.asked(question)


@pytest.mark.parametrize("question", ["社保卡怎么申领？", "自己主动辞职的能领失业金吗", "要什么条件才能申请"])
def test_a_question_asking_for_no_particular_fact_asks_none(question):
    assert not {"money", "duration", "date", "materials"} & set(answer_types.asked(question))


@pytest.mark.parametrize("text, kind, held", [
    ("目前发放标准为每月2250元。", "money", True),
    ("目前发放标准为每月2250元。", "date", False),  # "几号发" is not answered by the amount
    ("每满一年，失业保险金领取期限为一个月。", "duration", True),
    ("每满一年，失业保险金领取期限为一个月。", "money", False),  # "多少钱" is not answered by the period
    ("失业保险金于每月15日前发放。", "date", True),
    ("需等待12个工作日领卡", "duration", True),
    ("65周岁以上老年人免费乘坐公共交通", "money", True),
    ("咨询电话：020-12345678", "phone", True),
    ("申领人本人有效身份证件原件", "materials", True),
    ("2026年积分入户安排1.6万个名额", "count", True),
    # an age, a year, a grade and a day of a month are no length of time
    ("1.居住在中国境内16周岁以上（含16周岁）的中国公民：居民身份证。", "duration", False),
    ("国务院办公厅关于2019年部分节假日安排的通知", "duration", False),
    ("小学一年级方面，设置积分入学计划563个", "duration", False),
    ("每年12月20日前完成缴费", "duration", False),
    ("签订1年以上劳动合同", "duration", True),
    # "annual" is no time of the year: "什么时候报名" is not answered by the quota's rule
    ("每年度积分制入户人数实行总量控制", "date", False),
])
def test_a_text_holds_the_kind_or_not(text, kind, held):
    assert answer_types.holds(text, (kind,)) is held


def test_the_abstention_evidence_reads_the_kind_in_the_answer_shown():
    """The right FAQ answered with the period when the amount was asked: the amount is in the document, not in
    the answer shown; with the amount's sentence shown, both are there."""
    faq = "二、失业保险金能领到多少钱？目前发放标准为每月2250元。三、失业保险金能领多久？每满一年，领取期限为一个月。"
    kw = dict(doc_text=faq, title="广州市失业保险常见问题解答", basis="", scores=[1.0, 0.5], chosen=0,
              ranker_score=1.0, ranker_margin=1.0)
    period = "每满一年，领取期限为一个月。"
    amount = "目前发放标准为每月2250元。"
    wrong = abstain.features("失业保险金一个月能领多少钱", answer=period, sentence=period, body=period, **kw)
    right = abstain.features("失业保险金一个月能领多少钱", answer=amount, sentence=amount, body=amount, **kw)
    assert wrong["fine_asked"] == right["fine_asked"] == 1.0
    assert wrong["fine_in_answer"] == 0.0 and right["fine_in_answer"] == 1.0
    assert wrong["fine_in_doc"] == right["fine_in_doc"] == 1.0
    assert right["fine_near_topic"] == 1.0


def test_citizens_words_are_not_cut_into_fragments():
    """jieba cuts "失业金要怎么领" into 失业 / 金要; the table's words are kept whole, counts and periods dropped."""
    from zhengwu.qa.rewrite import rewrite

    terms = abstain._terms(rewrite("失业金要怎么领", []).query)
    assert "金要" not in terms and any("失业金" in t.split("|") for t in terms)
    terms = abstain._terms(rewrite("退休金一个月多少", []).query)
    assert not {"一个", "一个月", "老金"} & set(terms)
    assert not [t for t in abstain._terms(rewrite("上户口要带什么", []).query) if "要带什么" in t.split("|")]


@pytest.mark.parametrize("question, kind, not_kind", [
    # a unit after 多少 / 几 names what is counted: a length of time, not a sum or a count
    ("房贷利息专项扣除最长能扣多少个月", "duration", "money"),
    ("公积金提取交上去几个工作日能办完", "duration", "count"),
    # a sum per period or per use, with no unit asked ("每月多少", Cantonese 几多)
    ("自考本科的继续教育个税每月多少", "money", None),
    ("细路仔读大学医保一年交几多", "money", None),
    ("长者饭堂每餐补贴多少", "money", None),
    # an age
    ("单身多少岁可以自己申请公租房", "count", None),
    ("几多岁先可以去长者饭堂", "count", None),
])
def test_what_the_unit_or_the_period_asks(question, kind, not_kind):
    got = answer_types.asked(question)
    assert kind in got and (not_kind is None or not_kind not in got)
