"""Refuse requests that ask the model to decide on a person's rights, benefits or penalties.

DESIGN non-negotiable 5 ("humans decide"): the platform advises, it never decides. A request is a decision
request when it contains a decision act (作出决定, 决定是否…, 直接批准/驳回, 批准他的…) AND a rights, benefit
or penalty object (低保, 补贴, 处罚, 申请, 资格 …). Advisory questions ("低保的申请条件是什么", "如何申请") name
an object but no decision act, so they pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DECISION_ACTS = re.compile(
    r"(?:请|帮我|替我|你|您|并|直接|然后|由你|给我|就|再)(?:直接)?(?:作出|做出|作|做|给出|下达|出具)(?:最终|最后)?"
    r"(?:决定|裁定|裁决|审批结果|审批决定|处罚决定|批复)"
    r"|决定(?:是否|要不要|能否|可否|给予|批准|驳回|不予|予以|对其|对他|对她|取消|停发|发放|处罚)"
    r"|(?:直接|替我|帮我|请你|由你|你来|你直接|你替)(?:批准|驳回|否决|拒绝|准予|不予|审批|核准|取消|处罚|判定|认定|决定|通过|停发|裁定)"
    r"|(?:批准|驳回|否决|准予|不予|拒绝|取消|停发)(?:他|她|其|该|这|此|申请人|当事人|此人)"
    r"|(?:判定|认定|裁定)(?:他|她|其|该|此人|申请人|当事人)(?:是否|能否|可否|应否|应当|应该)?(?:有|享有|符合|具备|取得|获得|给予|处以|受到)"
    r"|(?:decide|determine|rule)\s+(?:whether|if)\s+(?:he|she|they|the applicant)"
    r"|(?:approve|reject|deny)\s+(?:his|her|their|the)\s+(?:application|claim|benefit)",
    re.IGNORECASE,
)
_OBJECTS = re.compile(
    r"低保|最低生活保障|特困|救助|补贴|补助|津贴|抚恤|养老金|退休金|失业(?:保险)?金|医保|社保|福利|待遇|资格|处罚|罚款"
    r"|拘留|吊销|许可|执照|户口|落户|入学|学位|保障房|公租房|廉租房|申请|赔偿|减免|资助|奖励|录用|辞退|开除|处分|低收入"
    r"|残疾|优待|抚养|监护|签证|居留|救济|贷款|信用|失信"
    r"|benefit|welfare|subsid|penalt|fine|licen[cs]e|permit|application|claim|eligib",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DecisionMatch:
    act: str
    object: str


# Every decision act contains one of these; plain substring tests are much cheaper than the full pattern.
_TRIGGERS = ("决定", "裁定", "裁决", "审批", "批复", "批准", "驳回", "否决", "拒绝", "准予", "不予", "核准", "取消",
             "处罚", "判定", "认定", "通过", "停发", "decide", "determine", "rule", "approve", "reject", "deny",
             "Decide", "Determine", "Rule", "Approve", "Reject", "Deny", "DECIDE", "APPROVE", "REJECT", "DENY")


def decision_request(text: str) -> DecisionMatch | None:
    """The decision act and object when `text` asks the model to decide on someone's rights; else None."""
    act = None
    for trig in _TRIGGERS:  # run the full pattern only in a window around each trigger word
        start = text.find(trig)
        while start != -1:
            act = _DECISION_ACTS.search(text, max(0, start - 16), start + len(trig) + 40)
            if act is not None:
                break
            start = text.find(trig, start + 1)
        if act is not None:
            break
    if act is None:
        return None
    obj = _OBJECTS.search(text)
    if obj is None:
        return None
    return DecisionMatch(act.group(0), obj.group(0))


REFUSAL_ZH = ("本平台只提供咨询和辅助信息，不能就个人的权利、待遇或处罚作出决定（检测到“{act}”涉及“{obj}”）。"
              "此类决定须由有权限的工作人员依法审核作出。您可以询问相关条件、材料和办理流程。")
REFUSAL_EN = ("This platform advises only; it cannot decide on a person's rights, benefits or penalties "
              "(detected \"{act}\" about \"{obj}\"). Such decisions are made by authorised staff under the law. "
              "You may ask about the conditions, documents and procedure.")
