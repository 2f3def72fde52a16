"""A scheme applies in its region: the schemes of 上海, 浙江 and 重庆 in the demo catalogue are not offered to a
resident of 广州, with the reason; a stated tie (户籍) inside the region keeps a scheme; when nobody said where,
the place is asked for the other areas' schemes, and the department's own schemes are not demoted."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.errors import ZhengwuError
from zhengwu.match.catalog import demo_catalog_path, load_catalog, validate_catalog
from zhengwu.match.engine import match, region_contains

TODAY = dt.date(2026, 11, 29)
CATALOG = load_catalog(demo_catalog_path())
OTHER_AREAS = {s.id for s in CATALOG.published() if s.region in ("上海市", "浙江省", "重庆市")}


def by_id(result):
    return {o.scheme_id: o for o in result.outcomes}


@pytest.mark.parametrize("region, place, expected", [
    ("全国", "乌鲁木齐市", True), ("", "广州市", True),
    ("广东省", "深圳市", True), ("广东省", "广东", True), ("广东省", "长沙市", False),
    ("广州市", "广州", True), ("广州市", "广东省广州市天河区", True), ("广州市", "上海市", False),
    ("广州市", "广东省", None),          # a province cannot say which of its cities
    ("上海市", "广东省", False), ("浙江省", "杭州市", True),
    ("广州市天河区", "广州市", True),    # a district region is read as its city
    ("广州市", "外地", False), ("上海市", "外地", None),   # 外地: not the home city, which other unknown
    ("广东省", "外省", False), ("上海市", "火星市", None),
])
def test_region_contains(region, place, expected):
    assert region_contains(region, place, "广州市") is expected


def test_a_guangzhou_resident_is_not_offered_other_areas_schemes_and_is_told_why():
    facts = {"residence_city": "广州市", "age": 70, "income_below_dibao": True, "assets_within_dibao_rule": True,
             "minimum_living_allowance": True, "no_work_capacity": True, "no_supporter": True,
             "no_income_source": True}
    result = match(facts, CATALOG, today=TODAY)
    out = by_id(result)
    assert OTHER_AREAS and all(out[i].label == "not_eligible" and out[i].in_region is False for i in OTHER_AREAS)
    chongqing = out["law-重庆市城乡居民最低生活保障条例-2016-03-31"]
    assert chongqing.failed[-1].zh == "适用地区：重庆市，您在广州市——不符合"
    assert "applies in 重庆市" in chongqing.failed[-1].en and chongqing.missing == []
    # the national and 广东/广州 schemes are the resident's own: eligible ones stay eligible
    national = out["law-社会救助暂行办法-2019-03-02#medical"]
    assert national.label == "eligible" and national.in_region is True
    # the resident's area first: every other area's scheme comes after every scheme of her own
    flags = [o.in_region is False for o in result.outcomes]
    assert flags == sorted(flags)
    # nothing of another area is asked about
    assert not [q for q in result.questions if set(q.schemes) & OTHER_AREAS]


def test_a_hukou_inside_the_region_keeps_the_scheme_for_someone_living_elsewhere():
    """A 广州 hukou holder living in 深圳 keeps the 广州 老年人优待 (户籍 or 居住证); a 重庆 hukou holder whose
    residence is not said keeps the 重庆 scheme."""
    out = by_id(match({"age": 70, "hukou": "广州市", "residence_city": "深圳市"}, CATALOG, today=TODAY))
    assert out["gz-policy-33"].label == "eligible" and out["gz-policy-33"].in_region is True
    out = by_id(match({"hukou": "重庆市", "income_below_dibao": True, "assets_within_dibao_rule": True},
                      CATALOG, today=TODAY))
    assert out["law-重庆市城乡居民最低生活保障条例-2016-03-31"].label == "eligible"
    # a hukou outside excludes nothing by itself: 湖南 hukou, residence unsaid, 广州 schemes stay as they were
    out = by_id(match({"age": 70, "hukou": "湖南省", "residence_permit_local": True}, CATALOG, today=TODAY))
    assert out["gz-policy-33"].label == "eligible"


def test_unstated_place_is_asked_for_other_areas_and_presumed_for_the_departments_own():
    facts = {"age": 70, "minimum_living_allowance": True}
    result = match(facts, CATALOG, today=TODAY)
    shanghai = by_id(result)["law-上海市社会救助条例-2024-12-31#medical"]
    assert shanghai.label == "maybe" and shanghai.missing == ["hukou", "residence_city"]
    assert shanghai.in_region is None
    asked = {q.fact: q.schemes for q in result.questions}
    assert "residence_city" in asked and set(asked["residence_city"]) & OTHER_AREAS
    # the department's own (广州) schemes are not made "maybe" by the unstated place, and that is said
    assert by_id(result)["gz-policy-33"].missing == ["hukou", "residence_permit_local"]
    assert by_id(result)["gz-policy-33"].area_presumed and not shanghai.area_presumed
    assert not any(o.area_presumed for o in match({**facts, "residence_city": "广州市"}, CATALOG,
                                                  today=TODAY).outcomes)
    # once she says 上海, the 上海 scheme is hers and the 广州 ones are not
    out = by_id(match({**facts, "hukou": "上海市", "residence_city": "上海市"}, CATALOG, today=TODAY))
    assert out["law-上海市社会救助条例-2024-12-31#medical"].label == "eligible"
    assert out["gz-policy-33"].in_region is False and out["gz-policy-33"].label == "not_eligible"


def test_an_enterprise_registered_elsewhere_in_the_province():
    """Registered in 佛山: the 广州 enterprise schemes are not offered, the 广东 ones still are."""
    result = match({"registered_area": "佛山市"}, CATALOG, today=TODAY, target="enterprise")
    out = by_id(result)
    assert out["gz-policy-15#enterprise"].label == "not_eligible"
    assert out["gz-policy-15#enterprise"].failed[0].fact == "registered_area"
    provincial = [o for o in result.outcomes if o.region == "广东省"]
    assert provincial and all(o.in_region is True for o in provincial)


def test_a_closed_scheme_stays_closed_wherever_the_resident_lives():
    closed = [o for o in match({"residence_city": "上海市"}, CATALOG, today=TODAY).outcomes if o.label == "closed"]
    assert closed and {o.region for o in closed} == {"广州市", "广州市天河区"}


def test_a_catalogue_region_that_is_no_place_is_refused():
    data = {"schemes": [{"id": "x", "name": "x", "target": "person", "region": "火星",
                         "source": {"policy_id": "x", "title": "x"},
                         "eligibility": {"fact": "age", "op": ">=", "value": 60}}]}
    with pytest.raises(ZhengwuError) as exc:
        validate_catalog(data)
    assert exc.value.code == "match_bad_catalog" and "火星" in exc.value.zh and "x" in exc.value.zh
    data["schemes"][0]["region"] = "广东省"
    assert validate_catalog(data).schemes[0].region == "广东省"


def test_an_excluded_scheme_names_the_rules_own_stated_failures_before_the_area():
    """深圳 hukou, living in 深圳, the 广州 居住证 unsaid: the 广州 老年人优待 is not offered; the stated hukou that
    fails the rule is said first (with its sentence), the area last; a satisfied 'any' blames nothing."""
    out = by_id(match({"age": 65, "hukou": "深圳市", "residence_city": "深圳市"}, CATALOG, today=TODAY))
    elder = out["gz-policy-33"]
    assert elder.label == "not_eligible" and [r.fact for r in elder.failed] == ["hukou", "residence_city"]
    assert "年满60周岁" in elder.failed[0].sentence and elder.failed[1].zh.startswith("适用地区：广州市")
    out = by_id(match({"residence_city": "广州市", "minimum_living_allowance": True, "low_income_household": False},
                      CATALOG, today=TODAY))
    assert [r.fact for r in out["law-浙江省社会救助条例-2020-09-24#medical"].failed] == ["residence_city"]
    # a 广州 居住证 is a tie like a hukou: it keeps the 广州 scheme whatever else is said
    out = by_id(match({"age": 65, "hukou": "深圳市", "residence_city": "上海市", "residence_permit_local": True},
                      CATALOG, today=TODAY))
    assert out["gz-policy-33"].label == "eligible"
