"""Reading one line of a policy into conditions of the fact vocabulary: one reader per kind of condition.

Each reader takes a line as published and returns the conditions it states, each carrying that line as its
sentence, or nothing: a reader never guesses (a member of a list of alternatives it cannot read whole is left
to the administrator, see `_one_of_many`). extract.py finds the lines (eligibility passages, exclusions) and
joins what the readers return into the conditions of a draft entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from zhengwu.match.catalog import Condition
from zhengwu.match.validity import cn_number
from zhengwu.match.vocabulary import value_sets

_NUM = r"([0-9０-９]+|[一二两三四五六七八九十]+)"
# a list item's own number ("（一）", "1.", "①"), for a reader that splits the line into names
_LEADING_MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十0-9０-９]+[）)]|[一二三四五六七八九十0-9０-９]+\s*[、.．]|[①-⑳])")


@dataclass
class Context:
    """What a reader needs beyond the line: whose city "本市" is, and whether the applicant is an enterprise."""
    city: str
    target: str = "person"


def _leaf(fact: str, op: str, value: object = None, sentence: str = "", **extra: object) -> Condition:
    return Condition(fact=fact, op=op, value=value, sentence=sentence, **extra)


def group(kind: str, children: list[Condition], sentence: str = "") -> Condition:
    """`all` / `any` of the children; one child is itself, and an `any` of values of one fact is one `in`."""
    children = [c for c in children if c is not None]
    if len(children) == 1:
        return children[0]
    facts = {c.fact for c in children}
    if kind == "any" and len(facts) == 1 and None not in facts and all(c.op in ("==", "in") for c in children):
        # 一 of several values of one fact (提取原因：购买…；离休、退休…) is one `in` condition
        values = [v for c in children for v in (c.value if c.op == "in" else [c.value])]
        if all(isinstance(v, str) for v in values):
            return _leaf(children[0].fact, "in", list(dict.fromkeys(values)), sentence or children[0].sentence)
    return Condition(**{kind: children}, sentence=sentence)


# ---------------------------------------------------------------------------------------------------------
# Readers: one per kind of condition. Each takes a line and returns the conditions it states (or []).
# ---------------------------------------------------------------------------------------------------------

_AGE_OPS = {"年满": ">=", "满": ">=", "以上": ">=", "及以上": ">=", "不超过": "<=", "以下": "<=", "不满": "<",
            "未满": "<", "不足": "<", "低于": "<", "超过": ">"}
_AGE = re.compile(r"(年满|不超过|不满|未满|不足|低于|超过|满)?\s*" + _NUM + r"\s*周?岁\s*(及以上|以上|以下|以内)?")
_GENDER_AGE = re.compile(r"(女性?|男性?)[^，。；、]{0,8}?(年满|不超过|不满|未满|满)?\s*" + _NUM + r"\s*周?岁\s*(以上|以下)?")
_AGE_RANGE = re.compile(_NUM + r"\s*(?:周岁)?\s*(?:至|到|—|－|-|～|~)\s*" + _NUM + r"\s*周?岁")


def _age_op(prefix: str | None, suffix: str | None) -> str | None:
    if suffix in ("以下", "以内"):
        return "<="
    if suffix in ("以上", "及以上"):
        return ">="
    return _AGE_OPS.get(prefix or "")


def _read_age(line: str, ctx: Context) -> list[Condition]:
    pairs = [(m.group(1)[0], _age_op(m.group(2), m.group(4)), cn_number(m.group(3)))
             for m in _GENDER_AGE.finditer(line)]
    pairs = [p for p in pairs if p[1] and p[2] is not None]
    if {p[0] for p in pairs} == {"男", "女"}:
        return [group("any", [group("all", [_leaf("gender", "==", g, line), _leaf("age", op, n, line)])
                               for g, op, n in pairs])]
    if m := _AGE_RANGE.search(line):
        lo, hi = cn_number(m.group(1)), cn_number(m.group(2))
        if lo is not None and hi is not None and lo < hi:
            return [_leaf("age", ">=", lo, line), _leaf("age", "<=", hi, line)]
    out = []
    for m in _AGE.finditer(line):
        op, n = _age_op(m.group(1), m.group(3)), cn_number(m.group(2))
        # “80周岁及以上的老年人、…” names a group of people (maybe one of several); “年满60周岁、在本市…” is a
        # condition followed by the next one
        people = re.match(r"的?[^、，。；]{0,4}?(?:老年人|未成年人|儿童|人员|残疾人|居民)", line[m.end():m.end() + 12])
        if op and n is not None and 0 < n <= 130 and not (people and _one_of_many(line, m.start(), m.end())):
            out.append(_leaf("age", op, n, line))
    return out


def _read_residence(line: str, ctx: Context) -> list[Condition]:
    out: list[Condition] = []
    local = rf"(?:本市|{ctx.city[:-1]}市?)"
    if m := re.search(rf"(非)?(?:具有)?{local}户籍", line):
        out.append(_leaf("hukou", "!=" if m.group(1) else "==", ctx.city, line))
    if re.search(rf"(?:持有?|取得)[^。；，]{{0,12}}{local}[^。；，]{{0,12}}居住证", line):
        out.append(_leaf("residence_permit_local", "==", True, line))
        if len(out) == 2 and re.search(r"户籍[^。；]{0,4}或者?[^。；]{0,4}持", line):
            return [group("any", out)]
    return out


def _read_insurance(line: str, ctx: Context) -> list[Condition]:
    out: list[Condition] = []
    if m := re.search(r"缴纳社会保险(?:费)?(?:累计)?满" + _NUM + "年", line):
        if (n := cn_number(m.group(1))) is not None:
            out.append(_leaf("social_insurance_years", ">=", n, line))
    if m := re.search(r"失业保险(?:费)?[^。；]{0,30}?(?:累计)?满" + _NUM + r"\s*(年|个月)", line):
        if (n := cn_number(m.group(1))) is not None:
            months = n * 12 if m.group(2) == "年" else n
            ui = _leaf("ui_contribution_months", ">=", months, line)
            if re.search(r"不满[^。；]{0,6}但[^。；]{0,6}有失业保险金领取期限", line):
                ui = group("any", [ui, _leaf("remaining_ui_entitlement", "==", True, line)])
            out.append(ui)
    return out


def _read_residence_permit_rule(line: str, ctx: Context) -> list[Condition]:
    """居住证暂行条例: 离开常住户口所在地，居住半年以上，合法稳定就业/住所/连续就读之一."""
    out: list[Condition] = []
    if re.search(r"离开常住户口所在地", line):
        out.append(_leaf("hukou", "!=", sentence=line, ref="residence_city"))
    if m := re.search(r"居住(半年|" + _NUM + r"\s*(?:个月|年))以上", line):
        n = 6 if m.group(1) == "半年" else (cn_number(m.group(2)) or 0) * (12 if m.group(1).endswith("年") else 1)
        if n:
            out.append(_leaf("residence_months", ">=", n, line))
    if re.search(r"本市合法稳定就业或创业", line):          # 积分制入户's wording, a fact of its own
        return out + [_leaf("stable_job_gz", "==", True, line)]
    kinds = [_leaf(fact, "==", True, line) for word, fact in (
        ("合法稳定就业", "stable_job"), ("合法稳定住所", "stable_housing"), ("连续就读", "continuous_study"))
        if word in line]
    if len(kinds) > 1 and "之一" in line:
        kinds = [group("any", kinds)]
    return out + kinds


def _read_work_injury(line: str, ctx: Context) -> list[Condition]:
    """工伤保险条例 第十四条、第十五条 as the vocabulary words them."""
    if re.search(r"工作时间和工作场所内，?因工作原因受到事故伤害", line):
        return [_leaf("injury_context", "==", "工作时间工作场所因工作原因事故", line)]
    if re.search(r"上下班途中[^。；]{0,6}受到非本人主要责任的交通事故", line):
        return [_leaf("injury_context", "==", "上下班途中交通事故", line),
                _leaf("traffic_main_responsibility", "==", False, line)]
    if m := re.search(r"工作时间和工作岗位，?突发疾病死亡或者在\s*(\d+)\s*小时之?内经抢救无效死亡", line):
        return [_leaf("injury_context", "==", "工作时间工作岗位突发疾病", line),
                _leaf("death_after_rescue_hours", "<=", int(m.group(1)), line)]
    return []


_WITHDRAWAL = (("购买", "购买自住住房"), ("大修自住住房", "大修自住住房"), ("离休、退休", "离休退休"),
               ("出境定居", "出境定居"), ("偿还购房贷款本息", "偿还购房贷款本息"))


def _read_withdrawal(line: str, ctx: Context) -> list[Condition]:
    if "公积金" not in line and not re.search(r"自住住房|离休、退休|出境定居|购房贷款本息", line):
        return []
    reasons = [value for word, value in _WITHDRAWAL if word in line and (word != "购买" or "自住住房" in line)]
    return [_leaf("withdrawal_reason", "in", reasons, line)] if reasons else []


def _flag(pattern: str, fact: str, value: object = True) -> Callable[[str, Context], list[Condition]]:
    rx = re.compile(pattern)
    return lambda line, ctx: [_leaf(fact, "==", value, line)] if rx.search(line) else []


def _read_disability(line: str, ctx: Context) -> list[Condition]:
    if "残疾人证" not in line:              # grades of 残疾军人证 / 伤残人民警察证 are not in the vocabulary
        return []
    cert = _leaf("disability_certificate", "==", True, line)
    grade = None
    if m := re.search(r"残疾等级[^。；]{0,6}?([一二三四])级?(?:、|至|到|-)([一二三四])级", line):
        lo, hi = cn_number(m.group(1)), cn_number(m.group(2))
        if lo == 1 and hi is not None:
            grade = _leaf("disability_grade", "<=", hi, line)
    elif m := re.search(r"残疾等级[^。；]{0,6}?([一二三四])级", line):
        grade = _leaf("disability_grade", "==", cn_number(m.group(1)), line)
    kinds = [k for k in ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
             if re.search(k + r"(?:、[^、。；]{2}){0,3}残疾", line) or re.search(k + r"、", line) and "残疾" in line]
    kind = _leaf("disability_kind", "in", kinds, line) if kinds else None
    if grade is not None and kind is not None:
        return [cert, group("any", [grade, kind])]
    return [c for c in (cert, grade, kind) if c is not None]


_ASSISTED = re.compile(r"(?:本市)?(?:低保|低收入?|最低生活保障)(?:家庭|对象|户)")


def _one_of_many(line: str, start: int, end: int, partners: re.Pattern | None = None) -> bool:
    """Whether line[start:end] is one member of a list of alternatives (“低保家庭、零就业家庭…”, “…优抚对象、80周岁
    及以上的老年人等4类人员”, “老年人、残疾人以及未满十六周岁的未成年人”) whose other members the rules do not read
    (`partners` are members they do read). Read alone, such a member would become a requirement: it is left to
    the administrator instead."""
    before, after = line[max(0, start - 200):start], line[end:end + 200]      # bounded: linear on any line
    prev = re.search(r"([^、，。；：,;:]*)(?:、|以及|或者)[^、，。；]{0,3}$", before)
    if prev and not (partners and partners.search(prev.group(1))):
        return True
    nxt = re.match(r"[^、，。；,;]{0,12}?(、|以及|等\s*[0-9一二三四五六七八九十]+\s*类)([^、，。；,;]*)", after)
    return bool(nxt) and (nxt.group(1) not in ("、", "以及") or not (partners and partners.match(nxt.group(2))))


def _read_assistance(line: str, ctx: Context) -> list[Condition]:
    found = []
    m = re.search(r"(?<!退出)(?:低保(?:家庭|对象|户)?|最低生活保障家庭(?!财产|收入|标准))", line)
    if m and not _one_of_many(line, m.start(), m.end(), _ASSISTED):
        found.append(_leaf("minimum_living_allowance", "==", True, line))
    m = re.search(r"(?<!退出低保、)(?<!退出)(?:低收入?家庭|低收入户)", line)
    if m and not _one_of_many(line, m.start(), m.end(), _ASSISTED):
        found.append(_leaf("low_income_household", "==", True, line))
    if len(found) == 2 and re.search(r"低保[^。；]{0,4}[、或和及]", line):
        return [group("any", found)]
    return found


def _read_business(line: str, ctx: Context) -> list[Condition]:
    out: list[Condition] = []
    local = rf"(?:本市|{ctx.city[:-1]}市?)"
    if re.search(rf"在{local}(?:行政区域|辖区)?内?[^。；，]{{0,8}}(?:登记注册|注册登记|依法注册)", line):
        fact = "registered_area" if ctx.target == "enterprise" else "business_registered_area"
        out.append(_leaf(fact, "==", ctx.city, line))
    if m := re.search(r"注册登记(?:时间)?在" + _NUM + r"\s*年(?:以)?内", line):
        if (n := cn_number(m.group(1))) is not None:
            out.append(_leaf("business_registered_months", "<=", n * 12, line))
    if m := re.search(r"(?:登记注册|注册登记)满" + _NUM + r"\s*(年|个月)", line):
        if (n := cn_number(m.group(1))) is not None:
            out.append(_leaf("business_registered_months", ">=", n * 12 if m.group(2) == "年" else n, line))
    if re.search(r"有具体(?:的)?经营项目", line):
        out.append(_leaf("business_project", "==", True, line))
    if re.search(r"本人及其?配偶[^。；]{0,6}没有其他贷款", line):
        out.append(_leaf("other_loans", "==", False, line))
    if re.search(r"资金不足", line):
        out.append(_leaf("self_funds_insufficient", "==", True, line))
    if re.search(r"无拖欠(?:职工)?工资|无[^。；]{0,10}欠缴社会保险费", line):
        out.append(_leaf("arrears", "==", False, line))
    if m := re.search(r"新招用[^。；]{0,12}达到[^。；]{0,10}职工人数\s*(\d+)\s*%(?:（超过(\d+)人的企业达到(\d+)\s*%）)?",
                      line):
        share = _leaf("new_key_group_hires_12m", ">=", sentence=line, ref="staff_count", scale=int(m.group(1)) / 100)
        if m.group(2):
            limit = int(m.group(2))
            big = _leaf("new_key_group_hires_12m", ">=", sentence=line, ref="staff_count",
                        scale=int(m.group(3)) / 100)
            share = group("any", [group("all", [_leaf("staff_count", "<=", limit, line), share]),
                                   group("all", [_leaf("staff_count", ">", limit, line), big])])
        out.append(share)
    if re.search(r"签订\s*(?:1|一)\s*年以上(?:期限)?(?:的)?劳动合同", line):
        out.append(_leaf("hires_contract_1y_plus", "==", True, line))
    return out


def _read_key_group(line: str, ctx: Context) -> list[Condition]:
    head, found, _ = _LEADING_MARKER.sub("", line).partition("（以下简称重点扶持对象）")
    if not found:
        return []
    groups = value_sets()["key_group"]
    names: list[str] = []
    for word in (n.strip() for n in re.split(r"、|及(?![^（]*）)", head) if n.strip()):
        canonical = groups.canonical(word)  # the vocabulary's spelling of the group
        if canonical is None:
            return []  # a group the vocabulary does not name: the line is left for a person (the draft's notes)
        if canonical not in names:
            names.append(canonical)
    return [_leaf("key_group", "in", names, line)] if names else []


def _read_flexible_work(line: str, ctx: Context) -> list[Condition]:
    out = []
    if re.search(r"无雇工的?个体工商户", line):
        out.append(_leaf("flexible_work_type", "==", "无雇工个体工商户", line))
    if re.search(r"非全日制从业人员", line):
        out.append(_leaf("flexible_work_type", "==", "非全日制", line))
    if re.search(r"新业态平台", line) and re.search(r"就业|从业", line):
        out.append(_leaf("flexible_work_type", "==", "新业态平台", line))
        if re.search(r"未与[^。；]{0,10}平台[^。；]{0,6}建立劳动关系", line):
            out.append(_leaf("platform_labor_relation", "==", False, line))
    if re.search(r"未在用人单位参加基本养老保险", line):
        out.append(_leaf("employer_pension", "==", False, line))
    return out


def _read_points(line: str, ctx: Context) -> list[Condition]:
    m = re.search(r"积分满\s*(\d+)\s*分", line)
    return [_leaf("points", ">=", int(m.group(1)), line)] if m else []


_READERS: tuple[Callable[[str, Context], list[Condition]], ...] = (
    _read_age,
    _read_residence,
    _read_insurance,
    _flag(r"非因本人意愿中断就业", "involuntary_job_loss"),
    _flag(r"办理(?:了)?失业登记", "registered_unemployed"),
    _flag(r"有求职要求", "job_seeking"),
    _read_disability,
    _read_assistance,
    _flag(r"特困人员救助供养|特困供养|纳入特困", "extreme_poverty_support"),
    _flag(r"工伤保险护理费", "work_injury_nursing_fee"),
    _flag(r"领取(?:工商)?营业执照", "holds_business_license"),
    _flag(r"按月领取[^。；]{0,16}基本养老保险待遇", "receiving_pension"),
    _flag(r"我省就业登记证明", "employment_registration_gd"),
    _read_business,
    _read_key_group,
    _read_flexible_work,
    _read_residence_permit_rule,
    _read_work_injury,
    _read_withdrawal,
    _flag(r"患职业病", "occupational_disease"),
    _flag(r"醉酒", "drunk"),
    _flag(r"家庭暴力", "domestic_violence_victim"),
    _flag(r"见义勇为", "good_samaritan_claim"),
    _flag(r"因经济困难", "economic_hardship"),
    _flag(r"进城务工人员", "migrant_worker"),
    _flag(r"近(?:5|五)年内?未受过刑事处罚", "criminal_record_5y", False),
    _read_points,
)


# a line that relaxes a standard or defines what is not counted is about the standard, not a requirement
_NOT_A_REQUIREMENT = re.compile(r"适当放宽|放宽到|不计入")


def read_conditions(line: str, *, city: str = "广州市", target: str = "person") -> list[Condition]:
    """Every condition one line states, in the vocabulary, each carrying the line as its sentence."""
    if _NOT_A_REQUIREMENT.search(line):
        return []
    ctx = Context(city=city, target=target)
    return [c for reader in _READERS for c in reader(line, ctx)]
