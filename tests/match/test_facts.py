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
    for text in ("补贴你们直接批给我吧", "这个能不能批", "直接给我办了，不用审", "系统直接审批通过就行", "请直接发给我",
                 "帮我批准一下"):
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


@pytest.mark.parametrize("text, expected", [
    ("我今年满60了，户籍地是湛江", {"age": 60, "hukou": "湛江市"}),
    ("来穗务工三年，户口在老家", {"residence_city": "广州市", "residence_months": 36, "hukou": "外地"}),
    ("失业保险累计缴费满1年，被单位解聘了", {"ui_contribution_months": 12, "involuntary_job_loss": True}),
    ("失业保险参保满一年半，已经失业登记了", {"ui_contribution_months": 18, "registered_unemployed": True}),
    ("公司黄了，我被劝退回家", {"involuntary_job_loss": True}),
    ("残疾证二级，精神类", {"disability_grade": 2, "disability_kind": "精神", "disability_certificate": True}),
    ("我们是小微企业，员工有35个，广州注册", {"staff_count": 35, "registered_area": "广州市", "applicant": "enterprise"}),
    ("工资被拖欠了三个月", {"legal_matter": "支付劳动报酬"}),
    ("我是快递小哥，户口在广州", {"flexible_work_type": "新业态平台", "hukou": "广州市"}),
    ("在广州居住满半年，户口不在广州", {"residence_city": "广州市", "residence_months": 6, "hukou": "外地"}),
    ("入户积分160，社保缴了6年", {"points": 160, "social_insurance_years": 6}),
    ("本人男，现年六十一岁，持广州市居住证，户籍湖南", {"gender": "男", "age": 61, "residence_permit_local": True, "hukou": "湖南省"}),
    ("我奶奶91了，一直是广州户口", {"hukou": "广州市"}),
    ("我属猴的，今年刚好60周岁，广州本地户口", {"age": 60, "hukou": "广州市"}),
    ("我在广州打工两年半了，老家户口在湖南，跟公司签了合同，租房住", {"residence_city": "广州市", "residence_months": 30, "hukou": "湖南省", "stable_job": True, "stable_housing": True}),
    ("我是在校大学生，户口留在老家河南，在广州读书一年了", {"continuous_study": True, "hukou": "河南省", "residence_city": "广州市", "residence_months": 12}),
    ("单位缴了我16个月的失业保险，现在合同到期没续，失业登记还没办，正在找新工作", {"ui_contribution_months": 16, "involuntary_job_loss": True, "registered_unemployed": False, "job_seeking": True}),
    ("我是因为单位不给交社保才辞职的，失业保险之前交了3年", {"involuntary_job_loss": True, "ui_contribution_months": 36}),
    ("我自愿离职的，失业保险交了两年", {"involuntary_job_loss": False, "ui_contribution_months": 24}),
    ("我是一级肢体残疾人，持有残疾人证，本市户籍，领着工伤护理费", {"disability_grade": 1, "disability_kind": "肢体", "disability_certificate": True, "hukou": "广州市", "work_injury_nursing_fee": True}),
    ("家里是低保户，孩子是智力残疾，残疾证是三级的", {"minimum_living_allowance": True, "disability_kind": "智力", "disability_grade": 3, "disability_certificate": True}),
    ("我们家是特困供养户", {"extreme_poverty_support": True}),
    ("本人退役士兵，今年39岁，男，在白云开了一家汽修厂，已办营业执照，缺少资金，无其他贷款", {"key_group": "退役军人", "age": 39, "gender": "男", "business_project": True, "business_registered_area": "广州市", "self_funds_insufficient": True, "other_loans": False, "applicant": "individual"}),
    ("我是网店店主，女，35岁，执照在海珠，想贷款，有一笔15万的消费贷", {"key_group": "网络商户", "gender": "女", "age": 35, "business_registered_area": "广州市", "applicant": "individual", "other_loans": True}),
    ("企业为小微企业，注册于广州市天河区，在职职工共计25人，过去12个月招收了3名退役军人并签订2年劳动合同，无欠薪欠保记录", {"applicant": "enterprise", "enterprise_size": "小微", "registered_area": "广州市", "staff_count": 25, "new_key_group_hires_12m": 3, "hires_contract_1y_plus": True, "arrears": False}),
    ("我准备退休了，公积金交了20年", {"hpf_depositor": True}),
    ("我刚办了退休手续，想把住房公积金取出来", {"withdrawal_reason": "离休退休"}),
    ("在上班的路上发生了交通事故，我负主要责任", {"injury_context": "上下班途中交通事故", "traffic_main_responsibility": True, "employee": True}),
    ("我在工厂里干活被机器轧伤了手", {"employee": True, "injury_context": "工作时间工作场所因工作原因事故"}),
    ("被确诊为职业性尘肺病", {"occupational_disease": True}),
    ("我被丈夫殴打多年", {"domestic_violence_victim": True}),
    ("我在美团送外卖，户口是广州的，今年26岁", {"flexible_work_type": "新业态平台", "hukou": "广州市", "age": 26}),
    ("积分我自己算过是158分，社保交满6年了，有居住证，外地户口，年龄42岁", {"points": 158, "social_insurance_years": 6, "residence_permit_local": True, "hukou": "外地", "age": 42}),
    ("五年内没有受过刑事处罚", {"criminal_record_5y": False}),
    ("十年前坐过牢", {"criminal_record_5y": False}),
    ("我阿妈今年68，冇办居住证，户口喺湛江", {"age": 68, "residence_permit_local": False}),
    ("我已经办咗失业登记，失业保险交咗3年", {"registered_unemployed": True, "ui_contribution_months": 36}),
    ("年龄：63岁；户籍：广州市；", {"age": 63, "hukou": "广州市"}),
    ("性别女，年龄54，农民，想在从化开民宿，资金不足，名下无贷款", {"gender": "女", "age": 54, "key_group": "农民", "business_project": True, "self_funds_insufficient": True, "other_loans": False}),
    ("本人系广州市户籍居民，现年72周岁", {"hukou": "广州市", "age": 72}),
    ("已满六十五周岁，户口在越秀", {"age": 65, "hukou": "广州市"}),
    ("我老公五十五岁，男，退伍军人，在荔湾开了个粉店，执照齐全，资金有缺口，家里只有一套房的房贷", {"age": 55, "gender": "男", "key_group": "退役军人", "business_project": True, "business_registered_area": "广州市", "other_loans": False}),
    ("员工人数：45人；注册地：广州市番禺区；企业规模：小微；近12个月新招用退役军人5名，均签订2年以上劳动合同", {"staff_count": 45, "registered_area": "广州市", "enterprise_size": "小微", "new_key_group_hires_12m": 5, "hires_contract_1y_plus": True, "applicant": "enterprise"}),
    ("失业保险缴费年限：3年；离职原因：公司裁员；已办理失业登记", {"ui_contribution_months": 36, "involuntary_job_loss": True, "registered_unemployed": True}),
    ("我们厂倒闭了，我交了一年的失业保险", {"involuntary_job_loss": True, "ui_contribution_months": 12}),
    ("外地户口，在广州工作满五年，社保五年，积分155，持居住证，没有违法记录，普通职员", {"hukou": "外地", "social_insurance_years": 5, "points": 155, "residence_permit_local": True}),
    ("残疾类别：肢体；残疾等级：二级；户籍：广州", {"disability_kind": "肢体", "disability_grade": 2, "disability_certificate": True, "hukou": "广州市"}),
    ("我已经60岁了，户口刚迁到广州", {"age": 60, "hukou": "广州市"}),
    ("想把户口迁到广州，现在户口在佛山", {"hukou": "佛山市"}),
    ("户口本上是广西的", {"hukou": "广西壮族自治区"}),
    ("我是个体户，一个人经营一家早餐店，没有请工人", {"flexible_work_type": "无雇工个体工商户"}),
    ("在广州做家政，是非全日制的，雇主没给交养老保险", {"flexible_work_type": "非全日制", "employer_pension": False}),
    ("我今年五十，下岗了，失业保险交了十五年", {"age": 50, "involuntary_job_loss": True, "ui_contribution_months": 180}),
])
def test_more_everyday_wordings(text, expected):
    facts = read(text).facts
    assert {k: facts.get(k) for k in expected} == expected


@pytest.mark.parametrize("text, expected, absent", [
    ("今年虚岁61岁，广州户口", {"hukou": "广州市"}, {"age"}),
    ("我60岁了，不过户口不是广州的，是茂名的", {"age": 60, "hukou": "茂名市"}, set()),
    ("我58，户口在广州，残疾人，肢体四级", {"hukou": "广州市", "disability_kind": "肢体", "disability_grade": 4}, set()),
    ("公司去年开始就没给我交失业保险了，之前交了两年，今年三月份被辞退", {"ui_contribution_months": 24, "involuntary_job_loss": True}, set()),
    ("我在番禺住了有两年了，户口在东北", {"residence_city": "广州市", "residence_months": 24, "hukou": "外地"}, set()),
    ("我在广州连续居住了七个月，有租房合同", {"residence_city": "广州市", "residence_months": 7, "stable_housing": True}, set()),
    ("我老婆户口在广州，我户口在湖北", {}, {"hukou"}),
    ("我是高校毕业生，刚毕业，想创业开奶茶店但是没钱", {"key_group": "高校毕业生", "applicant": "individual", "self_funds_insufficient": True, "business_project": True}, set()),
    ("有残疾证吗？没有，我只是腿脚不方便", {}, {"disability_certificate"}),
    ("我没有残疾，户口在广州，65岁", {"hukou": "广州市", "age": 65}, {"disability_certificate"}),
    ("我儿子智力残疾，没有办证", {"disability_kind": "智力", "disability_certificate": False}, set()),
    ("我是低保边缘户", {}, {"minimum_living_allowance"}),
    ("我们村里有人是低保户，我不是", {}, {"minimum_living_allowance"}),
    ("单位给我交了五险一金，交了八年", {}, set()),
    ("失业保险一个月都没交过", {"ui_contribution_months": 0}, set()),
    ("我交了十年社保，但失业保险只交了半年", {"social_insurance_years": 10, "ui_contribution_months": 6}, set()),
    ("男，1968年2月出生，退伍军人", {"gender": "男", "key_group": None}, {"birth_date", "age"}),
    ("我今年二十八岁，在广州送外卖，平台没跟我签合同", {"age": 28, "flexible_work_type": "新业态平台", "platform_labor_relation": False}, set()),
    ("外婆今年八十八，户口一直在白云区，想问敬老优待", {"age": 88, "hukou": "广州市"}, set()),
    ("我1956年5月出生，广州户口", {"hukou": "广州市"}, {"birth_date", "age"}),
    ("本人生于1960年8月8日，户籍广州", {"birth_date": "1960-08-08", "hukou": "广州市"}, set()),
    ("在广州待了五个月，户口湖北，有工作", {"residence_city": "广州市", "residence_months": 5, "hukou": "湖北省", "stable_job": True}, set()),
    ("户籍在河南，在广州读研究生，读了一年", {"hukou": "河南省", "residence_city": "广州市", "continuous_study": True}, set()),
    ("失业险缴了整整12个月，单位到期不续签，我已办失业登记，有求职意愿", {"ui_contribution_months": 12, "involuntary_job_loss": True, "registered_unemployed": True, "job_seeking": True}, set()),
    ("跟公司协商一致解除合同，是公司先提出来的，交了2年失业保险", {"involuntary_job_loss": True, "ui_contribution_months": 24}, set()),
    ("我是被迫离职的，因为公司长期拖欠工资", {"involuntary_job_loss": True}, set()),
    ("上个月退休了，已经开始领退休金了，之前被裁过", {"receiving_pension": True}, set()),
    ("我残疾人证上的等级是一级，类别是视力", {"disability_grade": 1, "disability_kind": "视力", "disability_certificate": True}, set()),
    ("家里领着低保，我是三级听力残疾人", {"minimum_living_allowance": True, "disability_grade": 3, "disability_kind": "听力"}, set()),
    ("我是刑满释放人员，男，45岁，准备在增城开个修车店，还没办执照，想贷款", {"key_group": "刑满释放人员", "gender": "男", "age": 45, "business_project": True, "business_registered": False, "applicant": "individual"}, set()),
    ("我们企业是小微企业，现在一共有120名员工，去年招了7个退役军人，签的都是一年期合同", {"staff_count": 120, "new_key_group_hires_12m": 7, "hires_contract_1y_plus": True}, set()),
    ("公积金缴存了6年，现在要还公积金贷款", {"hpf_depositor": True, "withdrawal_reason": "偿还购房贷款本息"}, set()),
    ("我在岗位上突然心脏骤停，抢救24小时后去世", {"injury_context": "工作时间工作岗位突发疾病", "death_after_rescue_hours": 24}, set()),
    ("老板拖欠了我们农民工半年的工资", {"legal_matter": "支付劳动报酬", "migrant_worker": True}, set()),
    ("我是做网约车的，没和滴滴公司签劳动合同，广州户口，38岁", {"flexible_work_type": "新业态平台", "platform_labor_relation": False, "hukou": "广州市", "age": 38}, set()),
    ("今年44岁，外地户口，广州居住证有效，社保缴满6年，积分达到200分，无刑事处罚，不是特殊行业", {"age": 44, "hukou": "外地", "residence_permit_local": True, "social_insurance_years": 6, "points": 200, "criminal_record_5y": False, "special_industry_frontline": False}, set()),
    ("我的残疾证等级是5级", {}, {"disability_grade"}),
    ("企业在职员工是负20人", {}, {"staff_count"}),
    ("我叔今年六十三，户口在番禺，办了老人卡没有？", {"age": 63, "hukou": "广州市"}, set()),
    ("我今年51岁，户口在广州市荔湾区", {"age": 51, "hukou": "广州市"}, set()),
    ("我老家湖南衡阳的，户口也在衡阳，来广州做保安半年多了", {"hukou": "衡阳市", "residence_city": "广州市", "residence_months": 6, "stable_job": True}, set()),
    ("我是广东梅州人，户口在梅州，在广州工作两年了，有稳定住所", {"hukou": "梅州市", "residence_city": "广州市", "residence_months": 24, "stable_housing": True}, set()),
    ("户口在山东，刚来广州一个月，暂时住亲戚家，还没找到工作", {"hukou": "山东省", "residence_city": "广州市", "residence_months": 1}, {"stable_housing"}),
    ("在公司上了五年班，失业保险也交了五年，今年公司经营困难裁了一批人，我也在里面", {"ui_contribution_months": 60, "involuntary_job_loss": True}, set()),
    ("合同到期后我不想续签了，自己走的，失业保险交了4年", {"involuntary_job_loss": False, "ui_contribution_months": 48}, set()),
    ("我在广州的单位交了10个月失业险，另外之前在佛山交了8个月", {}, set()),
    ("重度残疾，一级，肢体，户籍广州，没有低保", {"disability_grade": 1, "disability_kind": "肢体", "hukou": "广州市", "minimum_living_allowance": False}, set()),
    ("我儿子自闭症，有智力残疾证，二级，户口在广州", {"disability_kind": "智力", "disability_grade": 2, "disability_certificate": True, "hukou": "广州市"}, set()),
    ("女，今年57，农民，在花都搞养殖，执照办了，没别的贷款，资金不够", {"gender": "女", "age": 57, "key_group": "农民", "business_project": True, "other_loans": False, "self_funds_insufficient": True, "applicant": "individual"}, set()),
    ("我们是南沙的一家小微企业，注册在南沙，员工58人，去年招了6个大学毕业生，合同都是两年的", {"registered_area": "广州市", "staff_count": 58, "new_key_group_hires_12m": 6, "hires_contract_1y_plus": True}, set()),
    ("小微企业，广州注册，员工18人，招了2个退役军人，签了半年合同", {"staff_count": 18, "new_key_group_hires_12m": 2, "hires_contract_1y_plus": False}, set()),
    ("在公积金中心交了三年公积金，打算在老家自建房", {"hpf_depositor": True}, set()),
    ("上班时在车间被烫伤", {"employee": True, "injury_context": "工作时间工作场所因工作原因事故"}, set()),
    ("下班骑电动车回家，被一辆闯红灯的车撞了，对方负全责", {"employee": True, "injury_context": "上下班途中交通事故", "traffic_main_responsibility": False}, set()),
    ("我是进城打工的，老板欠了我们八个月工钱", {"legal_matter": "支付劳动报酬"}, set()),
    ("我在深圳送外卖，户口在广西，没跟平台签劳动合同", {"flexible_work_type": "新业态平台", "platform_labor_relation": False, "hukou": "广西壮族自治区"}, set()),
    ("43岁，户口在江西，在广州做会计，社保缴了7年，积分165分，有广州居住证，无犯罪记录，普通行业", {"age": 43, "hukou": "江西省", "stable_job_gz": True, "social_insurance_years": 7, "points": 165, "residence_permit_local": True, "criminal_record_5y": False, "special_industry_frontline": False}, set()),
    ("我46岁，外地户口，想积分入户", {"age": 46, "hukou": "外地"}, set()),
    ("我爷爷今年九十了，是老广州，户口一直在越秀", {"age": 90, "hukou": "广州市"}, set()),
    ("我刚满60，户口在江苏，来广州帮女儿带小孩，居住证还在办理中", {"age": 60, "hukou": "江苏省"}, {"residence_permit_local"}),
    ("老人家74岁，户口在广州海珠，想办张乘车卡", {"age": 74, "hukou": "广州市"}, set()),
    ("我是海南人，户口在海口，在广州开滴滴两年", {"hukou": "海口市", "residence_city": "广州市", "residence_months": 24, "flexible_work_type": "新业态平台"}, set()),
    ("户口在云南，来广州刚3个月，在工厂做普工", {"hukou": "云南省", "residence_city": "广州市", "residence_months": 3, "stable_job": True}, set()),
    ("户口在肇庆，在广州读高中快一年了", {"hukou": "肇庆市", "residence_city": "广州市", "continuous_study": True, "residence_months": 12}, set()),
    ("失业保险连续缴了一年零两个月，被辞退了，还没登记失业，打算找工作", {"ui_contribution_months": 14, "involuntary_job_loss": True, "registered_unemployed": False, "job_seeking": True}, set()),
    ("我们单位整体搬迁，我不愿意去外地，单位跟我解除了劳动合同，失业保险交了9年", {"involuntary_job_loss": True, "ui_contribution_months": 108}, set()),
    ("试用期被公司辞退，失业保险才交了3个月", {"involuntary_job_loss": True, "ui_contribution_months": 3}, set()),
    ("我的残疾人证显示是二级精神残疾，户籍在增城", {"disability_grade": 2, "disability_kind": "精神", "disability_certificate": True, "hukou": "广州市"}, set()),
    ("户籍广州，言语残疾四级，家庭是低收入户", {"hukou": "广州市", "disability_kind": "言语", "disability_grade": 4, "low_income_household": True}, set()),
    ("我今年三十二，男，退伍后在天河开了家奶茶店，营业执照已经下来了，手上资金不足", {"age": 32, "gender": "男", "key_group": "退役军人", "business_project": True, "business_registered_area": "广州市", "self_funds_insufficient": True}, set()),
    ("女，40岁，就业困难人员，残疾人，在越秀开了个裁缝铺，执照有，钱不够", {"gender": "女", "age": 40, "business_project": True, "business_registered_area": "广州市", "self_funds_insufficient": True}, set()),
    ("我们是家小微企业，注册地在广州白云，员工75人，近一年招聘了8名退役军人，都签了3年合同，从未拖欠工资和社保", {"applicant": "enterprise", "enterprise_size": "小微", "registered_area": "广州市", "staff_count": 75, "new_key_group_hires_12m": 8, "hires_contract_1y_plus": True, "arrears": False}, set()),
    ("我要退休了，公积金一直有交，能取吗", {"hpf_depositor": True, "withdrawal_reason": "离休退休"}, set()),
    ("在单位上班时突然脑溢血倒下，送医抢救两天后去世", {"employee": True, "injury_context": "工作时间工作岗位突发疾病", "death_after_rescue_hours": 48}, set()),
    ("厂里的机器把我手指压断了", {"employee": True, "injury_context": "工作时间工作场所因工作原因事故"}, set()),
    ("我在外卖平台跑单，没有签劳动合同，户口是广州的，29岁", {"flexible_work_type": "新业态平台", "platform_labor_relation": False, "hukou": "广州市", "age": 29}, set()),
    ("39岁，外地户口，社保缴纳了八年，有居住证，积分171分，不属于特殊行业，也没有被判过刑", {"age": 39, "hukou": "外地", "social_insurance_years": 8, "residence_permit_local": True, "points": 171, "special_industry_frontline": False, "criminal_record_5y": False}, set()),
    ("今年62岁，户口广州，我自己开的公司，想问下有没有什么补贴", {"age": 62, "hukou": "广州市"}, set()),
])
def test_wordings_read_and_left_unread(text, expected, absent):
    """What is said is read; what is only implied, asked, or said of someone else is left for a question."""
    facts = read(text).facts
    assert {k: facts.get(k) for k in expected} == expected and not (absent & set(facts)), facts


@pytest.mark.parametrize("text, absent", [
    ("祝各位领导工作顺利，我想问问政府工作人员", {"stable_job"}),
    ("我们去快递公司寄了两块车牌", {"applicant", "enterprise_size"}),
    ("我想在北京贷款买车", {"applicant", "other_loans"}),
    ("我们在这家超市工作六七个月了", {"residence_months"}),
    ("我在外省没有自己的房产", {"stable_housing"}),
    ("商店晚上十点关门", {"involuntary_job_loss"}),
    ("我以前在深圳工作过几年", {"stable_job", "residence_city"}),
    ("请到当地车管所办理，出生后的28天内", {"residence_city", "residence_months"}),
])
def test_narrative_words_are_not_statements(text, absent):
    """Kinds of false reading seen when reading real letters to a city government (measured, not copied)."""
    assert not (absent & set(read(text).facts)), read(text).facts


# --- the model fills gaps, through the door ----------------------------------------------------------------------

def _gateway_conftest():  # noqa: ANN202 - the gateway tests' real tiny OpenAI-compatible server, reused
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "gateway" / "conftest.py"
    spec = importlib.util.spec_from_file_location("zw_gateway_conftest_for_match", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


@pytest.fixture
def advise_scenario(zw_env):
    """A masked, approved scenario standing in for match-core's match.advise (registered by its migration)."""
    from zhengwu.context import Caller
    from zhengwu.gateway.scenarios import add_scenario, approve_scenario
    from zhengwu.store import session_scope

    with session_scope() as s:
        add_scenario(s, Caller("admin1", "民政局", "admin"), id="match_facts_test", name_zh="政策匹配（测试）",
                     pii_mode="mask")
    with session_scope() as s:
        approve_scenario(s, Caller("admin2", "民政局", "admin"), "match_facts_test")
    return Caller("resident", "民政局", "citizen")


@pytest.fixture
def model(advise_scenario, monkeypatch):
    gw = _gateway_conftest()
    srv = gw.ModelServer()
    gw.use_model_server(monkeypatch, srv)
    yield srv
    srv.close()


TEXT = "我叫王五，身份证440106197001011234，手机13912345678。今年45岁，在餐馆洗碗，老板没给我买社保"


def _complete(caller, text: str = TEXT):  # noqa: ANN001, ANN202
    from zhengwu.gateway import audit, govern
    from zhengwu.match.facts import complete_with_model
    from zhengwu.store import session_scope

    with session_scope() as s:
        before = len(list(audit.query(s)))
    with govern(caller, "match_facts_test", input=text, decisions="off") as g:
        rules = read(text)
        out = complete_with_model(g, text, rules)
        g.finish(output=json.dumps(out.facts, ensure_ascii=False), action="match")
    with session_scope() as s:
        after = len(list(audit.query(s)))
    return rules, out, after - before


def test_model_fills_gaps_grounded_and_checked(model, advise_scenario):
    model.mode = "fixed"
    model.reply = json.dumps({
        "flexible_work_type": {"value": "非全日制", "words": "在餐馆洗碗"},      # a gap, in the resident's words
        "hukou": {"value": "湖南省", "words": "老家湖南"},                      # words not in the text: a guess
        "disability_grade": {"value": 9, "words": "今年45岁"},                 # impossible: refused
        "age": {"value": 54, "words": "今年45岁"},                             # disagrees with the rules: asked
        "employer_pension": {"value": False, "words": "老板没给我买社保"},       # agrees with the rules
        "no_such_fact": {"value": 1, "words": "王五"},
    }, ensure_ascii=False)
    rules, out, records = _complete(advise_scenario)
    assert rules.facts["age"] == 45 and rules.facts["employer_pension"] is False
    assert out.facts["flexible_work_type"] == "非全日制" and out.spans["flexible_work_type"] == "在餐馆洗碗"
    assert "hukou" not in out.facts and "disability_grade" not in out.facts and "no_such_fact" not in out.facts
    assert out.conflicts["age"] == [45, 54] and "age" not in out.facts
    assert out.facts["employer_pension"] is False
    assert records == 1  # one governed interaction, one audit record
    sent = model.all_received()
    assert "餐馆洗碗" in sent and "flexible_work_type" in sent
    assert "440106197001011234" not in sent and "13912345678" not in sent  # masked by the door


@pytest.mark.parametrize("reply", ["我不知道", "{not json", "[1, 2]", json.dumps({"age": "很老"})])
def test_model_garbage_leaves_the_rules_reading(model, advise_scenario, reply):
    model.mode = "fixed"
    model.reply = reply
    rules, out, records = _complete(advise_scenario)
    assert out.facts == rules.facts and out.conflicts == rules.conflicts and records == 1


def test_without_a_model_the_rules_reading_stands(advise_scenario):
    rules, out, records = _complete(advise_scenario)
    assert out is rules and records == 1


def test_model_failure_leaves_the_rules_reading(model, advise_scenario):
    model.mode = "status"  # the model answers HTTP 500
    rules, out, records = _complete(advise_scenario)
    assert out.facts == rules.facts and records == 1
