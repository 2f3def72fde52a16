"""Rules on the page and the 主体 a DOCX carries: page size, margins, grid; body and title fonts, sizes, alignment.

Sources: GB/T 9704-2012 §5.2 (A4; 版心 top 37, bottom 35, left 28, right 26 mm; 22 lines × 28 characters;
black text), §7.3.1 (标题 2号小标宋, centred), §7.3.3 (正文 3号仿宋; 一级标题 黑体, 二级 楷体: checked with the
headings in rules_text). Font names are compared by family (faces.py), never literally.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from zhengwu.writing.check.context import Context, violation
from zhengwu.writing.check.faces import family, is_black
from zhengwu.writing.check.model import Line, Run, Violation
from zhengwu.writing.spec import heading_level

PAGE = {"width": 210, "height": 297, "top": 37, "bottom": 35, "left": 28, "right": 26}
TOL_MM = 1.0
BODY_PT, TITLE_PT, TOL_PT = 16, 22, 0.25
# 22 lines in 225 mm is a 28.95 pt pitch; formatters use 28–29.5 pt (21.6–22.8 lines): accepted.
GRID_LINES = (21.5, 23.0)
GRID_CHARS = (27.0, 29.5)  # 28 characters of 156 mm; a plain 16 pt face without a character grid sets 27.6


def page_size(ctx: Context) -> Iterator[Violation]:
    if not ctx.doc.sections:
        return
    m = ctx.doc.sections[0]
    if abs(m.width - PAGE["width"]) > TOL_MM or abs(m.height - PAGE["height"]) > TOL_MM or not m.declared:
        unset_zh, unset_en = ("（文档未设置纸张，按 Word 默认）", " (the document sets none: Word's default)") \
            if not m.declared else ("", "")
        yield violation("page.size", f"纸张应为A4（210×297毫米），现为 {m.width:.0f}×{m.height:.0f} 毫米{unset_zh}",
                        f"paper must be A4 (210×297 mm), found {m.width:.0f}×{m.height:.0f} mm{unset_en}", None,
                        location="section 1")


def page_margins(ctx: Context) -> Iterator[Violation]:
    if not ctx.doc.sections:
        return
    m = ctx.doc.sections[0].as_dict()
    bad = [k for k in ("top", "bottom", "left", "right") if abs(m[k] - PAGE[k]) > TOL_MM]
    if bad:
        zh = {"top": "上", "bottom": "下", "left": "左", "right": "右"}
        yield violation("page.margins", "页边距不符合版心要求（上37、下35、左28、右26毫米）：" + "、".join(
            f"{zh[k]} {m[k]:.1f}" for k in bad),
            "margins outside the standard (top 37, bottom 35, left 28, right 26 mm): " + ", ".join(
                f"{k} {m[k]:.1f}" for k in bad), None, location="section 1")


def page_grid(ctx: Context) -> Iterator[Violation]:
    """22 lines a page and 28 characters a line (§5.2.3), as the document grid and line spacing set them.
    Characters per line follow the default style's size; when the body's size is itself wrong, that is
    body.size's finding, not the grid's."""
    g = ctx.doc.grid
    if g is None:
        return
    size_ok = (body_face(ctx)[1] or BODY_PT) == BODY_PT
    bad_lines = g.lines is not None and not GRID_LINES[0] <= g.lines <= GRID_LINES[1]
    bad_chars = size_ok and g.chars is not None and not GRID_CHARS[0] <= g.chars <= GRID_CHARS[1]
    if bad_lines or bad_chars:
        lines, chars = (f"{x:.0f}" if x else "?" for x in (g.lines, g.chars))  # "?": no character grid to say
        yield violation("page.grid", f"版面应每面排22行、每行28字，现约为每面 {lines} 行、每行 {chars} 字",
                        f"the page must set 22 lines of 28 characters; it sets about {lines} lines of {chars}", None,
                        location="section 1")


def first_run(ln: Line) -> Run | None:
    return next((r for r in ln.runs if r.text.strip()), None)


def main_run(ln: Line) -> Run | None:
    """The run format that sets most of the paragraph's Chinese characters (the East Asian font applies to
    them only): a word set apart for emphasis does not decide, a paragraph re-set from its second run does."""
    weight: Counter[tuple[str | None, float | None]] = Counter()
    for r in ln.runs:
        weight[(r.font, r.size)] += len(re.findall(r"[\u4e00-\u9fff]", r.text))
    if not weight or weight.most_common(1)[0][1] == 0:
        return first_run(ln)
    (font, size), _n = weight.most_common(1)[0]
    return Run("", font, size)


def _body_runs(ctx: Context) -> Iterator[tuple[Line, Run]]:
    """The main run format (main_run) of each 正文 and 附件说明 paragraph (一、/（一） headings skipped: heading.font
    judges their 黑体/楷体; the 署名 and 成文日期 are judged by signature.font)."""
    for k in ctx.el.body + ctx.el.attachments:
        ln = ctx.lines[k]
        run = main_run(ln)
        if run is None or ln.in_table:
            continue
        if heading_level(ln.text) in (1, 2):
            continue
        yield ln, run


def body_face(ctx: Context) -> tuple[str | None, float | None]:
    """The body's commonest font family and size. Why: when the whole document is set in a wrong face (the
    default style), that is one deviation, reported as body.*; other elements are judged only where they
    were set apart from the body."""
    runs = [r for _, r in _body_runs(ctx)]
    fams = Counter(family(r.font) for r in runs if r.font)
    sizes = Counter(r.size for r in runs if r.size)
    return (fams.most_common(1)[0][0] if fams else None), (sizes.most_common(1)[0][0] if sizes else None)


def body_font(ctx: Context) -> Iterator[Violation]:
    bad = [(ln, r.font) for ln, r in _body_runs(ctx) if r.font and family(r.font) != "仿宋"]
    if bad:
        ln, font = bad[0]
        yield violation("body.font", f"正文应用仿宋（3号仿宋_GB2312），{len(bad)} 段为 {font}",
                        f"body text must be 仿宋 (FangSong); {len(bad)} paragraph(s) use {font}", ln)


def body_size(ctx: Context) -> Iterator[Violation]:
    bad = [(ln, r.size) for ln, r in _body_runs(ctx) if r.size and abs(r.size - BODY_PT) > TOL_PT]
    if bad:
        ln, size = bad[0]
        yield violation("body.size", f"正文字号应为3号（16磅），{len(bad)} 段为 {size:g} 磅",
                        f"body text must be 16 pt (3号); {len(bad)} paragraph(s) are {size:g} pt", ln)


def body_color(ctx: Context) -> Iterator[Violation]:
    """§5.2.4: text is black unless stated otherwise (the mark, separator and seal are the red ones)."""
    bad = [ln for ln, _ in _body_runs(ctx) if any(r.text.strip() and not is_black(r.color) for r in ln.runs)]
    if bad:
        yield violation("body.color", f"正文文字应为黑色，{len(bad)} 段有彩色文字",
                        f"body text must be black; {len(bad)} paragraph(s) have coloured text", bad[0])


def title_font(ctx: Context) -> Iterator[Violation]:
    for k in ctx.el.title[:1]:
        ln = ctx.lines[k]
        if ln.font and family(ln.font) != "小标宋":
            yield violation("title.font", f"标题应用小标宋体（现为 {ln.font}）", f"the title must be 小标宋 (found {ln.font})",
                            ln)


def title_size(ctx: Context) -> Iterator[Violation]:
    for k in ctx.el.title[:1]:
        ln = ctx.lines[k]
        if ln.size and abs(ln.size - TITLE_PT) > TOL_PT:
            yield violation("title.size", f"标题字号应为2号（22磅），现为 {ln.size:g} 磅",
                            f"the title must be 22 pt (2号), found {ln.size:g} pt", ln)


def title_align(ctx: Context) -> Iterator[Violation]:
    bad = [ctx.lines[k] for k in ctx.el.title if ctx.lines[k].align not in ("center", "distribute")]
    if bad:
        yield violation("title.align", "标题应居中排布", "the title must be centred", bad[0])
