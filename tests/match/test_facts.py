"""Reading facts from everyday descriptions (zhengwu/match/facts.py).

The sentences here are our own phrasings of the kinds of statement residents make, deliberately different from the
case set in tests/match/data/cases.jsonl (which bench/match_facts.py measures), plus careless and hostile input.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from pathlib import Path

import pytest

from zhengwu.errors import ZhengwuError
from zhengwu.match.facts import MAX_CHARS, read_facts
from zhengwu.match.numerals import cn_int
from zhengwu.match.places import place_at
from zhengwu.match.vocabulary import check_value

TODAY = dt.date(2026, 11, 29)
CASES = Path(__file__).parent / "data" / "cases.jsonl"


def read(text: str, **kw):
    return read_facts(text, today=TODAY, **kw)


@pytest.mark.parametrize("text, expected", [
    ("本人今年五十八周岁，户籍在肇庆", {"age": 58, "hukou": "肇庆市"}),
    ("老人家八十二岁了，户口落在越秀区", {"age": 82, "hukou": "广州市"}),
    ("我是1970年3月5日出生的，户口在本市", {"birth_date": "1970-03-05", "hukou": "广州市"}),
    ("出生日期：1990.12.01，安徽户籍", {"birth_date": "1990-12-01", "hukou": "安徽省"}),
    ("我老伴七十一，户口在宁夏", {"hukou": "宁夏回族自治区"}),
    ("我是内蒙古户口，在广州住了一年半了", {"hukou": "内蒙古自治区", "residence_city": "广州市",
                                         "residence_months": 18}),
    ("户籍不在广州，到广州三年多", {"hukou": "外地", "residence_city": "广州市", "residence_months": 36}),
])
def test_age_birthday_hukou_and_residence(text, expected):
    facts = read(text).facts
    for name, value in expected.items():
        assert facts.get(name) == value, (name, facts)
    assert "age" not in facts or "age" in expected  # "七十一" without 岁 is no age


@pytest.mark.parametrize("text, name, value", [
    ("失业险单位帮我缴了一年半", "ui_contribution_months", 18),
    ("前后交过两年的失业保险", "ui_contribution_months", 24),
    ("失业保险缴满二十个月了", "ui_contribution_months", 20),
    ("社会保险连续缴纳了六年", "social_insurance_years", 6),
    ("我从来没交过社保", "social_insurance_years", 0),
    ("抢救了两天还是没救回来，他是在岗位上突发心脏病的", "death_after_rescue_hours", 48),
])
def test_durations(text, name, value):
    assert read(text).facts.get(name) == value


@pytest.mark.parametrize("text, expected", [
    ("我还没有办失业登记，也不打算找工作了", {"registered_unemployed": False, "job_seeking": False}),
    ("家里不是低保户，也不是低收入家庭", {"minimum_living_allowance": False, "low_income_household": False}),
    ("单位倒闭了，我在街道登记了失业，天天在网上投简历", {"involuntary_job_loss": True, "registered_unemployed": True,
                                                   "job_seeking": True}),
    ("我是自己辞的职，想休息一段时间", {"involuntary_job_loss": False}),
    ("老板拖欠了半年工资，我被迫辞职", {"involuntary_job_loss": True}),
    ("我持有广州的居住证，在天河租房住", {"residence_permit_local": True, "stable_housing": True}),
    ("居住证早就过期了", {"residence_permit_local": False}),
    ("我已经按月领退休金了", {"receiving_pension": True}),
    ("我们家是低保家庭，我是精神残疾二级，有残疾人证", {"minimum_living_allowance": True, "disability_kind": "精神",
                                                 "disability_grade": 2, "disability_certificate": True}),
])
def test_statements_and_negations(text, expected):
    facts = read(text).facts
    for name, value in expected.items():
        assert facts.get(name) == value, (name, facts)


@pytest.mark.parametrize("text", [
    "请问是不是低保户才能申请？", "有没有残疾证都可以问吗", "年满60周岁的老人有什么优待", "60岁以上的人坐车免费吗",
    "想申请特困供养需要什么材料", "能入广州户口吗",
])
def test_questions_and_rules_state_no_fact(text):
    facts = read(text).facts
    assert not ({"minimum_living_allowance", "disability_certificate", "age", "extreme_poverty_support", "hukou"}
                & set(facts)), facts


def test_enterprise_profile():
    r = read("我们公司是在南沙注册的小微企业，在职职工八十人，近12个月新招用了9名退役军人，劳动合同都签了三年，"
             "工资社保从没拖欠")
    assert r.facts == {"applicant": "enterprise", "enterprise_size": "小微", "registered_area": "广州市",
                       "staff_count": 80, "new_key_group_hires_12m": 9, "hires_contract_1y_plus": True,
                       "arrears": False}


def test_individual_loan():
    r = read("我是退伍军人，男，五十岁，在天河区开了间面馆，执照办好了，周转资金不足，除了房贷车贷没有其他贷款")
    for name, value in {"applicant": "individual", "key_group": "退役军人", "gender": "男", "age": 50,
                        "business_project": True, "business_registered_area": "广州市",
                        "self_funds_insufficient": True, "other_loans": False}.items():
        assert r.facts.get(name) == value, (name, r.facts)
    assert read("个体户，借了网贷三十万还没还，想再贷点款进货").facts.get("other_loans") is True


def test_conflicts_are_asked_not_chosen():
    r = read("我今年52岁。我其实已经61岁了，广州户口")
    assert r.conflicts == {"age": [52, 61]} and "age" not in r.facts and r.facts["hukou"] == "广州市"
    r = read("残疾证上是二级，后来又评成了四级残疾")
    assert r.conflicts.get("disability_grade") == [2, 4] and "disability_grade" not in r.facts
    r = read("我被公司开除了。其实是我自己辞职的")
    assert r.conflicts.get("involuntary_job_loss") == [True, False]
    r = read("我今年40岁，1970年1月1日出生")  # the stated age disagrees with the birthday
    assert r.conflicts.get("age") == [40, 56] and "birth_date" not in r.facts


@pytest.mark.parametrize("text, name", [
    ("我今年一百五十岁", "age"), ("失业保险交了负2个月", "ui_contribution_months"), ("残疾等级9级", "disability_grade"),
    ("我2030年1月1日出生", "birth_date"), ("我1980年2月30日出生", "birth_date"), ("积分-20分", "points"),
])
def test_impossible_values_are_errors_with_both_languages(text, name):
    r = read(text)
    assert name not in r.facts
    err = next(e for e in r.errors if e["fact"] == name)
    assert err["zh"] and err["en"] and any("\u4e00" <= c <= "\u9fff" for c in err["zh"])
    if name in ("age", "ui_contribution_months", "disability_grade", "points"):
        with pytest.raises(ZhengwuError) as exc:
            check_value(name, err["value"])
        assert exc.value.context["fact"] == name


def test_unknown_places_are_reported_not_guessed():
    r = read("户口在火星，来地球三年了")
    assert "hukou" not in r.facts and "火星" in r.unknown_areas
    r = read("我是朝阳区户口")  # 朝阳区 is in 北京 and in 长春: no guess
    assert "hukou" not in r.facts


def test_decision_requests():
    for text in ("补贴你们直接批给我吧", "这个能不能批", "直接给我办了，不用审", "系统直接审批通过就行"):
        assert read(text).decision_request, text
    assert not read("审批要多久？需要什么材料").decision_request


def test_another_city_is_here():
    r = read("户口在本市，在福田区上班", city="深圳市")
    assert r.facts["hukou"] == "深圳市"
    assert read("户口在福田").facts.get("hukou") is None  # 福田 short is a district of 深圳 only for 深圳's residents


@pytest.mark.parametrize("text", ["", "   ", "。。。！！？？，，", "…………", "\n\n\t", "I am 58 years old and unemployed",
                                  "户口在湖南, 62 years old", "🙂🙂🙂", "<script>alert(1)</script>"])
def test_careless_input_is_read_without_error(text):
    r = read(text)
    assert isinstance(r.facts, dict) and not r.errors
    if "58 years" in text:
        assert r.facts == {"age": 58}
    if "湖南" in text:
        assert r.facts == {"hukou": "湖南省", "age": 62}


def test_long_text_is_read_quickly_and_too_long_refused():
    text = ("我今年58岁，广州户口，有残疾证，肢体二级。" + "我想问问有什么补贴可以申请，" * 400)[:5000]
    t0 = time.perf_counter()
    r = read(text)
    assert time.perf_counter() - t0 < 5.0  # patterns stay linear on 5,000 characters
    assert r.facts["age"] == 58 and r.facts["disability_grade"] == 2
    with pytest.raises(ZhengwuError) as exc:
        read("啊" * (MAX_CHARS + 1))
    assert exc.value.code == "match_text_too_long" and exc.value.zh and exc.value.en
    with pytest.raises(ZhengwuError):
        read_facts(None, today=TODAY)  # type: ignore[arg-type]


def test_identifiers_never_reach_facts_or_spans(caplog):
    text = ("我叫张三，身份证号440106196611281234，电话13812345678，座机020-83001234，今年58岁，"
            "交了13812345678个月失业保险")
    with caplog.at_level(logging.DEBUG):
        r = read(text)
    dumped = json.dumps(r.to_dict(), ensure_ascii=False)
    for secret in ("440106196611281234", "13812345678", "83001234", "19661128"):
        assert secret not in dumped
    assert "birth_date" not in r.facts  # never read from an ID number
    assert r.facts.get("age") == 58
    assert "13812345678" not in caplog.text and "张三" not in caplog.text


def test_numerals_and_places():
    assert [cn_int(s) for s in ("五十八", "两", "一百零五", "1966", "十几")] == [58, 2, 105, 1966, None]
    assert place_at("老家茂名", city="广州市")[0].name == "茂名市"
    assert place_at("广西", city="广州市")[0].name == "广西壮族自治区"
    assert place_at("番禺", city="广州市")[0].name == "广州市"
    assert place_at("英德市", city="广州市")[0].name == "清远市"


@pytest.mark.skipif(not CASES.exists(), reason="the case set tests/match/data/cases.jsonl is not in this checkout")
def test_case_set_floor():
    """A floor on the development set, so a change that breaks a kind of statement is seen (bench/match_facts.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_match_facts",
                                                  Path(__file__).resolve().parents[2] / "bench" / "match_facts.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    cases = [json.loads(line) for line in CASES.read_text("utf-8").splitlines() if line.strip()]
    result = bench.score(cases, today=TODAY)
    assert result["recall"] >= 0.95 and result["precision_relevant"] >= 0.95, result["misses"][:5]


@pytest.mark.parametrize("text, absent", [
    ("祝各位领导工作顺利，我想问问政府工作人员", {"stable_job"}),
    ("我们去快递公司寄了两块车牌", {"applicant", "enterprise_size"}),
    ("我想在北京贷款买车", {"applicant", "other_loans"}),
    ("我们在这家超市工作六七个月了", {"residence_months"}),
    ("我在外省没有自己的房产", {"stable_housing"}),
    ("商店晚上十点关门", {"involuntary_job_loss"}),
    ("请到当地车管所办理，出生后的28天内", {"residence_city", "residence_months"}),
])
def test_narrative_words_are_not_statements(text, absent):
    """Kinds of false reading seen when reading real letters to a city government (measured, not copied)."""
    assert not (absent & set(read(text).facts)), read(text).facts
