"""GB/T 9704-2012 DOCX rendering of all 15 文种 from real documents, measured independently (GONGWEN).

Real content from tests/fixtures/official_docs_sample.jsonl (www.gov.cn). Types present in the sample are
rendered as published (通知, 意见, 决定, 批复, 函, 通报, 命令 for a 国务院令), and the 报告 of 国家地震局 to
国务院 printed inside 国办发〔1996〕2号 (its 发文字号 is not published: 震发〔1996〕1号 stands in; signer: the
office "国家地震局局长", no name). The others are ADAPTED, the body of a real document re-typed (its title's
文种 replaced): 请示 from that 报告, 议案 and 决议 from the 决定, 公报/公告/通告 from the 节假日 notice, 纪要
from the 通报.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest

from zhengwu.eval.gongwen import measure_docx, spec_from_record
from zhengwu.writing.check import check_file
from zhengwu.writing.render_docx import build_document, render_docx
from zhengwu.writing.spec import load_spec

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "official_docs_sample.jsonl"
RECORDS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def record(prefix: str) -> dict:
    return next(r for r in RECORDS if r["title"].startswith(prefix))


def retitle(title: str, new_type: str) -> str:
    return re.sub(r"(的)?(通知|决定|通报|意见|批复|函)$", r"\1" + new_type, title)


def spec_for(doc_type: str) -> dict:
    real = {"通知": "国务院办公厅关于2019年部分节假日", "意见": "国务院关于在市场监管领域", "决定": "国务院关于2018年度国家科学",
            "批复": "国务院关于同意建立国务院职业教育", "函": "国务院办公厅关于同意以哈尔滨", "通报": "国务院办公厅关于山西",
            "命令": "专利代理条例"}
    if doc_type in real:
        spec, _ = spec_from_record(record(real[doc_type]))
        assert spec["type"] == doc_type
        return spec
    if doc_type in ("请示", "报告"):
        # The 报告 of 国家地震局 to 国务院 is printed in full after the 国办 forwarding notice.
        lines = record("国务院办公厅转发国家地震局")["text"].split("\n")
        start = lines.index("国务院：")
        return {"type": doc_type, "issuer": "国家地震局", "number": "震发〔1996〕1号",
                "title": "国家地震局关于我国地震重点监视防御区的确定和加强防震减灾工作意见的" + doc_type,
                "recipients": "国务院", "body": "\n\n".join(lines[start + 1:-2]), "signature": lines[-2],
                "date": lines[-1], "signer": "国家地震局局长"}
    source = {"议案": "国务院关于2018年度国家科学", "决议": "国务院关于2018年度国家科学", "公报": "国务院办公厅关于2019年部分节假日",
              "公告": "国务院办公厅关于2019年部分节假日", "通告": "国务院办公厅关于2019年部分节假日",
              "纪要": "国务院办公厅关于山西"}[doc_type]
    spec, _ = spec_from_record(record(source))
    spec = dict(spec, type=doc_type, title=retitle(spec["title"], doc_type))
    if doc_type == "议案":
        spec["recipients"] = "全国人民代表大会常务委员会"
    return {k: v for k, v in spec.items() if v is not None}


ALL_TYPES = ["决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "函", "纪要"]


@pytest.mark.parametrize("doc_type", ALL_TYPES)
def test_each_type_renders_to_standard(doc_type, tmp_path):
    spec = load_spec({k: v for k, v in spec_for(doc_type).items() if v is not None})
    out = tmp_path / f"{doc_type}.docx"
    build_document(spec).save(str(out))
    assert measure_docx(out, spec) == []
    report = check_file(out)
    assert report.errors == [], [v.to_dict() for v in report.errors]
    assert report.elements["type"] == doc_type
    assert report.elements["date"] == spec.date


def test_independent_measurement_with_python_docx(tmp_path):
    spec = load_spec(spec_for("请示"))
    out = tmp_path / "qingshi.docx"
    build_document(spec).save(str(out))
    d = docx.Document(str(out))
    sec = d.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    assert (round(sec.top_margin.mm), round(sec.bottom_margin.mm), round(sec.left_margin.mm),
            round(sec.right_margin.mm)) == (37, 35, 28, 26)
    grid = sec._sectPr.find(docx.oxml.ns.qn("w:docGrid"))
    assert grid.get(docx.oxml.ns.qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines in 225 mm
    paras = d.paragraphs
    mark = next(p for p in paras if p.text == "国家地震局文件")
    run = mark.runs[0]
    assert str(run.font.color.rgb) == "FF0000"
    assert run._r.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == "方正小标宋简体"
    # the mark's top edge: 35 mm below the top of the type area
    assert abs(mark.paragraph_format.space_before.mm - 35) < 0.5
    number = next(p for p in paras if "震发〔1996〕1号" in p.text)
    assert "签发人：" in number.text
    assert number.runs[-1]._r.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == "楷体_GB2312"
    title = next(p for p in paras if p.text.replace("\n", "") == spec.title)
    assert title.runs[0].font.size.pt == 22
    body = next(p for p in paras if p.text and p.text == spec.paragraphs()[0])
    assert body.runs[0].font.size.pt == 16
    assert body.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert spec.date.startswith("19") and "年0" not in spec.date
    assert d.settings.odd_and_even_pages_header_footer
    assert sec.footer.paragraphs[0].alignment == 2 and sec.even_page_footer.paragraphs[0].alignment == 0
    assert "—" in sec.footer.paragraphs[0].text


def test_banji_lines_and_cc(tmp_path):
    spec = load_spec(spec_for("意见"))
    assert spec.cc and spec.printer
    out = tmp_path / "yijian.docx"
    build_document(spec).save(str(out))
    d = docx.Document(str(out))
    table = d.tables[-1]
    cells = [c.text for row in table.rows for c in row.cells]
    assert cells[0].startswith("抄送：") and cells[0].endswith("。")
    assert cells[1].startswith("国务院办公厅") and cells[1].endswith(f"{spec.print_date}印发")
    xml = table._tbl.xml
    assert 'w:top w:val="single" w:sz="8"' in xml and 'w:insideH w:val="single" w:sz="6"' in xml


def test_ai_label_and_audit(zw_env, tmp_path):
    from sqlalchemy import select

    from zhengwu.gateway.labels import read_docx_aigc, validate_aigc
    from zhengwu.gateway.models import AuditRecord
    from zhengwu.store import init_db, session_scope

    init_db()
    spec = load_spec(spec_for("通知"))
    out = render_docx(spec, tmp_path / "ai.docx", ai_generated=True)
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "（人工智能生成）" in text
    values = read_docx_aigc(out)
    assert len(values) == 1 and validate_aigc(values[0])["Label"] == "1"
    plain = render_docx(spec, tmp_path / "plain.docx")
    assert read_docx_aigc(plain) == []
    assert "人工智能生成" not in "\n".join(p.text for p in docx.Document(str(plain)).paragraphs)
    assert check_file(out).errors == []
    with session_scope() as s:
        rows = s.scalars(select(AuditRecord).where(AuditRecord.scenario == "doc_render")).all()
    assert len(rows) == 2 and all(r.action == "render_docx" for r in rows)
