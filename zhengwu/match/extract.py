"""Proposing catalogue entries from a policy document, for an administrator to review and publish.

Eligibility is scattered across documents written for people, not for programs; the catalogue needs it as
typed conditions. This module reads a policy's text by rules and patterns (no model needed): it finds the
eligibility passages (申请条件 / 补贴对象 / 符合下列条件 / …之一的, with their list items), reads each item
into conditions of the fact vocabulary with the verbatim line it came from, finds exclusions (不享受 /
不能申领 …), the validity (validity.py), the 文号, materials and the deciding office. Every proposal is a
`draft`: a line the rules cannot read is kept in `notes` with its words, never guessed, and nothing goes live
before a person has checked it (`zhengwu match catalog import` then `publish`).

When a generative model is configured, `propose_with_model` asks it for the conditions as JSON through the
governed interaction; each is validated against the vocabulary and kept only with a sentence found verbatim
in the document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from zhengwu.errors import NotFound, ZhengwuError
from zhengwu.match.catalog import Condition, Scheme, Source, validate_catalog
from zhengwu.match.validity import cn_number, read_validity

if TYPE_CHECKING:
    from zhengwu.context import Caller
    from zhengwu.gateway import Governed

MAX_DOCUMENT_CHARS = 2_000_000
"""Longer than any policy document (the longest in the corpus is 17,000 characters); refused beyond it."""

# list-item markers, one class per numbering style: a change of style opens a nested list
# (Chinese documents number 一、 > （一） > 1. > （1） > ① > a.: only a lower style nests under an item)
_MARKERS = (
    ("paren_cn", re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    ("cn_dun", re.compile(r"^[一二三四五六七八九十]+[、．.]")),
    ("paren_ar", re.compile(r"^[（(][0-9０-９]{1,2}[）)]")),
    ("arabic", re.compile(r"^[0-9０-９]{1,2}\s*[.．、](?![0-9])")),
    ("circled", re.compile(r"^[①-⑳]")),
    ("alpha", re.compile(r"^[a-zA-Z][.．、]")),
)
_RANK = {name: i for i, (name, _) in enumerate(_MARKERS)}
_LEAD = re.compile(                      # a line that introduces the conditions listed under it
    r"(符合|具备|满足)(下列|以下|如下)[^。]{0,6}(条件|情形)|应当?同时符合|之一的?"
    r"|(申请|补贴|资助|享受|领取|参保|认定)?(条件|对象)\s*[为是]?[:：]"
    r"|(人群|范围)[:：]$|(下列|以下)(人员|对象|家庭|事项)[^。]*[:：]$")
_NOT_CONDITIONS = re.compile(r"申请材料|提交下列材料|需提供|提交以下|材料[:：]|不得有下列行为|包括以下情形|包括")
_EXCLUSION = re.compile(r"不享受|不能申领|不能享受|不得申领|不得享受|不予(?:享受|发放)|停发|停止发放|不得认定|不认定为")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,10}〔\d{4}〕\d{1,4}号")
_CITY = re.compile(r"(广州|深圳|北京|上海|天津|重庆|杭州|南京|成都|武汉|西安|佛山|东莞|珠海)市?")
_OFFICE = re.compile(r"(?:向|由)((?:[\u4e00-\u9fa5]{0,10}?)(?:人力资源和?社会保障局|人社局|民政局|残联|残疾人联合会|"
                     r"医疗保障局|住房保障部门|住房保障办公室|公共就业服务机构|社会保险经办机构|街道办事处|"
                     r"[\u4e00-\u9fa5]{1,8}(?:局|部门|机构|中心|委员会|办公室)))(?:提出|申请|提交|审核|审批|核准|认定|受理|办理)")
_NUM = r"([0-9０-９]+|[一二两三四五六七八九十]+)"


@dataclass
class _Context:
    """What a reader needs beyond the line: whose city "本市" is, and whether the applicant is an enterprise."""
    city: str
    target: str = "person"


def _leaf(fact: str, op: str, value: object = None, sentence: str = "", **extra: object) -> Condition:
    return Condition(fact=fact, op=op, value=value, sentence=sentence, **extra)


def _group(kind: str, children: list[Condition], sentence: str = "") -> Condition:
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


def _read_age(line: str, ctx: _Context) -> list[Condition]:
    pairs = [(m.group(1)[0], _age_op(m.group(2), m.group(4)), cn_number(m.group(3)))
             for m in _GENDER_AGE.finditer(line)]
    pairs = [p for p in pairs if p[1] and p[2] is not None]
    if {p[0] for p in pairs} == {"男", "女"}:
        return [_group("any", [_group("all", [_leaf("gender", "==", g, line), _leaf("age", op, n, line)])
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
        group = re.match(r"的?[^、，。；]{0,4}?(?:老年人|未成年人|儿童|人员|残疾人|居民)", line[m.end():m.end() + 12])
        if op and n is not None and 0 < n <= 130 and not (group and _one_of_many(line, m.start(), m.end())):
            out.append(_leaf("age", op, n, line))
    return out


def _read_residence(line: str, ctx: _Context) -> list[Condition]:
    out: list[Condition] = []
    local = rf"(?:本市|{ctx.city[:-1]}市?)"
    if m := re.search(rf"(非)?(?:具有)?{local}户籍", line):
        out.append(_leaf("hukou", "!=" if m.group(1) else "==", ctx.city, line))
    if re.search(rf"(?:持有?|取得)[^。；，]{{0,12}}{local}[^。；，]{{0,12}}居住证", line):
        out.append(_leaf("residence_permit_local", "==", True, line))
        if len(out) == 2 and re.search(r"户籍[^。；]{0,4}或者?[^。；]{0,4}持", line):
            return [_group("any", out)]
    return out


def _read_insurance(line: str, ctx: _Context) -> list[Condition]:
    out: list[Condition] = []
    if m := re.search(r"缴纳社会保险(?:费)?(?:累计)?满" + _NUM + "年", line):
        if (n := cn_number(m.group(1))) is not None:
            out.append(_leaf("social_insurance_years", ">=", n, line))
    if m := re.search(r"失业保险(?:费)?[^。；]{0,30}?(?:累计)?满" + _NUM + r"\s*(年|个月)", line):
        if (n := cn_number(m.group(1))) is not None:
            months = n * 12 if m.group(2) == "年" else n
            ui = _leaf("ui_contribution_months", ">=", months, line)
            if re.search(r"不满[^。；]{0,6}但[^。；]{0,6}有失业保险金领取期限", line):
                ui = _group("any", [ui, _leaf("remaining_ui_entitlement", "==", True, line)])
            out.append(ui)
    return out


def _read_residence_permit_rule(line: str, ctx: _Context) -> list[Condition]:
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
        kinds = [_group("any", kinds)]
    return out + kinds


def _read_work_injury(line: str, ctx: _Context) -> list[Condition]:
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


def _read_withdrawal(line: str, ctx: _Context) -> list[Condition]:
    if "公积金" not in line and not re.search(r"自住住房|离休、退休|出境定居|购房贷款本息", line):
        return []
    reasons = [value for word, value in _WITHDRAWAL if word in line and (word != "购买" or "自住住房" in line)]
    return [_leaf("withdrawal_reason", "in", reasons, line)] if reasons else []


def _flag(pattern: str, fact: str, value: object = True) -> Callable[[str, _Context], list[Condition]]:
    rx = re.compile(pattern)
    return lambda line, ctx: [_leaf(fact, "==", value, line)] if rx.search(line) else []


def _read_disability(line: str, ctx: _Context) -> list[Condition]:
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
        return [cert, _group("any", [grade, kind])]
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


def _read_assistance(line: str, ctx: _Context) -> list[Condition]:
    found = []
    m = re.search(r"(?<!退出)(?:低保(?:家庭|对象|户)?|最低生活保障家庭(?!财产|收入|标准))", line)
    if m and not _one_of_many(line, m.start(), m.end(), _ASSISTED):
        found.append(_leaf("minimum_living_allowance", "==", True, line))
    m = re.search(r"(?<!退出低保、)(?<!退出)(?:低收入?家庭|低收入户)", line)
    if m and not _one_of_many(line, m.start(), m.end(), _ASSISTED):
        found.append(_leaf("low_income_household", "==", True, line))
    if len(found) == 2 and re.search(r"低保[^。；]{0,4}[、或和及]", line):
        return [_group("any", found)]
    return found


def _read_business(line: str, ctx: _Context) -> list[Condition]:
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
            share = _group("any", [_group("all", [_leaf("staff_count", "<=", limit, line), share]),
                                   _group("all", [_leaf("staff_count", ">", limit, line), big])])
        out.append(share)
    if re.search(r"签订\s*(?:1|一)\s*年以上(?:期限)?(?:的)?劳动合同", line):
        out.append(_leaf("hires_contract_1y_plus", "==", True, line))
    return out


def _read_key_group(line: str, ctx: _Context) -> list[Condition]:
    head, found, _ = _strip_marker(line).partition("（以下简称重点扶持对象）")
    if not found:
        return []
    names = [n.strip() for n in re.split(r"、|及(?![^（]*）)", head) if n.strip()]
    return [_leaf("key_group", "in", names, line)] if names else []


def _read_flexible_work(line: str, ctx: _Context) -> list[Condition]:
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


def _read_points(line: str, ctx: _Context) -> list[Condition]:
    m = re.search(r"积分满\s*(\d+)\s*分", line)
    return [_leaf("points", ">=", int(m.group(1)), line)] if m else []


_READERS: tuple[Callable[[str, _Context], list[Condition]], ...] = (
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
    ctx = _Context(city=city, target=target)
    return [c for reader in _READERS for c in reader(line, ctx)]


# ---------------------------------------------------------------------------------------------------------
# Passages: a lead line ("符合下列条件的…：") and its list items, nested by numbering style
# ---------------------------------------------------------------------------------------------------------

@dataclass
class _Item:
    text: str
    children: list[_Item] = field(default_factory=list)


def _marker(line: str) -> str | None:
    return next((name for name, rx in _MARKERS if rx.match(line)), None)


def _strip_marker(line: str) -> str:
    for _, rx in _MARKERS:
        if m := rx.match(line):
            return line[m.end():].strip()
    return line


_LONGEST_LIST = 100
"""Items of one list at most (the longest in the corpus has 14): a hostile document cannot make one entry of
a million conditions."""


def _items(lines: list[str], i: int, style: str, outer: frozenset[str]) -> tuple[list[_Item], int]:
    """The list starting at lines[i] in numbering `style`; a different style under an item nests."""
    items: list[_Item] = []
    while i < len(lines) and len(items) < _LONGEST_LIST:
        m = _marker(lines[i])
        if m == style:
            items.append(_Item(lines[i]))
            i += 1
        elif m is not None and m not in outer and items and _RANK[m] > _RANK[style]:
            items[-1].children, i = _items(lines, i, m, outer | {style})
        else:
            break
    return items, i


def _plain_items(lines: list[str], i: int) -> tuple[list[_Item], int]:
    """Unnumbered items under a lead ending in "：": the lines ending in "；" and the one closing with "。"."""
    items: list[_Item] = []
    while i < len(lines) and len(items) < 20 and _marker(lines[i]) is None and not _is_lead(lines[i]):
        items.append(_Item(lines[i]))
        i += 1
        if not lines[i - 1].endswith(("；", ";")):
            break
    return (items, i) if len(items) >= 2 else ([], i)


def _list_after(lines: list[str], lead_index: int) -> tuple[list[_Item], int]:
    """The list under lines[lead_index] (numbered in a style other than the lead's own, or plain)."""
    i = lead_index + 1
    if i >= len(lines):
        return [], i
    style = _marker(lines[i])
    if style is not None and style != _marker(lines[lead_index]):
        return _items(lines, i, style, frozenset({_marker(lines[lead_index]) or ""}))
    if style is None and lines[lead_index].endswith(("：", ":")):
        return _plain_items(lines, i)
    return [], i


def _is_lead(line: str) -> bool:
    return bool(_LEAD.search(line)) and not _NOT_CONDITIONS.search(line) and not _EXCLUSION.search(line)


@dataclass
class _Passage:
    lead: str
    items: list[_Item]
    heading: str


# "…的公民，享受…" / "…之一的，可以依照本条例的规定申领…": who qualifies, then what they may do, in one sentence
_ONE_SENTENCE_RULE = re.compile(r"(?:的(?:公民|人员|居民|老年人|残疾人|家庭|职工|失业人员|劳动者)|之一的)，?"
                                r"(?:均?可以?|按规定)?(?:依照[^。，]{0,12})?(?:享受|申请|申领|领取|提取)")
_LONGEST_RULE_SENTENCE = 300


def _one_sentence_rules(line: str) -> list[str]:
    """The sentences of a line that state a rule on their own (after any "：", at most 300 characters: a
    longer run is not one rule, and the bound keeps a hostile megabyte-long line linear)."""
    found = []
    for sentence in line.split("。")[:-1]:             # str.split: a regex scan would be quadratic here
        tail = re.split(r"[：:]", sentence + "。")[-1].strip()
        if len(tail) <= _LONGEST_RULE_SENTENCE and _ONE_SENTENCE_RULE.search(tail):
            found.append(tail)
    return found


def _passages(lines: list[str]) -> list[_Passage]:
    found: list[_Passage] = []
    heading = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        items, j = _list_after(lines, i) if _is_lead(line) else ([], i)
        if items:
            found.append(_Passage(line, items, heading))
            i = j
            continue
        for sentence in _one_sentence_rules(line):
            if read_conditions(sentence):               # a rule in one sentence ("年满60周岁…的公民，享受…")
                found.append(_Passage(sentence, [], heading))
        if len(_strip_marker(line)) <= 24 and not line.endswith(("。", "；", ";")):
            heading = _strip_marker(line).rstrip("：:")
        i += 1
    return found


def _combinator(text: str) -> str | None:
    """How a lead joins its items: all, any, or None when the items only illustrate (包括以下情形)."""
    if "之一" in text or (re.search(r"(下列|以下)(人员|对象|家庭|事项)", text) and "条件" not in text):
        return "any"
    if re.search(r"包括以下|包括下列|如下情形|以下情形[:：]$", text) and "条件" not in text:
        return None
    return "all"


def _read_item(item: _Item, ctx: _Context) -> tuple[Condition | None, list[str]]:
    own = read_conditions(_strip_marker(item.text), city=ctx.city, target=ctx.target)
    # the sentence is the whole line as published, marker included, so that it is found verbatim
    own = [_with_sentence(c, item.text) for c in own]
    unread: list[str] = []
    kind = _combinator(item.text)
    if item.children and kind is not None:
        parts = []
        for child in item.children:
            cond, more = _read_item(child, ctx)
            unread += more
            if cond is not None:
                parts.append(cond)
        if parts:
            own.append(_group(kind, parts, item.text))
    if not own:
        unread.append(item.text)
        return None, unread
    return _group("all", own), unread


def _with_sentence(cond: Condition, sentence: str) -> Condition:
    if cond.fact is not None:
        return cond.model_copy(update={"sentence": sentence})
    kind = "all" if cond.all is not None else "any" if cond.any is not None else "not_"
    children = cond.all or cond.any or [cond.not_]
    new = [_with_sentence(c, sentence) for c in children]
    return cond.model_copy(update={kind: new if kind != "not_" else new[0], "sentence": sentence})


def _target(passage: _Passage) -> str:
    words = passage.heading + passage.lead
    if re.search(r"企业借款人|用人单位|企业申请|单位申请|(?<!初创)企业[^。，]{0,4}(?:条件|对象)", words):
        return "enterprise"
    if re.search(r"家庭", passage.lead):
        return "household"
    return "person"


def _read_passage(passage: _Passage, ctx: _Context) -> tuple[Condition | None, list[str]]:
    lead_conds = [_with_sentence(c, passage.lead) for c in
                  read_conditions(passage.lead, city=ctx.city, target=ctx.target)]
    unread: list[str] = []
    parts = []
    for item in passage.items:
        cond, more = _read_item(item, ctx)
        unread += more
        if cond is not None:
            parts.append(cond)
    kind = _combinator(passage.lead) or "all"
    if parts:
        lead_conds.append(_group(kind, parts, passage.lead))
    if not lead_conds:
        return None, unread
    return _group("all", lead_conds, passage.lead), unread


def _exclusions(lines: list[str], ctx: _Context) -> tuple[list[Condition], list[str]]:
    """Conditions that bar the scheme when stated true (领取工伤保险护理费…的，不享受…), and the exclusion
    sentences the rules cannot read."""
    found: list[Condition] = []
    unread: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not _EXCLUSION.search(line):
            i += 1
            continue
        items, j = _list_after(lines, i) if line.endswith(("：", ":")) else ([], i)
        group = [it.text for it in items] or [line]
        i = max(j, i + 1)
        for text in group:
            conds = [c for c in read_conditions(text, city=ctx.city, target=ctx.target)
                     if c.fact is not None and c.op == "==" and c.value is True]
            found += [_with_sentence(c, text) for c in conds]
            if not conds:
                unread.append(text)
    return found, unread


# ---------------------------------------------------------------------------------------------------------
# Metadata: 文号, materials, deciding office, city
# ---------------------------------------------------------------------------------------------------------

def read_doc_number(text: str) -> str:
    """The document's own 文号: one standing on a line of its own (the masthead), not one it cites."""
    for line in text.splitlines()[:40]:
        line = line.strip()
        if (m := _DOC_NUMBER.fullmatch(line)) is not None:
            return m.group(0)
    head = text[:400]
    for m in _DOC_NUMBER.finditer(head):
        before = head[:m.start()]
        if before.count("《") == before.count("》") and before.count("（") == before.count("）"):
            return m.group(0)
    return ""


def read_materials(lines: list[str]) -> list[str]:
    """The list under 申请材料 / 需提供 / 提交下列材料, item by item as published."""
    out: list[str] = []
    for i, line in enumerate(lines[:-1]):
        if re.search(r"申请材料|需提供|提交下列材料|提交以下材料|需提交", line) and (
                line.endswith(("：", ":")) or len(line) <= 24):
            items, _ = _list_after(lines, i)
            out += [t for it in items if (t := _strip_marker(it.text)) not in out]
    return out[:30]


def read_office(text: str) -> str:
    """The office an application goes to or that decides on it (向…申请 / 由…审核 / 受理部门：…)."""
    if m := re.search(r"(?:受理部门|受理单位|审核部门|经办机构)\s*[:：]\s*([^\n。；]{2,40})", text):
        return m.group(1).strip()
    if m := _OFFICE.search(text):
        return m.group(1)
    return ""


def _city(title: str, issuer: str, text: str) -> str:
    for where in (issuer, title, text[:2000]):
        if m := _CITY.search(where):
            return m.group(1) + "市"
    return "本市"


# ---------------------------------------------------------------------------------------------------------
# The proposal
# ---------------------------------------------------------------------------------------------------------

def _check_document(document_text: str) -> str:
    if not isinstance(document_text, str) or not document_text.strip():
        raise ZhengwuError("match_extract_empty", "文件没有文字内容，无法提取条件。",
                           "the document has no text to read conditions from.")
    if len(document_text) > MAX_DOCUMENT_CHARS:
        raise ZhengwuError("match_extract_too_long",
                           f"文件过长（{len(document_text)} 字），单个政策文件不超过 {MAX_DOCUMENT_CHARS} 字。",
                           f"the document is too long ({len(document_text)} characters; a policy document has at "
                           f"most {MAX_DOCUMENT_CHARS}).")
    return document_text.replace("\r\n", "\n").replace("\r", "\n")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _notes(unread: list[str], excl_unread: list[str]) -> str:
    parts = [f"未能解析的条件（请人工补充）/ condition not read, to add by hand: {s}" for s in unread]
    parts += [f"未能解析的排除情形 / exclusion not read: {s}" for s in excl_unread]
    return "\n".join(parts)


def _common(text: str, lines: list[str], *, policy_id: str, title: str, issuer: str, url: str,
            published: str) -> dict:
    """The fields every entry of one document shares: source, validity, materials, deciding office."""
    title = title or lines[0][:80]
    city = _city(title, issuer, text)
    return {"name": title, "region": city if city != "本市" else "", "status": "draft",
            "source": Source(policy_id=policy_id, title=title, issuer=issuer, doc_number=read_doc_number(text),
                             url=url, published=published),
            "validity": read_validity(text, published=published or None), "materials": read_materials(lines),
            "decided_by": read_office(text)}


def propose(document_text: str, *, policy_id: str, title: str = "", issuer: str = "", url: str = "",
            published: str = "") -> list[Scheme]:
    """Draft scheme entries read from one policy document: one per eligibility passage the rules found.

    An empty list means no eligibility passage was found (see `no_passage_message`); the caller says so
    instead of inventing an entry. Each condition keeps the verbatim line it came from; lines that could not
    be read are in `notes`.
    """
    text = _check_document(document_text)
    lines = _lines(text)
    common = _common(text, lines, policy_id=policy_id, title=title, issuer=issuer, url=url, published=published)
    city = common["region"] or "本市"
    exclusions, excl_unread = _exclusions(lines, _Context(city=city))
    schemes: list[Scheme] = []
    for passage in _passages(lines):
        ctx = _Context(city=city, target=_target(passage))
        eligibility, unread = _read_passage(passage, ctx)
        if eligibility is None:
            continue
        # an exclusion that repeats a requirement of this scheme is a misreading (停止发放 lists mention the
        # certificate the scheme requires)
        required = {(c.fact, json.dumps(c.value)) for c in eligibility.leaves()}
        n = len(schemes) + 1
        heading = passage.heading
        schemes.append(Scheme(**{
            **common, "id": policy_id if n == 1 else f"{policy_id}-{n}", "target": ctx.target,
            "name": common["name"] if not heading or heading in common["name"] else f"{common['name']}（{heading}）",
            "eligibility": eligibility, "notes": _notes(unread, excl_unread),
            "exclusions": [c for c in exclusions if (c.fact, json.dumps(c.value)) not in required]}))
    # the whole draft must validate as a catalogue, or it would fail on import after review
    validate_catalog({"schemes": [s.model_dump(by_alias=True) for s in schemes]})
    return schemes


DRAFT_HEADER = ("# 草稿：请对照原文逐条核对条件、有效期和备注（notes）后再导入、发布。\n"
                "# Draft: check every condition, the validity and the notes against the policy before import.\n")


def no_passage_message(policy_id: str, document_text: str = "") -> tuple[str, str]:
    """What to tell the administrator when a document yields no entry (nothing is invented): either no
    eligibility passage was found, or passages were found whose lines the rules could not read (named)."""
    leads = [p.lead for p in _passages(_lines(document_text))] if document_text.strip() else []
    if not leads:
        return (f"文件 {policy_id} 中没有找到申请条件段落（如“申请条件”“符合下列条件”），未生成条目；请人工编写。",
                f"no eligibility passage (申请条件 / 符合下列条件 …) found in {policy_id}; no entry proposed — "
                "write it by hand.")
    shown = "；".join(lead[:60] for lead in leads[:3])
    return (f"文件 {policy_id} 中有 {len(leads)} 个申请条件段落，但其中没有能读成条件的句子（{shown}），未生成条目；请人工编写。",
            f"{policy_id} has {len(leads)} eligibility passage(s) but no line the rules can read as a condition "
            f"({shown}); no entry proposed — write it by hand.")


# ---------------------------------------------------------------------------------------------------------
# With a generative model, through the door
# ---------------------------------------------------------------------------------------------------------

PROMPT = Path(__file__).parent / "prompts" / "extract_conditions.txt"
"""The model's instructions, versioned with the code ({facts} and {text} are filled in)."""
MODEL_TEXT_CHARS = 12_000
"""How much of a document the model reads (a policy's conditions come early; the whole text costs tokens)."""


def _model_conditions(reply: str, text: str) -> tuple[list[Condition], list[str]]:
    """Conditions from the model's JSON, each checked against the vocabulary and kept only when its
    sentence is in the document word for word; the rejected ones come back as notes."""
    m = re.search(r"\[.*\]", reply, re.S)
    try:
        raw = json.loads(m.group(0)) if m else None
    except json.JSONDecodeError:
        raw = None
    kept: list[Condition] = []
    rejected: list[str] = []
    if not isinstance(raw, list):
        return kept, ["模型的回复不是 JSON 条件列表，已忽略 / the model's reply is not a JSON list of conditions; ignored"]
    for entry in raw:
        if not isinstance(entry, dict):
            rejected.append(f"模型的回复项不是条件，已舍弃 / not a condition, dropped: {str(entry)[:100]}")
            continue
        sentence = str(entry.get("sentence", "")).strip()
        if len(sentence) < 6 or sentence not in text:
            rejected.append(f"模型提出的条件无原文依据，已舍弃 / model condition without a verbatim source, "
                            f"dropped: {json.dumps(entry, ensure_ascii=False)[:200]}")
            continue
        leaf = {"fact": entry.get("fact"), "op": entry.get("op"), "value": entry.get("value"), "sentence": sentence}
        try:        # the catalogue's own validation: the same checks an imported entry passes
            validate_catalog({"schemes": [{"id": "model", "name": "model", "target": "person", "eligibility": leaf,
                                           "source": {"policy_id": "model", "title": "model"}}]})
            cond = Condition(**leaf)
        except ZhengwuError as exc:
            rejected.append(f"模型提出的条件不合词表，已舍弃 / model condition rejected ({exc.en}): {sentence}")
            continue
        kept.append(cond)
    return kept, rejected


def propose_with_model(g: Governed, document_text: str, *, policy_id: str, title: str = "", issuer: str = "",
                       url: str = "", published: str = "") -> list[Scheme]:
    """The rule proposal, plus the conditions a configured model finds that the rules did not.

    `g` is the Governed of a `govern(caller, "match.extract", input=document_text)` interaction (the door
    masks, labels and audits; the caller finishes it). The model only adds: each of its conditions must name a
    vocabulary fact with a valid value and quote a sentence found verbatim in the document; anything else is
    recorded in `notes` as dropped. Without a generative model this is exactly `propose`.
    """
    schemes = propose(document_text, policy_id=policy_id, title=title, issuer=issuer, url=url,
                      published=published)
    if not g.generative():
        return schemes
    from zhengwu.match.vocabulary import vocabulary

    text = _check_document(document_text)
    prompt = PROMPT.read_text("utf-8").replace("{facts}", "、".join(vocabulary())).replace(
        "{text}", text[:MODEL_TEXT_CHARS])
    try:
        reply = g.chat([{"role": "user", "content": prompt}])
    except ZhengwuError as exc:           # the model is down or refused: the rules' proposal still stands
        return _noted(schemes, [f"模型不可用，仅按规则提取 / model unavailable, rules only: {exc.en}"])
    kept, rejected = _model_conditions(reply.text, text)
    if not schemes and not kept:
        return schemes
    if not schemes:                       # the rules found no passage; the model's grounded conditions do
        common = _common(text, _lines(text), policy_id=policy_id, title=title, issuer=issuer, url=url,
                         published=published)
        schemes = [Scheme(**common, id=policy_id, target="person", eligibility=_group("all", kept))]
        extra = kept
    else:
        have = {(c.fact, c.op, json.dumps(c.value, ensure_ascii=False)) for c in schemes[0].eligibility.leaves()}
        extra = [c for c in kept if (c.fact, c.op, json.dumps(c.value, ensure_ascii=False)) not in have]
        if extra:
            schemes[0] = schemes[0].model_copy(
                update={"eligibility": _group("all", [schemes[0].eligibility, *extra])})
    return _noted(schemes, [f"模型补充的条件，请核对 / added by the model, to check: {c.fact} {c.op} {c.value!r} — "
                            f"{c.sentence}" for c in extra] + rejected)


def _noted(schemes: list[Scheme], notes: list[str]) -> list[Scheme]:
    """The first draft with `notes` added to its own (the administrator reads them before publishing)."""
    if not schemes or not notes:
        return schemes
    first = schemes[0]
    return [first.model_copy(update={"notes": "\n".join(([first.notes] if first.notes else []) + notes)}),
            *schemes[1:]]


# ---------------------------------------------------------------------------------------------------------
# A document of a knowledge base, as the proposal's input
# ---------------------------------------------------------------------------------------------------------

@dataclass
class SourceDocument:
    """A policy document's text and the metadata the knowledge base holds about it."""
    text: str
    policy_id: str
    title: str = ""
    issuer: str = ""
    url: str = ""
    published: str = ""


def kb_document(caller: Caller, document_id: int) -> SourceDocument:
    """A stored document the caller may read (its department's knowledge bases, or one shared with it),
    rebuilt from its chunks in order, with the section headings the chunker kept apart put back as lines
    (the passage finder needs "一、补贴对象" and the like)."""
    from sqlalchemy import select

    from zhengwu.kb.manage import readable_kbs
    from zhengwu.kb.models import Chunk, Document
    from zhengwu.store import session_scope

    with session_scope() as s:
        readable = [kb.id for kb in readable_kbs(s, caller)]
        doc = s.scalar(select(Document).where(Document.id == document_id, Document.kb_id.in_(readable)))
        if doc is None:
            raise NotFound("match_document_not_found", f"知识库中没有编号为 {document_id} 的文件（或无权读取）。",
                           f"no document {document_id} in a knowledge base you may read.", document_id=document_id)
        lines: list[str] = []
        shown: list[str] = []
        for chunk in s.scalars(select(Chunk).where(Chunk.document_id == doc.id).order_by(Chunk.ordinal)):
            path = [h.strip() for h in chunk.heading_path.split(" > ") if h.strip()]
            for depth, heading in enumerate(path):
                if depth >= len(shown) or shown[depth] != heading:
                    lines.append(heading)
            shown = path
            lines.append(chunk.text)
        return SourceDocument(
            text="\n".join(lines), policy_id=doc.external_id or f"kb-doc-{doc.id}", title=doc.title or "",
            issuer=doc.issuer or "", url=doc.source if doc.source.startswith("http") else "",
            published=doc.pub_date.isoformat() if doc.pub_date else "")


def read_source(what: str, caller: Caller) -> SourceDocument:
    """The document a `propose` command names: a file (txt, md, html, docx, pdf), or the id of a document in
    a knowledge base the caller may read."""
    path = Path(what)
    if path.is_file():
        from zhengwu.kb.parsers import parse_file   # the knowledge base's readers: encodings, DOCX, PDF, HTML

        parsed = parse_file(path)
        return SourceDocument(text=parsed.text, policy_id=path.stem, title=parsed.title)
    if what.isdigit():
        return kb_document(caller, int(what))
    raise NotFound("match_extract_no_source", f"找不到文件，也不是知识库文件编号：{what}",
                   f"neither a file nor the id of a knowledge-base document: {what}")
