"""What kind of fact a citizen's question asks for, and whether a text holds one.

Why: "失业金每个月几号发" is not answered by "发放标准为每月2250元", nor "一个月能领多少钱" by "领取期限为一个月",
although each sentence is in the right document and shares the question's words. The older cues
(extract.CUES) lump every "多少 / 几" together, so a sum of money, a number of days and a date all count as
"an amount". Here each asked type has its own test: a sum of money (元, 免费, 减半 …) for "多少钱", a length
of time (3个工作日, 一年, 即时) for "多久", a calendar date (6月27日, 每月15日前) for "几号 / 什么时候", a phone
number, a place, a list of materials. The abstention model reads whether the answer shown holds the asked
type (and whether the document holds it elsewhere, which points to the right document but the wrong part).
"""

from __future__ import annotations

import re

_NUM = r"(?:\d+(?:[.,]\d+)?|[一二两三四五六七八九十百千半几]+)"

# (type, what in a question asks for it, what in a text answers it); a question may ask for several
TYPES: tuple[tuple[str, re.Pattern, re.Pattern], ...] = (
    ("money",
     re.compile(r"多少钱|几块|多少元|费用|收费|要钱|收钱|买票|免费|花多少|给多少|补多少|领多少|发多少|贷多少|交多少|缴多少|扣多少"
                r"|报多少|报销多少|涨多少|补贴|补助|津贴多少|能贷|额度|金额|租金|比例|百分之|how much"),
     re.compile(rf"{_NUM}\s*(?:万|千|百)?\s*元|免费|全免|减半|半价|不收|无偿|免交|免收|{_NUM}\s*[%％]")),
    ("duration",
     re.compile(r"多久|多长时间|多少天|几天|几个月|几年|多少年|时限|期限|有效期|多快|how long"),
     # not an age ("16周岁"), a year ("2019年"), a grade ("一年级") or a day of a month ("12月20日", "12月")
     re.compile(rf"(?<![\d月]){_NUM}\s*个?\s*(?:工作日|自然日|日|天|周(?!岁)|星期|个月|月(?![\d一二三四五六七八九十]))"
                rf"|(?<!\d)(?:\d{{1,2}}|[一二两三四五六七八九十半几]+)\s*个?\s*年(?![级度])|{_NUM}\s*个?\s*小时"
                r"|即时|当场|立等可取|当天|当日|长期|永久")),
    ("date",
     re.compile(r"几号|哪天|哪一天|几月|什么时候|何时|啥时候|截止|日期|when"),
     re.compile(rf"{_NUM}\s*月\s*{_NUM}\s*[日号]|{_NUM}\s*[日号]前|每月\s*{_NUM}\s*[日号]|{_NUM}\s*月(?:份|底|初|中旬|上旬|下旬)"
                rf"|{_NUM}\s*年\s*{_NUM}\s*月|每年(?!度)")),
    ("phone",
     re.compile(r"电话|联系方式|热线|打哪个|phone|hotline"),
     re.compile(r"\d{3,4}[-－—]?\d{7,8}|\b1\d{4}\b|(?<!\d)\d{8}(?!\d)|12345|12333")),
    ("place",
     re.compile(r"在哪|去哪|哪里|哪儿|地点|地址|哪个部门|找谁|窗口|where"),
     re.compile(r"路\s*\d+\s*号|号楼|地址|大厅|窗口|网点|服务中心|政务服务|派出所|街道|社区|经办机构|部门|APP|app"
                r"|小程序|公众号|网站|平台")),
    ("materials",
     re.compile(r"材料|带什么|带啥|带哪些|要带|准备什么|准备啥|准备哪些|提供什么|提交什么|交哪些|要什么(?!条件)|需要啥|证件|手续"
                r"|bring|documents?"),
     re.compile(r"身份证|户口簿|户口本|原件|复印件|申请表|登记表|证明|照片|相片|回执|材料|证件|合同|执照|护照|通行证|病历")),
    ("count",
     re.compile(r"几个|多少个|几项|几次|多少分|几分|几岁|多大|多少人|几人|多少平|名额|how many"),
     # not minutes ("10-15分钟": a distance in time, not a score)
     re.compile(rf"{_NUM}\s*(?:万|千)?\s*(?:个|项|次|分(?!钟)|岁|周岁|人|名|平方米|㎡|户|套|间)")),
)
NAMES = tuple(name for name, _, _ in TYPES)
NARROW = ("money", "duration", "date", "phone", "count")  # facts one sentence states or does not


# Cantonese 几多 is 多少 ("交几多", "几多岁"); a unit after 多少 / 几 names what is counted, so "多少个月" and "几个
# 工作日" ask a length of time (not a count, not a sum: "扣多少个月"), "多少岁" an age (a count)
_ASKS = {name: ask for name, ask, _ in TYPES}
_PERIOD_UNIT = re.compile(r"(?:多少|几)\s*个?\s*(?:工作日|自然日|月|星期|小时|天|日)")
_UNIT_AFTER = re.compile(r"(?:多少|几)\s*个?\s*(?:工作日|自然日|月|星期|小时|天|日|年|岁|人|次|项|分|平|户|套|名)")
# "每月多少", "一年交多少", "每餐补贴多少": a sum per period or per use, when no unit follows
_SUM_PER = re.compile(r"(?:每|一)\s*(?:个)?\s*(?:月|年|人|次|餐|天|户)[^，,。？?！!\s多几]{0,6}多少(?!\s*个?\s*[^\s，,。？?！!吗呢啊呀])")


def asked(question: str) -> tuple[str, ...]:
    """The types of fact `question` asks for ("多少钱" → money, "几号发" → date), in TYPES order."""
    q = (question or "").lower().replace("几多", "多少")
    found = {name for name, ask, _ in TYPES if ask.search(q)}
    if _PERIOD_UNIT.search(q):
        found.add("duration")
        # the unit says what is asked: the verb before it ("扣多少个月", "几个工作日") asks no sum or count
        rest = _UNIT_AFTER.sub(" ", q)
        found -= {name for name in ("money", "count") if not _ASKS[name].search(rest)}
    if _SUM_PER.search(q):
        found.add("money")
    if re.search(r"多少岁|几岁", q):
        found.add("count")
    return tuple(name for name in NAMES if name in found)


def holds(text: str, types: tuple[str, ...]) -> bool:
    """Does `text` hold a fact of any of `types`?"""
    return any(ans.search(text or "") for name, _, ans in TYPES if name in types)
