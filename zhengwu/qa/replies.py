"""The wording of Q&A replies: the extract's lead-in, the no-basis and expired-policy replies, the notes.

Kept apart from the answering steps so that the words a citizen reads can be reviewed (and translated) in
one place; each function takes the language ("zh" or "en") and returns the text shown.
"""

from __future__ import annotations

HOTLINE = "12345"
VALIDITY_ZH = {"expired": "已失效", "repealed": "已废止"}
VALIDITY_EN = {"expired": "expired", "repealed": "repealed"}


def cite_name(c, limit: int = 40) -> str:  # noqa: ANN001 - a Citation
    title = c.title if len(c.title) <= limit else c.title[:limit].rstrip() + "…"  # untitled texts: a first line
    name = f"《{title}》" if title and not title.startswith("《") else (title or "")
    return name + (f"（{c.doc_number}）" if c.doc_number else "")


def no_basis(lang: str, ticket_id: int | None) -> str:
    if lang == "en":
        return ("Sorry, the knowledge base holds no policy document that answers this question, so no answer can be "
                f"given. Please call the {HOTLINE} government service hotline or ask for a human agent"
                + (f" (a hand-off ticket draft #{ticket_id} has been prepared)." if ticket_id else "."))
    return ("抱歉，知识库中没有找到能回答这个问题的政策依据，暂时无法给出准确答复。建议您拨打 12345 政务服务便民热线咨询，"
            "或转人工服务" + (f"（已为您生成转办工单草稿，编号 {ticket_id}）。" if ticket_id else "。"))


def expired(lang: str, c, ticket_id: int | None) -> str:  # noqa: ANN001
    """The document that answers the question is no longer in force: named with its dates, never quoted as the
    answer, and the hotline offered (also when current documents were found: they answer it less well)."""
    dates = []
    if c.effective_date:
        dates.append(("施行日期 " if lang != "en" else "in force from ") + c.effective_date)
    if c.pub_date and not c.effective_date:
        dates.append(("发布日期 " if lang != "en" else "published ") + c.pub_date)
    if c.expiry_date:
        dates.append(("失效日期 " if lang != "en" else "expired on ") + c.expiry_date)
    if lang == "en":
        return (f"The document found on this question, {cite_name(c)} [1], is "
                f"{VALIDITY_EN.get(c.validity, 'no longer in force')}"
                + (f" ({'; '.join(dates)})" if dates else "") + " and can no longer be relied on as current policy. "
                f"Please call the {HOTLINE} hotline or ask for a human agent to learn the rules in force"
                + (f" (hand-off ticket draft #{ticket_id})." if ticket_id else "."))
    return (f"找到的相关文件{cite_name(c)}[1]{VALIDITY_ZH.get(c.validity, '已不再有效')}"
            + (f"（{'，'.join(dates)}）" if dates else "") + "，不能作为现行政策依据。"
            "现行规定请拨打 12345 政务服务便民热线咨询，或转人工服务"
            + (f"（已生成转办工单草稿，编号 {ticket_id}）。" if ticket_id else "。"))


def extractive(lang: str, body: str, cite) -> str:  # noqa: ANN001
    where = cite_name(cite) + (f"“{cite.heading_path}”" if cite.heading_path else "")
    if lang == "en":
        return f"According to {where} [1] (official Chinese text quoted as is):\n{body} [1]"
    return f"根据{where}：\n{body}[1]"


def followup_note(lang: str, c) -> str:  # noqa: ANN001 - a Citation
    """A follow-up answered from the document of the previous answer says so: the citizen knows which text the
    answer comes from and that it was not searched anew."""
    if lang == "en":
        return f"Continuing your previous question: answered from the same document, {cite_name(c)}."
    return f"接上一问：仍依据上文引用的{cite_name(c)}作答。"


def notes(lang: str, skipped_old: list, *, closing: bool = True) -> list[str]:
    out = []
    for c in skipped_old:
        if lang == "en":
            out.append(f"An older version, {cite_name(c)}, is {VALIDITY_EN.get(c.validity, 'not in force')} and was not used.")
        else:
            out.append(f"另有{cite_name(c)}{VALIDITY_ZH.get(c.validity, '已不再有效')}，未作为依据。")
    if closing:
        out.append("Extracted from the official documents; the official publication prevails. "
                   f"For more help call {HOTLINE}." if lang == "en" else
                   "以上内容摘自官方文件，以官方发布为准；如需进一步帮助，可拨打 12345 政务服务便民热线。")
    return out


def curated_note(lang: str) -> str:
    return "This is an approved answer." if lang == "en" else "本答复为管理员审定答案。"


def guide_note(lang: str, url: str) -> str:
    return ("A step-by-step guide with your own checklist: " if lang == "en" else
            "可使用“办事导办”逐项确认情况并生成个人材料清单：") + url


def withdrawn_note(lang: str) -> str:
    return ("A sentence the sources do not support was withdrawn." if lang == "en" else
            "有一句内容在参考资料中找不到依据，已撤回。")


def see_also(lang: str, related: list[dict]) -> str:
    """Nearby documents offered for the citizen's own reading after "no basis": titles only, not an answer."""
    if not related:
        return ""
    names = "、".join(f"《{r['title']}》" if not r["title"].startswith("《") else r["title"] for r in related)
    if lang == "en":
        return f"\nYou may also look at (related, not an answer to your question): {names}."
    return f"\n您也可以查看（相关文件，并非对本问题的答复）：{names}。"


def greeting(lang: str) -> str:
    if lang == "en":
        return ("Hello! I answer questions about government services and policies from the official documents. "
                "Ask one matter in a sentence, e.g. “How do I apply for a social security card?” or "
                "“What materials are needed for a residence permit?”.")
    return ("您好！我可以根据官方政策文件解答政务服务和政策问题。请用一句话描述要咨询的事项，例如"
            "“社保卡怎么办理？”“办居住证需要什么材料？”。")


def privacy(lang: str) -> str:
    if lang == "en":
        return ("Your message seems to contain only personal information (a phone or ID number…), which has been "
                "masked and is not needed here. Please do not send personal data; describe the matter you want "
                "to ask about instead.")
    return ("您发送的内容似乎只有个人信息（如手机号、身份证号），已做脱敏处理。咨询政策无需提供个人信息，请勿发送；"
            "请直接描述您要咨询的事项。")


def too_long(lang: str, length: int, limit: int) -> str:
    if lang == "en":
        return (f"Your message is long ({length} characters). Please ask the question itself in one or two "
                f"sentences (under {limit} characters), e.g. which service or which rule you want to know about.")
    return (f"您输入的内容较长（{length} 字）。请用一两句话（{limit} 字以内）直接说明要咨询的问题，"
            "例如要办理的事项或想了解的规定。")
