"""Reading a resident's situation: the facts of the vocabulary, by rules, from everyday Chinese.

"我今年58岁，在本市失业半年了，有残疾证" -> {age: 58, disability_certificate: True, ...}. The rules are patterns for
*kinds* of statement (an age, a duration of insurance, a place of household registration, a negated status), each
bound to one fact of `vocabulary.py`, so a form and a description are matched by the same rules.

What the reader promises, because matching on a guessed fact would tell a resident something untrue:
- a fact is read only when the text states it: nothing defaults, a question ("是不是低保户") states nothing;
- two different values of one fact are a conflict (asked back), never a choice;
- an impossible value ("200岁", "-3个月") is an error with `check_value`'s bilingual message, never a fact;
- a place that cannot be placed is listed in `unknown_areas`, not dropped and not guessed;
- personal identifiers (ID and phone numbers) are blanked before reading, so they end up in no fact and no span,
  and the text itself is never logged.
When a generative model is configured, `complete_with_model` asks it only for the facts the rules left unknown.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from zhengwu.errors import ZhengwuError
from zhengwu.match import places
from zhengwu.match.numerals import DURATION, MINUS, NUMBER, cn_int, duration_hours, duration_months, signed_int
from zhengwu.match.vocabulary import check_value, fact as vocabulary_fact, vocabulary

if TYPE_CHECKING:
    from zhengwu.gateway import Governed

MAX_CHARS = 10_000
"""Longer than any description of one situation; a longer text is refused rather than half read."""


@dataclass
class Reading:
    """The facts read from one description, with what could not be read cleanly."""

    facts: dict[str, object] = field(default_factory=dict)          # canonical values (vocabulary.check_value)
    conflicts: dict[str, list] = field(default_factory=dict)        # fact -> the values stated; not in facts
    errors: list[dict] = field(default_factory=list)                # impossible values: {fact, value, zh, en}
    spans: dict[str, str] = field(default_factory=dict)             # fact -> the words it was read from
    unknown_areas: list[str] = field(default_factory=list)          # place names not recognised
    decision_request: bool = False                                  # "你直接批给我"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Hit:
    fact: str
    value: object
    span: str
    start: int


# --- text preparation ------------------------------------------------------------------------------------------

_PII = re.compile(r"(?<![\d])(?:\d{17}[\dXx]|\d{15}|1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}-?\d{7,8}|\d{7,})(?![\d])")
_WIDE = str.maketrans("０１２３４５６７８９－：冇咗唔嘅佢喺", "0123456789-:没了不的他在")
"""Full-width digits, and the Cantonese words residents of 广州 write (冇 没, 咗 了, 唔 不, 嘅 的, 佢 他, 喺 在)."""
_CL = r"[^，,。！!？?；;\n]"  # one character inside a clause
_PLATFORMS = r"(?:平台|滴滴|美团|饿了么|货拉拉|闪送|快狗|高德|曹操)"


def _prepare(text: str) -> str:
    """Blank identifiers (same length, so positions hold) and turn full-width digits into ASCII."""
    text = text.translate(_WIDE)
    return _PII.sub(lambda m: "＊" * len(m.group(0)), text)


def _compile(pattern: str, here: str = "") -> re.Pattern:
    """Patterns are written with ¤ for "a character of the same clause", ⟨D⟩ a duration, ⟨N⟩ a number, ⟨H⟩ here."""
    return re.compile(pattern.replace("¤", _CL).replace("⟨D⟩", f"(?:{DURATION})").replace("⟨N⟩", NUMBER)
                      .replace("⟨H⟩", here).replace("⟨P⟩", _PLATFORMS))


# --- yes/no statements -----------------------------------------------------------------------------------------
# Per fact, patterns in order; a later pattern never reads words an earlier one of the same fact has read, so the
# negated form ("没有办失业登记") is listed before the plain one ("办了失业登记").

_NO = r"(?:没有|没|未|还没有?|尚未|从没|从来没有?|从未)"
_BOOL_RULES: dict[str, list[tuple[str, bool]]] = {
    "residence_permit_local": [
        (rf"{_NO}(?:去)?(?:办|申请|申领|领)?(?:理|过)?(?:⟨H⟩的?)?居住证", False),
        (r"居住证(?:已经?|都|早就?)?(?:过期|失效|到期)|居住证¤{0,4}(?:没|未)(?:续|办)", False),
        (r"(?:办了|办好了?|办过|有|持有|持|拿到了?|领了|申领了)(?:一?张|个)?(?:⟨H⟩)?(?:办的|的)?(?:有效的?)?(?:广东省)?居住证",
         True),
        (r"居住证(?:已经|也|都)?(?:办了|办好了?|办下来了|有效|在有效期|还在有效期)", True),
    ],
    "stable_job": [
        (r"(?:没有?|无)(?:稳定的?|正式的?|固定的?)?(?:工作|活干|班上)|无业|待业", False),
        (r"上班(?!路|途)|打工|干活|做工|务工|(?:在¤{1,10}?|有份?|有个|找到了)(?:稳定的?|正式的?|固定的?)?工作(?!人员|顺利|单位|日|时间|场所|岗位|原因)|"
         r"在¤{1,10}?做(?![了过完饭生买手检])", True),
    ],
    "stable_housing": [
        (r"(?:没有?|无)(?:固定的?|稳定的?)?(?:住处|住所|地方住|房子住|落脚)", False),
        (r"(?<![公廉])(?:租了?|买了?)(?:一?套|一?间|个)?(?:房子?|单间|公寓|房间|屋)|(?<![公廉])租(?:房|住)|(?:单位|员工)?宿舍|(?<![没无])(?:有|住)自己的?房(?!产证)|(?<![想要])(?:买|租)的(?:房子?|单间|公寓)", True),
    ],
    "continuous_study": [
        (r"(?:没有?|不)(?:在)?(?:上学|读书|念书|就读)", False),
        (r"(?:读|上|念)(?:大学|小学|中学|初中|高中|研究生|大专|中专|技校|职校|幼儿园|书)(?!毕业)|在读|就读|连续读", True),
    ],
    "involuntary_job_loss": [
        (r"(?:拖欠|不发|欠|克扣)¤{0,8}工资[^。]{0,12}(?:解除|辞职|离职)|(?:不给|没给|不|没)我?(?:交|缴|买)(?:社保|社会保险)[^。]{0,8}(?:辞职|离职|解除)|第三十八条|被迫(?:辞职|离职|解除)|(?:逼|迫)我?(?:辞职|离职)", True),
        (r"被¤{0,8}?(?:裁|辞退|开除|解雇|炒|解聘|劝退)|(?:公司|单位|厂子?)¤{0,2}黄了|解聘|裁员|把我们?都?(?:裁|辞退|开除|解雇|炒|遣散)|(?:辞退|开除|解雇)了?我|遣散|倒闭|破产|"
         r"(?:厂|公司|单位|店)子?¤{0,3}关门|下岗|(?:劳动)?合同(?:到期|期满)¤{0,6}(?:不|没有?)(?:跟我|和我|给我|与我)?(?:续|再签)|(?:不|没)续签|期满终止|(?:公司|单位|老板|厂)[^。]{0,8}(?:说要|要求|提出)解除|(?:单位|公司|老板|厂)(?:单方面)?(?:解除|终止)了?(?:我的)?(?:劳动)?合同", True),
        (r"(?:自己|主动|本人)(?:提出)?(?:辞|离职|不干了|不想干了?|申请离职)|(?<!被)(?<!逼)(?<!迫)辞职|"
         r"(?<!被)离职(?!证明|原因|手续|时间|日期)|我辞了|主动把¤{0,6}注销", False),
    ],
    "registered_unemployed": [
        (rf"{_NO}(?:去)?(?:办|做|进行)?(?:理|过)?失业登记|失业登记(?:还)?没(?:有)?(?:办|做)|没(?:有)?登记(?:过)?失业", False),
        (r"(?:办理?|做|登记|进行)(?:了|好了|过)?失业登记|已经?失业登记|失业登记(?:已经|也)?(?:办|做)(?:了|好了?|过)|登记(?:了|过)?失业(?!人员)|"
         r"(?:我|本人)(?:是|属于)登记失业人员", True),
    ],
    "job_seeking": [
        (r"(?:不想|不打算|不准备|暂时不)(?:再)?(?:去)?(?:找|工作|上班)", False),
        (r"找(?:到)?(?:新|份|个|点)?(?:工作|活|工|事做|事干)|投简历|求职|(?:还想|也想|想|要|希望)(?:尽快)?(?:再|继续)?(?:上班|工作|打工|就业)|"
         r"换(?:个|份)?(?:行业|工作)", True),
    ],
    "remaining_ui_entitlement": [
        (r"失业(?:保险)?金[^。]{0,12}(?:没领完|未领完|还剩|还有[^。]{0,6}没领|没有领完)", True),
        (r"失业(?:保险)?金[^。]{0,8}(?:领完了|已经领完|都领完|用完|用光)", False),
    ],
    "holds_business_license": [
        (r"(?:营业)?执照(?:已经?|都|也)?注销|注销了?(?:营业)?执照|把¤{0,6}执照注销|没有?(?:营业)?执照|执照还没(?:去)?办", False),
        (r"(?:有|持有|还有)¤{0,8}?营业执照|营业执照¤{0,3}没注销|执照(?:已经|也)?(?:办好|办了|办下来|齐全|有了)|个体户?执照|"
         r"(?:办|领)了(?:营业)?执照", True),
    ],
    "receiving_pension": [
        (rf"{_NO}(?:按月)?(?:领|拿)(?:取)?(?:过)?(?:职工|城乡居民)?(?:基本)?(?:养老金|退休金|养老保险待遇)", False),
        (r"(?:领|拿)(?:取)?(?:着)?(?:职工|城乡居民)?(?:基本)?(?:养老金|退休金|养老保险待遇)", True),
    ],
    "hpf_depositor": [
        (rf"{_NO}(?:交|缴|缴存|买)(?:过)?(?:住房)?公积金|公积金(?:没|没有|从来没)(?:交|缴)", False),
        (r"(?:交|缴|缴存|存)(?:着|了|过)?¤{0,4}(?:住房)?公积金|公积金[^。]{0,20}(?:在[交缴]|[交缴]着|[交缴]了|一直在?[交缴]|缴存)", True),
    ],
    "traffic_main_responsibility": [
        (r"对方(?:负)?(?:全责|全部责任|主要责任|主责)|我(?:没有?|无)责任|我(?:负|是)?(?:次要责任|无责)|(?:认定|判)(?:我)?(?:无责|次要责任)",
         False),
        (r"(?:判|认定)我(?:负)?(?:主要责任|全责|全部责任|主责)|我(?:负|是|要负)(?:主要责任|全责|全部责任|主责)|我的(?:全责|主要责任)", True),
    ],
    "drunk": [
        (rf"{_NO}(?:喝酒|喝醉|醉酒|饮酒)", False),
        (r"喝醉|醉酒|喝多了|醉驾|酒醉|醉了", True),
    ],
    "occupational_disease": [
        (r"(?:不是|没有?|未)(?:被)?(?:诊断|确诊|认定)?(?:为|成|是)?职业病", False),
        (r"职业病诊断|(?:诊断|确诊|鉴定|认定)(?:为|是|出|成)?¤{0,4}职业病|得了职业病|患(?:有|了)?职业病|尘肺|矽肺|职业性¤{1,6}(?:病|中毒)", True),
    ],
    "domestic_violence_victim": [
        (r"没有?(?:遭受|受过)?(?:家暴|家庭暴力)", False),
        (r"家暴|家庭暴力|(?:老公|丈夫|老婆|妻子|前夫|男人|爸爸?|父亲|妈妈?|母亲|儿子|女儿|公公|婆婆|男朋友|对象)"
         r"(?:经常|总是|老是|常常|又|一直)?(?:打我|打骂我|殴打我|虐待我|遗弃我)|被¤{0,4}(?:虐待|遗弃)|"
         r"被(?:老公|丈夫|老婆|妻子|前夫|男人|父亲|母亲|爸爸?|妈妈?|儿子|女儿|家人|公公|婆婆)(?:殴打|打骂|毒打|打)", True),
    ],
    "good_samaritan_claim": [
        (r"见义勇为|(?:抓|追|制止|拦)住?(?:小偷|歹徒|坏人|抢劫|小贼|劫匪)|(?:救|扶)了?(?:落水|溺水|跌倒|摔倒)¤{0,3}(?:人|者|老人|小孩|儿童)|救人",
         True),
    ],
    "migrant_worker": [
        (r"农民工|进城务工|外出务工|从农村(?:出来|到城里|来)[^。]{0,8}(?:打工|务工|干活)", True),
    ],
    "economic_hardship": [
        (r"(?:家里|家庭|经济)?条件(?:还)?(?:可以|不错|挺好|还行)|不缺钱|经济(?:上)?(?:不困难|宽裕)", False),
        (r"经济(?:很|比较|特别)?困难|(?:家里|家庭|生活)(?:很|比较|特别)?困难|家里(?:很)?穷", True),
    ],
    "platform_labor_relation": [
        (r"(?:跟|和|与)⟨P⟩¤{0,4}(?:没有?|未|不)¤{0,3}(?:签|劳动关系|合同)|没(?:有)?(?:和|跟|与)⟨P⟩(?:签|建立)", False),
        (r"(?:跟|和|与)⟨P⟩(?:签了|签订了|有)(?:劳动)?(?:合同|劳动关系)", True),
    ],
    "employer_pension": [
        (r"(?:单位|公司|餐馆|饭店|老板|厂里?|店里?|东家|雇主)(?:也)?(?:没|没有|不)(?:给我?|帮我|为我)?(?:交|缴|买)(?:过)?(?:养老保险|养老|社保)",
         False),
        (r"(?:单位|公司|老板|厂里?)(?:有|已经|一直)?(?:给我|帮我|为我)(?:交|缴|买)(?:了|着)?(?:养老保险|社保)", True),
    ],
    "employment_registration_gd": [
        (rf"{_NO}(?:办|做)?(?:过)?(?:广东(?:省)?的?)?就业登记", False),
        (r"(?:办|做)(?:了|过|好了)?(?:广东(?:省)?的?)?就业登记|就业登记(?:证明)?(?:已经)?(?:办了|办好|有)|有(?:广东(?:省)?的?)?就业登记", True),
    ],
    "criminal_record_5y": [
        (rf"(?:{_NO}|无)(?:受过|有过|被判过|犯过)?(?:任何)?(?:犯罪记录|刑事处罚|刑事记录|违法犯罪|犯过法|犯过罪|犯过事|坐过牢|案底)|"
         r"没犯(?:过)?(?:法|罪|事)|无犯罪记录|遵纪守法", False),
        (r"(?:近|最近|这)(?:五|5)年(?:内|里)?¤{0,4}(?:被判|判过|受过刑事处罚)|(?:今年|去年|前年)¤{0,8}(?:被判|判了|判过|坐牢|服刑|拘役)",
         True),
    ],
    "special_industry_frontline": [
        (r"(?:不是|不属于|并非|非)(?:什么)?(?:特殊(?:技能|艰苦)?行业|特殊技能|特殊艰苦行业|特殊岗位)|普通(?:行业|岗位|职业|工种)", False),
        (r"(?:是|属于|在)(?:特殊技能|特殊艰苦行业|特殊行业|艰苦行业)", True),
    ],
    "minimum_living_allowance": [
        (r"(?:不是|没有?|未|不)(?:吃|领|享受|拿)?(?:过)?低保(?!标准|线|的标准)", False),
        (r"低保(?:户|家庭|对象)|(?:吃|领|享受|拿)(?:着)?低保|(?:是|家里是|家是)低保", True),
    ],
    "low_income_household": [
        (r"(?:不是|没有?|不)(?:被认定为?)?(?:低收入|低收)(?:家庭|户)", False),
        (r"(?:低收入|低收)(?:家庭|户|对象)", True),
    ],
    "extreme_poverty_support": [
        (r"(?:不是|没有?|未)(?:被)?(?:纳入)?特困", False),
        (r"(?:纳入|列入|已经是|属于|是|享受)(?:了)?特困|特困(?:人员|户|供养人员)(?!救助供养)", True),
    ],
    "work_injury_nursing_fee": [
        (r"(?:没有?|未|不)(?:领|拿)(?:取)?(?:过)?工伤(?:保险)?的?护理费", False),
        (r"(?:领|拿)(?:取)?(?:着)?工伤(?:保险)?的?护理费|工伤(?:保险)?的?护理费¤{0,3}(?:在领|领着)", True),
    ],
    "disability_certificate": [
        (rf"{_NO}(?:办|领|申请)?(?:过)?(?:残疾人?)?证|残疾人?证(?:已经?|都)?(?:过期|失效|到期)", False),
        (r"(?:有|持有|办了|拿到了?|领了)(?:残疾人?)?证|残疾人?证(?:上|是|写|在有效期|[一二三四\d]级)", True),
    ],
}
"""Only where the text says so: a fact with no statement stays unknown."""

_A_NOT_A = re.compile(r"是不是|有没有|算不算|属不属于|是否|[是有算][不没]$")  # "是不是低保户": a question states nothing

_FUNDS = (r"(?:钱|资金|本钱|本金|自有资金|自筹资金)¤{0,3}(?:不够|不足|紧|不太够|周转不过来|短缺|困难)|缺钱|差钱|差(?:点|一些|些)钱|"
          r"缺少?(?:资金|本钱|钱)")
"""Money short for the business (自筹资金不足)."""
_LOAN_INTENT = _compile(r"(?:想|要|申请|能)¤{0,6}(?:贷款|贷点款|贷|借钱|借款)|创业担保贷款|创业|" + _FUNDS)
_ENTERPRISE = re.compile(r"小微|企业规模|中型企业|大型企业|我们(?:是|的)?(?:一家)?[^，,。去到找给问向跟和在]{0,8}(?:企业|公司)(?!的人|上班)")
_BUSINESS_WORDS = re.compile(r"创业|经营|开店|店|进货|周转|扩|生意|项目|公司|作坊|摊|执照")
_INJURY = re.compile(r"工伤|受伤|伤了|摔|撞|砸|压伤|轧伤|职业病|尘肺|突发|抢救|车祸|交通事故")
_WORK_WORDS = re.compile(r"上班|下班|单位|厂|公司|工地|车间|仓库|老板|干活|工位|工作|打工|岗位")
_PAST = re.compile(r"以前|之前|原来|曾经|过去|早年|年轻时|当年")
_JOB_LOSS = re.compile(r"裁|辞退|辞职|离职|失业|倒闭|破产|遣散|解除|不续|关门|开除|解雇|不干了|辞了")


class _Reader:
    """One pass over one (prepared) description: each `read_*` adds hits; `_settle` turns them into a Reading.

    `_free` keeps two patterns of one fact from reading the same words (the negated form is tried first), so
    "没有办失业登记" is one statement, not a False and a True that would look like a conflict.
    """

    def __init__(self, text: str, *, today: dt.date, city: str) -> None:
        self.text = text
        self.today = today
        self.city = city
        self.hits: list[_Hit] = []
        self.unknown: list[str] = []
        self.read_ranges: dict[str, list[tuple[int, int]]] = {}

    # bookkeeping ------------------------------------------------------------------------------------------------
    def add(self, name: str, value: object, start: int, end: int) -> None:
        self.hits.append(_Hit(name, value, self.text[start:end], start))

    def _free(self, name: str, start: int, end: int) -> bool:
        ranges = self.read_ranges.setdefault(name, [])
        if any(s < end and start < e for s, e in ranges):
            return False
        ranges.append((start, end))
        return True

    def unknown_area(self, words: str) -> None:
        words = words.strip()
        if words and words not in self.unknown:
            self.unknown.append(words)

    def clause_at(self, pos: int) -> tuple[int, int]:
        start = max(self.text.rfind(ch, 0, pos) for ch in "，,。！!？?；;\n") + 1
        ends = [i for i in (self.text.find(ch, pos) for ch in "，,。！!？?；;\n") if i != -1]
        return start, min(ends) if ends else len(self.text)

    def in_the_past(self, pos: int) -> bool:
        """"以前在深圳工作": the clause speaks of the past, not of the resident's situation now."""
        start, _ = self.clause_at(pos)
        return bool(_PAST.search(self.text, start, pos + 1))

    def place(self, words: str, *, strong: bool) -> places.Place | None:
        """The place `words` begin with; an unplaceable name in a place slot ("户口在火星") is reported."""
        place, _ = places.place_at(words, city=self.city)
        if place is None and strong:
            m = re.match(r"[\u4e00-\u9fff]{2,6}?(?=[的了，,。；;、\s]|老家|户口|户籍|注册|$)|[\u4e00-\u9fff]{2,6}", words)
            if m and not re.match(r"农村|城镇|城里|乡下|集体|学校|单位|家里|那边|我|他|她|这|那|哪|什么|不|没|还|也|都|一直", m.group(0)):
                self.unknown_area(m.group(0))
        return place

    # readers ----------------------------------------------------------------------------------------------------
    def read_bools(self, here: str) -> None:
        job_loss = bool(_JOB_LOSS.search(self.text))
        for name, rules in _BOOL_RULES.items():
            if name == "disability_certificate" and "残疾" not in self.text and "残疾人证" not in self.text:
                continue
            for pattern, value in rules:
                for m in _rx(pattern, here).finditer(self.text):
                    if _A_NOT_A.search(self.text[max(0, m.start() - 5):m.start() + 1]):
                        continue
                    if name == "stable_job" and value and (job_loss or self.in_the_past(m.start())):
                        continue  # "在广州上班…公司裁员了", "以前在深圳工作": worked there, not working now
                    if self._free(name, m.start(), m.end()):
                        self.add(name, value, m.start(), m.end())

    def read_age(self) -> None:
        for m in _AGE.finditer(self.text):
            before = self.text[max(0, m.start() - 4):m.start()]
            if re.search(r"(?:不满|未满|超过|快|将近|接近|不到|差不多|大概|约|大约|年满)$", before):
                continue
            k = next(k for k in ("", "2", "3") if m.group("n" + k))
            n = signed_int(m.group("sign" + k), m.group("n" + k))
            if n is not None:
                self.add("age", n, m.start(), m.end())
        for m in _AGE_EN.finditer(self.text):
            self.add("age", int(m.group("n") or m.group("n2")), m.start(), m.end())

    def read_birth_date(self) -> None:
        for m in _BIRTH.finditer(self.text):
            k = "" if m.group("y") else "2"
            y, mo, d = (cn_int(m.group(g + k)) for g in ("y", "mo", "d"))
            try:
                born = dt.date(y, mo, d)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                self.error("birth_date", m.group(0), "出生日期不是有效的日期，请核对。",
                           "the date of birth is not a valid date; please check.")
                continue
            if born > self.today:
                self.error("birth_date", born.isoformat(), f"出生日期 {born.isoformat()} 晚于今天，请核对。",
                           f"date of birth {born.isoformat()} is after today; please check.")
                continue
            self.add("birth_date", born.isoformat(), m.start(), m.end())

    def error(self, name: str, value: object, zh: str, en: str) -> None:
        self.hits.append(_Hit(name, _Impossible(value, zh, en), "", -1))

    def read_gender(self) -> None:
        for m in _GENDER.finditer(self.text):
            self.add("gender", m.group("g"), m.start(), m.end())

    def read_hukou(self) -> None:
        for m in _HUKOU_AFTER.finditer(self.text):
            words = m.group("p")
            place = self.place(words, strong=bool(m.group("prep")))
            if place is None or re.search(r"(?:想|要|准备|打算|能不能|怎么|如何)把?$", self.text[max(0, m.start() - 4):m.start()]):
                continue  # "想把户口迁到广州": the registration wanted, not the one held
            value = self._hukou_value(place, negated=bool(m.group("neg")))
            if value and self._free("hukou", m.start(), m.end()):
                self.add("hukou", value, m.start(), m.start("p") + len(places.place_at(words, city=self.city)[1]))
        for m in _HUKOU_BEFORE.finditer(self.text):
            cs, _ = self.clause_at(m.start())
            before = self.text[max(cs, m.start() - 12):m.start()]
            before = before[:-1] if before.endswith("的") else before
            place, words = places.place_before(before, city=self.city)
            if place is None:
                tail = re.search(r"[\u4e00-\u9fff]{1,4}[省市县州]$", before)
                if tail:
                    self.unknown_area(tail.group(0))
                continue
            start = m.start() - len(words) - (1 if self.text[m.start() - 1:m.start()] == "的" else 0)
            if re.search(r"(?:入|迁|落|转|办|上|改成|换成)$", self.text[max(0, start - 2):start]):
                continue  # "入广州户口", "想落户口": the registration wanted, not the one held
            negated = bool(re.search(r"(?:不是|非|不)$", self.text[max(0, start - 2):start]))
            value = self._hukou_value(place, negated=negated)
            if value and self._free("hukou", start, m.end()):
                self.add("hukou", value, start, m.end())

    def _hukou_value(self, place: places.Place, *, negated: bool) -> str | None:
        if negated:  # "户口不在广州": not here, but where is not said
            return places.OTHER_CITY if place.name == self.city else None
        return place.name

    def read_residence(self) -> None:
        for m in _RESIDE.finditer(self.text):
            place = self.place(m.group("p") or m.group("p2") or m.group("p3"), strong=False)
            if place is None or place.level != "city" or self.in_the_past(m.start()):
                continue
            self.add("residence_city", place.name, m.start(), m.end())
        for m in _RESIDE_TIME.finditer(self.text):
            before = self.text[max(0, m.start("dur") - 2):m.start("dur")]
            after = self.text[m.end("dur"):m.end("dur") + 2]
            if re.search(r"不到|不满|没到|差$", before) or re.match(r"前|以前|之前|不到", after):
                continue
            if m.group("p") is not None:
                place = places.place_at(m.group("p"), city=self.city)[0]
                if place is None or place.level != "city" or not re.search(
                        r"住|居住|生活|打工|上班|工作|读|上学|干活|定居|带|^来|^到", self.text[m.start():m.start("dur")]):
                    continue
            months = duration_months(m)
            if months is not None:
                self.add("residence_months", months, m.start(), m.end())

    def read_durations(self) -> None:
        for name, rx in _DURATION_FACTS:
            for m in rx.finditer(self.text):
                months = duration_months(m)
                if months is None:
                    continue
                value = months // 12 if name == "social_insurance_years" and months >= 0 else months
                if name == "social_insurance_years" and months < 0:
                    value = -((-months) // 12) or -1
                if self._free(name, m.start(), m.end()):
                    self.add(name, value, m.start(), m.end())
        for m in _NO_SOCIAL_INSURANCE.finditer(self.text):
            for name in ("social_insurance_years", "ui_contribution_months"):
                if self._free(name, m.start(), m.end()):
                    self.add(name, 0, m.start(), m.end())
        for rx in _RESCUE:
            for m in rx.finditer(self.text):
                hours = duration_hours(m)
                if hours is not None and self._free("death_after_rescue_hours", m.start(), m.end()):
                    self.add("death_after_rescue_hours", hours, m.start(), m.end())

    def read_ui_city(self) -> None:
        if "失业" not in self.text:
            return
        for m in _UI_PLACE.finditer(self.text):
            place = self.place(m.group("p") or m.group("p3"), strong=False)
            if place is not None and place.level == "city":
                self.add("ui_insured_city", place.name, m.start(), m.end())
        for m in _UI_PLACE_BEFORE.finditer(self.text):
            place, words = places.place_before(self.text[max(0, m.start() - 8):m.start()], city=self.city)
            if place is not None and place.level == "city":
                self.add("ui_insured_city", place.name, m.start() - len(words), m.end())

    def read_work_here(self) -> None:
        """在本市合法稳定就业或创业: a job or a business of one's own, in a clause that places it in this city."""
        if _JOB_LOSS.search(self.text):
            return
        for m in _WORK_HERE.finditer(self.text):
            place = self.place(m.group("p"), strong=False)
            if place is not None and place.name == self.city and not self.in_the_past(m.start()):
                self.add("stable_job_gz", True, m.start(), m.end())
                return

    def read_employment_injury(self) -> None:
        if not _INJURY.search(self.text):
            return
        for sentence in re.finditer(r"[^。！!？?；;\n]+", self.text):
            work = _WORK_WORDS.search(sentence.group(0))
            if work and _INJURY.search(sentence.group(0)):
                self.add("employee", True, sentence.start() + work.start(), sentence.start() + work.end())
                break
        seen = set()
        for sentence_match in re.finditer(r"[^。！!？?；;\n]+", self.text):
            sentence, offset = sentence_match.group(0), sentence_match.start()
            for value, trigger, context in _INJURY_KINDS:
                t = trigger.search(sentence)
                if t and context.search(sentence):
                    if value not in seen:
                        seen.add(value)
                        self.add("injury_context", value, offset + t.start(), offset + t.end())
                    break

    def read_hpf_reason(self) -> None:
        if "公积金" not in self.text:
            return
        for value, rx in _WITHDRAWAL:
            m = rx.search(self.text)
            if m:
                self.add("withdrawal_reason", value, m.start(), m.end())

    def read_kinds(self) -> None:
        for name, table in (("flexible_work_type", _FLEX), ("legal_matter", _LEGAL)):
            for value, rx in table:
                m = rx.search(self.text)
                if m and not re.search(r"(?:没|不|无|未|从没)[过有]?$", self.text[max(0, m.start() - 3):m.start()]):
                    if name == "flexible_work_type" and value == "无雇工个体工商户" and not _SHOP.search(self.text):
                        continue
                    self.add(name, value, m.start(), m.end())

    def read_points(self) -> None:
        for m in _POINTS.finditer(self.text):
            if not m.group("fen") and m.group("gap") and not re.search(r"(?:有|是|为|下来|刚好|共|达到)$", m.group("gap")):
                continue
            n = signed_int(m.group("sign"), m.group("n"))
            if n is not None and self._free("points", m.start("n"), m.end()):
                self.add("points", n, m.start(), m.end())
        if "积分" in self.text:  # "再算了一遍只有140分": the score restated without the word
            for m in re.finditer(r"(?<![\d.])(\d{2,5})分(?!钟|之|期|数线)", self.text):
                if self._free("points", m.start(1), m.end()):
                    self.add("points", int(m.group(1)), m.start(), m.end())

    def read_criminal_years(self) -> None:
        for m in _CRIME_AGO.finditer(self.text):
            years = cn_int(m.group("n"))
            if years is not None and self._free("criminal_record_5y", m.start(), m.end()):
                self.add("criminal_record_5y", years <= 5, m.start(), m.end())

    def read_disability(self) -> None:
        for sentence_match in re.finditer(r"[^。！!？?；;\n]+", self.text):
            sentence, offset = sentence_match.group(0), sentence_match.start()
            if not re.search(r"残疾|证上|证是|等级|视力|听力|言语|肢体|智力|精神|多重", sentence) or re.search(r"职称|建造师|风|地震|工资|企业", sentence):
                continue
            for m in _GRADE.finditer(sentence):
                n = signed_int(m.group("sign"), m.group("n"))
                if n is not None:
                    self.add("disability_grade", n, offset + m.start(), offset + m.end())
                    if not any(h.fact == "disability_certificate" for h in self.hits):  # a grade is on a certificate
                        self.add("disability_certificate", True, offset + m.start(), offset + m.end())
            for m in _KIND.finditer(sentence):
                self.add("disability_kind", m.group("k") or m.group("k2"), offset + m.start(), offset + m.end())

    def read_own_business(self) -> None:
        """A person's own business (创业担保贷款, 个人借款人): the applicant only when a loan or money is wanted."""
        loan = _LOAN_INTENT.search(self.text)
        if loan and _BUSINESS_WORDS.search(self.text):
            self.add("applicant", "individual", loan.start(), loan.end())
        for value, rx in _KEY_GROUPS:
            for m in rx.finditer(self.text):
                if re.search(r"招¤{0,8}$".replace("¤", _CL), self.text[max(0, m.start() - 10):m.start()]):
                    continue
                self.add("key_group", value, m.start(), m.end())
                break
            else:
                continue
            break
        key_groups = [h for h in self.hits if h.fact == "key_group"]
        if len(key_groups) > 1:  # belonging to several groups is no contradiction: the first one stated
            first = min(key_groups, key=lambda h: h.start)
            self.hits = [h for h in self.hits if h.fact != "key_group" or h is first]
        m = _BUSINESS.search(self.text)
        if m:
            self.add("business_project", True, m.start(), m.end())
        m = _NOT_REGISTERED.search(self.text)
        if m:
            self.add("business_registered", False, m.start(), m.end())
        else:
            for m in _BUSINESS_PLACE.finditer(self.text):
                place = self.place(m.group("p") or m.group("p2") or m.group("p3"), strong=bool(m.group("strong")))
                if place is not None and place.level == "city":
                    self.add("business_registered_area", place.name, m.start(), m.end())
            for m in _BUSINESS_BEFORE.finditer(self.text):
                place, words = places.place_before(self.text[max(0, m.start() - 8):m.start()], city=self.city)
                if place is not None and place.level == "city":
                    self.add("business_registered_area", place.name, m.start() - len(words), m.end())
        for m in _BUSINESS_AGE.finditer(self.text):
            months = duration_months(m)
            if months is not None:
                self.add("business_registered_months", months, m.start(), m.end())
                break
        m = _FUNDS_SHORT.search(self.text)
        if m:
            self.add("self_funds_insufficient", True, m.start(), m.end())
        self.read_other_loans()

    def read_other_loans(self) -> None:
        """本人及配偶的其他贷款: a mortgage, a car loan or a credit card does not count (the rule's own exceptions)."""
        stated: list[tuple[bool, re.Match]] = []
        for m in _NO_LOANS.finditer(self.text):
            stated.append((False, m))
        for m in _LOAN.finditer(self.text):
            if any(s.start() <= m.start() < s.end() for _, s in stated):
                continue
            context = self.text[self.clause_at(m.start())[0]:m.end()]
            if re.search(r"想|申请|要贷|能贷|贷多少|担保贷款", context):
                continue  # the loan asked for, not one held
            amount = re.search(r"(\d+)\s*万", context)
            small = not ("消费贷" in context and amount and int(amount.group(1)) > 10)  # 10万元以下小额消费贷款
            if _EXCEPTED_LOAN.search(context) and small:
                if re.search(r"只有|就一个|就一笔|除了|只是", context):
                    stated.append((False, m))
                continue
            stated.append((True, m))
        for value, m in stated:
            self.add("other_loans", value, m.start(), m.end())

    def read_enterprise(self) -> None:
        self.add("applicant", "enterprise", *_span(_ENTERPRISE.search(self.text)))
        m = _SIZE.search(self.text)
        if m:
            self.add("enterprise_size", {"小微": "小微", "中型": "中型", "大型": "大型"}[m.group("s")], m.start(), m.end())
        for clause in re.finditer(r"[^，,。！!？?；;\n]+", self.text):
            words = clause.group(0)
            if not re.search(r"注册|企业|公司", words) or re.search(r"厂子?在|人在|住在|边上", words):
                continue
            for offset, place, name in _places_in(words, self.city):
                if place.level == "city":
                    self.add("registered_area", place.name, clause.start() + offset, clause.start() + offset + len(name))
        for m in _STAFF.finditer(self.text):
            cs, _ = self.clause_at(m.start())
            if "招" in self.text[cs:m.start()] or (m.group("tail") in ("个", "名") and not m.group("noun")):
                continue  # "招了4个", "3个": hires or things, not the staff
            n = signed_int(m.group("sign"), m.group("n"))
            if n is not None:
                self.add("staff_count", n, m.start(), m.end())
        for m in _HIRES.finditer(self.text):
            if _KEY_GROUP_WORDS.search(m.group("who") or m.group("who2")):
                n = cn_int(m.group("n") or m.group("n2"))
                if n is not None:
                    self.add("new_key_group_hires_12m", n, m.start(), m.end())
        for m in _NO_CONTRACT.finditer(self.text):
            if self._free("hires_contract_1y_plus", m.start(), m.end()):
                self.add("hires_contract_1y_plus", False, m.start(), m.end())
        for rx in _CONTRACT_TERM:
            for m in rx.finditer(self.text):
                months = duration_months(m)
                if months is not None and self._free("hires_contract_1y_plus", m.start(), m.end()):
                    self.add("hires_contract_1y_plus", months >= 12, m.start(), m.end())
        for pattern, value in _ARREARS:
            for m in pattern.finditer(self.text):
                if self._free("arrears", m.start(), m.end()):
                    self.add("arrears", value, m.start(), m.end())

    def read_decision_request(self) -> bool:
        return bool(_DECISION.search(self.text))


@dataclass(frozen=True)
class _Impossible:
    value: object
    zh: str
    en: str


def _span(m: re.Match | None) -> tuple[int, int]:
    return (m.start(), m.end()) if m else (0, 0)


def _places_in(words: str, city: str) -> Iterator[tuple[int, places.Place, str]]:
    i = 0
    while i < len(words):
        place, name = places.place_at(words[i:], city=city)
        if place is not None and place.level != "elsewhere":
            yield i, place, name
            i += len(name)
        else:
            i += 1


@lru_cache(maxsize=256)
def _rx(pattern: str, here: str) -> re.Pattern:
    return _compile(pattern, here)


_AGE = _compile(rf"(?P<sign>{MINUS})?(?P<n>⟨N⟩)周?岁(?:了|整)?(?!以上|以下|左右|多|出头|的|生日|以内|时|那年|之前|之后|前|后|起|半|退休)|"
                rf"今年(?:刚|已经|已)?满?(?P<sign2>{MINUS})?(?P<n2>⟨N⟩)(?:了|啦)?(?=[，,。；;！!？?\s]|$)|"
                rf"年龄(?:填|是|为|填了|填的是|写的是)?(?P<sign3>{MINUS})?(?P<n3>⟨N⟩)(?!\d)")
_AGE_EN = re.compile(r"\b(?P<n>\d{1,3})\s*(?:years?|yrs?)[\s-]*old\b|\baged?\s*(?P<n2>\d{1,3})\b", re.I)
_YMD = r"(?:19|20)\d{2}|[一二九〇零○][〇零○一二三四五六七八九]{3}"
_MD = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_BIRTH = re.compile(
    rf"(?:(?:出生(?:日期|于|在)?|生日(?:是)?|生于)[:：是为]?\s*)?(?P<y>{_YMD})\s*[年./-]\s*(?P<mo>{_MD})\s*[月./-]\s*(?P<d>{_MD})\s*[日号]?"
    rf"(?=\s*(?:出生|生的|生人|生|出世))|(?:出生(?:日期|于|在)?|生日(?:是)?|生于)[:：是为]?\s*(?P<y2>{_YMD})\s*[年./-]\s*"
    rf"(?P<mo2>{_MD})\s*[月./-]\s*(?P<d2>{_MD})")
_GENDER = re.compile(r"(?<![儿子孙妇少女男无有个生俩])(?P<g>男|女)(?:的|性|士)?(?=[，,。；;、\s\d]|的|性|士|$|[一二三四五六七八九十]|今年)")
_HUKOU_AFTER = _compile(
    r"(?:户口本上(?:写的)?|户口|户籍)(?!本(?!市|地|上))(?:所在地|地)?(?:一直|还|也|都|现在|仍然|目前|本来|刚|刚刚|已经|早就)?"
    r"(?P<neg>不在|不是)?(?P<prep>在|是|落在|挂在|留在|属于|迁到了?|迁回了?|:)?"
    r"(?P<p>[\u4e00-\u9fff]{2,8})")
_HUKOU_BEFORE = re.compile(r"(?:户口|户籍)")
_RESIDE = _compile(r"(?:住在|搬到|搬来)(?P<p>[\u4e00-\u9fff]{2,8})|(?:来到?|到)(?P<p3>(?!当地|这边|这里)[\u4e00-\u9fff]{2,6}?)"
                   r"(?=¤{0,8}?(?:住|居住|生活|打工|上班|工作|读|上学|干活|定居|带|年|月))|在(?P<p2>(?!在)[\u4e00-\u9fff]{2,6}?)(?:住|居住|生活|带|打工|上班|工作|读|上学|干活|待|呆|跑|定居|做(?![了过完]))")
_RESIDE_TIME = _compile(
    r"(?:(?:来|到|搬到|搬来|在)(?P<p>[\u4e00-\u9fff]{2,6}?)¤{0,8}?|(?:住|居住|生活)了?¤{0,3}?)(?:快|近|将近|已经|刚好|刚|都|整整|有)?(?P<dur>⟨D⟩)")
_NO_SOCIAL_INSURANCE = _compile(rf"{_NO}(?:交|缴|买)(?:过)?(?:社保|社会保险)")
_DURATION_FACTS = [
    ("ui_contribution_months", _compile(
        r"失业(?:保险|险)(?!金)(?:费)?(?:单位|公司|厂里?|老板)?(?:帮我|给我|为我)?(?:也|都|就|才|一共|总共|累计|已经|一直|只|刚好|刚|之前|以前|前后|先后)*"
        r"(?:交满|缴满|交|缴|缴纳|买|参保)(?:了|满|过|够)?"
        r"(?:刚好|整整|才|只|满)*(?P<dur>⟨D⟩)")),
    ("ui_contribution_months", _compile(r"失业(?:保险|险)(?!金)(?:累计|累积|一共|总共|已经)?(?:缴费|交费|参保)?(?:年限|时间|时长|月数)?:?(?:刚好|已经|整整)?(?:满|够)?"
                                        r"(?P<dur>⟨D⟩)")),
    ("ui_contribution_months", _compile(r"(?:交|缴|缴纳)了?失业(?:保险|险)(?!金)费?(?:共|一共|总共)?(?P<dur>⟨D⟩)")),
    ("ui_contribution_months", _compile(
        r"(?:交|缴|缴纳|买)(?:了|满|过|够)?我?(?:刚好|整整|才|只|满)*(?P<dur>⟨D⟩)多?的?失业(?:保险|险)(?!金)")),
    ("social_insurance_years", _compile(
        r"(?:社保|社会保险)(?:一直|已经|也|都|刚好|才|总共|一共|连续)*(?:交满|缴满|交|缴|缴纳|买)?(?:了|满|够|过)?(?:刚好|整整|满)*(?P<dur>⟨D⟩)")),
    ("social_insurance_years", _compile(r"(?:交|缴|缴纳|买)(?:了|满|过)?(?P<dur>⟨D⟩)多?的?(?:社保|社会保险)")),
    ("social_insurance_years", _compile(
        r"(?:上了?|干了?|工作了?)(?P<dur>⟨D⟩)的?班?¤{0,2}(?:社保|社会保险)(?:一直|都|也)有?(?:交|缴)")),
]
_RESCUE = [_compile(r"抢救(?:了)?¤{0,3}?(?P<dur>⟨D⟩)"), _compile(r"(?P<dur>⟨D⟩)(?:后|之后)¤{0,4}(?:去世|死亡|走了|离世)")]
_UI_PLACE = _compile(
    r"在(?P<p>(?!在)[\u4e00-\u9fff]{2,6}?)(?=¤{0,8}?(?:上班|工作|打工|公司|厂|单位|交|开|返聘|失业|做|干活))|"
    r"(?:公司|单位|厂)在(?P<p3>[\u4e00-\u9fff]{2,6})")
_UI_PLACE_BEFORE = re.compile(r"(?:的|这边的|那边的)?(?:公司|厂子?|单位|工作)(?!日)")
_WORK_HERE = _compile(r"在(?P<p>(?!在)[\u4e00-\u9fff]{2,6}?)¤{0,6}?(?:上班|打工|工作|干活|做|开了?(?:家|个|一家)?¤{0,4}(?:公司|店|厂|工作室))")
_INJURY_KINDS = [
    ("上下班途中交通事故", re.compile(r"(?:上班|下班|上下班|回家|去公司|去单位)的?(?:路上|途中)"),
     re.compile(r"撞|车祸|交通事故|摔|追尾|被车|交警")),
    ("工作时间工作岗位突发疾病", re.compile(r"突发|突然(?:发病|晕倒|倒下)|猝死|脑出血|心梗|心肌梗|中风|心脏病发"),
     re.compile(r"上班|工位|工作时|岗位|单位|干活")),
    ("工作时间工作场所因工作原因事故", re.compile(r"受伤|伤了|压伤|砸伤|摔伤|摔下|割伤|烫伤|扭伤|被[^，,。]{0,6}(?:压|砸|夹|割|烫|撞)"),
     re.compile(r"上\w?班|车间|工地|干活|搬|仓库|工位|厂|工作时|值班")),
]
_WITHDRAWAL = [
    ("偿还购房贷款本息", re.compile(r"还房贷|还贷|偿还¤{0,4}贷款|月供|房贷".replace("¤", _CL))),
    ("购买自住住房", re.compile(r"(?:买了?|购买|购置|买下)¤{0,8}(?:房|住房)|购房(?!贷)".replace("¤", _CL))),
    ("离休退休", re.compile(r"退休|离休")),
    ("出境定居", re.compile(r"移民|出境定居|出国定居|定居(?:国外|海外|境外)|(?:去|到|移居)(?:国外|海外|境外|美国|加拿大|澳洲|澳大利亚|英国|"
                        r"新西兰|日本|新加坡|欧洲|香港|澳门|台湾)[^，,。]{0,3}定居")),
    ("大修自住住房", re.compile(r"大修|翻修|翻建|修缮")),
]
_FLEX = [
    ("新业态平台", re.compile(r"(?:跑|送|做)(?:外卖|快递)|外卖员|快递员|(?:快递|外卖)小哥|骑手|(?:开|跑)(?:网约车|滴滴|货拉拉)|网约车司机|代驾|平台(?:接单|派单)")),
    ("无雇工个体工商户", re.compile(r"(?:没|没有|不)(?:雇|请|招)(?:人|工人|员工|帮工|伙计)|就我一个人|一个人(?:守|看|开|经营)")),
    ("非全日制", re.compile(r"钟点工|非全日制|小时工|兼职")),
]
_SHOP = re.compile(r"店|摊|个体|小卖部|档口|铺")
_LEGAL = [
    ("支付劳动报酬", re.compile(r"欠薪|工资(?:被)?(?:拖欠|克扣)|(?:欠|拖欠|克扣)了?(?:我|我们)?[^，,。]{0,6}?(?:工资|工钱|薪水|劳务费|报酬)|讨薪|讨工钱|不发工资|工资(?:不给|没发|不发|拿不到)")),
]
_POINTS = re.compile(rf"积分(?P<gap>[^-−－负，,。；;\d]{{0,8}}?)(?P<sign>{MINUS})?(?P<n>\d{{1,5}})(?P<fen>分)?(?!钟|\d)")
_CRIME_AGO = _compile(r"(?P<n>⟨N⟩)年前[^。]{0,12}?(?:被判|判了|判过|坐过?牢|服过?刑|拘役|有期徒刑|刑事处罚)")
_GRADE = re.compile(rf"(?P<sign>{MINUS})?(?P<n>\d{{1,2}}|[零一二三四五六七八九十]{{1,2}})级")
_KIND = re.compile(r"(?P<k>视力|听力|言语|肢体|智力|精神|多重)(?=(?:[一二三四1-4]级)?残|[一二三四1-4]级|类)|"
                   r"残疾(?:类别|种类|类型)[:是为]?(?P<k2>视力|听力|言语|肢体|智力|精神|多重)")
_KEY_GROUPS = [
    ("退役军人", re.compile(r"退役军人|退役士兵|退伍|当过兵|转业军人|复员军人")),
    ("高校毕业生", re.compile(r"高校毕业生|大学毕业|大学生|应届(?:大学)?毕业生|本科毕业|研究生毕业|刚毕业")),
    ("职业院校毕业生", re.compile(r"职业院校毕业|职校毕业")),
    ("技工院校毕业生", re.compile(r"技工院校毕业|技校毕业")),
    ("农民", re.compile(r"农民|种地|务农|农村户口")),
    ("网络商户", re.compile(r"网店|网络商户|电商|淘宝店")),
    ("刑满释放人员", re.compile(r"刑满释放|出狱")),
    ("就业困难人员（残疾人）", re.compile(r"残疾")),
    ("登记失业人员", re.compile(r"登记失业|失业登记")),
    ("脱贫人口", re.compile(r"脱贫")),
    ("返乡创业人员", re.compile(r"返乡创业")),
]
_KEY_GROUP_WORDS = re.compile(r"重点扶持|重点群体|退役|退伍|军人|毕业生|大学生|失业|脱贫|农民|残疾|刑满|就业困难|返乡|网络商户|贫困")
_BUSINESS = _compile(
    r"开(?:了)?(?:个|家|一家|一个|间)?¤{0,6}?(?:店|馆|公司|作坊|工作室|超市|摊|铺|农家乐|厂|档口|场|园|基地|健身房|民宿|诊所|餐厅|酒楼|培训班)|搞了?(?:个|家)¤{0,6}?(?:店|作坊|厂|工作室|场|园|基地)|"
    r"做网店|(?:注册|成立)了?(?:一家|个|家)?¤{0,6}?(?:公司|工作室|企业)|(?:公司|店|工作室)(?:注册|开)在|有(?:具体的?)?(?:经营)?项目")
_NOT_REGISTERED = _compile(
    r"(?:营业)?执照(?:还)?没(?:有)?(?:去)?(?:办|注册|登记)|还没(?:去)?(?:办|注册|登记)(?:营业)?执照|(?:没有?|未)(?:办|领)(?:营业)?执照|还没注册")
_BUSINESS_PLACE = _compile(
    r"(?:公司|店|工作室|企业|执照|营业执照)(?:是|也)?(?P<strong>注册在|注册地是?|在)(?P<p>[\u4e00-\u9fff]{2,6})|"
    r"(?:执照|营业执照)是(?P<p2>[\u4e00-\u9fff]{2,4}?)的|在(?P<p3>(?!在)[\u4e00-\u9fff]{2,5}?)(?:注册|开|搞|经营|办)")
_BUSINESS_BEFORE = re.compile(r"(?<=[\u4e00-\u9fff])(?:执照|营业执照)(?!还没|没)")
_BUSINESS_AGE = _compile(
    r"(?:注册|成立|开业|开张|开(?:公司|店))(?:[^。交缴岁保]{0,14}?)(?:刚|已经|有|快)?(?P<dur>⟨D⟩)多?了?(?!前)")
_FUNDS_SHORT = _compile(_FUNDS)
_NO_LOANS = _compile(
    r"(?:没有?|没|无|不)(?:欠)?(?:过)?(?:任何|其他|别的|其它)?(?:的)?(?:贷款|贷过款|贷|欠款)|(?:没有?|无)(?:任何|其他|别的|其它)(?:的)?(?:贷款|贷)|"
    r"没(?:有)?(?:欠|借)(?:过)?(?:别的|其他|任何)?(?:的)?(?:贷款|贷|钱)|"
    r"(?:只有|就只有|仅有|就一笔|就一个)¤{0,4}?(?:房贷|车贷|信用卡|助学贷款|住房贷款|购房贷款)(?:(?:和|、|跟|还有)(?:房贷|车贷|信用卡|助学贷款))*"
    r"(?!¤{0,4}(?:还有|以及|和)¤{0,6}贷)")
_LOAN = _compile(r"(?:借了|贷了|有)¤{0,10}?(?:贷款|经营贷|网贷|信用贷|消费贷)|经营贷|网贷|(?:一个|一笔)¤{0,4}?贷款")
_EXCEPTED_LOAN = re.compile(r"房贷|住房|购房|车贷|买车|购车|助学|扶贫|信用卡|消费贷")
_SIZE = re.compile(r"(?P<s>小微|中型|大型)(?:企业|公司)?")
_STAFF = re.compile(
    rf"(?:现有|现在|目前|共有?|一共|总共)?(?:在职)?(?:(?P<noun>员工|职工|工人)(?:人数|总数)?(?:有|是|为|共|:)?)?(?P<sign>{MINUS})?"
    r"(?P<n>\d+|[一二三四五六七八九十百千两]+)(?P<tail>(?:个|名)?(?:员工|职工|工人|人)|名|个)"
    r"(?=[，,。；;、\s]|$)")
_HIRES = _compile(
    r"(?:招用|招聘|招收|招|聘用|雇用|雇|录用)(?:了)?(?:(?P<n>⟨N⟩)(?:个|名|位)(?P<who>¤{1,12})|"
    r"(?P<who2>(?:重点扶持对象|重点群体|退役军人|退伍军人|高校毕业生|大学生|毕业生|登记失业人员|失业人员|脱贫人口|农民工?|残疾人|刑满释放人员|"
    r"就业困难人员)¤{0,4}?)(?P<n2>⟨N⟩)(?:人|名|个|位))")
_NO_CONTRACT = _compile(r"合同(?:还)?(?:没|没有|未)签|(?:没|没有|未)签(?:劳动)?合同")
_CONTRACT_TERM = [
    _compile(r"签(?:了|订了?)?¤{0,3}?(?P<dur>⟨D⟩)(?:以上|多)?的?(?:期限的?)?(?:劳动)?合同"),
    _compile(r"合同(?:都|也|全)?(?:只|才)?(?:签|签了|签订了?)的?(?:是)?(?P<dur>⟨D⟩)"),
]
_ARREARS = [
    (_compile(r"(?:没|没有|从没|从来没有?|不|无)(?:拖欠|欠|欠缴)(?:过)?(?:职工)?的?(?:工资|社保|社会保险)|"
              r"(?:工资|社保)(?:和|、|跟)?(?:社保|工资)?(?:都|也)?(?:按时|正常|没有?(?:拖欠|欠)|从来?没有?(?:拖欠|欠)|不欠)|"
              r"(?:没|没有|无|未)(?:被列入)?(?:任何)?(?:严重违法|失信|黑名单)|(?:没有?|无)(?:欠薪|欠保|拖欠|欠缴)¤{0,4}记录"), False),
    (_compile(r"失信|严重违法|黑名单|信用记录¤{0,4}(?:有|不良)"), True),
]
_DECISION = _compile(
    r"(?:你|你们|系统)¤{0,6}直接¤{0,4}(?:批|办|发|给|认定|分|通过|审批)|直接(?:给我)?(?:批|发|办|认定|分|通过|审批|批准)|批给我|"
    r"(?:给我|帮我)(?:批|通过|审批|批准)|别审|不用审|能不能批|可以批吗|批准(?:一下|了吧|吧)")


def _check(name: str, value: object) -> tuple[object | None, dict | None]:
    if isinstance(value, _Impossible):
        return None, {"fact": name, "value": value.value, "zh": value.zh, "en": value.en}
    try:
        return check_value(name, value), None
    except ZhengwuError as exc:
        return None, {"fact": name, "value": value, "zh": exc.zh, "en": exc.en}


def _settle(hits: list[_Hit], reading: Reading) -> None:
    """Hits -> facts, conflicts and errors: one stated value is a fact, two are a conflict, an impossible one an error."""
    by_fact: dict[str, list[_Hit]] = {}
    for hit in sorted(hits, key=lambda h: h.start):
        by_fact.setdefault(hit.fact, []).append(hit)
    for name, found in by_fact.items():
        values: list[object] = []
        spans: list[str] = []
        failed = False
        for hit in found:
            value, err = _check(name, hit.value)
            if err is not None:
                if err not in reading.errors:
                    reading.errors.append(err)
                failed = True
                continue
            if value not in values:
                values.append(value)
                spans.append(hit.span)
        if failed:
            continue
        if len(values) == 1:
            reading.facts[name] = values[0]
            if spans[0]:
                reading.spans[name] = spans[0]
        elif len(values) > 1:
            reading.conflicts[name] = values
            reading.spans[name] = "…".join(s for s in spans if s)


def _age_on(born: str, today: dt.date) -> int:
    b = dt.date.fromisoformat(born)
    return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


def read_facts(text: str, *, today: dt.date, city: str = "广州市") -> Reading:
    """The facts a description states, by rules; see the module docstring for what is never guessed."""
    if not isinstance(text, str):
        raise ZhengwuError("match_bad_input", "情况描述必须是文字。", "the description must be text.")
    if len(text) > MAX_CHARS:
        raise ZhengwuError("match_text_too_long", f"情况描述太长（{len(text)} 字），请在 {MAX_CHARS} 字以内说明您的情况。",
                           f"the description is too long ({len(text)} characters); please keep it under {MAX_CHARS}.")
    prepared = _prepare(text)
    reader = _Reader(prepared, today=today, city=city)
    here = "|".join(re.escape(w) for w in ("本市", "本地", "这边", city, city.rstrip("市")) if w)
    enterprise = bool(_ENTERPRISE.search(prepared))
    own_business = not enterprise and bool(_LOAN_INTENT.search(prepared) or _BUSINESS.search(prepared))
    reader.read_bools(f"(?:{here})")
    reader.read_age()
    reader.read_birth_date()
    reader.read_gender()
    reader.read_hukou()
    reader.read_residence()
    reader.read_durations()
    reader.read_ui_city()
    reader.read_work_here()
    reader.read_employment_injury()
    reader.read_hpf_reason()
    reader.read_kinds()
    reader.read_points()
    reader.read_criminal_years()
    reader.read_disability()
    if enterprise:
        reader.read_enterprise()
        reader.hits = [h for h in reader.hits if h.fact not in ("legal_matter", "stable_job", "employee")]
    elif own_business:
        reader.read_own_business()
    reading = Reading(unknown_areas=reader.unknown, decision_request=reader.read_decision_request())
    _settle(reader.hits, reading)
    born = reading.facts.get("birth_date")
    if born and "age" in reading.facts and _age_on(str(born), today) != reading.facts["age"]:
        reading.conflicts["age"] = [reading.facts.pop("age"), _age_on(str(reading.facts.pop("birth_date")), today)]
    return reading


_PROMPT = "data/facts_prompt.txt"
_JSON_OBJECT = re.compile(r"\{.*\}", re.S)


def _prompt(names: list[str]) -> str:
    from importlib import resources

    lines = []
    for name in names:
        f = vocabulary_fact(name)
        allowed = f", 可选值: {'/'.join(f.values)}" if f.values else ""
        unit = f"（单位: {f.unit}）" if f.unit else ""
        lines.append(f"- {name}: {f.type}, {f.zh}{unit}{allowed}")
    template = resources.files("zhengwu.match").joinpath(_PROMPT).read_text("utf-8")
    return template.format(facts="\n".join(lines))


def complete_with_model(g: Governed, text: str, reading: Reading) -> Reading:
    """Ask the configured model, through the caller's governed interaction `g`, for the facts the rules left unknown.

    Rules first: the model only fills gaps. Each value it gives is checked by `check_value` and kept only when the
    words it quotes occur in the description (grounded or silent); a value that disagrees with a rule's reading
    becomes a conflict, asked back like any other. Without a model, or when the model fails or answers something
    that is not the JSON asked for, the rules' reading is returned unchanged: matching never depends on the model.
    """
    if not g.generative() or not isinstance(text, str) or not text.strip():
        return reading
    settled = set(reading.conflicts) | {e["fact"] for e in reading.errors}
    wanted = [n for n in vocabulary() if n not in settled]
    try:
        reply = g.chat([{"role": "system", "content": _prompt(wanted)}, {"role": "user", "content": text}],
                       temperature=0)
    except ZhengwuError:
        return reading  # the door recorded the failure; the rules' reading stands
    found = _JSON_OBJECT.search(reply.text or "")
    try:
        proposed = json.loads(found.group(0)) if found and not reply.blocked else {}
    except ValueError:
        proposed = {}
    if not isinstance(proposed, dict):
        return reading
    prepared = _prepare(text)
    out = Reading(facts=dict(reading.facts), conflicts=dict(reading.conflicts), errors=list(reading.errors),
                  spans=dict(reading.spans), unknown_areas=list(reading.unknown_areas),
                  decision_request=reading.decision_request)
    for name, item in proposed.items():
        if name not in wanted or not isinstance(item, dict):
            continue
        words = item.get("words")
        if not isinstance(words, str) or not words.strip() or words not in prepared or "＊" in words:
            continue  # not in the resident's words (or an identifier): a guess, not a reading
        try:
            value = check_value(name, item.get("value"))
        except ZhengwuError:
            continue
        if name in out.facts:
            if out.facts[name] != value:
                out.conflicts[name] = [out.facts.pop(name), value]
                out.spans[name] = f"{out.spans.get(name, '')}…{words}"
            continue
        out.facts[name] = value
        out.spans[name] = words
    return out
