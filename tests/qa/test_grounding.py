"""Grounding check: every generated sentence must be supported by the source it cites (real guide text)."""

from __future__ import annotations

import json

from tests.qa.conftest import REAL_DOCS
from zhengwu.qa.grounding import check_answer, check_sentence


def _guide_text(docid: str) -> str:
    for line in REAL_DOCS.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["docid"] == docid:
            return rec["text"]
    raise KeyError(docid)


def test_supported_sentence_passes():
    src = _guide_text("gz-guide-22")
    c = check_sentence("申领社保卡需要申领人本人有效身份证件原件和社保卡相片回执号[1]。", [src])
    assert c.supported and c.cited == [1] and c.support >= 0.5


def test_uncited_or_unsupported_sentences_are_dropped():
    src = _guide_text("gz-guide-22")
    text = ("社保卡经办机构将在1个至5个工作日内完成审核[1]。"
            "申领社保卡需缴纳工本费50元[1]。"  # not in the source: the amount is invented
            "办理社保卡还可以顺便领取购物券。")  # no citation at all
    r = check_answer(text, [src])
    assert r.dropped == 2 and not r.ok
    assert "1个至5个工作日" in r.text and "50元" not in r.text and "购物券" not in r.text
    bad = [s for s in r.sentences if not s.supported]
    assert "50元" in bad[0].missing_facts


def test_citation_to_a_missing_source_is_unsupported():
    src = _guide_text("gz-guide-22")
    c = check_sentence("社保卡经办机构将在1个至5个工作日内完成审核[3]。", [src])
    assert not c.supported


def test_flag_mode_keeps_but_marks():
    src = _guide_text("gz-guide-22")
    r = check_answer("社保卡可以在火星办理[1]。", [src], flag=True)
    assert "未核实" in r.text and r.dropped == 1
