"""Chunking of real government text: heading paths, sentence ends, laws by article, table rows whole."""

from __future__ import annotations

import re
from pathlib import Path

from zhengwu.kb.chunking import MAX_CHARS, blocks_from_text, chunk_blocks, chunk_text, split_sentences
from zhengwu.kb.parsers import parse_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _doc(rows: list[dict], number: str) -> dict:
    return next(r for r in rows if r["doc_number"] == number)


def test_heading_paths_follow_official_numbering(demo_rows):
    doc = _doc(demo_rows, "国办发〔2019〕4号")
    chunks = chunk_text(doc["text"])
    paths = [c.heading_path for c in chunks]
    assert "一、总体要求 > （一）指导思想" in paths
    assert "一、总体要求 > （二）基本原则" in paths
    assert "二、指标体系 > （一）医疗质量" in paths
    # a chunk under （一）医疗质量 holds that section's text, and the heading is not repeated in the text
    c = next(c for c in chunks if c.heading_path == "二、指标体系 > （一）医疗质量")
    assert c.text.startswith("提供高质量的医疗服务是三级公立医院的核心任务")
    assert "（一）医疗质量" not in c.text


def test_chunk_sizes_and_sentence_ends(demo_rows):
    chunks = [c for r in demo_rows for c in chunk_text(r["text"])]
    assert len(chunks) > 600
    assert max(len(c.text) for c in chunks if c.kind == "text") <= MAX_CHARS
    # every piece that had to be cut inside a paragraph ends at a sentence end (。！？；) or a comma cut
    for c in chunks:
        last = c.text.rstrip()[-1]
        assert last not in "，、（《“" or len(c.text) >= MAX_CHARS - 40, c.text[-30:]
    # text is conserved: every sentence of a document is found in one of its chunks
    doc = _doc(demo_rows, "国发〔2019〕5号")
    joined = "\n".join(c.text for c in chunk_text(doc["text"]))
    for sent in split_sentences(doc["text"].split("\n")[6])[:5]:
        assert sent.strip() in joined


def test_enumerated_items_are_not_headings():
    text = ("二、缴费标准\n（一）在校学生：个人缴费标准为每人413元，财政补助标准为每人956元。\n"
            "（二）其他参保人员：个人缴费标准为每人549元，财政补助标准为每人820元。\n国家、省、市有新规定的，从其规定。")
    chunks = chunk_text(text)
    assert len(chunks) == 1
    assert chunks[0].heading_path == "二、缴费标准"
    assert "每人413元" in chunks[0].text and "每人820元" in chunks[0].text


def test_laws_chunk_by_chapter_and_whole_articles():
    text = (FIXTURES / "xingzheng_chufa_fa_excerpt.md").read_text(encoding="utf-8")
    chunks = chunk_blocks(blocks_from_text(text), title="中华人民共和国行政处罚法")
    paths = {c.heading_path for c in chunks}
    assert "第一章 总则" in paths and "第二章 行政处罚的种类和设定" in paths
    # articles are not cut: each chunk (of a law) starts at an article and （一）… items stay in their article
    body = [c for c in chunks if c.heading_path.startswith("第")]
    assert all(re.match(r"^第[一二三四五六七八九十百]+条", c.text) for c in body)
    art9 = next(c for c in body if "第九条" in c.text)
    assert "（一）警告、通报批评；" in art9.text and "（六）法律、行政法规规定的其他行政处罚。" in art9.text


def test_pdf_table_rows_are_never_split():
    parsed = parse_file(FIXTURES / "gz_guide_06_channels_table.pdf")
    rows = [b.text for b in parsed.blocks if b.kind == "row"]
    # the real table has a header and five rows; row 3 wraps over four printed lines in the PDF
    assert rows[0] == "序号 | 人员类别 | 参保缴费渠道"
    assert len(rows) == 6
    assert rows[3].startswith("序号：3 | 人员类别：中小学生（含市教育局主管中等职业技术学校学生） | 参保缴费渠道：1.由本人或代理人")
    assert "2.参保成功后，通过“粤税通”微信小程序向税务机关清缴医保费或前往各区税务机关办税服务厅缴费。" in rows[3]
    chunks = chunk_blocks(parsed.blocks)
    for row in rows:
        holders = [c for c in chunks if row in c.text]
        assert len(holders) == 1 and holders[0].kind == "table"
        assert holders[0].heading_path == "五、参保登记及缴费渠道"


def test_docx_table_rows_whole_and_faq_pairs_one_chunk_each():
    parsed = parse_file(FIXTURES / "gz_guide_06_resident_medical_insurance.docx")
    rows = [b.text for b in parsed.blocks if b.kind == "row"]
    assert len(rows) == 6 and rows[1].startswith("序号：1 | 人员类别：集体经济组织（或村民委员会）的城乡居民")
    chunks = chunk_blocks(parsed.blocks)
    for row in rows:
        assert sum(1 for c in chunks if row in c.text) == 1
    faq = parse_file(FIXTURES / "gz_startup_loan_faq.xlsx")
    fchunks = chunk_blocks(faq.blocks)
    assert len(fchunks) == 7 and all(c.kind == "faq" for c in fchunks)
    assert fchunks[1].text.startswith("问：创业担保贷款最高可以申请多少额度？\n答：符合申请条件的个人创业担保贷款额度最高30万元")
    long_answer = next(c for c in fchunks if "申请条件" in c.text.split("\n")[0])
    assert "3.无拖欠职工工资、欠缴社会保险费等严重违法违规信用记录。" in long_answer.text  # > 500 chars, unsplit


def test_long_article_continuation_names_its_article():
    """第十一条 of the Administrative Reconsideration Law (15 items) is longer than one chunk."""
    import json

    import pytest

    from tests.conftest import CORPUS

    path = CORPUS / "laws/laws.jsonl"
    if not path.exists():
        pytest.skip("shared corpus missing")
    with path.open(encoding="utf-8") as fh:
        law = next(r for r in map(json.loads, fh) if r["title"] == "中华人民共和国行政复议法" and r["status"] == "有效")
    chunks = chunk_blocks(blocks_from_text(law["text"]), title=law["title"])
    art11 = [c for c in chunks if c.heading_path.startswith("第二章 行政复议申请 > 第一节 行政复议范围")]
    assert art11[0].text.startswith("第十一条 有下列情形之一的") and art11[0].heading_path.endswith("行政复议范围")
    assert art11[1].heading_path == "第二章 行政复议申请 > 第一节 行政复议范围 > 第十一条"
    assert art11[1].text.startswith("（")
    assert all("\u200b" not in c.text for c in chunks)
