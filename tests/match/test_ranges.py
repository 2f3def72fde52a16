"""Approximate amounts as ranges: the engine decides a rule only when every value of the range does (met), or none
does (failed), and asks otherwise, with the range in the reason; the reader reads approximate wording as a range."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.match.catalog import validate_catalog
from zhengwu.match.engine import match, policy_labels
from zhengwu.match.facts import read_facts
from zhengwu.match.ranges import Range, compare

TODAY = dt.date(2026, 11, 29)
NEARLY_TWO_YEARS = Range(12, 24, high_open=True)     # 快两年, in months
ABOUT_TWENTY_HOURS = Range(15, 25)                   # 大概二十个小时


@pytest.mark.parametrize(("op", "bound", "want"), [
    (">=", 6, True), (">=", 12, True), (">=", 18, None), (">=", 24, False), (">=", 30, False),
    (">", 11, True), (">", 12, None), (">", 23, None), (">", 24, False),
    ("<=", 24, True), ("<=", 23, None), ("<=", 11, False),
    ("<", 24, True), ("<", 12.5, None), ("<", 12, False), ("<", 11, False),
    ("==", 18, None), ("==", 24, False), ("==", 5, False),
    ("!=", 18, None), ("!=", 24, True),
])
def test_each_operator_met_failed_or_unknown_on_a_half_open_range(op, bound, want):
    assert compare(NEARLY_TWO_YEARS, op, bound) is want


def test_a_range_against_a_range_and_a_point_range():
    assert compare(Range(0, 24, high_open=True), "<=", ABOUT_TWENTY_HOURS) is None
    assert compare(Range(0, 10), "<", ABOUT_TWENTY_HOURS) is True
    assert compare(Range(30, 40), "<=", ABOUT_TWENTY_HOURS) is False
    assert compare(Range(7, 7), "==", 7) is True
    assert Range(0, 24, high_open=True).overlaps(ABOUT_TWENTY_HOURS)
    assert not Range(0, 15, high_open=True).overlaps(ABOUT_TWENTY_HOURS)
    assert Range(0, 24, high_open=True).intersect(ABOUT_TWENTY_HOURS) == Range(15, 24, high_open=True)


def _catalog(op: str, value: int) -> object:
    return validate_catalog({"schemes": [
        {"id": "s", "name": "居住证", "target": "person", "region": "全国",
         "source": {"policy_id": "p", "title": "居住证暂行条例", "issuer": "国务院"},
         "eligibility": {"fact": "residence_months", "op": op, "value": value, "sentence": "居住半年以上"}}]})


@pytest.mark.parametrize(("op", "value", "label"), [
    (">=", 6, "eligible"), (">=", 18, "maybe"), (">=", 36, "not_eligible"),
    ("<", 36, "eligible"), ("<", 18, "maybe"), ("<", 6, "not_eligible")])
def test_the_engine_labels_a_range_fact_and_shows_it(op, value, label):
    result = match({"residence_months": NEARLY_TWO_YEARS}, _catalog(op, value), today=TODAY)
    assert policy_labels(result)["p"] == label
    o = result.outcomes[0]
    reason = (o.met + o.failed)[0] if label != "maybe" else None
    if reason is not None:
        assert "约 12–24 个月" in reason.zh and "about 12–24 months" in reason.en
    else:   # asked, the range shown in the question
        assert o.missing == ["residence_months"]
        q = next(q for q in result.questions if q.fact == "residence_months")
        assert "约 12–24 个月" in q.zh and "about 12–24 months" in q.en


@pytest.mark.parametrize(("text", "name", "want"), [
    ("我在广州做保洁，住了快两年了", "residence_months", Range(12, 24, high_open=True)),
    ("失业保险我交了差不多一年半，厂子关门了", "ui_contribution_months", Range(13.5, 22.5)),
    ("社保交了不到一年", "social_insurance_years", Range(0, 1, high_open=True)),
    ("我今年七十多岁了，户口在越秀", "age", Range(71, 79)),
])
def test_the_reader_reads_approximate_wording_as_a_range(text, name, want):
    got = read_facts(text, today=TODAY).facts.get(name)
    assert isinstance(got, Range)
    assert (got.low, got.high, got.low_open, got.high_open) == (want.low, want.high, want.low_open, want.high_open)


def test_exact_numbers_stay_numbers_and_two_agreeing_readings_narrow():
    assert read_facts("失业保险交了两年，公司倒闭了", today=TODAY).facts["ui_contribution_months"] == 24
    r = read_facts("我老公在工地摔伤，抢救了不到一天，大概二十个小时后人走了", today=TODAY)
    assert r.facts.get("death_after_rescue_hours") == Range(15, 24, high_open=True, unit="小时") and not r.conflicts


def test_readings_that_share_no_value_are_a_conflict():
    r = read_facts("失业保险交了不到半年，记录显示交了两年", today=TODAY)
    assert "ui_contribution_months" not in r.facts
    assert "ui_contribution_months" in r.conflicts


def test_a_range_holding_a_stated_number_agrees_with_it_and_the_numbers_still_conflict():
    r = read_facts("来广州快两年了，居住证上写的居住时间是十个月，我其实住了一年半", today=TODAY)
    assert r.conflicts.get("residence_months") == [10, 18] and "residence_months" not in r.facts


def test_the_json_shows_a_range_readably():
    from zhengwu.match.ranges import shown
    got = shown({"residence_months": Range(12, 24, high_open=True, unit="月"), "age": 60})
    assert got["age"] == 60
    assert got["residence_months"]["zh"] == "约 12–24 个月（不含24）"
    assert got["residence_months"]["en"] == "about 12–24 months (below 24)"
    assert (got["residence_months"]["low"], got["residence_months"]["high"]) == (12, 24)


@pytest.mark.parametrize("text", ["现在接了80多岁的老母亲来住，上楼不方便", "给我的父母(七十多岁)出行带来不便",
                                  "我哥五十多岁了，一直没结婚", "六十多岁的老人可以免费坐公交吗"])
def test_a_decade_said_of_someone_else_is_no_age(text):
    assert "age" not in read_facts(text, today=TODAY).facts


def test_the_result_json_of_a_text_with_a_range_is_json():
    import json

    from zhengwu.match.service import advise, result_dict
    reading = read_facts("在广州住了快两年了，户口在湖南", today=TODAY)
    d = json.loads(json.dumps(result_dict(advise(reading.facts, _catalog(">=", 18), today=TODAY)), ensure_ascii=False))
    assert d["facts"]["residence_months"]["zh"] == "约 12–24 个月（不含24）"
    assert d["policies"]["p"] == "maybe" and d["questions"][0]["fact"] == "residence_months"
    assert "约 12–24 个月" in d["questions"][0]["zh"]


# fifteenth round: head counts and ages said roughly, decided on the shipped catalogue ------------------------------

def _loan(facts: dict, target: str):
    from zhengwu.match.catalog import demo_catalog_path, load_catalog
    result = match(facts, load_catalog(demo_catalog_path()), today=TODAY)
    return next(o for o in result.outcomes if o.scheme_id == f"gz-policy-15#{target}")


_FIRM = {"applicant": "enterprise", "enterprise_size": "小微", "registered_area": "广州市",
         "hires_contract_1y_plus": True, "arrears": False}


@pytest.mark.parametrize(("text", "label"), [
    ("我们公司现在交社保的有二十来个人，近一年招了5个退伍军人", "eligible"),       # 5 ≥ 10 % of every value of 15–25
    ("我们公司现在交社保的有二十来个人，近一年招了2个退伍军人", "maybe"),          # 2 against 1.5–2.5: the staff asked
    ("我们公司现在交社保的有十几个人，近一年招了1个退伍军人", "not_eligible"),  # 1 < 10 % of anything above 10
    ("我们公司现在交社保的有十几个人，近一年招了2个退伍军人", "eligible"),         # 2 ≥ 10 % of anything under 20
])
def test_a_rough_head_count_decides_the_hiring_rule_only_when_all_of_it_does(text, label):
    facts = read_facts(text, today=TODAY).facts
    assert isinstance(facts["staff_count"], Range), facts
    outcome = _loan({**_FIRM, **facts}, "enterprise")
    assert outcome.label == label
    if label == "maybe":
        assert "staff_count" in outcome.missing


@pytest.mark.parametrize(("text", "label", "asked"), [
    ("我今年快60岁了，男，退伍军人", "eligible", None),                       # [59, 60) ≤ 60
    ("本人女，快55岁了，退伍军人", "eligible", None),                         # [54, 55) ≤ 55
    ("本人女，快56岁了，退伍军人", "maybe", "age"),                           # [55, 56): 55 meets, 55.5 does not
    ("本人女，快57岁了，退伍军人", "not_eligible", None),                     # [56, 57) > 55
])
def test_an_age_said_nearly_decides_the_age_rule_only_when_all_of_it_does(text, label, asked):
    facts = read_facts(text, today=TODAY).facts
    base = {"applicant": "individual", "key_group": "退役军人", "business_project": True, "business_registered": True,
            "business_registered_area": "广州市", "other_loans": False, "self_funds_insufficient": True}
    outcome = _loan({**base, **facts}, "individual")
    assert outcome.label == label, (facts, outcome.missing)
    if asked:
        assert asked in outcome.missing
