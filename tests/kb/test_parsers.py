"""Each parser on a real file: what is kept, what is dropped, how structure comes through."""

from __future__ import annotations

from tests.kb.conftest import FIXTURES
from zhengwu.kb.chunking import chunk_blocks
from zhengwu.kb.parsers import parse_file


def test_html_drops_scripts_navigation_and_footer():
    p = parse_file(FIXTURES / "gz_minimum_living_standard_2025.html")
    assert p.title == "广州市民政局 广州市财政局关于印发我市2025年最低生活保障及相关社会救助标准的通知"
    for junk in ("统计代码", "首页", "政务公开", "版权所有", "console.log", "font-family", "分享到"):
        assert junk not in p.text
    # the government CMS <meta> fields are taken as structured metadata
    assert p.record == {"title": p.title, "pub_date": "2025-05-30 11:19", "issuer": "广州市民政局"}
    assert p.meta["url"] == "https://www.gz.gov.cn/gfxwj/sbmgfxwj/gzsmzj/content/post_10291577.html"
    chunks = chunk_blocks(p.blocks, title=p.title)
    c = next(c for c in chunks if "每人每月1309元" in c.text)
    assert c.heading_path == "一、社会救助标准"


def test_docx_heading_styles_become_heading_paths():
    p = parse_file(FIXTURES / "guofa_2019_5_shuangsuiji.docx")
    assert p.title == "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见"
    heads = [(b.level, b.text) for b in p.blocks if b.kind == "heading"]
    # the numbering marker decides the level, so Word styles and plain text nest the same way
    assert (3, "一、总体要求") in heads and (4, "（一）统筹建设监管工作平台") in heads
    chunks = chunk_blocks(p.blocks, title=p.title)
    c = next(c for c in chunks if c.text.startswith("各省（区、市）人民政府要以国家企业信用信息公示系统"))
    assert c.heading_path == "三、重点任务 > （一）统筹建设监管工作平台"


def test_pdf_lines_are_rejoined_into_sentences_and_pages_kept():
    p = parse_file(FIXTURES / "guobanfa_2019_4_hospital_assessment.pdf")
    assert p.meta["pages"] > 5
    # in the PDF this sentence is broken over two printed lines ("…现就加强三级" / "公立医院…")
    assert "现就加强三级公立医院绩效考核工作提出以下意见。" in p.text
    chunks = chunk_blocks(p.blocks)
    assert {c.page for c in chunks} >= {1, 2, 3}
    c = next(c for c in chunks if "提供高质量的医疗服务是三级公立医院的核心任务" in c.text)
    assert c.heading_path == "二、指标体系 > （一）医疗质量"


def test_csv_faq_pairs():
    p = parse_file(FIXTURES / "gz_unemployment_insurance_faq.csv")
    faq = [b.text for b in p.blocks if b.kind == "faq"]
    assert len(faq) == 16 and p.meta["faq_pairs"] == 16
    assert faq[1] == "问：失业保险金能领到多少钱？\n答：失业保险金按照本市最低工资标准的百分之九十按月计发。目前发放标准为每月2250元。"


def test_docx_automatic_numbering_is_rendered(tmp_path):
    """Word's own numbering (not typed in the text) is restored, so list items keep their numbers."""
    import docx

    # materials of the real guide 出国（境）定居注销 (临沂市公安局), typed as a Word numbered list
    materials = ["居民户口簿、居民身份证", "住在国（地区）永久居留资格证明或者外国有效护照",
                 "出入境管理部门出具的注销户口通知书（限经出入境部门批准出国境定居的）"]
    d = docx.Document()
    d.add_paragraph("出国（境）定居注销", style="Title")
    d.add_paragraph("申请材料", style="Heading 1")
    for m in materials:
        d.add_paragraph(m, style="List Number")
    d.add_paragraph("办理流程", style="Heading 1")
    d.add_paragraph("申请人通过互联网提交申请材料,派出所于3个工作日内预审。")
    path = tmp_path / "guide.docx"
    d.save(path)
    p = parse_file(path)
    chunks = chunk_blocks(p.blocks, title=p.title)
    assert chunks[0].heading_path == "申请材料"
    assert chunks[0].text.split("\n") == [f"{i}. {m}" for i, m in enumerate(materials, 1)]
    assert chunks[1].heading_path == "办理流程"
