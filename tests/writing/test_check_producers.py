"""The checker on DOCX files as other producers write them, not as our renderer does.

Built from real State Council texts (tests/fixtures/official_docs_sample.jsonl): raw WordprocessingML as WPS
writes it (numeric style ids named 正文 as the default style, the East Asian font from the theme, a red
text-box 发文机关标志 with its VML fallback, PAGE fields in framed odd/even footers, a 22 × 28 grid), and
python-docx with its default template. Each variant changes one thing and must be reported by the rule
for it, and nothing else; the clean one must pass.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
from docx.shared import Mm, Pt

from zhengwu.errors import ZhengwuError
from zhengwu.eval.gongwen import spec_from_record
from zhengwu.writing.check import check_file, check_text
from zhengwu.writing.check.faces import family, is_red
from zhengwu.writing.check.reader import read_docx
from zhengwu.writing.spec import em_width, heading_level

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "official_docs_sample.jsonl"
RECORDS = [json.loads(x) for x in FIXTURE.read_text(encoding="utf-8").splitlines()]
NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"')
LAYOUT_RULES = ("page.", "mark.", "title.", "body.", "number.", "signature.", "banji.", "blank_note", "heading.font")


def _spec(prefix: str) -> dict:
    return spec_from_record(next(r for r in RECORDS if r["title"].startswith(prefix)))[0]


def _run(text: str, font: str | None = None, size: float | None = None, color: str | None = None) -> str:
    rpr = ((f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>' if font else "")
           + ((f'<w:color w:themeColor="{color[6:]}"/>' if color.startswith("theme:") else f'<w:color w:val="{color}"/>')
              if color else "") + (f'<w:sz w:val="{int(size * 2)}"/>' if size else ""))
    return f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _p(runs: str, jc: str = "both", extra: str = "") -> str:
    return f'<w:p><w:pPr>{extra}<w:jc w:val="{jc}"/></w:pPr>{runs}</w:p>'


def _mark_box(text: str, color: str, top_mm: int = 35) -> str:
    """The mark in a floating text box `top_mm` below the top margin, as WPS writes it: a DrawingML choice and a
    VML fallback with the same text (to be read once)."""
    inner = _p(_run(text, "FZXiaoBiaoSong-B05S", 26, color), "center")
    return ('<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            '<wp:anchor simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1" '
            'distT="0" distB="0" distL="0" distR="0"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="margin"><wp:posOffset>{top_mm * 36000}</wp:posOffset></wp:positionV>'
            '<wp:extent cx="5615940" cy="720000"/><wp:wrapTopAndBottom/><wp:docPr id="1" name="文本框 1"/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f'<wps:wsp><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>'
            '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>'
            f'<v:shape style="position:absolute"><v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox>'
            '</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')


def _line_shape(emu: int) -> str:
    """An empty paragraph holding a horizontal line drawn as a shape (a DrawingML choice, a VML fallback)."""
    return ('<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            '<wp:anchor simplePos="0" relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1" '
            'distT="0" distB="0" distL="0" distR="0"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            '<wp:extent cx="5615940" cy="0"/><wp:wrapNone/><wp:docPr id="3" name="直线 3"/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp><wps:cNvCnPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5615940" cy="0"/></a:xfrm>'
            f'<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="{emu}"><a:solidFill><a:srgbClr val="000000"/>'
            '</a:solidFill></a:ln></wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor>'
            '</w:drawing></mc:Choice><mc:Fallback><w:pict><v:line from="0,0" to="442pt,0" strokeweight="1pt"/>'
            '</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')


def _letter_line(mm_above_bottom: int, length_mm: float, cmpd: str = "thinThick") -> str:
    """A paragraph holding a red double line drawn as a shape, anchored to the page."""
    cx, y = round(length_mm * 36000), round((297 - mm_above_bottom) * 36000)
    return ('<w:p><w:r><w:drawing><wp:anchor simplePos="0" relativeHeight="2" behindDoc="0" locked="0" '
            'layoutInCell="1" allowOverlap="1" distT="0" distB="0" distL="0" distR="0"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="page"><wp:posOffset>720000</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="0"/><wp:wrapNone/><wp:docPr id="4" name="直线 4"/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f'<wps:wsp><wps:cNvCnPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="0"/></a:xfrm>'
            f'<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="38100" cmpd="{cmpd}"><a:solidFill>'
            '<a:srgbClr val="FF0000"/></a:solidFill></a:ln></wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData>'
            '</a:graphic></wp:anchor></w:drawing></w:r></w:p>')


def _footer(align: str, dash: str = "—", sdt: bool = False, indent: int | None = None) -> str:
    """A footer with a PAGE field in a frame; `sdt`: wrapped in a content control, as Word's page-number
    gallery inserts it; `indent` (twips): in a plain paragraph indented on its side instead of a frame."""
    rpr = '<w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr>'
    sdt_open = ('<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Page Numbers (Bottom of Page)"/>'
                '<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>') if sdt else ""
    side = "right" if align == "right" else "left"
    ppr = (f'<w:framePr w:wrap="around" w:vAnchor="text" w:hAnchor="margin" w:xAlign="{align}" w:y="1"/>'
           if indent is None else f'<w:ind w:{side}="{indent}"/><w:jc w:val="{align}"/>')
    return (f'<w:ftr {NS}>{sdt_open}<w:p><w:pPr>{ppr}</w:pPr>'
            f'<w:r>{rpr}<w:t xml:space="preserve">{dash} </w:t></w:r><w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE  \\* MERGEFORMAT </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{rpr}<w:t>1</w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r><w:r>{rpr}<w:t xml:space="preserve"> {dash}</w:t></w:r>'
            '</w:p>' + ("</w:sdtContent></w:sdt>" if sdt else "") + '</w:ftr>')


STYLES = (f'<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" '
          'w:hAnsiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia"/><w:sz w:val="21"/></w:rPr></w:rPrDefault>'
          '</w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="1"><w:name w:val="正文"/>'
          '<w:pPr><w:spacing w:line="579" w:lineRule="exact"/></w:pPr><w:rPr><w:sz w:val="32"/></w:rPr></w:style>'
          '<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 1"/><w:basedOn w:val="1"/>'
          '<w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>'
          '<w:style w:type="paragraph" w:styleId="3"><w:name w:val="heading 2"/><w:basedOn w:val="1"/>'
          '<w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style></w:styles>')
THEME = ('<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="WPS"><a:themeElements>'
         '<a:clrScheme name="WPS"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
         '<a:accent2><a:srgbClr val="C0504D"/></a:accent2></a:clrScheme><a:fontScheme name="WPS">'
         '<a:majorFont><a:latin typeface="Calibri Light"/><a:ea typeface=""/><a:cs typeface=""/>'
         '<a:font script="Hans" typeface="黑体"/></a:majorFont><a:minorFont><a:latin typeface="Calibri"/>'
         '<a:ea typeface=""/><a:cs typeface=""/><a:font script="Hans" typeface="仿宋_GB2312"/></a:minorFont>'
         '</a:fontScheme></a:themeElements></a:theme>')


def wps_docx(path: Path, spec: dict, *, mark_color: str = "E60012", footer_aligns: tuple[str, str] = ("right", "left"),
             dash: str = "—", blank_note: bool = False, banji_pt: float = 14, number: str | None = None,
             date_align: str = "right", date_tabs: int = 0, banji_lines: str = "table",
             mark_in_header: bool = False, annex_font: str | None = None, footer_sdt: bool = False,
             seal: str = "sealed", footer_indent: int | None = None, footer_twips: int = 992,
             flags: tuple[tuple[str, str, str], ...] = (), letter: tuple[str, str, int] | None = None,
             mark_text: str | None = None) -> Path:
    """A 公文 as a WPS red-header template writes it, from a real record's elements.

    `seal`: 署名 and date sealed (date 4 characters from the right, 署名 centred over it), "unsealed" (署名 2
    from the right, the date 2 right of its start), "signed" (both 4 from the right, a 命令's 签名章) or "flush";
    `mark_text`: the mark (default the issuer + 文件); `footer_indent`: page numbers in a plain footer
    paragraph with this indent (twips) instead of a frame, the footer `footer_twips` above the page's edge;
    `flags`: (text, font, extra pPr) lines above the mark; `letter`: the 信函 layout, its mark in the first-page
    header with a (style, length mm) double line under it and a drawn (style) line 20 mm above the bottom."""
    cc = "抄送：" + "，".join(spec["cc"]) + "。" if spec.get("cc") else ""
    body = [x.strip() for x in spec["body"].split("\n") if x.strip()]
    mark_text = mark_text or spec["issuer"] + "文件"
    mark = _p(_run(mark_text, "方正小标宋简体", 26, mark_color), "center")
    if letter:  # the mark alone (no 文件), the double line as its border, 7 mm beyond the type area each side
        out = round((letter[1] - 156) / 2 * 1440 / 25.4)
        mark = _p(_run(spec["issuer"], "方正小标宋简体", 26, mark_color), "center",
                  f'<w:pBdr><w:bottom w:val="{letter[0]}" w:sz="24" w:space="11" w:color="FF0000"/></w:pBdr>'
                  f'<w:spacing w:before="851"/><w:ind w:left="-{out}" w:right="-{out}"/>')  # 30 mm from the top
        mark_in_header = True
    paras = [_p(_run(t, f, 16), "left", extra) for t, f, extra in flags]
    paras += [_p("") if mark_in_header else _mark_box(mark_text, mark_color, 20 if mark_text.endswith("令") else 35),
             _p("", extra='<w:spacing w:before="2400"/>'),
             _p(_run(number or spec["number"]), "center",
                '<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="11" w:color="E60012"/></w:pBdr>'),
             _p(_run(spec["title"], "FZXiaoBiaoSong-B05S", 22), "center"), _p(_run(spec["recipients"] + "："), "left")]
    paras += [_p(_run(t), extra=f'<w:pStyle w:val="{heading_level(t) + 1}"/>' if heading_level(t) in (1, 2) else "")
              for t in body]
    if blank_note:
        paras.append(_p(_run("（此页无正文）"), "left", '<w:ind w:firstLineChars="200"/>'))
    sig_right, date_right = {"sealed": (round(400 + (em_width(spec["date"]) - em_width(spec["signature"])) * 50), 400),
                             "unsealed": (200, round(100 * (em_width(spec["signature"]) - em_width(spec["date"])))),
                             "signed": (400, 400), "flush": (0, 0)}[seal]
    if seal == "unsealed" and date_right < 200:
        sig_right, date_right = 200 + 200 - date_right, 200
    paras += [_p(_run(spec["signature"]), "right", f'<w:ind w:rightChars="{sig_right}"/>'),
              _p("<w:r><w:tab/></w:r>" * date_tabs + _run(spec["date"]), date_align,
                 f'<w:ind w:rightChars="{date_right}"/>' if date_align == "right" else "")]
    if annex_font and spec.get("attachments"):  # the attachment page after the date, before the 版记
        paras += [_p('<w:r><w:br w:type="page"/></w:r>' + _run("附件", annex_font), "left"),
                  _p(_run(spec["attachments"][0], "FZXiaoBiaoSong-B05S", 22), "center")]
    printer = f"{spec['printer']}　　{spec['print_date']}印发" if spec.get("printer") else ""
    rows = [t for t in (cc, printer) if t]
    if banji_lines != "table":  # paragraphs, with lines drawn as shapes between them ("shapes") or none
        widths = [12700] + [9000] * (len(rows) - 1) + [12700]
        for k, t in enumerate(rows):
            paras += ([_line_shape(widths[k])] if banji_lines == "shapes" else []) + [
                _p(_run(t, "仿宋_GB2312", banji_pt), "left")]
        paras += [_line_shape(widths[-1])] if banji_lines == "shapes" else []
    banji = "".join(f'<w:tr><w:tc>{_p(_run(t, "仿宋_GB2312", banji_pt), "left")}</w:tc></w:tr>' for t in rows)
    if banji_lines == "table":
        paras.append('<w:tbl><w:tblPr><w:tblW w:w="8844" w:type="dxa"/><w:tblBorders>'
                     '<w:top w:val="single" w:sz="8" w:color="000000"/><w:bottom w:val="single" w:sz="8" '
                     'w:color="000000"/><w:insideH w:val="single" w:sz="6" w:color="000000"/></w:tblBorders></w:tblPr>'
                     f'<w:tblGrid><w:gridCol w:w="8844"/></w:tblGrid>{banji}</w:tbl>')
    sect = ('<w:sectPr><w:headerReference w:type="first" r:id="rIdH1"/><w:footerReference w:type="default" r:id="rIdF1"/>'
            '<w:footerReference w:type="first" r:id="rIdF1"/><w:footerReference w:type="even" r:id="rIdF2"/>'
            '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" '
            f'w:header="851" w:footer="{footer_twips}" w:gutter="0"/>'
            + ("<w:titlePg/>" if mark_in_header else "") +
            '<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-842"/></w:sectPr>')
    document = f'<w:document {NS}><w:body>{"".join(paras)}{sect}</w:body></w:document>'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{ct}.document.main+xml"/>'
            f'<Override PartName="/word/styles.xml" ContentType="{ct}.styles+xml"/>'
            f'<Override PartName="/word/settings.xml" ContentType="{ct}.settings+xml"/>'
            f'<Override PartName="/word/footer1.xml" ContentType="{ct}.footer+xml"/>'
            f'<Override PartName="/word/footer2.xml" ContentType="{ct}.footer+xml"/>'
            f'<Override PartName="/word/header1.xml" ContentType="{ct}.header+xml"/>'
            '<Override PartName="/word/theme/theme1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/></Types>'),
        "_rels/.rels": (f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/>'
                        '</Relationships>'),
        "word/_rels/document.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/settings" Target="settings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/theme" Target="theme/theme1.xml"/>'
            f'<Relationship Id="rIdF1" Type="{rel}/footer" Target="footer1.xml"/>'
            f'<Relationship Id="rIdF2" Type="{rel}/footer" Target="footer2.xml"/>'
            f'<Relationship Id="rIdH1" Type="{rel}/header" Target="header1.xml"/></Relationships>'),
        "word/document.xml": document, "word/styles.xml": STYLES, "word/theme/theme1.xml": THEME,
        "word/settings.xml": f'<w:settings {NS}><w:evenAndOddHeaders/></w:settings>',
        "word/header1.xml": f'<w:hdr {NS}>{mark if mark_in_header else _p("")}</w:hdr>',
        "word/footer1.xml": _footer(footer_aligns[0], dash, footer_sdt, footer_indent),
        "word/footer2.xml": _footer(footer_aligns[1], dash, footer_sdt, footer_indent),
    }
    if letter:  # the first page's footer: no number, the lower double line drawn 20 mm above the page's edge
        parts["word/footer3.xml"] = f'<w:ftr {NS}>{_letter_line(letter[2], letter[1])}</w:ftr>'
        document = document.replace('<w:footerReference w:type="first" r:id="rIdF1"/>',
                                    '<w:footerReference w:type="first" r:id="rIdF3"/>')
        parts["word/document.xml"] = document
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            "</Types>", f'<Override PartName="/word/footer3.xml" ContentType="{ct}.footer+xml"/></Types>')
        parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
            "</Relationships>", f'<Relationship Id="rIdF3" Type="{rel}/footer" Target="footer3.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return path


def layout_rules(report) -> set[str]:  # noqa: ANN001
    return {v.rule for v in report.violations if v.rule.startswith(LAYOUT_RULES)}


def test_wps_document_is_read_as_wps_writes_it(tmp_path):
    spec = _spec("国务院关于在市场监管领域")
    doc = read_docx(wps_docx(tmp_path / "wps.docx", spec))
    texts = [ln.text for ln in doc.lines]
    assert texts.count("国务院文件") == 1  # the text box once, not its VML fallback as well
    mark = doc.lines[0]
    assert mark.red and family(mark.font) == "小标宋" and mark.top_mm == pytest.approx(35, abs=0.5)
    body = next(ln for ln in doc.lines if ln.text.startswith("在市场监管领域"))
    assert body.font == "仿宋_GB2312" and body.size == 16  # the theme's Hans face, the WPS 正文 style's size
    assert doc.grid.lines == pytest.approx(22, abs=0.1) and doc.grid.chars == pytest.approx(28, abs=0.1)
    assert {(p.kind, p.align, p.size) for p in doc.page_numbers} == {("default", "right", 14), ("even", "left", 14)}
    report = check_file(tmp_path / "wps.docx")
    assert layout_rules(report) == set(), report.to_dict()["violations"]
    assert report.elements["number"] == spec["number"] and report.elements["title"] == spec["title"]


@pytest.mark.parametrize("change, rule", [
    ({"mark_color": "000000"}, "mark.color"),
    ({"footer_aligns": ("center", "center")}, "page.number.position"),
    ({"dash": "-"}, "page.number.dash"),
    ({"blank_note": True}, "blank_note"),
    ({"banji_pt": 16}, "banji.size"),
    ({"date_align": "left"}, "signature.date_layout"),
    ({"date_align": "center"}, "signature.date_layout"),
    ({"banji_lines": "none"}, "banji.lines"),
    ({"mark_in_header": True}, "mark.position"),  # a 文件's mark in the header: 35 mm below the 版心's top
])
def test_one_deviation_in_a_wps_document_is_reported_by_its_rule_alone(tmp_path, change, rule):
    report = check_file(wps_docx(tmp_path / "wps.docx", _spec("国务院关于在市场监管领域"), **change))
    assert layout_rules(report) == {rule}, report.to_dict()["violations"]


@pytest.mark.parametrize("change, rule", [
    ({"seal": "unsealed"}, None),  # §7.3.5.2's layout for documents without a seal is accepted as well
    ({"seal": "flush"}, "signature.seal_space"),
    ({"seal": "signed"}, "signature.seal_space"),  # a 签名章's layout, but this is a 文件 signed by an agency
    ({"seal": "signed", "mark_text": "国务院令", "number": "第707号"}, None),  # a 命令 with the 签发人's 签名章
    ({"footer_indent": 280, "footer_twips": 1300}, None),  # one 4号 character in, the 一字线 about 9 mm below
    ({"footer_indent": 0, "footer_twips": 1300}, "page.number.position"),
    ({"footer_indent": 280, "footer_twips": 992}, "page.number.position"),  # Word's default 1.75 cm: ~14 mm
    ({"flags": (("000123", "仿宋_GB2312", ""), ("机密★5年", "黑体", ""), ("特急", "黑体", ""))}, None),
    ({"flags": (("123", "仿宋_GB2312", ""),)}, "number.copy"),
    ({"flags": (("机密★5年", "仿宋_GB2312", ""),)}, "mark.secrecy"),
    ({"flags": (("特急", "黑体", '<w:ind w:firstLineChars="200"/>'),)}, "mark.urgency"),
    ({"flags": (("特急", "黑体", ""), ("机密★5年", "黑体", ""))}, "mark.secrecy"),  # order: 密级 before 紧急程度
])
def test_page_number_place_seal_space_and_flags(tmp_path, change, rule):
    """GB/T 9704 §7.5 (page number one character in, 7 mm below the 版心), §7.3.5 (room for the seal),
    §7.2.1–7.2.3 (份号, 密级和保密期限, 紧急程度) on WPS-written XML: each deviation by its rule alone."""
    report = check_file(wps_docx(tmp_path / "wps.docx", _spec("国务院关于在市场监管领域"), **change))
    assert layout_rules(report) == ({rule} if rule else set()), report.to_dict()["violations"]


@pytest.mark.parametrize("letter, rule", [
    (("thickThinSmallGap", 170, 20), None),
    (("thickThinSmallGap", 156, 20), "mark.double_line"),  # as wide as the type area
    (("thinThickSmallGap", 170, 20), "mark.double_line"),  # thin above thick under the mark
    (("single", 170, 20), "mark.double_line"),  # a single line: no double line under the mark
    (("thickThinSmallGap", 170, 40), "mark.double_line"),  # the lower line 40 mm above the page's edge
])
def test_letter_layout_double_lines(tmp_path, letter, rule):
    """信函 (§10.1): the mark in the first page's header with a red double line under it (thick above thin),
    another drawn 20 mm above the page's bottom edge (thin above thick), both 170 mm long."""
    spec = dict(_spec("国务院关于在市场监管领域"), issuer="国务院办公厅")
    path = wps_docx(tmp_path / "letter.docx", spec, letter=letter)
    doc = read_docx(path)
    assert {s.where for s in doc.strokes} == {"mark", "bottom"}
    report = check_file(path)
    assert {v.rule for v in report.violations if v.rule.startswith("mark.")} == ({rule} if rule else set()), \
        report.to_dict()["violations"]


def test_a_mark_in_the_theme_s_red_accent_is_red(tmp_path):
    """WPS and Word write a theme colour (accent2, C0504D in this theme) without a value: resolved to red."""
    report = check_file(wps_docx(tmp_path / "wps.docx", _spec("国务院关于在市场监管领域"), mark_color="theme:accent2"))
    assert layout_rules(report) == set(), report.to_dict()["violations"]


def test_page_numbers_in_a_content_control_are_read(tmp_path):
    path = wps_docx(tmp_path / "wps.docx", _spec("国务院关于在市场监管领域"), footer_sdt=True)
    assert len(read_docx(path).page_numbers) == 2
    assert layout_rules(check_file(path)) == set()


def test_banji_lines_drawn_as_shapes_count_once(tmp_path):
    path = wps_docx(tmp_path / "wps.docx", _spec("国务院关于在市场监管领域"), banji_lines="shapes")
    report = check_file(path)
    assert layout_rules(report) == set(), report.to_dict()["violations"]
    cc = next(ln for ln in read_docx(path).lines if ln.text.startswith("抄送"))
    assert cc.rule_below == pytest.approx(0.25, abs=0.01)  # the thin middle line, not the VML fallback's 1 pt


def test_a_date_pushed_right_with_tabs_is_right_indented(tmp_path):
    report = check_file(wps_docx(tmp_path / "wps.docx", _spec("国务院关于在市场监管领域"), date_align="left", date_tabs=13))
    assert layout_rules(report) == set(), report.to_dict()["violations"]


@pytest.mark.parametrize("number", ["〔2019〕5号", "国发〔2019〕XX号", "×发〔20××〕×号"])
def test_placeholder_and_bare_numbers_are_read_as_the_number(tmp_path, number):
    spec = _spec("国务院关于在市场监管领域")
    report = check_file(wps_docx(tmp_path / "wps.docx", spec, number=number))
    assert report.elements["number"] == number and report.elements["title"] == spec["title"]
    assert layout_rules(report) == set(), report.to_dict()["violations"]


def test_python_docx_default_styles_give_their_deviations_not_a_rejection(tmp_path):
    """Typed into python-docx's default template (Letter paper, theme fonts, 11 pt): still a 公文, every
    deviation named by its rule."""
    spec = _spec("国务院关于同意乌鲁木齐")
    d = docx.Document()
    for t in (spec["number"], spec["title"], spec["recipients"] + "："):
        d.add_paragraph(t)
    for t in [x for x in spec["body"].split("\n") if x.strip()]:
        d.add_paragraph(t)
    d.add_paragraph(spec["signature"])
    d.add_paragraph(spec["date"])
    d.save(tmp_path / "plain.docx")
    report = check_file(tmp_path / "plain.docx")
    assert report.elements["title"] == spec["title"] and report.elements["date"] == spec["date"]
    assert {"page.size", "page.margins", "page.number.missing", "title.size", "title.align", "body.size",
            "page.grid"} <= report.rules()
    # set as the standard asks (A4, margins, sizes, fonts, 22 lines of spacing): those findings go
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    for p in d.paragraphs:
        p.paragraph_format.line_spacing = Pt(28.95)
        p.paragraph_format.space_after = Pt(0)  # the template adds 10 pt after every paragraph
        for r in p.runs:
            r.font.size = Pt(22 if p.text == spec["title"] else 16)
            r.font.name = "方正小标宋简体" if p.text == spec["title"] else "仿宋_GB2312"
            r._element.rPr.rFonts.set(docx.oxml.ns.qn("w:eastAsia"), r.font.name)
    d.paragraphs[1].alignment = 1
    d.paragraphs[-1].alignment = d.paragraphs[-2].alignment = 2
    d.save(tmp_path / "set.docx")
    fixed = check_file(tmp_path / "set.docx").rules()
    assert not {"page.size", "page.margins", "title.size", "title.font", "title.align", "body.size", "body.font",
                "page.grid"} & fixed
    assert "page.number.missing" in fixed


def test_elements_found_in_real_variety():
    """纪要 without 主送 or number, a date in the 署名 line, a title over three lines, a 命令 with its 令号."""
    rec = next(r for r in RECORDS if r["title"].startswith("国务院办公厅关于山西"))
    spec = spec_from_record(rec)[0]
    body = [x for x in spec["body"].split("\n") if x.strip()][:4]
    minutes = check_text("\n".join(["国务院办公厅纪要", "第5期", "关于山西、安徽省四起特大煤矿", "瓦斯爆炸事故调查处理",
                                     "情况的纪要"] + body + [f"国务院办公厅　　{spec['date']}"]))
    assert minutes.elements["title"] == "关于山西、安徽省四起特大煤矿瓦斯爆炸事故调查处理情况的纪要"
    assert minutes.elements["type"] == "纪要" and minutes.elements["recipients"] is None
    assert minutes.elements["date"] == spec["date"] and minutes.elements["signature"].startswith("国务院办公厅")
    # a 纪要 with its 期号 and date under the mark and no title: accepted, the title said to be missing
    head = check_text("\n".join(["国务院常务会议纪要", "第5期", f"国务院办公厅　　{spec['date']}"] + body))
    assert head.elements["date"] == spec["date"] and head.elements["not_found"] == ["title"]
    order = next(r for r in RECORDS if r["doc_number"] == "国令第706号")
    lines = order["text"].split("\n")
    report = check_text("\n".join(["中华人民共和国国务院令", "第706号"] + lines[2:]))
    assert report.elements["type"] == "命令" and report.elements["number"] == "第706号"


def test_not_sure_is_said_not_a_rejection():
    spec = _spec("国务院关于同意乌鲁木齐")
    body = [x for x in spec["body"].split("\n") if x.strip()]
    report = check_text("\n".join([spec["number"]] + body + [spec["signature"], spec["date"]]))
    assert "recipients" in report.elements["not_found"]


def test_controls_are_still_rejected(tmp_path):
    """A law's articles typed into a document (a real text that is not a 公文) are refused as not a 公文."""
    laws = Path(__file__).resolve().parent / "fixtures" / "laws_articles_sample.jsonl"
    recs = [json.loads(x) for x in laws.read_text(encoding="utf-8").splitlines()[:30]]
    d = docx.Document()
    d.add_paragraph(recs[0]["law"])
    for rec in recs:
        d.add_paragraph(f"{rec['article']}　{rec['text']}")
    d.save(tmp_path / "article.docx")
    with pytest.raises(ZhengwuError) as exc:
        check_file(tmp_path / "article.docx")
    assert exc.value.code == "not_gongwen"


@pytest.mark.parametrize("name, fam", [("方正小标宋简体", "小标宋"), ("FZXiaoBiaoSong-B05S", "小标宋"), ("小标宋体", "小标宋"),
                                       ("fangsong_gb2312", "仿宋"), ("STFangsong", "仿宋"), ("楷体_GB2312", "楷体"),
                                       ("SimHei", "黑体"), ("SimSun", "宋体"), ("Times New Roman", "Times New Roman")])
def test_font_names_by_family(name, fam):
    assert family(name) == fam


def test_red_by_hue():
    assert all(is_red(c) for c in ("FF0000", "E60012", "C00000", "D81E06", "FF3333"))
    assert not any(is_red(c) for c in ("000000", "FFA500", "808080", "C0C0C0", "800080", None, "auto"))


def _soffice(src: Path, fmt: str, out: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to", fmt,
                    "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=180)
    return out / f"{src.stem}.{fmt.split(':')[0]}"


@pytest.mark.slow
def test_libreoffice_round_trip_of_a_clean_document_stays_clean(tmp_path):
    """LibreOffice re-writes the whole package (its own style ids, no w:default, charSpace as an unsigned
    number, frames for the page numbers): a clean 公文 opened and saved there is still clean."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) not installed")
    from zhengwu.writing.render_docx import build_document
    from zhengwu.writing.spec import load_spec

    src = tmp_path / "ours.docx"
    build_document(load_spec(_spec("国务院办公厅关于2019年"))).save(str(src))
    odt = _soffice(src, "odt", tmp_path / "odt")
    back = _soffice(odt, "docx:MS Word 2007 XML", tmp_path / "docx")
    report = check_file(back)
    assert report.elements["title"] == "国务院办公厅关于2019年部分节假日安排的通知"
    assert layout_rules(report) == set(), report.to_dict()["violations"]
    assert read_docx(back).grid.chars == pytest.approx(28, abs=0.5)


def _rendered(tmp_path: Path, spec: dict) -> Path:
    from zhengwu.writing.render_docx import build_document
    from zhengwu.writing.spec import load_spec

    out = tmp_path / "ours.docx"
    build_document(load_spec(spec)).save(str(out))
    return out


def _refont(path: Path, text: str, font: str) -> None:
    """Set the East Asian font of the runs whose text is `text` (as a person re-fonts a word in Word)."""
    d = docx.Document(str(path))
    for r in d.element.body.iter(docx.oxml.ns.qn("w:r")):
        if "".join(t.text or "" for t in r.iter(docx.oxml.ns.qn("w:t"))) == text:
            r.find(docx.oxml.ns.qn("w:rPr")).find(docx.oxml.ns.qn("w:rFonts")).set(docx.oxml.ns.qn("w:eastAsia"), font)
    d.save(str(path))


def test_signer_name_and_attachment_label_fonts(tmp_path):
    """The 签发人 name in 楷体 (§7.2.5) and an attachment page's 附件 label in 黑体 (§7.3.6): set so, clean;
    set in 仿宋, reported by its rule."""
    lines = next(r for r in RECORDS if r["title"].startswith("国务院办公厅转发国家地震局"))["text"].split("\n")
    start = lines.index("国务院：")
    report_spec = {"type": "请示", "issuer": "国家地震局", "number": "震发〔1996〕1号",
                   "title": "国家地震局关于我国地震重点监视防御区的确定和加强防震减灾工作意见的请示",
                   "recipients": "国务院", "body": "\n\n".join(lines[start + 1:-2]), "signature": lines[-2],
                   "date": lines[-1], "signer": "国家地震局局长"}
    path = _rendered(tmp_path, report_spec)
    assert "number.signer_font" not in check_file(path).rules()
    _refont(path, "国家地震局局长", "仿宋_GB2312")
    assert "number.signer_font" in check_file(path).rules()

    spec = _spec("国务院关于同意建立国务院职业教育")
    for font, found in (("黑体", False), ("仿宋_GB2312", True)):
        path = wps_docx(tmp_path / "wps.docx", spec, annex_font=font)
        assert ("attachment.font" in check_file(path).rules()) == found


def test_a_paragraph_is_judged_by_the_face_of_most_of_its_characters():
    from zhengwu.writing.check.model import Line, Run
    from zhengwu.writing.check.rules_layout import main_run

    text = _spec("国务院关于在市场监管领域")["body"].split("\n")[0]
    emphasis = Line(text, "p1", runs=[Run(text[:6], "黑体", 16), Run(text[6:], "仿宋_GB2312", 16)])
    reset = Line(text, "p2", runs=[Run(text[:6], "仿宋_GB2312", 16), Run(text[6:], "宋体", 16)])
    digits = Line("2019", "p3", runs=[Run("2019", "Times New Roman", 16)])
    assert main_run(emphasis).font == "仿宋_GB2312" and main_run(reset).font == "宋体"
    assert main_run(digits).font == "Times New Roman"  # no Chinese: the first run
