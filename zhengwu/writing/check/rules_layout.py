"""Rules on the layout a DOCX carries: page size and margins, body and title fonts and sizes.

Sources: GB/T 9704-2012 §5.2 (A4), §5.2.2 (版心: top 37, bottom 35, left 28, right 26 mm), §7.3.1 (标题
2号小标宋), §7.3.3 (正文 3号仿宋; 一级标题 黑体, 二级 楷体: checked with the headings in rules_text).
"""

from __future__ import annotations

from collections.abc import Iterator

from zhengwu.writing.check.context import Context, violation
from zhengwu.writing.check.model import Line, Violation
from zhengwu.writing.check.rules_text import HEI_FONTS, KAI_FONTS
from zhengwu.writing.spec import heading_level

FANG_FONTS = ("仿宋", "fangsong", "FangSong", "Fangsong")
BIAOSONG_FONTS = ("标宋", "xiaobiaosong", "XBS")
PAGE = {"width": 210, "height": 297, "top": 37, "bottom": 35, "left": 28, "right": 26}
TOL_MM = 1.0
BODY_PT, TITLE_PT, TOL_PT = 16, 22, 0.25


def page_size(ctx: Context) -> Iterator[Violation]:
    if not ctx.doc.sections:
        return
    m = ctx.doc.sections[0]
    if abs(m.width - PAGE["width"]) > TOL_MM or abs(m.height - PAGE["height"]) > TOL_MM:
        yield violation("page.size", f"纸张应为A4（210×297毫米），现为 {m.width:.0f}×{m.height:.0f} 毫米",
                        f"paper must be A4 (210×297 mm), found {m.width:.0f}×{m.height:.0f} mm", None,
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


def _body_runs(ctx: Context) -> Iterator[tuple[Line, str | None, float | None]]:
    """The first non-blank run of each 正文, 附件说明, 署名 and 成文日期 paragraph (heading runs in 黑体/楷体
    skipped: heading.font judges them)."""
    el = ctx.el
    for k in el.body + el.attachments + ([el.signature] if el.signature is not None else []) + \
            ([el.date] if el.date is not None else []):
        ln = ctx.lines[k]
        level = heading_level(ln.text)
        for text, font, size in ln.runs:
            if not text.strip():
                continue
            if level in (1, 2) and font and (any(w in font for w in HEI_FONTS + KAI_FONTS)):
                continue
            yield ln, font, size
            break


def body_font(ctx: Context) -> Iterator[Violation]:
    bad = [(ln, font) for ln, font, _ in _body_runs(ctx) if font and not any(w in font for w in FANG_FONTS)]
    if bad:
        ln, font = bad[0]
        yield violation("body.font", f"正文应用仿宋（3号仿宋_GB2312），{len(bad)} 段为 {font}",
                        f"body text must be 仿宋 (FangSong); {len(bad)} paragraph(s) use {font}", ln)


def body_size(ctx: Context) -> Iterator[Violation]:
    bad = [(ln, size) for ln, _, size in _body_runs(ctx) if size and abs(size - BODY_PT) > TOL_PT]
    if bad:
        ln, size = bad[0]
        yield violation("body.size", f"正文字号应为3号（16磅），{len(bad)} 段为 {size:g} 磅",
                        f"body text must be 16 pt (3号); {len(bad)} paragraph(s) are {size:g} pt", ln)


def title_font(ctx: Context) -> Iterator[Violation]:
    for k in ctx.el.title[:1]:
        ln = ctx.lines[k]
        if ln.font and not any(w in ln.font for w in BIAOSONG_FONTS):
            yield violation("title.font", f"标题应用小标宋体（现为 {ln.font}）", f"the title must be 小标宋 (found {ln.font})",
                            ln)


def title_size(ctx: Context) -> Iterator[Violation]:
    for k in ctx.el.title[:1]:
        ln = ctx.lines[k]
        if ln.size and abs(ln.size - TITLE_PT) > TOL_PT:
            yield violation("title.size", f"标题字号应为2号（22磅），现为 {ln.size:g} 磅",
                            f"the title must be 22 pt (2号), found {ln.size:g} pt", ln)
