"""Build the "real documents" 公文 benchmark: documents NOT made by our renderer, each with its true deviations.

Why: the checker looked perfect on our own renderings because it learned their shape. This script lays out
REAL 公文 texts (official_docs/state_council_2018_2019.jsonl) the ways other producers do and writes, next to
each DOCX, an annotation of what it wrote into the XML that deviates from GB/T 9704-2012 — the annotation is
derived from the layout parameters the document was built with, never from the checker's output.

Producers:
- ``word``: raw WordprocessingML as Word writes it: docDefaults with theme fonts, a theme part whose minor
  East Asian (Hans) face is resolved, basedOn chains of custom styles, PAGE fields in odd/even footers, w:docGrid;
- ``wps``: raw WordprocessingML as WPS writes it: numeric style ids with Chinese names, direct run formatting,
  FZXiaoBiaoSong-B05S / 仿宋_GB2312 font names, the 发文机关标志 in a red text box (mc:AlternateContent
  with a VML fallback, as WPS writes it: the same text twice in the XML);
- ``python-docx``: python-docx's own default template and styles, formatting set the way its users do;
- ``libreoffice``: a flat ODT (FODT) converted by ``soffice --headless --convert-to docx``;
- ``pandoc``: Markdown (each element in a ``custom-style`` div) converted by pandoc, with a 公文 reference.docx
  made from pandoc's own, or with pandoc's default one (the draft before any formatting).
Some of them are printed to PDF by LibreOffice (their annotations carried over, less what a PDF cannot show).
Controls that are NOT 公文 (a law's text, a service guide, meeting notes, a style test page, a law through
pandoc, a scanned PDF) must be rejected. Annotations of pandoc and LibreOffice documents are the "check" split.

Usage: python bench/gongwen_real/make.py [--docs JSONL] [--corpus DIR] [--out DIR] [--no-libreoffice]
Output: DIR/<name>.docx|pdf and DIR/<name>.json | <name>.pdf.json
({"file", "producer", "is_gongwen", "doc_type", "split", "deviations", "format"?, "unscored"?, "expect_error"?}).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from zhengwu.eval.gongwen import SHARED, spec_from_record  # noqa: E402
from zhengwu.writing.doctypes import get_doctype  # noqa: E402
from zhengwu.writing.spec import em_width  # noqa: E402 - printed widths (half-width numerals), as typesetters count

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TW = 1440 / 25.4  # twips per mm


# ---------------------------------------------------------------------------------------------- layout
@dataclass(frozen=True)
class Layout:
    """Every formatting choice a producer writes; the defaults are GB/T 9704-2012 (版心 156 × 225 mm)."""

    page_w: float = 210
    page_h: float = 297
    top: float = 37
    bottom: float = 35
    left: float = 28
    right: float = 26
    grid: bool = True  # 22 lines × 28 characters
    title_font: str = "方正小标宋简体"
    title_size: float = 22
    title_align: str = "center"
    body_font: str = "仿宋_GB2312"
    body_size: float = 16
    heading_font: str = "黑体"
    number_font: str = "仿宋_GB2312"
    mark_font: str = "方正小标宋简体"
    mark_color: str = "FF0000"
    mark_space: bool = True  # mark 35 mm below the top of the type area (信函: 30 mm below the page top)
    banji_size: float = 14
    banji_lines: bool = True
    page_number: str = "dash"  # "dash" (— 1 —) | "plain" (1) | "none"
    page_number_size: float = 14
    page_number_indent: bool = True  # one character in from the outer edge
    footer_mm: float | None = None  # w:footer; None: the 一字线 about 7 mm below the 版心 (bottom − 12 mm)
    blank_note: bool = False
    seal: str = "centred"  # 署名 centred over a date 4 characters from the right | "flush": both flush right
    flags: bool = False  # 份号, 密级和保密期限 and 紧急程度 at the top left
    flag_font: str = "黑体"
    flag_indent: bool = False  # the flags in the body style, with its two-character first-line indent
    letter_line_mm: float = 170  # the 信函's red double lines


STD = Layout()
CHECK_PRODUCERS = ("pandoc", "libreoffice")  # the "check" split: measured before any change made for it
# layout field → (rule id or prefix a careful reader would report, what is wrong)
DEVIATIONS: dict[str, tuple[str, str]] = {
    "page_w": ("page.size", "page size is not A4"), "page_h": ("page.size", "page size is not A4"),
    **{m: ("page.margins", "margins are not 37/35/28/26 mm") for m in ("top", "bottom", "left", "right")},
    "grid": ("page.grid", "no 22 × 28 document grid"),
    "title_font": ("title.font", "title not in 小标宋"), "title_size": ("title.size", "title not 2号 22 pt"),
    "title_align": ("title.align", "title not centred"),
    "body_font": ("body.font", "body not in 仿宋"), "body_size": ("body.size", "body not 3号 16 pt"),
    "heading_font": ("heading.font", "一、 headings not in 黑体"),
    "number_font": ("number.font", "发文字号 not in 仿宋"),
    "mark_font": ("mark.font", "发文机关标志 not in 小标宋"), "mark_color": ("mark.color", "发文机关标志 not red"),
    "mark_space": ("mark.position", "发文机关标志 at the top of the type area, not 35 mm below"),
    "banji_size": ("banji.size", "版记 not 4号 14 pt"), "banji_lines": ("banji.lines", "版记 without its lines"),
    "page_number": ("page.number", "page numbers missing or not — N —"),
    "page_number_size": ("page.number", "page number not 4号 14 pt"),
    "page_number_indent": ("page.number.position", "page numbers flush with the outer edge, not one character in"),
    "footer_mm": ("page.number.position", "footer distance leaves the page number far from 7 mm below the 版心"),
    "seal": ("signature.seal_space", "署名 and 成文日期 flush right: no room for the seal as §7.3.5 sets it"),
    "letter_line_mm": ("mark.double_line", "the 信函's double lines not 170 mm long"),
    "blank_note": ("blank_note", "“此页无正文” used"),
}


# names of the same face as producers write them; and the reds of red-header templates
SAME_FACE = {"FZXiaoBiaoSong-B05S": "方正小标宋简体", "方正小标宋_GBK": "方正小标宋简体", "FangSong_GB2312": "仿宋_GB2312",
             "SimHei": "黑体"}
REDS = {"FF0000", "E60012", "C00000"}


def _conforms(name: str, value: object) -> bool:
    want = getattr(STD, name)
    if name == "mark_color":
        return value in REDS
    if isinstance(value, str):
        return SAME_FACE.get(value, value) == want
    return value == want


def grid_size(lay: Layout, spaced: bool = False) -> tuple[float, float] | None:
    """Lines per page and characters per line the document grid gives on this page: linePitch 579 twips and
    a character pitch of 16 − 842/4096 pt (relative to the 16 pt Normal size); None without a grid, or with
    the 1.15 line spacing and 10 pt after of python-docx's template (`spaced`), which break the line grid."""
    if not lay.grid or spaced:
        return None
    type_w, type_h = (lay.page_w - lay.left - lay.right) / 25.4 * 72, (lay.page_h - lay.top - lay.bottom) / 25.4 * 72
    return type_h / 28.95, type_w / (16 - 842 / 4096)


def deviations(lay: Layout, has_number: bool, has_banji: bool, *, sig_size: bool = True,
               spaced: bool = False, letter: bool = False) -> list[dict]:
    """The annotation: every field that differs from the standard, as a rule id (one entry per rule id), and
    what follows from it in the XML, marked `"optional": true` (one cause may be reported once, so a
    checker that does not report the consequence misses nothing, and one that does is right): a grid that
    no longer gives 22 × 28 on another type area; the body font also on the 署名/成文日期 and the 版记 (they
    inherit or repeat it); the body size on the 署名 where the producer sets it on those runs (`sig_size`)."""
    out: dict[str, dict] = {}

    def add(rule: str, where: str, note: str, optional: bool = False) -> None:
        out.setdefault(rule, {"rule": rule, "where": where, "note": note, **({"optional": True} if optional else {})})

    for name, (rule, note) in DEVIATIONS.items():
        if _conforms(name, getattr(lay, name)):
            continue
        if (name == "number_font" and not has_number) or (name.startswith("banji") and not has_banji):
            continue
        if name in ("page_number_indent", "footer_mm") and lay.page_number != "dash":
            continue  # a missing or centred number is already page.number's deviation
        if name == "letter_line_mm" and not letter:
            continue
        add(rule, name, note)
    if lay.flags and not _conforms("flag_font", lay.flag_font):
        for rule in ("mark.secrecy", "mark.urgency"):
            add(rule, "flag_font", f"密级/紧急程度 in {lay.flag_font}, not 黑体")
    if lay.flags and lay.flag_indent:
        for rule in ("number.copy", "mark.secrecy", "mark.urgency"):
            add(rule, "flag_indent", "份号/密级/紧急程度 with the body's two-character first-line indent, not flush left")
    grid = grid_size(lay, spaced)
    if grid is None:
        add("page.grid", "grid", "no 22-line grid" + (": 1.15 line spacing and 10 pt after" if spaced else ""))
    elif abs(grid[0] - 22) > 0.5 or abs(grid[1] - 28) > 0.5:
        add("page.grid", "page", f"the grid gives about {grid[0]:.0f} × {grid[1]:.0f} on this type area", True)
    if not _conforms("body_font", lay.body_font):
        add("signature", "body_font", "署名/成文日期 in the body's font, not 仿宋", True)
        if has_banji:
            add("banji.font", "body_font", "版记 in the body's font, not 仿宋", True)
    if sig_size and not _conforms("body_size", lay.body_size):
        add("signature", "body_size", "署名/成文日期 in the body's size, not 16 pt", True)
    return list(out.values())


def mark_mm(c: "Content", lay: Layout) -> float:
    """Where the 发文机关标志's top edge goes (GB/T 9704 §7.2.3, §10): 35 mm below the type area's top; a
    命令 20 mm; a 信函 30 mm below the page's top (its text box is anchored to the page); 0 for the deviation."""
    if not lay.mark_space:
        return 0
    return {"order": 20, "letter": 30}.get(c.layout_kind, 35)


LINE_MM = 579 / TW  # one line of the 22-line grid
FLAGS = (("000123", None), ("秘密★1年", "flag"), ("特急", "flag"))  # 份号, 密级和保密期限, 紧急程度 (adaptation)


def mark_before_mm(c: "Content", lay: Layout) -> float:
    """Space before the mark's paragraph: its position less the flag lines above it (one grid line each)."""
    return max(0.0, mark_mm(c, lay) - (len(FLAGS) * LINE_MM if lay.flags else 0))


def signature_right_chars(c: "Content", lay: Layout) -> tuple[float, float]:
    """(署名, 成文日期) right indents in characters: the date 4 from the right and the 署名 centred over it
    (§7.3.5.1, sealed); (0, 0) for the flush-right deviation."""
    if lay.seal == "flush":
        return 0.0, 0.0
    return max(0.0, 4 + (em_width(c.date) - em_width(c.signature)) / 2), 4.0


# ---------------------------------------------------------------------------------------------- content
@dataclass
class Content:
    """The 公文's elements in reading order, from a real record (spec_from_record)."""

    doc_type: str
    layout_kind: str  # file | letter | order | minutes
    mark: str
    number: str
    title: list[str]  # one to three lines
    recipients: str
    body: list[str]
    attachments: list[str]
    signature: str
    date: str
    cc: list[str] = field(default_factory=list)
    printer: str = ""
    date_in_signature: bool = False  # 署名 and 成文日期 in one paragraph (a line break between)
    cc_stop: bool = True  # the 抄送 list ends with 。
    text_deviations: list[dict] = field(default_factory=list)  # deviations written into the text itself

    def cc_line(self) -> str:
        return "抄送：" + "，".join(self.cc) + ("。" if self.cc_stop else "")


def text_deviation(c: Content, rule: str, note: str, **changes: object) -> Content:
    """A copy of `c` with a deviation written into its text (发文字号, 成文日期, 抄送), annotated as `rule`."""
    return replace(c, **changes, text_deviations=c.text_deviations + [{"rule": rule, "where": "text", "note": note}])


CN_DIGITS = "〇一二三四五六七八九"


def chinese_date(d: str) -> str:
    """2019年1月27日 → 二〇一九年一月二十七日, as dates were written before GB/T 9704-2012."""
    y, m, day = map(int, re.findall(r"\d+", d))

    def small(n: int) -> str:
        return ("" if n < 20 else CN_DIGITS[n // 10]) + ("十" if n >= 10 else "") + (CN_DIGITS[n % 10] if n % 10 else "")

    return "".join(CN_DIGITS[int(ch)] for ch in str(y)) + f"年{small(m)}月{small(day)}日"


def content_from(rec: dict, *, doc_type: str | None = None, number: str | None = None, max_body: int = 14,
                 title_lines: int = 1) -> Content:
    spec, _ = spec_from_record(rec)
    dt = get_doctype(doc_type or spec["type"])
    body = [p for p in spec["body"].split("\n\n") if p.strip()][:max_body]
    title = spec["title"]
    if title_lines == 2:  # split before 关于 / at the middle, as people break long titles
        cut = title.find("关于") if 4 < title.find("关于") < len(title) - 4 else len(title) // 2
        title = [title[:cut], title[cut:]]
    elif title_lines > 2:
        step = -(-len(title) // title_lines)
        title = [title[i:i + step] for i in range(0, len(title), step)]
    else:
        title = [title]
    recipients = spec.get("recipients", "") if dt.layout != "minutes" else ""
    if dt.layout == "order":
        recipients = ""
    return Content(dt.name, dt.layout, dt.mark(spec["issuer"]), spec.get("number", "") if number is None else number,
                   title, recipients, body, spec.get("attachments", []), spec["signature"], spec["date"],
                   spec.get("cc", []), spec.get("printer", ""))


# ------------------------------------------------------------------------------ WordprocessingML writing
def rpr(font: str | None = None, size: float | None = None, color: str | None = None, bold: bool = False) -> str:
    parts = []
    if font:
        parts.append(f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>')
    if bold:
        parts.append("<w:b/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if size:
        parts.append(f'<w:sz w:val="{int(size * 2)}"/><w:szCs w:val="{int(size * 2)}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def para(text: str, *, style: str | None = None, align: str | None = None, font: str | None = None,
         size: float | None = None, color: str | None = None, first_chars: int = 0, right_chars: float = 0,
         before: int = 0, border_red: bool = False, runs: list[tuple[str, str | None]] | None = None) -> str:
    ppr = []
    if style:
        ppr.append(f'<w:pStyle w:val="{style}"/>')
    if border_red:
        ppr.append('<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="4" w:color="FF0000"/></w:pBdr>')
    if before:
        ppr.append(f'<w:spacing w:before="{before}"/>')
    if first_chars or right_chars:
        ppr.append("<w:ind" + (f' w:firstLineChars="{first_chars * 100}"' if first_chars else "")
                   + (f' w:rightChars="{round(right_chars * 100)}"' if right_chars else "") + "/>")
    if align:
        ppr.append(f'<w:jc w:val="{ {"justify": "both"}.get(align, align) }"/>')
    out = [f"<w:pPr>{''.join(ppr)}</w:pPr>" if ppr else ""]
    for i, part in enumerate(text.split("\n")):
        if i:
            out.append("<w:r><w:br/></w:r>")
        out.append(f'<w:r>{rpr(font, size, color)}<w:t xml:space="preserve">{escape(part)}</w:t></w:r>')
    for t, f in runs or []:
        out.append(f'<w:r>{rpr(f or font, size, color)}<w:t xml:space="preserve">{escape(t)}</w:t></w:r>')
    return f"<w:p>{''.join(out)}</w:p>"


def heading_level(t: str) -> int:
    if re.match(r"^[一二三四五六七八九十]+、", t):
        return 1
    if re.match(r"^（[一二三四五六七八九十]+）", t):
        return 2
    return 0


def split_heading(t: str, level: int) -> tuple[str, str]:
    """A heading paragraph's heading sentence and the rest (body text after the first 。)."""
    if level == 1:
        return (t, "") if len(t) < 40 else (t[:t.find("。") + 1] or t, t[t.find("。") + 1:] if "。" in t else "")
    m = re.match(r"^(（[一二三四五六七八九十]+）[^。]{0,40}。)(.*)$", t)
    return (m.group(1), m.group(2)) if m else (t, "")


def banji_table(c: Content, lay: Layout, font: str | None) -> str:
    if not (c.cc or c.printer):
        return ""
    b = ('<w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
         '<w:left w:val="nil"/><w:right w:val="nil"/>'
         '<w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
         '<w:insideH w:val="single" w:sz="6" w:space="0" w:color="000000"/><w:insideV w:val="nil"/></w:tblBorders>'
         if lay.banji_lines else
         '<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>'
         '<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>')
    rows = []
    if c.cc:
        rows.append(para(c.cc_line(), font=font, size=lay.banji_size))
    if c.printer:
        rows.append(para(f"{c.printer}\t{c.date}印发", font=font, size=lay.banji_size))
    trs = "".join(f'<w:tr><w:tc><w:tcPr><w:tcW w:w="8844" w:type="dxa"/></w:tcPr>{r}</w:tc></w:tr>' for r in rows)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="8844" w:type="dxa"/>{b}</w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="8844"/></w:tblGrid>{trs}</w:tbl>')


def sect_pr(lay: Layout, footers: bool, letter: bool = False) -> str:
    refs = ('<w:footerReference w:type="default" r:id="rIdF1"/><w:footerReference w:type="even" r:id="rIdF2"/>'
            if footers else "") + ('<w:footerReference w:type="first" r:id="rIdF3"/>' if letter else "")
    grid = ('<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-842"/>' if lay.grid
            else '<w:docGrid w:linePitch="312"/>')
    footer_mm = lay.footer_mm if lay.footer_mm is not None else lay.bottom - 7 - 5
    return (f'<w:sectPr>{refs}<w:pgSz w:w="{round(lay.page_w * TW)}" w:h="{round(lay.page_h * TW)}"/>'
            f'<w:pgMar w:top="{round(lay.top * TW)}" w:right="{round(lay.right * TW)}" '
            f'w:bottom="{round(lay.bottom * TW)}" w:left="{round(lay.left * TW)}" w:header="851" '
            f'w:footer="{round(footer_mm * TW)}" w:gutter="0"/>'
            + ('<w:titlePg/>' if letter else "") + f"{grid}</w:sectPr>")


def footer_xml(lay: Layout, odd: bool, style: str = "a5", font: str = "宋体") -> str:
    r = rpr(font, lay.page_number_size)
    field = (f'<w:r>{r}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{r}<w:instrText xml:space="preserve"> PAGE '
             f'</w:instrText></w:r><w:r>{r}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{r}<w:t>1</w:t></w:r>'
             f'<w:r>{r}<w:fldChar w:fldCharType="end"/></w:r>')
    if lay.page_number == "dash":
        field = f'<w:r>{r}<w:t xml:space="preserve">— </w:t></w:r>{field}<w:r>{r}<w:t xml:space="preserve"> —</w:t></w:r>'
    ind = ('<w:ind w:right="280"/>' if odd else '<w:ind w:left="280"/>') if lay.page_number_indent else ""
    jc = "right" if odd else "left"
    if lay.page_number == "plain":
        jc, ind = "center", ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr xmlns:w="{W_NS}" '
            f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ind}<w:jc w:val="{jc}"/></w:pPr>{field}</w:p></w:ftr>')


NS_DECL = (f'xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
           'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
           'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:w10="urn:schemas-microsoft-com:office:word" mc:Ignorable="wps"')


def theme_xml(hans: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office 主题">'
            '<a:themeElements><a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
            '<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="44546A"/></a:dk2>'
            '<a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="4472C4"/></a:accent1>'
            '<a:accent2><a:srgbClr val="ED7D31"/></a:accent2><a:accent3><a:srgbClr val="A5A5A5"/></a:accent3>'
            '<a:accent4><a:srgbClr val="FFC000"/></a:accent4><a:accent5><a:srgbClr val="5B9BD5"/></a:accent5>'
            '<a:accent6><a:srgbClr val="70AD47"/></a:accent6><a:hlink><a:srgbClr val="0563C1"/></a:hlink>'
            '<a:folHlink><a:srgbClr val="954F72"/></a:folHlink></a:clrScheme>'
            '<a:fontScheme name="Office"><a:majorFont><a:latin typeface="等线 Light"/><a:ea typeface=""/>'
            '<a:cs typeface=""/><a:font script="Hans" typeface="等线 Light"/></a:majorFont>'
            f'<a:minorFont><a:latin typeface="等线"/><a:ea typeface=""/><a:cs typeface=""/>'
            f'<a:font script="Hans" typeface="{hans}"/></a:minorFont></a:fontScheme>'
            '<a:fmtScheme name="Office"><a:fillStyleLst/><a:lnStyleLst/><a:effectStyleLst/><a:bgFillStyleLst/>'
            '</a:fmtScheme></a:themeElements></a:theme>')


CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
      'wordprocessingml.document.main+xml"/>'
      '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
      'wordprocessingml.styles+xml"/>'
      '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
      'wordprocessingml.settings+xml"/>'
      '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
      'wordprocessingml.footer+xml"/>'
      '<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.'
      'wordprocessingml.footer+xml"/>'
      '<Override PartName="/word/footer3.xml" ContentType="application/vnd.openxmlformats-officedocument.'
      'wordprocessingml.footer+xml"/>'
      '<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
      'theme+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>')
DOC_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/>'
            '<Relationship Id="rIdSet" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'settings" Target="settings.xml"/>'
            '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" '
            'Target="theme/theme1.xml"/>'
            '<Relationship Id="rIdF1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'footer" Target="footer1.xml"/>'
            '<Relationship Id="rIdF2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'footer" Target="footer2.xml"/>'
            '<Relationship Id="rIdF3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'footer" Target="footer3.xml"/></Relationships>')


def letter_footer_xml(lay: Layout) -> str:
    """The 信函's first-page footer: no page number; a red double line (thin above thick) drawn as a line
    shape anchored to the page 20 mm above its bottom edge, centred, `letter_line_mm` long (§10.1)."""
    length = round(lay.letter_line_mm * 36000)
    x = round((lay.page_w - lay.letter_line_mm) / 2 * 36000)
    y = round((lay.page_h - 20) * 36000)
    line = ('<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" '
            'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{length}" cy="0"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
            '<wp:docPr id="3" name="直线 3"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData '
            'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvCnPr/>'
            f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{length}" cy="0"/></a:xfrm>'
            '<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="38100" cmpd="thinThick">'
            '<a:solidFill><a:srgbClr val="FF0000"/></a:solidFill></a:ln></wps:spPr><wps:bodyPr/></wps:wsp>'
            '</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {NS_DECL}><w:p><w:pPr><w:pStyle '
            f'w:val="2"/></w:pPr>{line}</w:p></w:ftr>')


def settings_xml(even_odd: bool) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings xmlns:w="{W_NS}">'
            + ("<w:evenAndOddHeaders/>" if even_odd else "") + '<w:defaultTabStop w:val="420"/>'
            '<w:compat><w:spaceForUL/></w:compat></w:settings>')


def write_package(path: Path, body_xml: str, styles: str, lay: Layout, hans: str, *, letter: bool = False,
                  footer_style: str = "a5") -> None:
    footers = lay.page_number != "none"
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS_DECL}><w:body>{body_xml}'
           f'{sect_pr(lay, footers, letter)}</w:body></w:document>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        ct, rels = CT, DOC_RELS
        if not letter:  # the first-page footer part only where a section refers to it
            ct = re.sub(r'<Override PartName="/word/footer3.xml"[^>]*/>', "", ct)
            rels = re.sub(r'<Relationship Id="rIdF3"[^>]*/>', "", rels)
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/_rels/document.xml.rels", rels)
        z.writestr("word/document.xml", doc)
        z.writestr("word/styles.xml", styles)
        z.writestr("word/settings.xml", settings_xml(footers))
        z.writestr("word/theme/theme1.xml", theme_xml(hans))
        z.writestr("word/footer1.xml", footer_xml(lay, True, footer_style))
        z.writestr("word/footer2.xml", footer_xml(lay, False, footer_style))
        if letter:
            z.writestr("word/footer3.xml", letter_footer_xml(lay))


# ------------------------------------------------------------------------------------------------- Word
def word_styles(lay: Layout, normal_font: bool) -> str:
    """Word: docDefaults on theme fonts, Normal (id "a" as Chinese Word writes it) carrying the body font
    unless `normal_font` is False (then the theme's Hans face applies), custom styles basedOn Normal.
    Normal stays 16 pt whatever the body size: the grid's character pitch (charSpace) is relative to the
    Normal font size (ECMA-376 §17.6.5), so a body-size deviation does not also change the grid."""
    nf = f'<w:rFonts w:ascii="{lay.body_font}" w:eastAsia="{lay.body_font}"/>' if normal_font else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W_NS}">'
            '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia" '
            'w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi"/><w:kern w:val="2"/><w:sz w:val="32"/>'
            '<w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            '<w:pPrDefault/></w:docDefaults>'
            '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:qFormat/>'
            f'<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr><w:rPr>{nf}'
            f'<w:sz w:val="{int(STD.body_size * 2)}"/></w:rPr></w:style>'
            '<w:style w:type="paragraph" w:customStyle="1" w:styleId="GW"><w:name w:val="公文正文"/>'
            '<w:basedOn w:val="a"/><w:pPr><w:ind w:firstLineChars="200"/></w:pPr>'
            f'<w:rPr><w:sz w:val="{int(lay.body_size * 2)}"/></w:rPr></w:style>'
            '<w:style w:type="paragraph" w:customStyle="1" w:styleId="GWH1"><w:name w:val="公文一级标题"/>'
            f'<w:basedOn w:val="GW"/><w:rPr><w:rFonts w:ascii="{lay.heading_font}" w:eastAsia="{lay.heading_font}"/>'
            '</w:rPr></w:style>'
            '<w:style w:type="paragraph" w:customStyle="1" w:styleId="GWTitle"><w:name w:val="公文标题"/>'
            f'<w:basedOn w:val="a"/><w:pPr><w:jc w:val="{ {"center": "center"}.get(lay.title_align, lay.title_align) }"/>'
            f'</w:pPr><w:rPr><w:rFonts w:ascii="{lay.title_font}" w:eastAsia="{lay.title_font}"/>'
            f'<w:sz w:val="{int(lay.title_size * 2)}"/></w:rPr></w:style>'
            '<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="footer"/><w:basedOn w:val="a"/>'
            '<w:rPr><w:sz w:val="18"/></w:rPr></w:style>'
            '<w:style w:type="table" w:default="1" w:styleId="a1"><w:name w:val="Normal Table"/></w:style>'
            '</w:styles>')


def body_paragraphs(c: Content, lay: Layout, *, direct: bool, h1_style: str | None = None,
                    body_style: str | None = None) -> list[str]:
    """The 正文: headings 一、 in the heading font, （一） in 楷体, the rest in the body font.
    `direct`: fonts and sizes on every run (WPS, python-docx users) rather than through styles."""
    out = []
    bf, bs = (lay.body_font, lay.body_size) if direct else (None, None)
    for t in c.body:
        level = heading_level(t)
        if level == 1:
            head, rest = split_heading(t, 1)
            out.append(para(head, style=h1_style, font=lay.heading_font if direct or not h1_style else None,
                            size=bs, first_chars=2 if direct else 0,
                            runs=[(rest, lay.body_font)] if rest else None))
        elif level == 2:
            head, rest = split_heading(t, 2)
            out.append(para(head, style=body_style, font="楷体_GB2312", size=bs, first_chars=2 if direct else 0,
                            runs=[(rest, lay.body_font)] if rest else None))
        else:
            out.append(para(t, style=body_style, font=bf, size=bs, first_chars=2 if direct else 0,
                            align="justify" if direct else None))
    return out


def flag_paragraphs(lay: Layout, *, direct: bool) -> list[str]:
    """份号, 密级和保密期限, 紧急程度, flush left on the first three lines (or, as the deviation, in the body's
    style with its first-line indent)."""
    if not lay.flags:
        return []
    out = []
    for text, kind in FLAGS:
        font = lay.flag_font if kind else None
        if lay.flag_indent:
            out.append(para(text, style="GW" if not direct else None, font=font, size=16 if direct else None,
                            first_chars=2 if direct else 0))
        else:
            out.append(para(text, align="left", font=font, size=16))
    return out


def head_paragraphs(c: Content, lay: Layout, *, direct: bool, title_style: str | None = None) -> list[str]:
    """版头 (mark, number with the red line) and the title, 主送."""
    out = flag_paragraphs(lay, direct=direct)
    if c.layout_kind != "letter":
        before = round(mark_before_mm(c, lay) * TW)
        out.append(para(c.mark, align="center", font=lay.mark_font, size=26, color=lay.mark_color, before=before))
    if c.number:
        out.append(para(c.number, align="center", font=lay.number_font, size=16 if direct else None,
                        border_red=True, before=round(2 * 579)))
    elif c.layout_kind != "letter":
        out.append(para("", border_red=True))
    for t in c.title:
        if title_style:
            out.append(para(t, style=title_style))
        else:
            out.append(para(t, align=lay.title_align, font=lay.title_font, size=lay.title_size))
    if c.recipients:
        out.append(para(c.recipients + "：", font=lay.body_font if direct else None, size=16 if direct else None))
    return out


def tail_paragraphs(c: Content, lay: Layout, *, direct: bool) -> list[str]:
    f, s = (lay.body_font, lay.body_size) if direct else (None, None)
    out = []
    if c.attachments:
        out.append(para("附件：" + "\n".join(c.attachments), font=f, size=s, first_chars=2))
    if lay.blank_note:
        out.append(para("（此页无正文）", font=f, size=s, first_chars=2))
    sig_right, date_right = signature_right_chars(c, lay)
    if c.date_in_signature:
        out.append(para(f"{c.signature}\n{c.date}", align="right", font=f, size=s, right_chars=date_right,
                        before=579 * 2))
    else:
        out.append(para(c.signature, align="right", font=f, size=s, right_chars=sig_right, before=579 * 2))
        out.append(para(c.date, align="right", font=f, size=s, right_chars=date_right))
    return out


def make_word(c: Content, lay: Layout, path: Path, *, normal_font: bool = True, hans: str = "等线") -> None:
    body = (head_paragraphs(c, lay, direct=False, title_style="GWTitle")
            + body_paragraphs(c, lay, direct=False, h1_style="GWH1", body_style="GW")
            + tail_paragraphs(c, lay, direct=False))
    write_package(path, "".join(body) + banji_table(c, lay, lay.body_font), word_styles(lay, normal_font), lay, hans)


# -------------------------------------------------------------------------------------------------- WPS
def wps_styles(lay: Layout) -> str:
    """WPS: numeric style ids, Chinese style names, Normal called 正文 (w:default marks it)."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W_NS}">'
            '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
            'w:eastAsia="宋体" w:cs="Times New Roman"/><w:sz w:val="32"/></w:rPr></w:rPrDefault></w:docDefaults>'
            '<w:style w:type="paragraph" w:default="1" w:styleId="1"><w:name w:val="正文"/><w:qFormat/>'
            '<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr><w:rPr>'
            f'<w:rFonts w:ascii="Times New Roman" w:eastAsia="{lay.body_font}"/><w:kern w:val="2"/>'
            f'<w:sz w:val="{int(STD.body_size * 2)}"/></w:rPr></w:style>'
            '<w:style w:type="character" w:default="1" w:styleId="5"><w:name w:val="默认段落字体"/></w:style>'
            '<w:style w:type="paragraph" w:styleId="2"><w:name w:val="页脚"/><w:basedOn w:val="1"/>'
            '<w:rPr><w:sz w:val="18"/></w:rPr></w:style>'
            '<w:style w:type="table" w:default="1" w:styleId="3"><w:name w:val="普通表格"/></w:style></w:styles>')


def wps_textbox_mark(c: Content, lay: Layout, letter: bool = False) -> str:
    """The 发文机关标志 in a floating text box, anchored 35 mm below the type area's top (信函: 30 mm below
    the page top, over a red double line), as WPS red-header templates carry it: a wps:wsp choice and its VML
    fallback, both holding the text."""
    inner = para(c.mark, align="center", font=lay.mark_font, size=26, color=lay.mark_color)
    if letter:
        inner = inner.replace("<w:pPr>", '<w:pPr><w:pBdr><w:bottom w:val="thickThinSmallGap" w:sz="24" w:space="1" '
                                         'w:color="FF0000"/></w:pBdr>', 1)
    rel = "page" if letter else "margin"
    mm = mark_mm(c, lay)
    top = round(mm * 36000)
    width = round((lay.letter_line_mm if letter else 156) * 36000)  # the 信函's box carries the 170 mm line
    left = round((lay.page_w - lay.letter_line_mm) / 2 * 36000) if letter else 0
    choice = (f'<mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" '
              'simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
              f'<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="{rel}"><wp:posOffset>{left}</wp:posOffset>'
              f'</wp:positionH><wp:positionV relativeFrom="{rel}"><wp:posOffset>{top}</wp:posOffset></wp:positionV>'
              f'<wp:extent cx="{width}" cy="720000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
              '<wp:docPr id="1" name="文本框 1"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData '
              'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr '
              f'txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="720000"/></a:xfrm>'
              '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
              f'<wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx><wps:bodyPr lIns="0" rIns="0"/></wps:wsp>'
              '</a:graphicData>'
              '</a:graphic></wp:anchor></w:drawing></mc:Choice>')
    fallback = (f'<mc:Fallback><w:pict><v:shape id="文本框 1" o:spid="_x0000_s1026" type="#_x0000_t202" '
                f'style="position:absolute;margin-top:{mm}mm;width:442.2pt;height:56.7pt;'
                f'mso-position-vertical-relative:{rel}" filled="f" stroked="f"><v:textbox>'
                f'<w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>')
    return f'<w:p><w:r><mc:AlternateContent>{choice}{fallback}</mc:AlternateContent></w:r></w:p>'


def make_wps(c: Content, lay: Layout, path: Path) -> None:
    head = head_paragraphs(c, lay, direct=True)
    n = len(flag_paragraphs(lay, direct=True))
    if c.layout_kind != "letter":
        head = head[:n] + [wps_textbox_mark(c, lay)] + head[n + 1:]
    body = head + body_paragraphs(c, lay, direct=True) + tail_paragraphs(c, lay, direct=True)
    write_package(path, "".join(body) + banji_table(c, lay, lay.body_font), wps_styles(lay), lay, "等线",
                  footer_style="2")


def make_letter_wps(c: Content, lay: Layout, path: Path) -> None:
    """A 函 in the 信函 layout: the mark in a text box 30 mm below the page top with a red double line under
    it, the number right-aligned below, no 版记 (GB/T 9704 §10.1)."""
    mark = wps_textbox_mark(c, lay, letter=True)
    num = para(c.number, align="right", font=lay.number_font, size=16)
    head = [mark, num] + [para(t, align=lay.title_align, font=lay.title_font, size=lay.title_size) for t in c.title]
    if c.recipients:
        head.append(para(c.recipients + "：", font=lay.body_font, size=16))
    body = head + body_paragraphs(c, lay, direct=True) + tail_paragraphs(c, lay, direct=True)
    write_package(path, "".join(body), wps_styles(lay), lay, "等线", letter=True, footer_style="2")


# -------------------------------------------------------------------------------------------- python-docx
def make_python_docx(c: Content, lay: Layout, path: Path, template_spacing: bool = False) -> None:
    """python-docx's default template: Normal is Calibri 11 pt with 1.15 line spacing and 10 pt after (from
    the template's docDefaults); users set the East Asian font on Normal and on runs, margins in Mm, single
    spacing (unless `template_spacing`), and (when they know) the grid and page numbers by raw XML."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.size = Pt(STD.body_size)  # the grid's character pitch is relative to it (see word_styles)
    if not template_spacing:
        normal.paragraph_format.line_spacing = 1.0
        normal.paragraph_format.space_after = Pt(0)
    normal.font.name = "Times New Roman"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), lay.body_font)
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(lay.page_w), Mm(lay.page_h)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = (Mm(lay.top), Mm(lay.bottom),
                                                                            Mm(lay.left), Mm(lay.right))
    if lay.footer_mm is None:
        sec.footer_distance = Mm(lay.bottom - 12)
    elif abs(sec.footer_distance.mm - lay.footer_mm) > 0.1:  # the variant leaves the template's value in place
        raise SystemExit(f"python-docx's template footer distance is {sec.footer_distance.mm} mm, not {lay.footer_mm}")

    def add(text: str, font: str | None = None, size: float | None = None, align=None, color=None,  # noqa: ANN001
            indent: bool = False, right_chars: float = 0) -> None:
        p = d.add_paragraph()
        if right_chars:
            p.paragraph_format.right_indent = Pt(right_chars * (size or STD.body_size))
        r = p.add_run(text)
        if font:
            r.font.name = font
            r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        if size:
            r.font.size = Pt(size)
        if color:
            r.font.color.rgb = RGBColor.from_string(color)
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(lay.body_size * 2)

    centre = WD_ALIGN_PARAGRAPH.CENTER
    if lay.flags:
        for text, kind in FLAGS:
            add(text, lay.flag_font if kind else None, 16, WD_ALIGN_PARAGRAPH.LEFT, indent=lay.flag_indent)
    if c.layout_kind != "letter":
        add(c.mark, lay.mark_font, 26, centre, lay.mark_color)
        if lay.mark_space:
            d.paragraphs[-1].paragraph_format.space_before = Mm(mark_before_mm(c, lay))
    if c.number:
        add(c.number, lay.number_font, None, centre)
    for t in c.title:
        add(t, lay.title_font, lay.title_size, centre if lay.title_align == "center" else WD_ALIGN_PARAGRAPH.LEFT)
    if c.recipients:
        add(c.recipients + "：", size=lay.body_size)
    for t in c.body:
        level = heading_level(t)
        add(t, {1: lay.heading_font, 2: "楷体_GB2312"}.get(level), lay.body_size, indent=True)
    if lay.blank_note:
        add("（此页无正文）", size=lay.body_size, indent=True)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    sig_right, date_right = signature_right_chars(c, lay)
    add(c.signature, size=lay.body_size, align=right, right_chars=sig_right)
    add(c.date, size=lay.body_size, align=right, right_chars=date_right)
    if c.cc or c.printer:
        rows = ([c.cc_line()] if c.cc else []) + ([f"{c.printer}\t{c.date}印发"] if c.printer else [])
        tbl = d.add_table(rows=len(rows), cols=1)
        for row, text in zip(tbl.rows, rows):
            run = row.cells[0].paragraphs[0].add_run(text)
            run.font.size = Pt(lay.banji_size)
        if lay.banji_lines:
            tbl._tbl.tblPr.append(parse_xml(
                f'<w:tblBorders xmlns:w="{W_NS}"><w:top w:val="single" w:sz="8"/><w:bottom w:val="single" w:sz="8"/>'
                '<w:insideH w:val="single" w:sz="6"/></w:tblBorders>'))
    sect = sec._sectPr
    for g in sect.findall(qn("w:docGrid")):
        sect.remove(g)
    sect.append(parse_xml(f'<w:docGrid xmlns:w="{W_NS}" w:type="linesAndChars" w:linePitch="579" w:charSpace="-842"/>'
                          if lay.grid else f'<w:docGrid xmlns:w="{W_NS}" w:linePitch="360"/>'))
    if lay.page_number != "none":
        d.settings.odd_and_even_pages_header_footer = True
        for footer, odd in ((sec.footer, True), (sec.even_page_footer, False)):
            xml = footer_xml(lay, odd)
            p_xml = re.search(r"<w:p>.*</w:p>", xml).group(0).replace('<w:pStyle w:val="a5"/>', "")
            footer._element.append(parse_xml(p_xml.replace("<w:p>", f'<w:p xmlns:w="{W_NS}">', 1)))
            first = footer._element.find(qn("w:p"))
            if first is not None and not "".join(first.itertext()).strip():
                footer._element.remove(first)
    d.save(str(path))


# -------------------------------------------------------------------------------------------- LibreOffice
FODT_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document '
             'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
             'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
             'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
             'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
             'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
             'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
             'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">')


def _tstyle(name: str, font: str, size: float, *, align: str = "justify", color: str = "000000",
            indent: bool = False, margin_right: str = "0cm", before: str = "0cm", margin_left: str = "0cm") -> str:
    return (f'<style:style style:name="{name}" style:family="paragraph" style:parent-style-name="Standard">'
            f'<style:paragraph-properties fo:text-align="{ {"center": "center", "right": "end"}.get(align, align) }" '
            f'fo:text-indent="{"2em" if indent else "0cm"}" fo:margin-right="{margin_right}" fo:margin-left="{margin_left}" '
            f'fo:margin-top="{before}"/>'
            f'<style:text-properties style:font-name="{font}" style:font-name-asian="{font}" fo:font-size="{size}pt" '
            f'style:font-size-asian="{size}pt" fo:color="#{color}"/></style:style>')


def make_fodt(c: Content, lay: Layout, path: Path) -> None:
    """A flat ODT as LibreOffice users write one: styles for each element, a page layout, a footer with a
    page-number field (converted to a PAGE field in the DOCX)."""
    fonts = {lay.body_font, lay.title_font, lay.mark_font, lay.heading_font, "楷体_GB2312", "宋体", lay.number_font}
    decls = "".join(f'<style:font-face style:name="{f}" svg:font-family="{f}"/>' for f in sorted(fonts))
    styles = "".join([
        _tstyle("Mark", lay.mark_font, 26, align="center", color=lay.mark_color,
                before=f"{mark_mm(c, lay)}mm"),
        _tstyle("Number", lay.number_font, 16, align="center"),
        _tstyle("Title", lay.title_font, lay.title_size, align=lay.title_align),
        _tstyle("Body", lay.body_font, lay.body_size, indent=True),
        _tstyle("Plain", lay.body_font, lay.body_size),
        _tstyle("H1", lay.heading_font, lay.body_size, indent=True),
        _tstyle("H2", "楷体_GB2312", lay.body_size, indent=True),
        _tstyle("Sign", lay.body_font, lay.body_size, align="right",
                margin_right=f"{signature_right_chars(c, lay)[0] * lay.body_size:.2f}pt"),
        _tstyle("Date", lay.body_font, lay.body_size, align="right",
                margin_right=f"{signature_right_chars(c, lay)[1] * lay.body_size:.2f}pt"),
        _tstyle("Banji", lay.body_font, lay.banji_size),
        _tstyle("PageNum", "宋体", lay.page_number_size, align="center"),
        _tstyle("PageNumR", "宋体", lay.page_number_size, align="right",
                margin_right=f"{lay.page_number_size if lay.page_number_indent else 0}pt"),
        _tstyle("PageNumL", "宋体", lay.page_number_size, align="start",
                margin_left=f"{lay.page_number_size if lay.page_number_indent else 0}pt"),
    ])
    grid = ('<style:page-layout-properties fo:page-width="{w}mm" fo:page-height="{h}mm" fo:margin-top="{t}mm" '
            'fo:margin-bottom="{b}mm" fo:margin-left="{l}mm" fo:margin-right="{r}mm" '
            + ('style:layout-grid-mode="both" style:layout-grid-standard-mode="true" style:layout-grid-lines="22" style:layout-grid-base-height="28.95pt" '
               'style:layout-grid-ruby-height="0pt" style:layout-grid-print="false" style:layout-grid-display="false" '
               'style:layout-grid-base-width="15.79pt" style:layout-grid-snap-to="true" ' if lay.grid else "")
            + '/>').format(w=lay.page_w, h=lay.page_h, t=lay.top, b=round(lay.bottom - 7 - lay.page_number_size * 0.4111, 2),
                     l=lay.left, r=lay.right)
    footer = ""  # odd pages right, even pages left (style:footer-left); a plain number centred on every page
    num = '<text:page-number text:select-page="current">1</text:page-number>'
    if lay.page_number == "dash":
        footer = (f'<style:footer><text:p text:style-name="PageNumR">— {num} —</text:p></style:footer>'
                  f'<style:footer-left><text:p text:style-name="PageNumL">— {num} —</text:p></style:footer-left>')
    elif lay.page_number == "plain":
        footer = f'<style:footer><text:p text:style-name="PageNum">{num}</text:p></style:footer>'
    master = ('<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">'
              f"{footer}</style:master-page></office:master-styles>")
    auto = ('<office:automatic-styles><style:page-layout style:name="pm1">' + grid
            + '<style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="7mm"/>'
            '</style:footer-style></style:page-layout>'
            + ('<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="156mm"/>'
               '</style:style><style:style style:name="TblCell" style:family="table-cell"><style:table-cell-properties '
               + ('fo:border-top="0.35mm solid #000000" fo:border-bottom="0.35mm solid #000000" ' if lay.banji_lines
                  else 'fo:border="none" ')
               + '/></style:style>') + "</office:automatic-styles>")
    out = []

    def p(style: str, text: str) -> None:
        out.append(f'<text:p text:style-name="{style}">{escape(text)}</text:p>')

    if c.layout_kind != "letter":
        p("Mark", c.mark)
    if c.number:
        p("Number", c.number)
    for t in c.title:
        p("Title", t)
    if c.recipients:
        p("Plain", c.recipients + "：")
    for t in c.body:
        p({1: "H1", 2: "H2"}.get(heading_level(t), "Body"), t)
    if c.attachments:
        p("Body", "附件：" + "；".join(c.attachments))
    if lay.blank_note:
        p("Body", "（此页无正文）")
    p("Sign", c.signature)
    p("Date", c.date)
    rows = ([c.cc_line()] if c.cc else []) + ([f"{c.printer}　　{c.date}印发"] if c.printer else [])
    if rows:
        out.append('<table:table table:name="Banji" table:style-name="Tbl"><table:table-column/>'
                   + "".join(f'<table:table-row><table:table-cell table:style-name="TblCell"><text:p '
                             f'text:style-name="Banji">{escape(r)}</text:p></table:table-cell></table:table-row>'
                             for r in rows) + "</table:table>")
    fodt = (FODT_HEAD + f"<office:font-face-decls>{decls}</office:font-face-decls>"
            f'<office:styles><style:style style:name="Standard" style:family="paragraph"/>{styles}</office:styles>'
            f"{auto}{master}<office:body><office:text>{''.join(out)}</office:text></office:body></office:document>")
    path.write_text(fodt, encoding="utf-8")


def convert_libreoffice(fodts: list[Path], outdir: Path) -> None:
    """One soffice run for all FODTs (a private profile, so a running LibreOffice does not interfere)."""
    if not fodts:
        return
    with tempfile.TemporaryDirectory(prefix="gw-lo-") as prof:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{prof}", "--headless", "--convert-to",
                        "docx:MS Word 2007 XML", "--outdir", str(outdir), *map(str, fodts)],
                       check=True, capture_output=True, timeout=600)


# ------------------------------------------------------------------------------------------------- pandoc
def pandoc_binary() -> str | None:
    """The pandoc that the `pypandoc-binary` wheel ships (bench/test extra), else one on PATH, else None."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


def pandoc_markdown(c: Content) -> str:
    """The 公文 as its author types it in Markdown: each element a paragraph in a named custom style (pandoc's
    `custom-style` divs), the body as plain paragraphs, 一、/（一） headings in styles of their own."""
    def div(style: str, text: str) -> str:
        return f'::: {{custom-style="{style}"}}\n{text}\n:::\n'

    out = [div("GWMark", c.mark)] if c.layout_kind != "letter" else []
    out += [div("GWNumber", c.number)] if c.number else []
    out += [div("GWTitle", t) for t in c.title]
    out += [div("GWPlain", c.recipients + "：")] if c.recipients else []
    for t in c.body:
        level = heading_level(t)
        out.append(div({1: "GWH1", 2: "GWH2"}[level], t) if level else t.replace("*", "\\*") + "\n")
    out += [div("GWSignature", c.signature), div("GWDate", c.date)]
    return "\n".join(out)


PANDOC_STYLE = ('<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{sid}"/>'
                '<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')


def pandoc_reference(c: Content, lay: Layout, base: Path, out: Path, *, heading_styles: bool = True) -> None:
    """A 公文 reference.docx, made from pandoc's default one as a user makes it in Word: A4 and the 版心's
    margins, the 22 × 28 grid, 仿宋_GB2312 3号 as the default font, styles for each element (the 署名 centred
    over a date 4 characters from the right), PAGE fields in odd/even footers. `heading_styles` False: the
    GWH1/GWH2 styles left undefined (pandoc then bases them on the body's style: 一、 not in 黑体)."""
    sig_right, date_right = signature_right_chars(c, lay)
    styles = {
        "GWMark": (f'<w:spacing w:before="{round(mark_before_mm(c, lay) * TW)}"/><w:jc w:val="center"/>',
                   rpr(lay.mark_font, 26, lay.mark_color)[7:-8]),
        "GWNumber": ('<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="4" w:color="FF0000"/></w:pBdr>'
                     '<w:spacing w:before="1158"/><w:jc w:val="center"/>', rpr(lay.number_font)[7:-8]),
        "GWTitle": (f'<w:jc w:val="{lay.title_align}"/>', rpr(lay.title_font, lay.title_size)[7:-8]),
        "GWPlain": ("", ""),
        "GWSignature": (f'<w:spacing w:before="1158"/><w:ind w:rightChars="{round(sig_right * 100)}"/>'
                        '<w:jc w:val="right"/>', ""),
        "GWDate": (f'<w:ind w:rightChars="{round(date_right * 100)}"/><w:jc w:val="right"/>', ""),
    }
    if heading_styles:
        styles["GWH1"] = ('<w:ind w:firstLineChars="200"/>', rpr(lay.heading_font)[7:-8])
        styles["GWH2"] = ('<w:ind w:firstLineChars="200"/>', rpr("楷体_GB2312")[7:-8])
    with zipfile.ZipFile(base) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    st = parts["word/styles.xml"].decode("utf-8")
    st = re.sub(r"<w:docDefaults>.*?</w:docDefaults>", (
        '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
        f'w:eastAsia="{lay.body_font}" w:cs="Times New Roman"/><w:sz w:val="{int(lay.body_size * 2)}"/>'
        f'<w:szCs w:val="{int(lay.body_size * 2)}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>'
        '</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault>'
        '</w:docDefaults>'), st, flags=re.S)
    for sid in ("BodyText", "FirstParagraph"):  # pandoc's body styles: no spacing, the first line indented
        st = re.sub(rf'(<w:style [^>]*w:styleId="{sid}">.*?)(<w:pPr>.*?</w:pPr>)?(\s*</w:style>)',
                    lambda m: m.group(1) + '<w:pPr><w:spacing w:before="0" w:after="0"/><w:ind w:firstLineChars="200"/>'
                    '</w:pPr>' + m.group(3), st, count=1, flags=re.S)
    st = st.replace("</w:styles>", "".join(PANDOC_STYLE.format(sid=k, ppr=v[0], rpr=v[1]) for k, v in styles.items())
                    + "</w:styles>")
    parts["word/styles.xml"] = st.encode("utf-8")
    doc = parts["word/document.xml"].decode("utf-8")
    footers = lay.page_number != "none"
    doc = re.sub(r"<w:sectPr>.*?</w:sectPr>", sect_pr(lay, footers), doc, flags=re.S)
    parts["word/document.xml"] = doc.encode("utf-8")
    if footers:
        parts["word/footer1.xml"] = footer_xml(lay, True, "Footer").encode("utf-8")
        parts["word/footer2.xml"] = footer_xml(lay, False, "Footer").encode("utf-8")
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
        parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].decode("utf-8").replace(
            "</Relationships>", f'<Relationship Type="{rel}" Id="rIdF1" Target="footer1.xml"/>'
            f'<Relationship Type="{rel}" Id="rIdF2" Target="footer2.xml"/></Relationships>').encode("utf-8")
        ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].decode("utf-8").replace(
            "</Types>", f'<Override PartName="/word/footer1.xml" ContentType="{ct}"/>'
            f'<Override PartName="/word/footer2.xml" ContentType="{ct}"/></Types>').encode("utf-8")
        parts["word/settings.xml"] = parts["word/settings.xml"].decode("utf-8").replace(
            "<w:zoom ", "<w:evenAndOddHeaders/><w:zoom ", 1).encode("utf-8")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def make_pandoc(c: Content, lay: Layout | None, path: Path, *, pandoc: str, heading_styles: bool = True) -> None:
    """Markdown → DOCX by pandoc, with a 公文 reference.docx (`lay`) or pandoc's own default one (`lay` None)."""
    with tempfile.TemporaryDirectory(prefix="gw-pandoc-") as tmp:
        md = Path(tmp) / "doc.md"
        md.write_text(pandoc_markdown(c), encoding="utf-8")
        base = Path(tmp) / "default.docx"
        subprocess.run([pandoc, "-o", str(base), "--print-default-data-file", "reference.docx"], check=True,
                       timeout=60)
        args = [pandoc, str(md), "-f", "markdown", "-t", "docx", "-o", str(path)]
        if lay is not None:
            ref = Path(tmp) / "reference.docx"
            pandoc_reference(c, lay, base, ref, heading_styles=heading_styles)
            args.append(f"--reference-doc={ref}")
        subprocess.run(args, check=True, capture_output=True, timeout=120)


# pandoc's default reference.docx as read from its XML (pandoc 3.x): a sectPr without pgSz or pgMar (the
# application's default paper and margins apply, not A4 and the 版心), no docGrid, Normal with 10 pt after,
# Body Text 9 pt before and after, the theme's 等线 (minor) and 等线 Light (major) as East Asian faces at 12 pt,
# no footers. Every element of the draft is an unformatted custom style based on Normal.
PANDOC_DEFAULT_DEVIATIONS = (
    ("page.size", "no pgSz: the application's default paper, not A4"),
    ("page.margins", "no pgMar: the application's default margins"),
    ("page.grid", "no docGrid, 10 pt after each paragraph"),
    ("page.number", "no footers, no page numbers"),
    ("signature.date_layout", "成文日期 flush left"),
)
# what an unformatted draft shows whatever made it: the default face and size on every element, no red
DRAFT_DEVIATIONS = (
    ("mark.color", "发文机关标志 black (the default style)"),
    ("mark.font", "发文机关标志 in the default face"),
    ("mark.position", "发文机关标志 on the first line of the type area"),
    ("title.font", "title in the default face"),
    ("title.size", "title 12 pt"),
    ("title.align", "title flush left"),
    ("body.font", "body in the default face"),
    ("body.size", "body 12 pt"),
)


def draft_consequences(c: Content, where: str, face: str, banji: bool = False) -> list[dict]:
    """An unformatted draft's headings not in 黑体/楷体, and what follows from its one face and size."""
    out = [{"rule": "heading.font", "where": where, "note": f"一、/（一） headings in {face}, not 黑体/楷体"}] \
        if any(heading_level(t) for t in c.body) else []
    return out + [{"rule": r, "where": "body_font", "note": n, "optional": True} for r, n in (
        ("number.font", f"发文字号 in the body's {face}"), ("number.size", "发文字号 in the body's 12 pt"),
        ("signature", f"署名/成文日期 in the body's {face} 12 pt"),
        *((("banji.font", f"版记 in the body's {face}"),) if banji else ()))]


def pandoc_default_deviations(c: Content) -> list[dict]:
    """pandoc's default reference.docx (see PANDOC_DEFAULT_DEVIATIONS): the theme's 等线 at 12 pt."""
    where = "pandoc default reference.docx"
    return [{"rule": r, "where": where, "note": n.replace("the default face", "the theme's 等线")}
            for r, n in PANDOC_DEFAULT_DEVIATIONS + DRAFT_DEVIATIONS] + draft_consequences(c, where, "等线")


# ------------------------------------------------------------------------------ LibreOffice Writer defaults
def make_fodt_plain(c: Content, path: Path) -> None:
    """A 公文 typed into LibreOffice Writer without touching a style: every element a paragraph in the default
    paragraph style, the page as Writer's default page style has it (the 版记 typed as two more paragraphs)."""
    paras = ([c.mark] if c.layout_kind != "letter" else []) + ([c.number] if c.number else []) + c.title + \
        ([c.recipients + "："] if c.recipients else []) + c.body + [c.signature, c.date] + \
        ([c.cc_line()] if c.cc else []) + ([f"{c.printer}　　{c.date}印发"] if c.printer else [])
    path.write_text(FODT_HEAD + "<office:body><office:text>" + "".join(
        f"<text:p>{escape(t)}</text:p>" for t in paras) + "</office:text></office:body></office:document>",
        encoding="utf-8")


def lo_default_deviations(c: Content, docx: Path) -> list[dict]:
    """Writer's defaults as read from the DOCX it wrote: the page size and margins of its sectPr (they follow
    the locale), no grid, no footers, its default face (Noto Serif CJK SC here) at 12 pt, everything flush left."""
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    size = dict(re.findall(r'w:([wh])="(\d+)"', re.search(r"<w:pgSz [^>]*>", xml).group(0)))
    mar = dict(re.findall(r'w:(top|bottom|left|right)="(\d+)"', re.search(r"<w:pgMar [^>]*>", xml).group(0)))
    where = "LibreOffice Writer's defaults"
    out = []
    if abs(int(size["w"]) / TW - 210) > 1 or abs(int(size["h"]) / TW - 297) > 1:
        out.append(("page.size", f"page {int(size['w']) / TW:.0f} × {int(size['h']) / TW:.0f} mm"))
    if any(abs(int(mar[k]) / TW - getattr(STD, k)) > 1 for k in ("top", "bottom", "left", "right")):
        out.append(("page.margins", "margins " + "/".join(f"{int(mar[k]) / TW:.0f}" for k in ("top", "bottom", "left",
                                                                                                "right")) + " mm"))
    out += [("page.grid", "no document grid, single spacing at 12 pt"), ("page.number", "no footers")]
    out += [(r, n) for r, n in DRAFT_DEVIATIONS if not r.startswith("page.")]
    out += [("signature.date_layout", "成文日期 flush left")]
    if c.cc or c.printer:
        out += [("banji.size", "版记 12 pt"), ("banji.lines", "版记 typed as paragraphs, no lines")]
    anns = [{"rule": r, "where": where, "note": n} for r, n in out]
    return anns + draft_consequences(c, where, "Noto Serif CJK SC", banji=bool(c.cc or c.printer))


# ---------------------------------------------------------------------------------------------------- PDFs
# Benchmark DOCX files printed to PDF by LibreOffice: what their deviations look like on paper.
PDF_SOURCES = ("word_yijian_clean", "wps_tongzhi_clean", "pydocx_clean", "lo_yijian_clean", "pandoc_yijian_clean",
               "word_letter_size", "wps_mark_black", "pydocx_mark_black", "word_title_size_18", "pydocx_title_left",
               "wps_body_size_14", "wps_no_pagenum", "word_pagenum_plain", "pydocx_pagenum_small", "wps_banji_16",
               "word_banji_no_lines", "pydocx_blank_note", "word_number_square_brackets", "wps_date_chinese",
               "lo_number_leading_zero", "lo_mark_black", "pandoc_default_yijian", "pandoc_no_footer")
# What a PDF printed here cannot show, so neither its annotation nor the checker's alarms count for it: the
# faces (this machine has no 仿宋_GB2312 / 小标宋 / 黑体 / 楷体, so LibreOffice prints Noto and DejaVu faces:
# every *.font rule); the character grid and margins (LibreOffice sets Word's 28-character grid, a 15.8 pt
# cell narrower than a 16 pt glyph, as two cells a glyph: 14 or 18 characters a line, text edges pushed in);
# the mark's place (the PDF shows the ink, a DOCX the line box; a 26 pt line snapped to two grid lines prints
# 6 mm lower); the seal space (measured on those lines); 份号/密级/紧急程度 and the 信函 lines (not read from PDFs).
PDF_UNSCORED = ("page.grid", "page.margins", "page.number.font", "mark.font", "mark.position", "mark.double_line",
                "mark.secrecy", "mark.urgency", "number.copy", "number.font", "title.font", "body.font",
                "heading.font", "signature.font", "signature.seal_space", "banji.font", "attachment.font")


def annotation_name(file: str) -> str:
    """NAME.json beside NAME.docx; NAME.pdf.json beside a PDF printed from it (both may sit in one folder)."""
    return file[:-len(".docx")] + ".json" if file.endswith(".docx") else file + ".json"


def pdf_annotation(ann: dict) -> dict:
    """The annotation of a DOCX carried over to its PDF: the deviations a PDF can show, the rest unscored."""
    def unscored(rule: str) -> bool:  # "signature" (the body's face repeated in it) is font or size: not scored
        return rule == "signature" or any(rule == u or rule.startswith(u + ".") for u in PDF_UNSCORED)

    keep = [d for d in ann["deviations"] if not unscored(d["rule"])]
    return {**ann, "file": ann["file"].replace(".docx", ".pdf"), "format": "pdf", "source": ann["file"],
            "deviations": keep, "unscored": list(PDF_UNSCORED),
            "note": (ann.get("note", "") + "; " if ann.get("note") else "") + "printed to PDF by LibreOffice"}


def export_pdfs(out: Path, anns: list[dict]) -> list[dict]:
    """Print PDF_SOURCES to PDF with LibreOffice; their annotations carried over (pdf_annotation)."""
    by_file = {a["file"]: a for a in anns}
    sources = [out / f"{n}.docx" for n in PDF_SOURCES if f"{n}.docx" in by_file]
    if not sources:
        return []
    with tempfile.TemporaryDirectory(prefix="gw-lo-") as prof:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{prof}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), *map(str, sources)], check=True, capture_output=True, timeout=600)
    return [pdf_annotation(by_file[p.name]) for p in sources if p.with_suffix(".pdf").is_file()]


def control_scan(path: Path, lines: list[str]) -> None:
    """A scanned 公文: the page as an image only (no text layer), drawn into a PDF by reportlab."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    draw = ImageDraw.Draw(img)
    font = next((ImageFont.truetype(f, 34) for f in ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
                                                      "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
                 if Path(f).is_file()), ImageFont.load_default())
    for k, t in enumerate(lines):
        draw.text((165, 220 + k * 60), t[:28], fill=0, font=font)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(img), 0, 0, *A4)
    c.showPage()
    c.save()


# ------------------------------------------------------------------------------------------------ controls
def control_style_test(path: Path) -> None:
    """A style test page as people make to try fonts: headings, sample lines, no 公文 elements."""
    import docx
    from docx.shared import Pt

    d = docx.Document()
    d.add_heading("字体与样式测试页", 0)
    for font in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        d.add_heading(font, 1)
        r = d.add_paragraph().add_run(f"{font} 三号：政务服务便民热线，123 ABC。")
        r.font.name, r.font.size = font, Pt(16)
    d.add_paragraph("列表一", style="List Bullet")
    d.add_paragraph("列表二", style="List Number")
    d.save(str(path))


def control_text(path: Path, title: str, paras: list[str]) -> None:
    """A non-公文 text (a law, a service guide) written to DOCX with python-docx's defaults."""
    import docx

    d = docx.Document()
    d.add_heading(title, 1)
    for t in paras:
        d.add_paragraph(t)
    d.save(str(path))


# ---------------------------------------------------------------------------------------------- the set
def load(path: Path) -> dict[str, dict]:
    recs = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return {r["doc_number"]: r for r in recs}


def build(docs: Path, corpus: Path, out: Path, libreoffice: bool = True) -> list[dict]:
    """Write every document and its annotation into `out`; return the annotations."""
    recs = load(docs)
    out.mkdir(parents=True, exist_ok=True)
    anns: list[dict] = []
    fodts: list[tuple[Path, dict]] = []

    def emit(name: str, producer: str, c: Content, lay: Layout, maker, note: str = "", **kw) -> None:  # noqa: ANN001
        has_banji = bool(c.cc or c.printer)
        devs = deviations(lay, bool(c.number), has_banji, sig_size=producer != "word",
                          spaced=kw.get("template_spacing", False), letter=c.layout_kind == "letter") + c.text_deviations
        ann = {"file": f"{name}.docx", "producer": producer, "is_gongwen": True, "doc_type": c.doc_type,
               "deviations": devs}
        if note:
            ann["note"] = note
        if producer == "libreoffice":
            fodt = out / f"{name}.fodt"
            make_fodt(c, lay, fodt)
            fodts.append((fodt, ann))
            return
        maker(c, lay, out / ann["file"], **kw)
        anns.append(ann)

    yijian = content_from(recs["国发〔2019〕5号"], max_body=12)
    tongzhi = content_from(recs["国办发〔2019〕3号"], max_body=12)
    jueding = content_from(recs["国发〔2018〕44号"])
    pifu = content_from(recs["国函〔2018〕144号"])
    two_line = content_from(recs["国办发〔2018〕129号"], title_lines=2, max_body=10)
    placeholder = replace(content_from(recs["国办发〔2018〕109号"]), number="国办发〔2018〕XX号")
    bare_number = replace(content_from(recs["国发〔2018〕41号"], max_body=10), number="〔2018〕41号")
    order = content_from(recs["国令第707号"], max_body=8)
    letter = content_from(recs["国办函〔2004〕25号"], max_body=8)
    minutes = content_from(recs["国办发〔2018〕108号"], doc_type="纪要", max_body=10)
    minutes = replace(minutes, number="", recipients="")
    three_line = content_from(recs["国办发〔2018〕118号"], title_lines=3, max_body=8)
    dated_sig = replace(content_from(recs["国办发〔2019〕6号"], max_body=10), date_in_signature=True)

    # Word (raw XML)
    emit("word_yijian_clean", "word", yijian, STD, make_word)
    emit("word_theme_body_clean", "word", tongzhi, STD, make_word,
         "body font only through the theme's Hans face (仿宋_GB2312)", normal_font=False, hans="仿宋_GB2312")
    emit("word_theme_body_dengxian", "word", tongzhi, replace(STD, body_font="等线"), make_word,
         "Normal without an East Asian font: the theme's 等线 applies", normal_font=False, hans="等线")
    emit("word_jueding_clean", "word", jueding, STD, make_word)
    emit("word_two_line_title", "word", two_line, STD, make_word, "title on two lines")
    emit("word_title_font_song", "word", pifu, replace(STD, title_font="宋体"), make_word)
    emit("word_title_size_18", "word", yijian, replace(STD, title_size=18), make_word)
    emit("word_margins_default", "word", tongzhi, replace(STD, top=25.4, bottom=25.4, left=31.8, right=31.8),
         make_word, "Word's default margins")
    emit("word_no_grid", "word", jueding, replace(STD, grid=False), make_word)
    emit("word_pagenum_plain", "word", pifu, replace(STD, page_number="plain"), make_word)
    emit("word_placeholder_number", "word", placeholder, STD, make_word, "placeholder 发文字号")
    emit("word_letter_size", "word", jueding, replace(STD, page_w=215.9, page_h=279.4), make_word,
         "US Letter page, GB/T 9704 margins")
    emit("word_banji_no_lines", "word", yijian, replace(STD, banji_lines=False), make_word)
    emit("word_blank_note", "word", pifu, replace(STD, blank_note=True), make_word)
    emit("word_mark_c00000", "word", tongzhi, replace(STD, mark_color="C00000"), make_word, "dark red C00000")
    emit("word_heading_kaiti", "word", yijian, replace(STD, heading_font="楷体_GB2312"), make_word)
    emit("word_english_font_names", "word", two_line, replace(STD, body_font="FangSong_GB2312", heading_font="SimHei",
                                                              title_font="FZXiaoBiaoSong-B05S", mark_font="FZXiaoBiaoSong-B05S",
                                                              number_font="FangSong_GB2312"),
         make_word, "fonts under their English names, as Word on an English system writes them")
    # WPS (raw XML)
    wps_std = replace(STD, mark_font="FZXiaoBiaoSong-B05S", title_font="FZXiaoBiaoSong-B05S")
    emit("wps_yijian_clean", "wps", yijian, wps_std, make_wps, "mark in a red text box")
    emit("wps_tongzhi_clean", "wps", tongzhi, replace(wps_std, mark_color="E60012"), make_wps,
         "WPS template red E60012")
    emit("wps_minutes", "wps", minutes, wps_std, make_wps, "纪要 without 发文字号 or 主送 (real text laid out as 纪要)")
    emit("wps_order", "wps", order, wps_std, make_wps, "命令 with 令号")
    emit("wps_letter", "wps", letter, wps_std, make_letter_wps, "函 in the 信函 layout")
    emit("wps_bare_number", "wps", bare_number, wps_std, make_wps, "发文字号 without 机关代字")
    emit("wps_date_in_signature", "wps", dated_sig, wps_std, make_wps, "署名 and 成文日期 in one paragraph")
    emit("wps_mark_black", "wps", yijian, replace(wps_std, mark_color="000000"), make_wps)
    emit("wps_mark_heiti", "wps", tongzhi, replace(wps_std, mark_font="黑体"), make_wps)
    emit("wps_body_song", "wps", jueding, replace(wps_std, body_font="宋体"), make_wps)
    emit("wps_body_size_14", "wps", pifu, replace(wps_std, body_size=14), make_wps)
    emit("wps_heading_fangsong", "wps", yijian, replace(wps_std, heading_font="仿宋_GB2312"), make_wps)
    emit("wps_number_song", "wps", tongzhi, replace(wps_std, number_font="宋体"), make_wps)
    emit("wps_no_pagenum", "wps", pifu, replace(wps_std, page_number="none"), make_wps)
    emit("wps_banji_16", "wps", yijian, replace(wps_std, banji_size=16), make_wps)
    emit("wps_mark_top", "wps", jueding, replace(wps_std, mark_space=False), make_wps)
    emit("wps_three_line_title", "wps", three_line, wps_std, make_wps, "title on three lines")
    emit("wps_pagenum_plain", "wps", tongzhi, replace(wps_std, page_number="plain"), make_wps)
    emit("wps_title_kaiti_20", "wps", pifu, replace(wps_std, title_font="楷体_GB2312", title_size=20), make_wps)
    # python-docx
    emit("pydocx_clean", "python-docx", tongzhi, STD, make_python_docx)
    emit("pydocx_jueding_clean", "python-docx", jueding, STD, make_python_docx)
    emit("pydocx_no_grid_no_pagenum", "python-docx", pifu, replace(STD, grid=False, page_number="none"),
         make_python_docx, "python-docx defaults: its own grid, no footers")
    emit("pydocx_title_left", "python-docx", yijian, replace(STD, title_align="left"), make_python_docx)
    emit("pydocx_body_14_song", "python-docx", two_line, replace(STD, body_font="宋体", body_size=14),
         make_python_docx)
    emit("pydocx_pagenum_small", "python-docx", jueding, replace(STD, page_number_size=10.5), make_python_docx)
    emit("pydocx_blank_note", "python-docx", yijian, replace(STD, blank_note=True), make_python_docx)
    emit("pydocx_mark_black", "python-docx", jueding, replace(STD, mark_color="000000"), make_python_docx)
    emit("pydocx_template_spacing", "python-docx", yijian, STD, make_python_docx,
         "the template's 1.15 line spacing and 10 pt after left in place", template_spacing=True)
    # deviations written into the text, one per producer
    emit("word_number_square_brackets", "word", text_deviation(
        yijian, "number.brackets", "发文字号 with [ ] instead of 〔 〕", number="国发[2019]5号"), STD, make_word)
    emit("wps_date_chinese", "wps", text_deviation(
        tongzhi, "date", "成文日期 and 印发日期 in Chinese numerals", date=chinese_date(tongzhi.date)), wps_std, make_wps)
    emit("pydocx_cc_no_full_stop", "python-docx", text_deviation(
        yijian, "cc.full_stop", "抄送 list without its final 。", cc_stop=False), STD, make_python_docx)
    # GB/T 9704 elements checked since the third round: 份号/密级/紧急程度, page-number place, seal space, 信函 lines
    flags_note = "份号, 密级和保密期限 and 紧急程度 added to a public text (adaptation: the data carries none)"
    emit("wps_flags_clean", "wps", tongzhi, replace(wps_std, flags=True), make_wps, flags_note)
    emit("word_flags_body_style", "word", jueding, replace(STD, flags=True, flag_indent=True), make_word,
         flags_note + "; set in the body style, which indents the first line")
    emit("pydocx_flags_fangsong", "python-docx", pifu, replace(STD, flags=True, flag_font="仿宋_GB2312"),
         make_python_docx, flags_note + "; 密级 and 紧急程度 left in the body's 仿宋")
    emit("wps_pagenum_no_indent", "wps", jueding, replace(wps_std, page_number_indent=False), make_wps)
    emit("pydocx_footer_template", "python-docx", tongzhi, replace(STD, footer_mm=12.7), make_python_docx,
         "the template's footer distance (12.7 mm) left in place")
    emit("word_signature_flush", "word", tongzhi, replace(STD, seal="flush"), make_word)
    emit("wps_letter_short_lines", "wps", letter, replace(wps_std, letter_line_mm=156), make_letter_wps,
         "函 in the 信函 layout, its double lines as wide as the type area (156 mm)")
    # LibreOffice (FODT → DOCX)
    if libreoffice and shutil.which("soffice"):
        emit("lo_yijian_clean", "libreoffice", yijian, STD, None)
        emit("lo_pifu_clean", "libreoffice", pifu, STD, None)
        emit("lo_title_heiti", "libreoffice", jueding, replace(STD, title_font="黑体"), None)
        emit("lo_margins_20", "libreoffice", tongzhi, replace(STD, top=20, bottom=20, left=20, right=20), None)
        emit("lo_no_grid_plain_pagenum", "libreoffice", pifu, replace(STD, grid=False, page_number="plain"), None)
        emit("lo_mark_black", "libreoffice", yijian, replace(STD, mark_color="000000"), None)
        emit("lo_heading_song_number_heiti", "libreoffice", yijian, replace(STD, heading_font="宋体", number_font="黑体"),
             None)
        emit("lo_letter_size", "libreoffice", pifu, replace(STD, page_w=215.9, page_h=279.4), None)
        emit("lo_banji_no_lines_blank_note", "libreoffice", tongzhi, replace(STD, banji_lines=False, blank_note=True),
             None)
        emit("lo_body_kaiti", "libreoffice", jueding, replace(STD, body_font="楷体_GB2312"), None)
        emit("lo_signature_flush", "libreoffice", pifu, replace(STD, seal="flush"), None)
        plain = []
        for name, c in (("lo_default_tongzhi", tongzhi), ("lo_default_jueding", jueding)):
            make_fodt_plain(c, out / f"{name}.fodt")
            plain.append((name, c))
        emit("lo_number_leading_zero", "libreoffice", text_deviation(
            tongzhi, "number.leading_zero", "序号 with a leading zero", number="国办发〔2019〕03号"), STD, None)
        convert_libreoffice([f for f, _ in fodts] + [out / f"{n}.fodt" for n, _ in plain], out)
        for name, c in plain:
            (out / f"{name}.fodt").unlink()
            anns.append({"file": f"{name}.docx", "producer": "libreoffice", "is_gongwen": True, "doc_type": c.doc_type,
                         "deviations": lo_default_deviations(c, out / f"{name}.docx"),
                         "note": "typed into LibreOffice Writer with its default styles and page"})
        for fodt, ann in fodts:
            fodt.unlink()
            if (out / ann["file"]).is_file():
                anns.append(ann)
    laws = [json.loads(x) for x in (corpus / "laws" / "laws.jsonl").open(encoding="utf-8").readlines()[:40]]
    law = next(x for x in laws if len(x.get("text") or x.get("content") or "") > 800)
    law_text = law.get("text") or law.get("content")
    # pandoc (Markdown → DOCX): with a 公文 reference.docx, and with pandoc's default one (the unformatted draft)
    pandoc = pandoc_binary()
    if pandoc is None:
        print("pandoc not found (pip install pypandoc-binary): the pandoc documents are left out", file=sys.stderr)
    else:
        baogao = content_from(recs["国办发〔2019〕3号"], max_body=10)
        for name, c, lay, kw, note in (
                ("pandoc_yijian_clean", yijian, STD, {}, "公文 reference.docx"),
                ("pandoc_jueding_clean", jueding, STD, {}, "公文 reference.docx"),
                ("pandoc_pifu_clean", pifu, STD, {}, "公文 reference.docx"),
                ("pandoc_placeholder_clean", placeholder, STD, {}, "公文 reference.docx, placeholder 发文字号"),
                ("pandoc_headings_unstyled", tongzhi, replace(STD, heading_font="仿宋_GB2312"),
                 {"heading_styles": False}, "公文 reference.docx without heading styles: 一、 in the body's 仿宋"),
                ("pandoc_no_footer", two_line, replace(STD, page_number="none"), {}, "reference.docx without footers"),
                ("pandoc_title_heiti_margins", baogao, replace(STD, title_font="黑体", left=25, right=25), {},
                 "公文 reference.docx with a 黑体 title and 25 mm side margins")):
            make_pandoc(c, lay, out / f"{name}.docx", pandoc=pandoc, **kw)
            devs = deviations(lay, bool(c.number), False) + c.text_deviations
            anns.append({"file": f"{name}.docx", "producer": "pandoc", "is_gongwen": True, "doc_type": c.doc_type,
                         "deviations": devs, "note": note})
        control_md = out / "control_pandoc_law.md"
        other = next(x for x in laws if x is not law and len(x.get("text") or x.get("content") or "") > 800)
        other_text = other.get("text") or other.get("content")
        control_md.write_text(f"# {other['title']}\n\n" + "\n\n".join(
            [t.strip() for t in other_text.splitlines() if t.strip()][:30]), encoding="utf-8")
        subprocess.run([pandoc, str(control_md), "-o", str(out / "control_pandoc_law.docx")], check=True, timeout=120)
        control_md.unlink()
        anns.append({"file": "control_pandoc_law.docx", "producer": "pandoc", "is_gongwen": False, "doc_type": None,
                     "deviations": [], "note": "a law's text in Markdown, pandoc's defaults"})
        for name, c in (("pandoc_default_yijian", yijian), ("pandoc_default_pifu", pifu),
                        ("pandoc_default_order", order)):
            make_pandoc(c, None, out / f"{name}.docx", pandoc=pandoc)
            anns.append({"file": f"{name}.docx", "producer": "pandoc", "is_gongwen": True, "doc_type": c.doc_type,
                         "deviations": pandoc_default_deviations(c),
                         "note": "pandoc's default reference.docx: the draft before any formatting"})
    # controls: not 公文
    control_text(out / "control_law.docx", law["title"], [t for t in law_text.splitlines() if t.strip()][:30])
    guide = json.loads((corpus / "services" / "service_guides.jsonl").open(encoding="utf-8").readline())
    guide_paras = [f"{k}：{v}" for k, v in guide.items() if isinstance(v, str) and v.strip()][:20]
    control_text(out / "control_service_guide.docx", guide.get("title") or guide.get("name") or "办事指南", guide_paras)
    control_style_test(out / "control_style_test.docx")
    notes = (ROOT / "tests" / "writing" / "fixtures" / "kindergarten_meeting_transcript.txt").read_text(encoding="utf-8")
    control_text(out / "control_meeting_notes.docx", "会议记录", [t for t in notes.splitlines() if t.strip()][:25])
    for name, note in (("control_law", "a law's text (no 发文字号, 主送 or 版头)"),
                       ("control_meeting_notes", "meeting notes (sentences of 国办发〔2019〕3号, see the fixture's SOURCE.md)"),
                       ("control_service_guide", "a 办事指南"), ("control_style_test", "a font/style test page")):
        anns.append({"file": f"{name}.docx", "producer": "python-docx", "is_gongwen": False, "doc_type": None,
                     "deviations": [], "note": note})
    if libreoffice and shutil.which("soffice"):
        anns += export_pdfs(out, anns)
    scan_lines = [yijian.mark, yijian.number, *yijian.title, yijian.recipients + "：", *yijian.body[:20]]
    control_scan(out / "control_scan.pdf", scan_lines)
    anns.append({"file": "control_scan.pdf", "producer": "reportlab", "format": "pdf", "is_gongwen": False,
                 "doc_type": None, "deviations": [], "expect_error": "pdf_scanned",
                 "note": "a scanned 公文 (国发〔2019〕5号's first page as an image, no text layer): must be refused as a scan"})
    for ann in anns:  # the held-out part: producers kept out of the checker's tuning
        ann["split"] = "check" if ann["producer"] in CHECK_PRODUCERS or ann.get("split") == "check" else "dev"
    for ann in anns:
        (out / annotation_name(ann["file"])).write_text(json.dumps(ann, ensure_ascii=False, indent=1) + "\n",
                                                            encoding="utf-8")
    return anns


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=Path, default=SHARED / "eval" / "official_docs" / "state_council_2018_2019.jsonl")
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "docs")
    ap.add_argument("--no-libreoffice", action="store_true")
    a = ap.parse_args()
    anns = build(a.docs, a.corpus, a.out, libreoffice=not a.no_libreoffice)
    print(f"{len(anns)} documents in {a.out}")


if __name__ == "__main__":
    main()
