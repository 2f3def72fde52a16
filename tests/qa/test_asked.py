"""The focus of a question — which thing it asks about — and whether a passage states that thing (zhengwu/qa/asked.py).

Phrasings written for these tests (not the everyday sets'), passages copied from real documents of data/demo: the
社保卡 guide (gz-guide-22), the 养老金申领 guide (gz-guide-23), the 老年人优待办法 (gz-policy-33), the 积分制入户 notice
(gz-policy-36b), the 天河 talent-flat notice (gz-policy-12).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import pytest

from zhengwu.qa import asked
from zhengwu.qa.abstain import _terms

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


@lru_cache(maxsize=1)
def _texts() -> dict[str, str]:
    out = {}
    for path in DEMO.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            out[d["id"]] = d.get("full_text") or ""
    return out


def passage(doc: str, start: str, length: int = 160) -> str:
    """A real passage of a demo document: from `start` on (the test fails if the document does not hold it)."""
    text = _texts()[doc]
    i = text.index(start)
    return text[i:i + length]


def focus(question: str) -> asked.Focus:
    return asked.focus(question, _terms(question))


@pytest.mark.parametrize("question, kinds, verb, matter", [
    ("孩子的社保卡丢了 补办得花多少钱", ("money",), "补办", "社保卡"),  # 花 (spend) is no action of the matter
    ("居住证从交材料到拿证一般要等几天", ("duration",), "", "居住证"),
    ("长者饭堂的送餐补贴要去哪里申请", ("place",), "申请", "送餐"),   # 补贴 names the matter: a place is asked
    ("人才公寓今年几号开始申请", ("date",), "申请", "公寓"),
])
def test_the_focus_is_the_asking_clause_its_kind_its_verb_and_its_matter(question, kinds, verb, matter):
    f = focus(question)
    assert f.types == kinds
    assert f.verb == verb
    assert any(matter in t for t in f.matter)


def test_an_asking_clause_naming_no_heavy_term_borrows_the_matter_from_the_clause_before():
    f = focus("我爸今年七十了 老年人优待卡有效期是多久 过期了在哪续")
    assert f.clause == "过期了在哪续" and f.types == ("place",) and f.verb == "续"
    assert any("优待卡" in t for t in f.matter)  # from the clause before: "过期" alone names no matter
    assert not any("七十" in t for t in f.matter)  # the clause before that is not read


def test_a_question_without_a_question_word_is_its_own_focus():
    f = focus("身份证上的民族写错了想改过来")
    assert f.verb == "" and any("民族" in t for t in f.matter)


def test_materials_for_the_matter_asked_and_materials_for_a_neighbouring_one():
    """"给小孩办社保卡家长得带什么": the 社保卡 guide's list states it; the 养老金 guide's list of materials for special
    cases holds materials too, about another thing."""
    f = focus("给小孩办社保卡家长得带什么")
    assert f.types == ("materials",)
    right = passage("gz-guide-22", "二、申领所需材料")
    neighbour = passage("gz-guide-23", "（二）其他特殊情形所需材料")
    assert asked.stated(f, right, "") == 1.0
    assert asked.stated(f, neighbour, "") == 0.0


def test_a_date_of_the_document_itself_is_not_the_date_asked():
    """"积分入户每年几月份开始报名" is not answered by the notice's own term of validity; "人才公寓几号开始申请" is by
    the notice's 申请时间."""
    f = focus("积分入户每年几月份开始报名")
    assert asked.stated(f, passage("gz-policy-36b", "根据《广东省行政规范性文件管理规定》"), "") == 0.0
    g = focus("天河人才公寓几号开始申请")
    assert asked.stated(g, passage("gz-policy-12", "五、申请时间", 40), "") == 1.0


def test_the_term_of_the_card_is_stated_and_the_term_of_the_rules_is_not():
    """"优待卡办下来能用几年": article 13 of the 优待办法 states the card's term ("自本办法实施之日起申领……设置2年有效期"
    names the rules only as a time); its last article ("本办法自…起施行") is about the rules themselves."""
    f = focus("老人优待卡办下来能用几年")
    assert f.types == ("duration",)
    assert asked.stated(f, passage("gz-policy-33", "第十三条 自本办法实施之日起"), "") == 1.0
    assert asked.stated(f, passage("gz-policy-33", "第十九条 本办法自"), "") == 0.0


def test_the_matter_s_share_and_nothing_to_check_when_no_kind_is_asked():
    f = focus("给小孩办社保卡家长得带什么")
    assert asked.matter_share(f, passage("gz-guide-22", "二、申领所需材料")) > asked.matter_share(
        f, passage("gz-guide-23", "（二）其他特殊情形所需材料"))
    g = focus("社保卡能不能寄到家里")  # a yes / no: no kind of fact to look for
    assert g.types == ()
    assert math.isnan(asked.stated(g, passage("gz-guide-22", "二、申领所需材料"), ""))


@pytest.mark.parametrize("question, attribute", [
    ("积分入户今年有多少个名额", "名额"),
    ("公租房申请家庭的收入标准是多少", "收入标准"),
    ("长护险的缴费基数是多少", "基数"),
    ("异地就医备案的有效期是多长", "有效期"),
    ("失业金每个月几号发", ""),  # the question word asks a date of 发: no noun stands there
])
def test_the_attribute_is_the_noun_the_question_word_asks_the_value_of(question, attribute):
    assert focus(question).attribute.endswith(attribute) if attribute else focus(question).attribute == ""


def test_the_value_of_another_attribute_of_the_same_matter_does_not_state_the_attribute_asked():
    """"优待卡有效期几年": article 13 states the card's 有效期; "优待卡多久能做好" asks the processing time, and the same
    article states no such thing — only the matter (优待凭证) and a length of time are there."""
    text = passage("gz-policy-33", "第十三条 自本办法实施之日起")
    assert asked.attribute_stated(focus("老年人优待卡的有效期是几年"), text, "") == 1.0
    assert asked.stated(focus("老年人优待卡办下来的有效期多久"), text, "") == 1.0
    quota = focus("积分入户今年有多少个名额")
    assert asked.attribute_stated(quota, passage("gz-policy-36b", "第六条"), "") == 0.0  # 积分满150分: a score
    assert math.isnan(asked.attribute_stated(focus("失业金每个月几号发"), text, ""))
