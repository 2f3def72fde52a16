"""Metadata from real government documents: 文号, issuer, date, type, validity; structured fields win."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import CORPUS
from zhengwu.kb.metadata import (extract_metadata, find_validity, merge_record_fields, normalise_doc_number,
                                 parse_date, status_to_validity)

TODAY = date(2026, 11, 28)


def test_state_council_documents(demo_rows):
    """Extracted from the text alone (the JSONL fields are the answer key)."""
    hits = {"title": 0, "issuer": 0, "doc_number": 0}
    for r in demo_rows:
        m = extract_metadata(r["text"], today=TODAY)
        hits["title"] += m["title"] == r["title"]
        hits["doc_number"] += m["doc_number"] == r["doc_number"]
        hits["issuer"] += m["issuer"].replace("、", " ") == r["issuer"].replace("、", " ")
    assert hits == {"title": 60, "issuer": 60, "doc_number": 60}
    m = extract_metadata(next(r for r in demo_rows if r["doc_number"] == "国发〔2019〕5号")["text"], today=TODAY)
    assert m["pub_date"] == date(2019, 1, 27) and m["doc_type"] == "意见" and m["validity"] == "effective"
    order = extract_metadata(next(r for r in demo_rows if r["doc_number"] == "国令第707号")["text"])
    assert order["title"] == "中华人民共和国个人所得税法实施条例" and order["issuer"] == "国务院"
    assert order["effective_date"] == date(2019, 1, 1)


def test_chinese_numeral_dates_and_bracket_variants():
    assert parse_date("国务院办公厅\n二〇〇五年三月三日") == date(2005, 3, 3)
    assert parse_date("一九九六年六月二十九日") == date(1996, 6, 29)
    assert parse_date("2025-12-03 16:47:44") == date(2025, 12, 3)
    assert normalise_doc_number("国发[2001]21号") == "国发〔2001〕21号"
    assert normalise_doc_number("国发［2001］21号") == "国发〔2001〕21号"
    assert normalise_doc_number("穗府办规(2021)7号") == "穗府办规〔2021〕7号"
    text = "广州市人民政府办公厅关于印发广州市临时救助实施细则的通知\n穗府办规［2021］19号\n各区人民政府：\n现印发。"
    assert extract_metadata(text)["doc_number"] == "穗府办规〔2021〕19号"


def test_validity_from_text():
    v = find_validity("本办法自2019年2月1日起施行，有效期至2022年12月31日。", None, today=TODAY)
    assert v["effective_date"] == date(2019, 2, 1) and v["expiry_date"] == date(2022, 12, 31)
    assert v["validity"] == "expired"
    v = find_validity("本办法自印发之日起施行，有效期3年。", date(2024, 1, 5), today=TODAY)
    assert v["effective_date"] == date(2024, 1, 5) and v["expiry_date"] == date(2027, 1, 4)
    assert v["validity"] == "effective"
    v = find_validity("本通知有效期1年。《广州市民政局 广州市财政局关于提高我市2024年最低生活保障及相关社会救助标准的通知》"
                      "（穗民规字〔2024〕5号）同时废止。", date(2025, 5, 30), today=TODAY)
    assert v["validity"] == "expired"  # one year from 2025-05-30 has passed
    assert v["repeals"] == ["广州市民政局 广州市财政局关于提高我市2024年最低生活保障及相关社会救助标准的通知"]


def _jsonl(path):
    return [json.loads(line) for line in path.open(encoding="utf-8")]


@pytest.mark.skipif(not (CORPUS / "services/benefit_policies.jsonl").exists(), reason="shared corpus missing")
def test_benefit_policies_past_their_expiry_are_expired():
    rows = {r["id"]: r for r in _jsonl(CORPUS / "services/benefit_policies.jsonl")}
    out = {}
    for key in ("gz-policy-18", "gz-policy-27b", "gz-policy-29", "gz-policy-13"):
        r = rows[key]
        out[key] = merge_record_fields(extract_metadata(r["full_text"], title=r["title"], today=TODAY), r, today=TODAY)
    assert out["gz-policy-18"]["validity"] == "expired" and out["gz-policy-18"]["expiry_date"] == date(2024, 10, 15)
    assert out["gz-policy-27b"]["validity"] == "expired"
    assert out["gz-policy-29"]["validity"] == "effective" and out["gz-policy-29"]["expiry_date"] == date(2029, 12, 6)
    assert out["gz-policy-13"]["doc_number"] == "穗建规字〔2024〕5号"
    assert out["gz-policy-18"]["issuer"] == "广州市人力资源和社会保障局"


@pytest.mark.skipif(not (CORPUS / "laws/laws.jsonl").exists(), reason="shared corpus missing")
def test_law_status_fields_win():
    assert status_to_validity("有效") == "effective"
    assert status_to_validity("失效") == "expired"
    assert status_to_validity("已废止") == "repealed"
    seen = set()
    with (CORPUS / "laws/laws.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["status"] in seen:
                continue
            seen.add(r["status"])
            m = merge_record_fields(extract_metadata(r["text"][:4000], title=r["title"]), r)
            assert m["validity"] == {"有效": "effective", "失效": "expired", "已修改": "expired"}[r["status"]]
            assert m["issuer"] == r["issuing_body"]
            assert m["pub_date"] == date.fromisoformat(r["promulgation_date"])
            if len(seen) == 3:
                break
    assert seen == {"有效", "失效", "已修改"}


def test_a_period_the_document_describes_is_not_its_own_validity():
    """Issue 10: the 电子居住证 guide says "电子居住证有效期为一年" (the certificate's period): the guide is not expired."""
    from pathlib import Path

    from zhengwu.kb.parsers.jsonl import iter_records

    demo = Path(__file__).resolve().parents[2] / "data" / "demo" / "guangzhou_linyi_service_guides.jsonl"
    guide = next(r for r in iter_records(demo) if r.docid == "gz-guide-34")
    assert "电子居住证有效期为一年" in guide.text
    meta = extract_metadata(guide.text, today=TODAY)
    assert meta["expiry_date"] is None and meta["validity"] == "effective"
    # the document's own clause still counts, in either form, also next to a described period
    v = find_validity("居住证有效期为一年。本通知自2020年1月1日起施行，有效期2年。", None, today=TODAY)
    assert v["expiry_date"] == date(2021, 12, 31) and v["validity"] == "expired"
    v = find_validity("优待卡有效期至2030年1月1日。", None, today=TODAY)
    assert v["expiry_date"] is None
