"""The 15 文种 of the 《党政机关公文处理工作条例》 (第八条) and the rules each one brings.

One `DocType` per 文种 says what the renderer and the checker need: the direction of the document (上行文
need a 签发人), whether 主送机关 and 发文字号 are required, whether it is sealed (纪要 is not), which 版头
format it uses (文件格式, 命令格式, 纪要格式, 信函格式) and, for a 请示, the closing formulas.
Sources: standards.md §1.2–1.3 (GB/T 9704-2012 §7, §10; 条例 第八、九条).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# 发文字号: 机关代字〔YYYY〕N号 (standards.md §1.3). 命令（令） use a 令号 "第N号" instead.
NUMBER_RE = re.compile(r"^[\u4e00-\u9fa5A-Za-z]+〔\d{4}〕[1-9]\d*号$")
ORDER_NUMBER_RE = re.compile(r"^第[1-9]\d*号$")
DATE_RE = re.compile(r"^\d{4}年([1-9]|1[0-2])月([1-9]|[12]\d|3[01])日$")

UP, DOWN, ACROSS, ANY = "上行文", "下行文", "平行文", "不限"

# A 请示 ends with one of these request formulas (common practice; the checker accepts any of them).
QINGSHI_CLOSINGS = ("妥否，请批示", "当否，请批示", "妥否，请批复", "当否，请批复", "以上请示当否，请批示",
                    "请批示", "请批复", "请审批", "请予批准", "请予审批", "请审示", "请核准", "请予批复")


@dataclass(frozen=True)
class DocType:
    """How one 文种 is laid out and what it must contain."""

    name: str
    direction: str
    purpose_zh: str
    purpose_en: str
    recipients_required: bool = True
    number_required: bool = True
    signer_required: bool = False
    sealed: bool = True
    one_recipient: bool = False
    layout: str = "file"  # file | order | minutes | letter
    closings: tuple[str, ...] = field(default=())

    def mark(self, issuer: str) -> str:
        """The 发文机关标志 text of this layout."""
        if self.layout == "order":
            return issuer if issuer.endswith(("令", "命令")) else issuer + "令"
        if self.layout == "minutes":
            return issuer if issuer.endswith("纪要") else issuer + "纪要"
        if self.layout == "letter":
            return issuer
        return issuer + "文件"


DOCTYPES: dict[str, DocType] = {t.name: t for t in (
    DocType("决议", DOWN, "会议讨论通过的重大决策事项", "decisions adopted by a meeting", recipients_required=False),
    DocType("决定", DOWN, "对重要事项作出决策和部署、奖惩有关单位和人员", "decisions, arrangements, rewards, penalties"),
    DocType("命令", DOWN, "公布行政法规和规章、宣布施行重大强制性措施等", "promulgating regulations, compulsory measures",
            recipients_required=False, layout="order"),
    DocType("公报", DOWN, "公布重要决定或者重大事项", "publishing important decisions or major matters",
            recipients_required=False, number_required=False),
    DocType("公告", DOWN, "向国内外宣布重要事项或者法定事项", "announcing important or statutory matters",
            recipients_required=False, number_required=False),
    DocType("通告", DOWN, "在一定范围内公布应当遵守或者周知的事项", "matters to be observed or known in a scope",
            recipients_required=False, number_required=False),
    DocType("意见", ANY, "对重要问题提出见解和处理办法", "views and approaches on important issues"),
    DocType("通知", DOWN, "发布、传达要求下级机关执行和有关单位周知或者执行的事项", "matters to carry out or know"),
    DocType("通报", DOWN, "表彰先进、批评错误、传达重要精神和告知重要情况", "commend, criticise, convey, inform"),
    DocType("报告", UP, "向上级机关汇报工作、反映情况，回复上级机关的询问", "reporting to a higher body",
            signer_required=True, one_recipient=True),
    DocType("请示", UP, "向上级机关请求指示、批准", "asking a higher body for instructions or approval",
            signer_required=True, one_recipient=True, closings=QINGSHI_CLOSINGS),
    DocType("批复", DOWN, "答复下级机关请示事项", "replying to a lower body's request"),
    DocType("议案", UP, "各级人民政府按照法律程序向同级人民代表大会或者其常务委员会提请审议事项",
            "submitting matters to the people's congress", one_recipient=True),
    DocType("函", ACROSS, "不相隶属机关之间商洽工作、询问和答复问题、请求批准和答复审批事项",
            "between bodies without a reporting line", layout="letter"),
    DocType("纪要", ANY, "记载会议主要情况和议定事项", "recording a meeting's proceedings and agreed matters",
            recipients_required=False, number_required=False, sealed=False, layout="minutes"),
)}

ALIASES = {"命令（令）": "命令", "命令(令)": "命令", "令": "命令", "会议纪要": "纪要", "复函": "函",
           "notice": "通知", "request": "请示", "report": "报告", "letter": "函", "reply": "批复",
           "minutes": "纪要", "opinion": "意见", "decision": "决定", "resolution": "决议", "order": "命令",
           "communique": "公报", "announcement": "公告", "circular": "通报", "public_notice": "通告",
           "motion": "议案"}


def normalise_type(name: str) -> str | None:
    """The canonical 文种 for a user's spelling, or None when it is not one of the 15."""
    t = (name or "").strip()
    t = ALIASES.get(t, ALIASES.get(t.lower(), t))
    return t if t in DOCTYPES else None


def type_from_title(title: str) -> str | None:
    """The 文种 a title ends with (…的通知 → 通知, …的复函 → 函, …令 → 命令), or None."""
    t = re.sub(r"[（(][^）)]*[）)]$", "", (title or "").strip())
    for suffix, name in (("复函", "函"), ("会议纪要", "纪要"), ("命令", "命令"), ("意见", "意见")):
        if t.endswith(suffix):
            return name
    for name in sorted(DOCTYPES, key=len, reverse=True):
        if t.endswith(name):
            return name
    return None


def get_type(name: str) -> DocType:
    t = normalise_type(name)
    if t is None:
        raise KeyError(name)
    return DOCTYPES[t]
