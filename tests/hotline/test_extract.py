"""Form filling on real text: the argus court filing, real citizen messages, and call transcripts built from
real messages (the agent's lines are the standard 12345 greeting and questions)."""

from __future__ import annotations

import random
from datetime import datetime

from zhengwu.hotline.extract import FIELDS, fill, normalise

NOW = datetime(2020, 1, 10, 9, 0)


def _check_spans(text: str, filled) -> None:  # noqa: ANN001
    for f in FIELDS:
        field = getattr(filled, f)
        assert 0.0 <= field.confidence <= 1.0
        if field.span is not None:
            s, e = field.span
            assert 0 <= s < e <= len(text), (f, field.span)


def _transcript(message: dict, *, caller_turns: list[str] = ()) -> str:  # noqa: ANN001
    lines = ["坐席：您好，12345政务服务便民热线，请问有什么可以帮您？", f"市民：{message['title']}。{message['text']}"]
    lines += [f"坐席：好的，请问您怎么称呼？\n市民：{t}" for t in caller_turns]
    lines.append("坐席：好的，我们会尽快转交相关部门处理。")
    return "\n".join(lines)


def test_court_filing_contact_name_and_home_address(court_filing):
    f = fill(court_filing, now=NOW)
    _check_spans(court_filing, f)
    assert f.contact.value == "18629087654" and f.contact.confidence >= 0.9
    assert court_filing[f.contact.span[0]:f.contact.span[1]] == "18629087654"
    assert f.caller_name.value == "杨柳"
    assert f.time.value["date"] == "1995-08-18"
    places = [f.location.value] + f.location_candidates
    assert {p["district"] for p in places} >= {"碑林区"} and len(places) == 2


def test_two_addresses_event_place_wins_over_home(messages, court_filing):
    m = next(x for x in messages if x["text"].startswith("座落在A市"))  # the event's place opens the message
    home = court_filing[court_filing.index("住陕西省"):court_filing.index("。身份证")]
    text = f"坐席：您好，请讲。\n市民：我{home}。{m['text']}"
    f = fill(text, now=NOW)
    assert f.location.value["city"] == "A市", f.location.value
    assert [c["district"] for c in f.location_candidates] == ["碑林区"]


def test_real_messages_fill_with_valid_spans(messages):
    rng = random.Random(12)
    sample = rng.sample(messages, 300)
    located = 0
    for m in sample:
        full = f"{m['title']}\n{m['text']}"
        f = fill(m["text"], title=m["title"], now=NOW)
        _check_spans(full, f)
        assert f.request_type.value in ("咨询", "求助", "投诉", "举报", "建议", "表扬")
        assert f.summary.value and f.summary.span == (0, len(m["title"]))  # a message's subject is its summary
        if f.location.value:
            s, e = f.location.span
            assert full[s:e] == f.location.value["text"]
            located += 1
    # the messages name places as "A市A3区…"; most of them name one
    assert located / len(sample) >= 0.6


def test_transcript_from_real_message_with_spoken_number_dialect_and_confidentiality(messages):
    m = next(x for x in messages if "投诉" in x["title"] and "区" in x["text"])
    text = _transcript(m, caller_turns=["俺姓刘，电话幺五九零七三一二八八六，你们不要透露我的信息"])
    f = fill(text, now=NOW)
    _check_spans(text, f)
    assert f.request_type.value == "投诉"
    assert f.contact.value == "15907312886"
    assert len(text[f.contact.span[0]:f.contact.span[1]]) == 11  # the span covers the spoken digits
    assert f.caller_name.value.startswith("刘")
    assert f.confidential.value is True and "透露" in text[f.confidential.span[0]:f.confidential.span[1]]
    # the agent's lines are not the citizen's words
    assert f.location.value is None or f.location.span[0] > text.index("市民：")


def test_no_address_no_name_gives_empty_fields_not_guesses():
    text = "坐席：您好，请讲。\n市民：请问社保卡丢了怎么补办？需要带什么材料？"
    f = fill(text, now=NOW)
    assert f.location.value is None and f.location.span is None and f.location.confidence == 0
    assert f.caller_name.value is None and f.contact.value is None
    assert f.request_type.value == "咨询"
    assert f.confidential.value is False


def test_urgent_cues_and_emergency_handoff(messages):
    m = next(x for x in messages if "燃气" in x["text"] or "煤气" in x["text"])
    text = f"市民：{m['text']}\n市民：现在闻到煤气泄漏的味道了"
    f = fill(text, now=NOW)
    assert f.urgency.value == "特急" and f.emergency == "119"


def test_normalise_keeps_offsets():
    s = "电话是幺三八零零一三八零零零，俺投素他们"
    n = normalise(s)
    assert len(n) == len(s) and "13800138000" in n and "我投诉" in n
    assert normalise("一般情况下") == "一般情况下"  # ordinary numerals in words are untouched
