"""The document model: load_spec validation, normalisation and the per-type rules (GONGWEN)."""

from __future__ import annotations

import pytest

from zhengwu.errors import ZhengwuError
from zhengwu.writing.doctypes import get_doctype, gongwen_names, type_from_title
from zhengwu.writing.spec import heading_level, load_spec, normalise_date, normalise_number

# Elements of 国办发明电〔2018〕15号 (国务院办公厅关于2019年部分节假日安排的通知, www.gov.cn).
NOTICE = {"type": "通知", "issuer": "国务院办公厅", "number": "国办发明电〔2018〕15号",
          "title": "国务院办公厅关于2019年部分节假日安排的通知",
          "recipients": "各省、自治区、直辖市人民政府，国务院各部委、各直属机构",
          "body": "经国务院批准，现将2019年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。\n\n"
                  "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。",
          "signature": "国务院办公厅", "date": "2018年12月4日"}


def test_fifteen_types():
    assert len(gongwen_names()) == 15
    assert set(gongwen_names()) == set("决议 决定 命令 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要".split())
    assert get_doctype("纪要").sealed is False and get_doctype("请示").signer_required
    assert type_from_title("国务院办公厅关于湖北省巴东县地质灾害险情有关问题的复函") == "函"
    assert type_from_title("国务院关于河北雄安新区总体规划（2018—2035年）的批复") == "批复"


def test_valid_spec_loads():
    spec = load_spec(NOTICE)
    assert spec.type == "通知" and spec.number == "国办发明电〔2018〕15号" and spec.date == "2018年12月4日"
    assert spec.paragraphs()[1].startswith("一、") and heading_level(spec.paragraphs()[1]) == 1
    assert spec.notes == []


def test_missing_elements_listed_at_once():
    with pytest.raises(ZhengwuError) as exc:
        load_spec({"type": "通知", "title": NOTICE["title"]})
    err = exc.value
    assert err.code == "spec_missing"
    for key in ("issuer", "number", "recipients", "body", "signature", "date"):
        assert key in err.en
    for zh in ("发文机关", "发文字号", "主送机关", "正文", "发文机关署名", "成文日期"):
        assert zh in err.zh
    assert "title" not in err.context["missing"]


def test_qingshi_needs_signer_and_one_recipient():
    data = dict(NOTICE, type="请示", title="国家地震局关于我国地震重点监视防御区的确定和加强防震减灾工作的请示")
    with pytest.raises(ZhengwuError) as exc:
        load_spec(data)
    assert "signer" in exc.value.en
    data["signer"] = "国家地震局局长"
    with pytest.raises(ZhengwuError) as exc:
        load_spec(data)
    assert exc.value.code == "spec_invalid" and "exactly one recipient" in exc.value.en
    data["recipients"] = "国务院"
    assert load_spec(data).signer == ["国家地震局局长"]


def test_overlong_title_and_bad_values():
    with pytest.raises(ZhengwuError) as exc:
        load_spec(dict(NOTICE, title="关于" + "加强" * 50 + "的通知"))
    assert "too long" in exc.value.en and "标题过长" in exc.value.zh
    with pytest.raises(ZhengwuError) as exc:
        load_spec(dict(NOTICE, number="国办发明电15", date="去年冬天", type="通知书"))
    msg = exc.value.en
    assert "type '通知书'" in msg and "number '国办发明电15'" in msg and "date '去年冬天'" in msg


def test_normalisation_is_reported():
    spec = load_spec(dict(NOTICE, number="国办发明电[2018]015号", date="二〇一八年十二月四日"))
    assert spec.number == "国办发明电〔2018〕15号" and spec.date == "2018年12月4日"
    assert len(spec.notes) == 2
    assert normalise_date("2018年12月04日") == "2018年12月4日"
    assert normalise_date("2018-13-01") is None
    assert normalise_number("国发〔19〕5号") is None
    assert normalise_number("第706号", "命令") == "第706号"
