"""Closed-value facts (法律援助事项, 提取原因, 残疾类别 …): one canonical value set in the vocabulary, shared by the
catalogue (which must use it), a form (which may use an alias) and the reader (which reads only its values).

The descriptions here are our own phrasings, written for this test, not copied from a case set.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest

from zhengwu.errors import ZhengwuError
from zhengwu.match import wording as w
from zhengwu.match.catalog import demo_catalog_path, load_catalog, validate_catalog
from zhengwu.match.engine import match
from zhengwu.match.facts import read_facts
from zhengwu.match.vocabulary import check_value, value_sets, vocabulary

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def demo():
    return load_catalog(demo_catalog_path())


def test_every_closed_fact_has_grounded_values_and_compiling_cues():
    sets = value_sets()
    assert {"legal_matter", "withdrawal_reason", "injury_context", "flexible_work_type", "disability_kind", "key_group",
            "education", "enterprise_size"} <= set(sets)
    for name, vs in sets.items():
        f = vocabulary()[name]
        assert f.type == "str" and f.values == tuple(v.name for v in vs.values), name
        for value in vs.values:
            assert value.law.strip(), (name, value.name)       # where the value comes from
            assert vs.canonical(value.name) == value.name
            for alias in value.aliases:
                assert vs.canonical(alias) == value.name and alias not in f.values, (name, alias)
            for cue in value.cues:
                for pattern in cue:
                    w.rx(pattern, "")                         # compiles
    # the legal-aid matters are the items of 法律援助法 第三十一条 (一)–(八), one value per matter
    assert len(sets["legal_matter"].values) == 16
    assert {"支付劳动报酬", "请求工伤事故人身损害赔偿", "请求给付赡养费"} <= set(vocabulary()["legal_matter"].values)


@pytest.mark.parametrize("name, given, canonical", [
    ("legal_matter", "欠薪", "支付劳动报酬"),
    ("legal_matter", "请求支付劳动报酬", "支付劳动报酬"),
    ("legal_matter", " 赡养费 ", "请求给付赡养费"),
    ("legal_matter", "工伤事故人身损害赔偿", "请求工伤事故人身损害赔偿"),
    ("withdrawal_reason", "退休", "离休退休"),
    ("withdrawal_reason", "还房贷", "偿还购房贷款本息"),
    ("education", "专科", "大专"),
    ("enterprise_size", "微型企业", "小微"),
    ("key_group", "退伍军人", "退役军人"),
    ("key_group", "在校大学生", "在校学生"),
    ("disability_kind", "肢体残疾", "肢体"),
    ("flexible_work_type", "钟点工", "非全日制"),
    ("gender", "女性", "女"),
])
def test_a_form_alias_is_mapped_to_its_canonical_value(name, given, canonical):
    assert check_value(name, given) == canonical


def test_an_unknown_form_value_is_refused_with_the_allowed_values():
    with pytest.raises(ZhengwuError) as exc:
        check_value("withdrawal_reason", "炒股")
    e = exc.value
    assert e.code == "match_bad_value" and e.context["fact"] == "withdrawal_reason"
    assert "提取原因" in e.zh and "离休退休" in e.zh and "炒股" in e.zh
    assert "reason for withdrawal" in e.en and "偿还购房贷款本息" in e.en
    assert e.context["allowed"] == list(vocabulary()["withdrawal_reason"].values)


def _one_scheme(value: object, op: str = "in") -> dict:
    return {"schemes": [{
        "id": "legal-aid-test", "name": "法律援助", "target": "person",
        "source": {"policy_id": "law-test", "title": "中华人民共和国法律援助法"},
        "eligibility": {"all": [{"fact": "age", "op": ">=", "value": 0},
                                {"fact": "legal_matter", "op": op, "value": value, "sentence": "（四）请求给付赡养费…"}]}}]}


def test_the_catalogue_refuses_an_alias_naming_the_canonical_value_and_the_allowed_ones():
    with pytest.raises(ZhengwuError) as exc:
        validate_catalog(_one_scheme(["请求给付赡养费", "赡养费"]))
    e = exc.value
    assert e.code == "match_bad_catalog"
    assert e.context["scheme"] == "legal-aid-test" and e.context["path"] == "eligibility.1"
    assert "“赡养费”应写作“请求给付赡养费”" in e.zh and "法律援助事项" in e.zh and "支付劳动报酬" in e.zh
    assert "'赡养费' is written '请求给付赡养费'" in e.en and "allowed:" in e.en and "legal-aid matter" in e.en
    assert e.context["allowed"] == list(vocabulary()["legal_matter"].values)


@pytest.mark.parametrize("value, op", [("离婚财产分割", "=="), (["支付劳动报酬", "离婚"], "in"), ("请求给付赡养费、抚养费、扶养费", "==")])
def test_the_catalogue_refuses_an_unknown_value(value, op):
    with pytest.raises(ZhengwuError) as exc:
        validate_catalog(_one_scheme(value, op))
    assert exc.value.code == "match_bad_catalog" and "不是规范值" in exc.value.zh and "not a canonical value" in exc.value.en
    assert "请求确认劳动关系" in exc.value.zh


def test_canonical_values_validate():
    assert validate_catalog(_one_scheme(["请求给付赡养费", "请求给付抚养费"])).schemes[0].id == "legal-aid-test"


def test_the_demo_catalogue_uses_only_canonical_values_and_covers_the_legal_lists(demo):
    used: dict[str, set[str]] = {}
    for scheme in demo.schemes:
        for cond in [scheme.eligibility, *scheme.exclusions]:
            for leaf in cond.leaves():
                if leaf.fact in value_sets() and leaf.value is not None:
                    values = leaf.value if isinstance(leaf.value, list) else [leaf.value]
                    assert set(values) <= set(vocabulary()[leaf.fact].values), (scheme.id, leaf.fact, values)
                    used.setdefault(leaf.fact, set()).update(values)
    # 法律援助法 第三十一条 and 住房公积金管理条例 第二十四条: every item is a condition of its scheme
    assert used["legal_matter"] == set(vocabulary()["legal_matter"].values)
    assert used["withdrawal_reason"] == set(vocabulary()["withdrawal_reason"].values)


def _labels(facts: dict, catalog) -> dict[str, str]:
    return {o.scheme_id: o.label for o in match(facts, catalog, today=TODAY).outcomes}


def test_an_alias_in_a_form_matches_like_its_canonical_value(demo):
    """Every alias of every closed value gives the demo catalogue's outcomes of the value it names."""
    checked = 0
    for name, vs in value_sets().items():
        for value in vs.values:
            expected = _labels({name: value.name}, demo)
            for alias in value.aliases:
                assert _labels({name: alias}, demo) == expected, (name, alias)
                checked += 1
    assert checked > 80


@pytest.mark.parametrize("text, fact, value", [
    # legal-aid matters, said as grievances
    ("干了三个月装修，工头一分钱工钱都没结，拖欠我们的劳务费", "legal_matter", "支付劳动报酬"),
    ("我妈八十了，三个子女都不愿意给赡养费", "legal_matter", "请求给付赡养费"),
    ("孩子他爸两年没给过抚养费", "legal_matter", "请求给付抚养费"),
    ("在仓库搬货时被叉车撞伤骨折，老板一直不肯赔", "legal_matter", "请求工伤事故人身损害赔偿"),
    ("单位不认我这个人，我要先确认劳动关系再说", "legal_matter", "请求确认劳动关系"),
    ("养老金被停发了半年，社保那边也说不清", "legal_matter", "请求社会保险待遇"),
    # housing-fund withdrawal reasons, a question or a wish still naming the reason
    ("公积金可以拿来还房贷吗", "withdrawal_reason", "偿还购房贷款本息"),
    ("准备在老家宅基地上盖房子，想把公积金取出来", "withdrawal_reason", "建造自住住房"),
    ("我已经退休两年了，公积金还没取", "withdrawal_reason", "离休退休"),
    ("一家人要移民去加拿大定居，公积金怎么销户提取", "withdrawal_reason", "出境定居"),
    # kinds of work and disability
    ("平时在饿了么上跑单", "flexible_work_type", "新业态平台"),
    ("开了个卖早餐的小档口，就我一个人", "flexible_work_type", "无雇工个体工商户"),
    ("儿子是智障，残疾证也办了", "disability_kind", "智力"),
    ("残疾类别是听力，二级", "disability_kind", "听力"),
    ("我老公值夜班时心梗发作走了", "injury_context", "工作时间工作岗位突发疾病"),
])
def test_the_reader_reads_closed_values_from_their_cues(text, fact, value):
    assert read_facts(text, today=TODAY).facts.get(fact) == value


@pytest.mark.parametrize("text, fact", [
    ("我从来没跑过外卖，也不是骑手", "flexible_work_type"),          # negated
    ("我还没退休，公积金能提出来吗", "withdrawal_reason"),             # negated
    ("隔壁邻居的儿子不给赡养费，我看不过去", "legal_matter"),            # someone else
    ("有人说跑外卖收入高，想问问灵活就业怎么交社保", "flexible_work_type"),  # someone else
    ("我想以后去送快递，现在在家带孩子", "flexible_work_type"),          # a wish
    ("我每个月都按时给我妈赡养费", "legal_matter"),                   # no grievance
    ("单位的公积金一直按时在交", "withdrawal_reason"),                 # no reason
    ("文件精神是保障残疾人权益", "disability_kind"),                  # not a kind of disability
    ("我同事是退伍军人，我自己想开个奶茶店，钱不够想贷款", "key_group"),      # a colleague
])
def test_a_closed_value_is_not_read_where_it_is_not_the_residents_state(text, fact):
    assert fact not in read_facts(text, today=TODAY).facts


def test_a_priority_group_hired_is_not_the_speakers():
    reading = read_facts("我是退伍军人，想开个奶茶店，钱不够想贷款", today=TODAY)
    assert reading.facts["key_group"] == "退役军人"
    assert "key_group" not in read_facts("我们公司30个人，去年招了4个退役军人，都签了两年合同", today=TODAY).facts


def test_two_matters_keep_the_first_and_two_reasons_are_a_conflict():
    reading = read_facts("公司欠了我两个月工资。老板还不承认我是他们的员工。", today=TODAY)
    assert reading.facts["legal_matter"] == "支付劳动报酬" and "legal_matter" not in reading.conflicts
    reading = read_facts("我想用公积金还房贷。另外我下个月退休。", today=TODAY)
    assert reading.conflicts["withdrawal_reason"] == ["偿还购房贷款本息", "离休退休"]


def test_every_value_the_reader_gives_is_canonical():
    texts = ["残疾证上写的是肢体，三级", "我是本科学历", "我们是一家中型企业，员工三百人，注册在广州",
             "上班路上骑电动车被小车撞了", "我是退伍军人，想开个小饭馆，钱不够想贷款"]
    for text in texts:
        for name, value in read_facts(text, today=TODAY).facts.items():
            if name in value_sets():
                assert value in vocabulary()[name].values, (text, name, value)


def test_the_demo_catalogue_round_trip_keeps_canonical_values(demo):
    again = validate_catalog(copy.deepcopy(demo.model_dump(mode="json", by_alias=True)))
    assert [s.id for s in again.schemes] == [s.id for s in demo.schemes]
    assert not re.search(r"value: \[[^\]]*(?:在校大学生|还房贷|请求给付赡养费、)", demo_catalog_path().read_text("utf-8"))


def test_a_proposed_entry_uses_canonical_groups_or_leaves_the_line_to_a_person():
    """`zhengwu match extract` reads a 重点扶持对象 list into the vocabulary's values (含残疾人 → 就业困难人员（残疾人）); a group
    the vocabulary does not name leaves the line unread (the draft's notes), rather than a narrower list."""
    from zhengwu.match.readers import Context, _read_key_group

    line = "登记失业人员、就业困难人员（含残疾人）、退役军人、化解过剩产能企业职工和失业人员及农民（以下简称重点扶持对象）自主创业…"
    [cond] = _read_key_group(line, Context(city="广州市"))
    assert cond.value == ["登记失业人员", "就业困难人员（残疾人）", "退役军人", "化解过剩产能企业职工和失业人员", "农民"]
    assert _read_key_group("退役军人、外星来客（以下简称重点扶持对象）…", Context(city="广州市")) == []


@pytest.mark.parametrize("name,value,zh,en", [("residence_months", "半年", "整数（月）", "a whole number (months)"),
                                              ("stable_job", "yes", "“是”或“否”", "yes or no"),
                                              ("birth_date", 1966, "日期", "a date"),
                                              ("staff_count", 3.5, "整数（人）", "a whole number (people)")])
def test_a_wrong_type_is_named_in_words_not_as_a_python_type(name, value, zh, en):
    """An administrator importing a form or a catalogue reads "应填整数（月）", not "应为 int"."""
    with pytest.raises(ZhengwuError) as exc:
        check_value(name, value)
    err = exc.value
    assert err.code == "match_bad_type" and zh in err.zh and en in err.en
    assert not re.search(r"\b(?:int|bool|str|date)\b", err.zh)
    assert not re.search(r"expected (?:int|bool|str|date)\b", err.en)
