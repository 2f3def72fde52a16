"""Standard opening and closing formulas (惯用语) of each 文种, used by the drafting skeleton.

These are the set phrases every 公文 writer learns (《党政机关公文处理工作条例》 and common 公文写作 practice):
a 请示 ends with 妥否，请批示。, a 函 asking for an answer with 请予函复。, a 批复 with 此复。. The skeleton puts
the opening after the recipients and the closing as the last body paragraph. `purpose` is the 事由 lead-in
used when no model is available ("为……，现……").
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TypeTemplate:
    """How one 文种 opens and closes; `recipients_required` follows GB/T 9704 (主送机关 except 公告/通告/公报…)."""

    doc_type: str
    opening: str
    closing: str
    recipients_required: bool = True
    seal: bool = True
    alternatives: tuple[str, ...] = field(default=())


TEMPLATES: dict[str, TypeTemplate] = {t.doc_type: t for t in (
    TypeTemplate("通知", "现将有关事项通知如下：", "特此通知。", alternatives=("请认真贯彻执行。", "请结合实际认真贯彻落实。")),
    TypeTemplate("请示", "现将有关情况请示如下：", "妥否，请批示。", alternatives=("以上请示当否，请批示。",)),
    TypeTemplate("报告", "现将有关情况报告如下：", "特此报告。", alternatives=("以上报告，请审阅。",)),
    TypeTemplate("函", "现就有关事项函告如下：", "特此函告。", alternatives=("请予函复。", "请研究函复。")),
    TypeTemplate("批复", "经研究，现批复如下：", "此复。"),
    TypeTemplate("意见", "现提出如下意见：", "请结合实际认真贯彻落实。"),
    TypeTemplate("通报", "现将有关情况通报如下：", "特此通报。"),
    TypeTemplate("决定", "经研究，决定如下：", "特此决定。"),
    TypeTemplate("决议", "会议决议如下：", "", seal=True),
    TypeTemplate("命令", "现命令如下：", "此令。"),
    TypeTemplate("公报", "现公报如下：", "特此公报。", recipients_required=False),
    TypeTemplate("公告", "现将有关事项公告如下：", "特此公告。", recipients_required=False),
    TypeTemplate("通告", "现将有关事项通告如下：", "特此通告。", recipients_required=False),
    TypeTemplate("议案", "现提出如下议案：", "请审议。"),
    TypeTemplate("纪要", "现将会议主要精神纪要如下：", "", seal=False),
    # Not a 公文 文种, but drafted the same way: a press release has a headline, a lead and a closing line.
    TypeTemplate("新闻稿", "", "（完）", recipients_required=False, seal=False),
)}

ALIASES = {"命令（令）": "命令", "令": "命令", "press": "新闻稿", "press_release": "新闻稿", "notice": "通知",
           "request": "请示", "report": "报告", "letter": "函", "reply": "批复", "minutes": "纪要"}

# 文种 written in a title: 发文机关 + 关于 + 事由 + 的 + 文种.
TITLE_SUFFIX = {"命令": "命令", "新闻稿": ""}

# Register (语体) the model is asked to keep, per type.
REGISTER = {
    "请示": "上行文，语气谦敬，一文一事，只主送一个上级机关",
    "报告": "上行文，陈述情况，不夹带请示事项",
    "函": "平行文，语气平和得体",
    "批复": "下行文，针对请示逐项答复，态度明确",
    "通知": "下行文，要求明确具体，便于执行",
    "新闻稿": "新闻体，导语概括何时何地何人何事，正文按重要性递减",
}


def normalise_type(doc_type: str) -> str:
    """The canonical 文种 name for a user's spelling (raises KeyError when unknown)."""
    t = (doc_type or "").strip()
    t = ALIASES.get(t, ALIASES.get(t.lower(), t))
    if t not in TEMPLATES:
        raise KeyError(t)
    return t


def template_for(doc_type: str) -> TypeTemplate:
    return TEMPLATES[normalise_type(doc_type)]
