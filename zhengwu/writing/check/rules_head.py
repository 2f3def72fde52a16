"""Rules on the 版头: 份号, 密级和保密期限, 紧急程度; the 发文机关标志 (colour, font, position; the 信函's double
lines) and the 发文字号's font and size.

Sources: GB/T 9704-2012 §7.2.1 (份号: six Arabic numerals in 3号, flush left on the first line), §7.2.2
(密级和保密期限: 3号黑体, flush left on the second line, ★ between them), §7.2.3 (紧急程度: 3号黑体, flush left;
标志: red, 小标宋 recommended, its top edge 35 mm below the top of the 版心), §7.2.4 (发文字号 3号仿宋, like every
element not stated otherwise, §5.2.2), §10.1 (信函: the mark 30 mm from the top of the page; a red double line,
thick above thin, under it and one thin above thick 20 mm above the page's bottom edge, both 170 mm long),
§10.2 (命令: 20 mm below the top of the 版心). Colour is judged by hue (faces.is_red).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from zhengwu.writing.check.context import Context, violation
from zhengwu.writing.check.elements import flag_kind
from zhengwu.writing.check.faces import family
from zhengwu.writing.check.model import Violation
from zhengwu.writing.check.rules_layout import BODY_PT, TOL_PT, body_face, first_run

MARK_TOP_MM = {"order": 20.0, "letter": 30.0 - 37.0}  # below the top of the 版心; the rest 35 mm
MARK_TOP_DEFAULT_MM = 35.0
MARK_TOL_MM = 4.0  # the reader places the mark from line heights, as Word lays them out, give or take
LETTER_LINE_MM, LETTER_LINE_TOL_MM = 170.0, 4.0
LETTER_BOTTOM_MM, LETTER_BOTTOM_TOL_MM = 20.0, 4.0
FLAGS = {"copy": ("number.copy", "份号", "the copy number (份号)"),
         "secrecy": ("mark.secrecy", "密级和保密期限", "the classification (密级和保密期限)"),
         "urgency": ("mark.urgency", "紧急程度", "the urgency (紧急程度)")}
FLAG_ORDER = ("copy", "secrecy", "urgency")


def layout(ctx: Context) -> str:
    """The layout the document is in: its mark says it first (…令 → 命令, …文件/…纪要 → 文件/纪要, even for a
    函 sent as a 文件; a mark in the first page's header → 信函), else the 文种's registered layout."""
    mark = ctx.at(ctx.el.mark)
    text = mark.text.replace(" ", "") if mark is not None else ""
    if text.endswith("令"):
        return "order"
    if text.endswith("纪要"):
        return "minutes"
    if text.endswith("文件"):
        return "file"
    if mark is not None and mark.location == "first-page header":
        return "letter"
    return ctx.doctype.layout if ctx.doctype else "file"


def mark_color(ctx: Context) -> Iterator[Violation]:
    ln = ctx.at(ctx.el.mark)
    if ln is not None and not ln.red:
        yield violation("mark.color", "发文机关标志应为红色", "the issuing authority's mark (发文机关标志) must be red", ln)


def mark_font(ctx: Context) -> Iterator[Violation]:
    ln = ctx.at(ctx.el.mark)
    run = first_run(ln) if ln is not None else None
    if run is not None and run.font and family(run.font) != "小标宋":
        yield violation("mark.font", f"发文机关标志应用小标宋体（现为 {run.font}）",
                        f"the issuing authority's mark must be set in 小标宋 (found {run.font})", ln)


def mark_position(ctx: Context) -> Iterator[Violation]:
    ln = ctx.at(ctx.el.mark)
    if ln is None or ln.top_mm is None:
        return
    want = MARK_TOP_MM.get(layout(ctx), MARK_TOP_DEFAULT_MM)
    # a bare agency name (no 文件/纪要/令) is the mark of a 文件 or of a 信函: either place is right then
    bare = not ln.text.replace(" ", "").endswith(("文件", "纪要", "令")) and layout(ctx) in ("file", "letter")
    wants = (want, MARK_TOP_MM["letter"], MARK_TOP_DEFAULT_MM) if bare else (want,)
    if all(abs(ln.top_mm - x) > MARK_TOL_MM for x in wants):
        page = want + (ctx.doc.sections[0].top if ctx.doc.sections else 37.0)
        yield violation("mark.position", f"发文机关标志上边缘应距页面上边 {page:.0f} 毫米（版心下 {want:.0f} 毫米），"
                        f"现约为 {ln.top_mm:.0f} 毫米（版心下）",
                        f"the mark's top edge must be {want:.0f} mm below the top of the type area; found about "
                        f"{ln.top_mm:.0f} mm", ln)


def number_font(ctx: Context) -> Iterator[Violation]:
    """The 发文字号 in 3号仿宋 (the 签发人 name on the same line is 楷体 and not judged here); a face it shares
    with a wrongly set body is the body's deviation (body_face)."""
    ln = ctx.at(ctx.el.number)
    run = first_run(ln) if ln is not None else None
    if run is None:
        return
    body_family, body_size = body_face(ctx)
    if run.font and family(run.font) not in ("仿宋", body_family):
        yield violation("number.font", f"发文字号应用仿宋（现为 {run.font}）",
                        f"the document number must be set in 仿宋 (found {run.font})", ln)
    if run.size and abs(run.size - BODY_PT) > TOL_PT and run.size != body_size:
        yield violation("number.size", f"发文字号字号应为3号（16磅），现为 {run.size:g} 磅",
                        f"the document number must be 16 pt (3号), found {run.size:g} pt", ln)


def number_signer_font(ctx: Context) -> Iterator[Violation]:
    """签发人 names (after "签发人：") in 楷体 (§7.2.5)."""
    ln = ctx.at(ctx.el.number)
    if ln is None or "签发人" not in ln.text:
        return
    seen = ""
    for run in ln.runs:
        if "签发人" in seen and re.search(r"[：:]", seen) and run.text.strip() and run.font:
            if family(run.font) != "楷体":
                yield violation("number.signer_font", f"签发人姓名应用楷体（现为 {run.font}）",
                                f"the signer's name must be set in 楷体 (found {run.font})", ln)
            return
        seen += run.text
        if "签发人" in seen and re.search(r"[：:]\s*\S", seen.split("签发人", 1)[1]):
            return  # the name shares the label's run: one font for both, judged as the number's


def flags(ctx: Context) -> Iterator[Violation]:
    """份号 (six Arabic numerals), 密级和保密期限 (★ between level and term) and 紧急程度, in this order, each on
    its own line flush left at the top; in a formatted document 3号, the 密级 and 紧急程度 in 黑体. Absent
    elements are not required (most 公文 carry none of them)."""
    last = -1
    for k in ctx.el.flags:
        ln = ctx.lines[k]
        kind = flag_kind(ln.text)
        if kind is None:
            continue
        rule, name_zh, name_en = FLAGS[kind]
        text = re.sub(r"\s", "", ln.text)
        zh, en = [], []
        if kind == "copy" and not re.fullmatch(r"\d{6}", text):
            zh.append(f"应为6位阿拉伯数字（现为“{text}”）")
            en.append(f"six Arabic numerals (found '{text}')")
        if kind == "secrecy" and re.search(r"\d", text) and "★" not in text:
            zh.append("密级和保密期限之间应用“★”隔开")
            en.append("a ★ between the level and the term")
        if FLAG_ORDER.index(kind) < last:
            zh.append("次序应为份号、密级和保密期限、紧急程度")
            en.append("the order is 份号, 密级和保密期限, 紧急程度")
        last = max(last, FLAG_ORDER.index(kind))
        run = first_run(ln)
        if ctx.formatted and run is not None:
            if run.size and abs(run.size - BODY_PT) > TOL_PT:
                zh.append(f"应用3号字（现为 {run.size:g} 磅）")
                en.append(f"16 pt (3号), found {run.size:g} pt")
            if kind != "copy" and run.font and family(run.font) != "黑体":
                zh.append(f"应用黑体（现为 {run.font}）")
                en.append(f"黑体, found {run.font}")
            size = run.size or BODY_PT
            if ln.align in ("center", "right", "end", "distribute") or \
                    ln.indent_left + max(ln.indent_first, 0.0) > size / 2:
                zh.append("应顶格居左编排")
                en.append("flush left")
        if zh:
            yield violation(rule, f"{name_zh}：" + "；".join(zh), f"{name_en}: " + "; ".join(en), ln)


def letter_lines(ctx: Context) -> Iterator[Violation]:
    """The 信函's red double lines (§10.1): under the mark thick above thin, 20 mm above the page's bottom
    edge thin above thick, each 170 mm long. Read from paragraph borders and drawn lines (a DOCX); the
    line's distance under the mark is not judged (a border's spacing is not the printed gap)."""
    if ctx.doc.source != "docx" or layout(ctx) != "letter":
        return
    mark = ctx.at(ctx.el.mark)
    for where, want, zh_where, en_where in (("mark", "thickThin", "发文机关标志下", "under the mark"),
                                            ("bottom", "thinThick", "距下页边20毫米处", "20 mm above the page's bottom")):
        lines = [s for s in ctx.doc.strokes if s.where == where and s.style in ("thickThin", "thinThick", "double")]
        if not lines:
            yield violation("mark.double_line", f"信函格式{zh_where}应有一条红色双线",
                            f"the 信函 layout needs a red double line {en_where}", mark, location=None if mark
                            else "first page")
            continue
        best = max(lines, key=lambda s: (s.style == want, s.red))
        zh, en = [], []
        if best.style != want:
            zh.append("应" + ("上粗下细" if want == "thickThin" else "上细下粗"))
            en.append("thick above thin" if want == "thickThin" else "thin above thick")
        if not best.red:
            zh.append("应为红色")
            en.append("red")
        if best.length_mm is not None and abs(best.length_mm - LETTER_LINE_MM) > LETTER_LINE_TOL_MM:
            zh.append(f"线长应为170毫米（现约 {best.length_mm:.0f} 毫米）")
            en.append(f"170 mm long (found {best.length_mm:.0f} mm)")
        if where == "bottom" and best.from_bottom_mm is not None and \
                abs(best.from_bottom_mm - LETTER_BOTTOM_MM) > LETTER_BOTTOM_TOL_MM:
            zh.append(f"应距下页边20毫米（现约 {best.from_bottom_mm:.0f} 毫米）")
            en.append(f"20 mm above the page's bottom edge (found {best.from_bottom_mm:.0f} mm)")
        if zh:
            yield violation("mark.double_line", f"信函格式{zh_where}的红色双线：" + "；".join(zh),
                            f"the 信函 double line {en_where}: " + "; ".join(en), mark,
                            location=None if mark else "first page")
