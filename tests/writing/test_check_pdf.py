"""PDF input to the 公文 checker: the text layer (pypdfium2) read into the same model as a DOCX, so the
element finder and the layout rules run; scans, encrypted, broken and over-long PDFs are refused clearly.

The main PDF is a real 公文 (国办发〔2019〕3号) typeset here with reportlab exactly to GB/T 9704 (A4, margins
37/35/28/26 mm, 22 lines of 28 characters, red 发文机关标志 35 mm below the type area, — N — page numbers
right on odd and left on even pages, 版记 between 0.35 mm lines), and a copy with known deviations; a
second set is made by LibreOffice from the real-documents benchmark (slow)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import EVAL, ROOT, run_cli

from zhengwu.errors import ZhengwuError
from zhengwu.writing.check import check_file
from zhengwu.writing.check.pdf_reader import read_pdf

DOCS = EVAL / "official_docs" / "state_council_2018_2019.jsonl"
pytestmark = pytest.mark.skipif(not DOCS.is_file(), reason=f"official_docs data missing: {DOCS}")
MM = 72 / 25.4


def record(number: str) -> dict:
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["doc_number"] == number:
            return rec
    raise LookupError(number)


def typeset(path: Path, *, mark_color=(1, 0, 0), body_pt: float = 16, top_mm: float = 37,
            numbers: bool = True, encrypt: str | None = None) -> list[str]:
    """Lay out 国办发〔2019〕3号 with reportlab; returns the body paragraphs as written."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    rec = record("国办发〔2019〕3号")
    lines = [ln.strip() for ln in rec["text"].splitlines() if ln.strip()]
    title, number = rec["title"], rec["doc_number"]
    start = lines.index(number) + 1
    recipients, body = lines[start].rstrip("："), lines[start + 1:lines.index("国务院办公厅")]
    date = lines[lines.index("国务院办公厅") + 1]
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    w, h = A4
    left, width = 28 * MM, 156 * MM
    pitch = 225 * MM / 22
    per_line = 28
    state = {"y": 0.0, "page": 1}

    def page_number() -> None:
        if numbers:
            text = f"— {state['page']} —"
            c.setFont("STSong-Light", 14)
            y = 35 * MM - 7 * MM - 14
            if state["page"] % 2:
                c.drawRightString(left + width - 14, y, text)
            else:
                c.drawString(left + 14, y, text)

    def new_page() -> None:
        page_number()
        c.showPage()
        state["page"] += 1
        state["y"] = h - top_mm * MM

    def line(text: str, size: float, *, x: float | None = None, align: str = "left", color=(0, 0, 0),
             justify: bool = False) -> None:
        if state["y"] - pitch < 35 * MM - 0.01:
            new_page()
        state["y"] -= pitch
        c.setFillColorRGB(*color)
        c.setFont("STSong-Light", size)
        t = c.beginText()
        t.setFont("STSong-Light", size)
        plain = c.stringWidth(text, "STSong-Light", size)
        x0 = x if x is not None else left
        space = (left + width - x0 - plain) / max(len(text) - 1, 1) if justify else \
            (width / per_line - size if size == body_pt else 0)
        t.setCharSpace(space)
        tw = plain + (len(text) - 1) * space
        if x is None:
            x0 = {"left": left, "center": left + (width - tw) / 2, "right": left + width - tw}[align]
        t.setTextOrigin(x0, state["y"] + (pitch - size) / 2)
        t.textOut(text)
        c.drawText(t)
        c.setFillColorRGB(0, 0, 0)

    def paragraph(text: str, size: float = body_pt) -> None:
        first, rest = 2, text
        while rest:
            n = per_line - first
            line(rest[:n], size, x=left + first * width / per_line, justify=len(rest) > n)
            rest, first = rest[n:], 0

    state["y"] = h - top_mm * MM - 35 * MM  # the mark's line box starts 35 mm below the type area
    line("国务院办公厅文件", 26, align="center", color=mark_color)
    state["y"] -= pitch
    line(number, 16, align="center")
    line(title[:14], 22, align="center")
    line(title[14:], 22, align="center")
    line(recipients + "：", body_pt)
    for p in body:
        paragraph(p)
    state["y"] -= pitch
    line("国务院办公厅", body_pt, x=left + width - 10 * width / per_line)
    line(date, body_pt, x=left + width - 11 * width / per_line)
    for text, thick in (("抄送：党中央各部门，全国人大常委会办公厅，全国政协办公厅。", 1.0),
                        (f"国务院办公厅　　　　　　　　　{date}印发", 0.7)):
        c.setLineWidth(thick)
        c.line(left, state["y"] - pitch * 0.25, left + width, state["y"] - pitch * 0.25)
        line(text, 14, x=left + 14)
    c.setLineWidth(1.0)
    c.line(left, state["y"] - pitch * 0.25, left + width, state["y"] - pitch * 0.25)
    page_number()
    c.showPage()
    c.save()
    return body


@pytest.fixture(scope="module")
def gb_pdf(tmp_path_factory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("pdf") / "gb.pdf"
    return path, typeset(path)


def test_pdf_read_into_the_checker_model(gb_pdf):
    path, body = gb_pdf
    doc = read_pdf(path)
    assert doc.source == "pdf" and doc.formatted
    sec = doc.sections[0]
    assert (sec.width, sec.height) == (210.0, 297.0)
    for got, want in ((sec.top, 37), (sec.bottom, 35), (sec.left, 28), (sec.right, 26)):
        assert abs(got - want) <= 1.0, sec
    assert doc.grid.lines == pytest.approx(22, abs=0.5) and doc.grid.chars == pytest.approx(28, abs=0.5)
    mark = doc.lines[0]
    assert mark.text == "国务院办公厅文件" and mark.red and mark.size == 26 and mark.align == "center"
    assert mark.top_mm == pytest.approx(35, abs=3)
    title = next(ln for ln in doc.lines if ln.size == 22)
    assert title.text == record("国办发〔2019〕3号")["title"] and title.align == "center"  # two lines, one title
    texts = [ln.text for ln in doc.lines]
    for p in body:  # printed lines joined back into the paragraphs, also across page breaks
        assert p in texts
    assert not any(t.startswith("—") for t in texts)  # page numbers are not body text
    kinds = {(p.kind, p.align) for p in doc.page_numbers}
    assert kinds == {("default", "right"), ("even", "left")} and doc.odd_even
    assert all(p.text.startswith("— ") and p.size == 14 for p in doc.page_numbers)
    cc = next(ln for ln in doc.lines if ln.text.startswith("抄送"))
    assert cc.size == 14 and cc.rule_above and cc.rule_below
    # typeset 14 pt in from the text block's side, its baseline 7 mm + 14 pt below the 版心
    even = [p for p in doc.page_numbers if p.kind == "even"]
    assert even and all(p.indent == pytest.approx(14, abs=2) for p in even)
    assert all(p.gap_mm == pytest.approx(7 + 14 / MM - 2, abs=2) for p in doc.page_numbers)


def test_pdf_checked_with_layout_rules(gb_pdf, tmp_path):
    path, _ = gb_pdf
    report = check_file(path)
    assert report.source == "pdf" and report.elements["type"] == "通知"
    assert report.elements["number"] == "国办发〔2019〕3号"
    layout = {"page.size", "page.margins", "page.grid", "mark.color", "title.size", "title.align", "body.size",
              "page.number.missing", "page.number.position", "page.number.dash", "page.number.size"}
    assert not report.rules() & layout, [v.to_dict() for v in report.violations]
    # the same document with a black mark, 14 pt body, a 25 mm top margin and no page numbers
    bad = tmp_path / "bad.pdf"
    typeset(bad, mark_color=(0, 0, 0), body_pt=14, top_mm=25, numbers=False)
    found = check_file(bad).rules()
    assert {"mark.color", "body.size", "page.margins", "page.number.missing"} <= found


def test_scanned_encrypted_broken_and_long_pdfs(gb_pdf, tmp_path):
    import pypdfium2 as pdfium

    path, _ = gb_pdf
    pdf = pdfium.PdfDocument(str(path))
    images = [pdf[i].render(scale=1).to_pil().convert("RGB") for i in range(2)]
    pdf.close()
    scan = tmp_path / "scan.pdf"
    images[0].save(scan, save_all=True, append_images=images[1:])
    with pytest.raises(ZhengwuError) as exc:
        check_file(scan)
    assert exc.value.code == "pdf_scanned" and "OCR" in exc.value.en and "扫描件" in exc.value.zh
    locked = tmp_path / "locked.pdf"
    typeset(locked, encrypt="secret-123")
    with pytest.raises(ZhengwuError) as exc:
        check_file(locked)
    assert exc.value.code == "pdf_encrypted" and "password" in exc.value.en
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(ZhengwuError) as exc:
        check_file(broken)
    assert exc.value.code == "pdf_invalid"
    from reportlab.pdfgen import canvas

    long = tmp_path / "long.pdf"
    c = canvas.Canvas(str(long))
    for n in range(200):
        c.drawString(100, 700, f"page {n + 1}")
        c.showPage()
    c.save()
    with pytest.raises(ZhengwuError) as exc:
        check_file(long)
    assert exc.value.code == "document_too_long" and "200" in exc.value.zh
    r = run_cli("write", "check", "--json", str(scan))
    assert r.returncode == 2 and json.loads(r.stdout)["error"]["code"] == "pdf_scanned"


@pytest.mark.slow
def test_pdfs_made_by_libreoffice_from_benchmark_documents(tmp_path):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) not installed")
    out = tmp_path / "bench"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gongwen_real" / "make.py"), "--out", str(out),
                    "--no-libreoffice"], check=True, capture_output=True, timeout=300)
    names = ["word_yijian_clean", "wps_mark_black", "wps_no_pagenum"]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *(str(out / f"{n}.docx") for n in names)],
                   check=True, capture_output=True, timeout=300)
    reports = {n: check_file(tmp_path / f"{n}.pdf") for n in names}
    for n, rep in reports.items():
        assert rep.source == "pdf" and rep.elements["title"] and rep.elements["number"], n
    assert "mark.color" not in reports["word_yijian_clean"].rules()
    assert "mark.color" in reports["wps_mark_black"].rules()
    assert "page.number.missing" in reports["wps_no_pagenum"].rules()
    assert "page.number.missing" not in reports["word_yijian_clean"].rules()


def test_single_page_margins_are_not_judged(tmp_path):
    """One page shows no top or bottom margin (the 版头 sits lower, the text ends early): GB/T 9704's are
    assumed, the left and right ones are still measured."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    rec = record("国函〔1996〕95号")
    path = tmp_path / "one.pdf"
    c = canvas.Canvas(str(path))
    y = 600
    for ln in [t for t in rec["text"].splitlines() if t.strip()][:10]:
        c.setFont("STSong-Light", 16)
        c.drawString(40 * MM, y, ln[:24])
        y -= 29
    c.showPage()
    c.save()
    sec = read_pdf(path).sections[0]
    assert (sec.top, sec.bottom) == (37.0, 35.0) and sec.left == pytest.approx(40, abs=0.5)
    assert "page.margins" in check_file(path).rules()  # the measured left margin is 40 mm


def test_lines_as_libreoffice_prints_a_grid(tmp_path):
    """LibreOffice sets Word's 28-character grid as two 15.8 pt cells a 16 pt glyph, lets a comma hang past
    the right edge, breaks a line one character early before a mark that may not start a line, and drops a
    first-line indent given in characters: the paragraphs and the text block are still read right."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    rec = record("国办发〔2019〕3号")
    text = max((t.strip() for t in rec["text"].splitlines()), key=len).replace("，", "").replace("。", "")
    cell, left = 31.6, 28 * MM  # two 15.8 pt cells a glyph
    path = tmp_path / "grid.pdf"
    c = canvas.Canvas(str(path))
    y = 700

    def line(chars: str) -> None:
        nonlocal y
        t = c.beginText()
        t.setFont("STSong-Light", 16)
        t.setCharSpace(cell - 16)
        t.setTextOrigin(left + (cell - 16) / 2, y)  # each glyph centred in its cells
        t.textOut(chars)
        c.drawText(t)
        y -= 29

    line(text[:14])  # a full line: 14 glyphs fill 156 mm
    line(text[14:27] + "，")  # one glyph short, a comma hanging past the edge
    line(text[27:40])  # one glyph short: the next line may not start with its mark
    line("、" + text[40:45] + "。")
    line("二、工作任务")  # a heading with no indent after a finished sentence
    line(text[45:59])
    line(text[59:64] + "。")
    c.showPage()
    c.save()
    doc = read_pdf(path)
    texts = [ln.text for ln in doc.lines]
    assert texts[0] == text[:27] + "，" + text[27:40] + "、" + text[40:45] + "。", texts
    assert texts[1:] == ["二、工作任务", text[45:64] + "。"]
    right_edge_mm = (left + 14 * cell - (cell - 16) / 2) / MM  # where the 14th glyph's ink ends, not the comma's
    assert doc.sections[0].right == pytest.approx(210 - right_edge_mm, abs=0.6)
