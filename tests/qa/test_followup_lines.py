"""Yes-or-no follow-ups that name no kind of fact, and a follow-up whose detail sits in another passage of the
previous answer's document than the one its topic words point to (fifteenth round).

Asserted: such a follow-up's answer must name an aspect noun it names ("每年", "网上"), not a time word ("以后");
"on the phone / online" is answered by the channel, "pay first" by a payment; the previous document is cut to the
lines that hold the kind asked (a sum, a period or a date only on a line that names what it is of; never the rules'
issue date), and a follow-up whose word is another found document's title word is not answered from those lines;
through the real answer path, a follow-up is answered from the previous document's line that holds what it asks.
"""

from __future__ import annotations

from tests.qa.test_followup import _cited, _conversation
from zhengwu.qa.evidence import AnswerInputs
from zhengwu.qa.followup import asked_words, holds_kind_asked, kind_passage

GUIDE = "\n".join([
    "养老金申领办事指南", "␞§四、基本流程", "单位或个人可以通过网上申请，填写申报信息并上传相关资料。",
    "␞§六、办理时限", "承诺办结时限：10个工作日", "␞§八、收费标准", "不收费。", "␞§十一、其他注意事项",
    "基本养老金将于审核通过的次月10日前划入退休人员的银行账户。"])


def _inputs(text: str) -> AnswerInputs:
    return AnswerInputs(current=[], old=[], texts={}, cands=[], passages=[text], priors=[1.0], titles=["指南"],
                        checks=[])


def test_a_yes_or_no_follow_up_needs_an_aspect_it_names_not_a_time_word():
    assert "每年" in asked_words("以后每年都还要办一次吗")
    assert "以后" not in asked_words("以后每年都还要办一次吗")
    assert holds_kind_asked("以后每年都还要办一次吗", "电子居住证有效期为一年，每年签注一次。")
    assert not holds_kind_asked("以后每年都还要办一次吗", "申领电子居住证的审核期限为5个工作日。")
    assert holds_kind_asked("本人必须去现场吗", "申报表必须由申领人本人签名。")


def test_online_is_answered_by_the_channel_and_paying_first_by_a_payment():
    assert holds_kind_asked("用手机可以办吗", "可通过“穗好办”APP或“粤省事”微信小程序进行远程人脸识别认证。")
    assert not holds_kind_asked("用手机可以办吗", "携带有效身份证件前往街镇社保经办机构窗口办理。")
    assert holds_kind_asked("住院还得自己先掏钱吗", "可直接结算医疗费用，无需个人垫付。")
    assert not holds_kind_asked("住院还得自己先掏钱吗", "后台工作人员将在2个工作日内完成审批。")


def test_the_previous_document_is_cut_to_the_lines_that_hold_the_kind_asked():
    fee = kind_passage(_inputs(GUIDE), "办这个收钱吗")
    assert fee is not None and fee.passages[0].splitlines() == ["␞§八、收费标准", "不收费。"]
    when = kind_passage(_inputs(GUIDE), "钱几号到账")
    assert when is not None and "次月10日前" in when.passages[0] and "10个工作日" not in when.passages[0]
    # a date on a line that does not name what is asked, and the rules' own issue date, are no answer
    rules = "积分制入户管理办法\n一个纳税年度指当年的1月1日至12月31日。\n广州市人民政府办公厅秘书处 2025年7月4日印发"
    assert kind_passage(_inputs(rules), "什么时候开始报名") is None
    assert not holds_kind_asked("什么时候开始报名", "广州市人民政府办公厅秘书处 2025年7月4日印发")
    # nothing to cut when no line, or every line, holds it
    assert kind_passage(_inputs("电子居住证\n无需重新申领。"), "办这个收钱吗") is None


def test_a_follow_up_is_answered_from_the_line_of_the_previous_document_that_holds_it(demo_kb):
    first, yearly = _conversation("电子居住证在哪里申领", "以后每年都还要再弄一次吗")
    assert _cited(first) == "gz-guide-34"
    assert yearly.followup and _cited(yearly) == "gz-guide-34", (yearly.answer, yearly.checks)
    assert "每年签注" in yearly.body


def test_a_follow_up_naming_another_document_s_title_word_is_not_answered_from_the_cut(demo_kb):
    # 认证 is the title word of the 资格认证 notice, not of the 养老金申领 guide cited first
    first, cert = _conversation("企业职工基本养老金怎么申领", "以后每年还要做认证吗")
    assert _cited(first) == "gz-guide-23"
    assert not any(c.startswith("previous_document:held") for c in cert.checks), cert.checks
