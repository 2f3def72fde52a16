"""Guided service (导办) over the real service guides shipped in zhengwu/qa/data/services.jsonl."""

from __future__ import annotations

import pytest

from zhengwu.errors import ZhengwuError
from zhengwu.qa import guide


def _run(item: str, replies: dict[str, str], text: str = "") -> tuple[dict, list[str]]:
    state = guide.start(item, text)
    asked = []
    for _ in range(10):
        step = guide.next_step(state)
        if step["done"]:
            return step, asked
        qid = step["question"]["id"]
        asked.append(qid)
        state = guide.answer(state, qid, replies[qid])
    raise AssertionError("flow did not finish")


def test_shipped_items_are_real_guides():
    items = {s["id"]: s for s in guide.list_services()}
    assert len(items) >= 3
    assert items["gz-guide-22"]["source_url"].startswith("https://rsj.gz.gov.cn/")
    assert items["gz-guide-22"]["official_name"] == "怎么申领广州市社会保障卡？"


def test_social_security_card_flow_for_a_child():
    step, asked = _run("gz-guide-22", {"local_hukou": "是", "under16": "是", "identity": "居住在中国境内的中国公民",
                                       "channel": "网上申领"})
    assert asked == ["local_hukou", "under16", "identity", "channel"]  # local_benefit not asked for local hukou
    c = step["checklist"]
    assert c["eligible"]
    assert "申领人本人有效身份证件原件。" in c["materials"]
    assert any("法定监护人" in m for m in c["materials"])  # guardian documents for a child
    assert "有效身份证件：居民身份证或居民户口簿。" in c["materials"]
    assert any(s.startswith("第二步：网上办理") for s in c["steps"])
    assert not any(s.startswith("第二步：银行网点") for s in c["steps"])
    assert "12个工作日" in c["time_limit"]
    assert "rsj.gz.gov.cn" in step["checklist_text"]


def test_asks_only_what_is_missing():
    # the user's own words already answer two questions
    step, asked = _run("gz-guide-22", {"identity": "港澳居民", "channel": "银行"}, text="我是广州户籍，我自己办社保卡")
    assert asked == ["identity", "channel"]
    assert step["checklist"]["answers"]["local_hukou"] == "yes"
    assert "有效身份证件：港澳居民来往内地通行证或港澳居民居住证。" in step["checklist"]["materials"]


def test_not_eligible_ends_with_the_reason():
    step, asked = _run("gz-guide-22", {"local_hukou": "否", "local_benefit": "否"})
    assert asked == ["local_hukou", "local_benefit"]
    assert not step["eligible"] and "申领对象" in step["checklist"]["reason"]
    assert step["checklist"]["materials"] == []


def test_linyi_rent_settlement_materials_follow_answers():
    step, _ = _run("linyi-huzheng-RentSettleInstructions", {"lease_filed": "是", "household": "社区集体户", "family": "有"})
    mats = step["checklist"]["materials"]
    assert mats[0] == "居民户口簿、居民身份证"
    assert "随迁人员亲属关系材料" in mats
    assert not any("房屋产权人同意落户承诺书" in m for m in mats)  # not needed for the collective household
    assert any("3个工作日内预审" in s for s in step["checklist"]["steps"])


def test_pension_transfer_uses_structured_fields():
    step, _ = _run("gdzwfw-11440000553612461J2442111681000", {"agent": "否", "duplicate": "否", "transfer": "是"})
    c = step["checklist"]
    assert c["materials"] == ["有效身份证件原件", "调动材料"]
    assert c["phone"] == "020-12333-9" and "2(工作日)" in c["time_limit"]
    assert c["online_url"].startswith("https://ggfw.gdhrss.gov.cn/")


def test_bad_answer_and_unknown_item():
    state = guide.start("gz-guide-22")
    with pytest.raises(ZhengwuError) as ei:
        guide.answer(state, "local_hukou", "也许吧")
    assert ei.value.code == "guide_bad_answer" and "是" in ei.value.zh
    with pytest.raises(ZhengwuError):
        guide.start("no-such-item")


def test_find_service_from_words():
    assert guide.find_service("我想办社保卡") == "gz-guide-22"
    assert guide.find_service("居住证怎么办") == "linyi-huzheng-FlowCardInstructions"
