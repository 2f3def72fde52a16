"""The checker's parts on their own: the reader's model, the element finder and the rule registry."""

from __future__ import annotations

import pytest

from zhengwu.errors import ZhengwuError
from zhengwu.writing.check import RULES, check_text, rule_ids
from zhengwu.writing.check.elements import find_elements, find_type
from zhengwu.writing.check.reader import read_text

QINGSHI = """教职成〔2018〕08号
教育部关于调整完善职业教育工作部际联席会议制度的请示
国务院、国务院办公厅：
为进一步加强对职业教育工作的统筹协调，拟调整完善职业教育工作部际联席会议制度。
妥否，请批示。
附件：职业教育工作部际联席会议制度。
教育部
2018年01月09日
抄送：国家发展改革委、财政部
"""


def test_reader_and_element_finder():
    doc = read_text(QINGSHI)
    assert doc.source == "text" and not doc.docx and doc.lines[1].location == "line 2"
    el = find_elements(doc.lines)
    assert (el.number, el.title, el.recipients, el.body) == (0, [1], 2, [3, 4])
    assert (el.attachments, el.signature, el.date, el.cc) == ([5], 6, 7, 8)
    assert find_type(doc.lines, el) == "请示"
    with pytest.raises(ZhengwuError) as exc:
        find_elements(read_text("这只是一段话。\n没有公文要素。").lines)
    assert exc.value.code == "not_gongwen"


def test_rule_registry_is_one_table_of_unique_ids():
    ids = rule_ids()
    assert len(ids) == len(set(ids))
    assert {r.group for r in RULES} == {"number", "date", "title", "heading", "attachment", "qingshi", "baogao",
                                        "cc", "proofread", "page", "body", "mark", "signature", "banji",
                                        "blank_note"}
    assert all(r.docx_only for r in RULES if r.group in ("page", "body")) and not RULES[0].docx_only


def test_every_reported_rule_is_registered():
    report = check_text(QINGSHI)
    found = report.rules()
    assert {"number.leading_zero", "qingshi.recipients", "qingshi.signer",
            "attachment.punctuation", "date.padded", "cc.full_stop"} <= found
    families = {i[:-1] for i in rule_ids() if i.endswith(".*")}
    assert all(r in rule_ids() or any(r.startswith(f) for f in families) for r in found)
    # violations come in reading order of the table: 发文字号 first, 抄送 last among these
    order = [v.rule for v in report.violations]
    assert order.index("number.leading_zero") < order.index("date.padded") < order.index("cc.full_stop")


def test_the_lexicons_signals_are_no_finding_but_its_words_are():
    """政府 and 宗教 are signals of the TC260-003 lexicon (recorded for the safety classifier): a real 公文 line
    that holds them has no sensitive-word finding; a word that refuses alone is still reported as an error."""
    from zhengwu.gateway.checks import load_lexicon

    text = QINGSHI.replace("国务院、国务院办公厅：", "各省、自治区、直辖市人民政府：")
    entries = load_lexicon().entries
    assert entries["政府"].signal
    assert not {r for r in check_text(text).rules() if r.startswith("sensitive.")}
    word = next(w for w, e in entries.items() if e.blocking and not w.isascii())
    found = [v for v in check_text(text.replace("妥否", word + "。妥否")).violations if v.rule.startswith("sensitive.")]
    assert found and all(v.severity == "error" for v in found)
