"""Masking modes, pseudonym maps, restore, overlap resolution, entity filter."""

from __future__ import annotations

import json

import pytest

from zhengwu.errors import ZhengwuError
from zhengwu.gateway import pii
from zhengwu.gateway.pii.base import Explanation, Finding

# A line in the style of the argus-redact realistic cases (tests/fixtures/pii/argus_cases.dev.jsonl).
HR = ("姓名：刘思远  工号：EMP20240315\n身份证号：330106199605204518\n手机：13857126789\n"
      "紧急联系人：刘建国（父）13857120001\n户籍地址：浙江省杭州市西湖区文三路391号")


def test_mask_mode_labels():
    res = pii.mask(HR)
    assert res.text == ("姓名：[姓名]  工号：EMP20240315\n身份证号：[身份证号]\n手机：[手机号]\n"
                        "紧急联系人：[姓名]（父）[手机号]\n户籍地址：浙江省杭州市西湖区[地址]")
    assert res.entities == ["address", "id_card", "mobile", "person"]
    assert res.mapping is None


def test_pseudonyms_stable_within_a_conversation_and_restorable():
    m = pii.PseudonymMap()
    first = pii.mask("联系人王小明，电话13912345678", mode="pseudonym", mapping=m)
    assert first.text == "联系人【姓名1】，电话【手机号1】"
    second = pii.mask("王小明同志的另一个号码是13800138000，旧号13912345678", mode="pseudonym", mapping=m)
    assert second.text == "【姓名1】同志的另一个号码是【手机号2】，旧号【手机号1】"
    # the map travels with the conversation as a plain dict
    data = json.loads(json.dumps(m.to_dict(), ensure_ascii=False))
    reply = "已联系【姓名1】（【手机号2】），【未知1】不变。"
    assert pii.restore(reply, data) == "已联系王小明（13800138000），【未知1】不变。"
    m2 = pii.PseudonymMap.from_dict(data)
    third = pii.mask("再次联系王小明", mode="pseudonym", mapping=m2)
    assert third.text == "再次联系【姓名1】"
    assert len(m2) == 3  # 王小明 and two phone numbers


def test_spelling_variants_share_one_pseudonym():
    res = pii.mask("手机138 1234 5678，也写作13812345678", mode="pseudonym")
    assert res.text == "手机【手机号1】，也写作【手机号1】"
    assert pii.restore(res.text, res.mapping) == "手机138 1234 5678，也写作138 1234 5678"


def test_restore_round_trip_on_realistic_case():
    res = pii.mask(HR, mode="pseudonym")
    assert "330106199605204518" not in res.text and "13857120001" not in res.text
    assert pii.restore(res.text, res.mapping) == HR


def test_entities_filter():
    text = "张三，手机13812345678，邮箱zhang@test.com"
    assert pii.mask(text, entities=["email"]).text == "张三，手机13812345678，邮箱[电子邮箱]"
    with pytest.raises(ZhengwuError):
        pii.scan(text, entities=["shoe_size"])


def test_bad_mode_is_a_bilingual_error():
    with pytest.raises(ZhengwuError) as exc:
        pii.mask("x", mode="shred")
    assert "脱敏方式" in exc.value.zh and "mode" in exc.value.en


def _f(entity, start, end, score):
    return Finding(entity, start, end, "x" * (end - start), score, "R", "p", None, Explanation("R", "p", score))


def test_overlaps_resolved_by_score_then_length():
    kept = pii.resolve_overlaps([_f("bank_card", 0, 18, 0.7), _f("id_card", 0, 18, 1.0), _f("mobile", 2, 13, 0.9)])
    assert [(k.entity, k.start) for k in kept] == [("id_card", 0)]
    kept = pii.resolve_overlaps([_f("a", 0, 5, 0.8), _f("b", 0, 9, 0.8), _f("c", 9, 12, 0.6)])
    assert [k.entity for k in kept] == ["b", "c"]


def test_empty_and_no_pii():
    assert pii.scan("") == []
    assert pii.mask("").text == ""
    assert pii.mask("今天天气真不错，适合出去散步").findings == []
