"""Rules on the end of a 公文: 署名 and 成文日期, 此页无正文, the 版记, and the page numbers in the footers.

Sources: GB/T 9704-2012 §7.3.5 (署名 and 成文日期 3号仿宋, the date right-indented four characters with the
署名 centred over it, or unsealed the 署名 two from the right and the date two right of it; "此页无正文" must not be
used), §7.4 (版记: 抄送 and 印发 4号仿宋, a separator line under every element, first and last lines 0.35 mm,
middle ones 0.25 mm), §7.5 (页码 4号半角宋体 Arabic numerals with a 一字线 each side 7 mm below the 版心, odd pages right
and even pages left, one character in), §10.1 (信函: no lines in the 版记, no number on page 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from zhengwu.writing.check.context import Context, violation
from zhengwu.writing.check.faces import family
from zhengwu.writing.check.model import Line, Violation
from zhengwu.writing.check.rules_head import layout
from zhengwu.writing.check.rules_layout import BODY_PT, TOL_PT, body_face, first_run
from zhengwu.writing.spec import em_width

BANJI_PT = PAGE_NUMBER_PT = 14  # 4号
THICK_MIN_MM = 0.3  # the first and last 版记 lines are thick (0.35 mm recommended)
DATE_RIGHT_MIN_PT = 150  # a 成文日期 starting this far from the left margin sits on the right side
TAB_PT = 21  # Word's and WPS's default tab stop (420 twips)
PAGE_DASHES = "—―－─"
RIGHT, LEFT = ("right", "end"), ("left", "start")
MM_PER_PT = 25.4 / 72
NUMBER_GAP_MM, NUMBER_GAP_TOL_MM = 7.0, 4.0  # 一字线 7 mm below the 版心 (to its top or its middle: both read)
NUMBER_INDENT_CHARS = (0.5, 2.5)  # "空一字" from the outer edge, in characters of the number's size
SEAL_TOL_CHARS = 1.0  # the date's and the 署名's distance from the right edge
SEAL_CENTRE_TOL_CHARS = 1.5  # the 署名's centre from the date's: a careful reader sees more, not less


def _signature_lines(ctx: Context) -> list[Line]:
    return [ctx.lines[k] for k in dict.fromkeys(k for k in (ctx.el.signature, ctx.el.date) if k is not None)]


def signature_font(ctx: Context) -> Iterator[Violation]:
    """署名 and 成文日期 in 3号仿宋, unless they share a wrongly set body's face (body.* reports that)."""
    body_family, body_size = body_face(ctx)
    for ln in _signature_lines(ctx):
        run = first_run(ln)
        if run is None:
            continue
        if (run.font and family(run.font) not in ("仿宋", body_family)) or \
                (run.size and abs(run.size - BODY_PT) > TOL_PT and run.size != body_size):
            found = f"{run.font or '?'} {run.size or '?'}"
            yield violation("signature.font", f"署名和成文日期应用3号仿宋（现为 {found} 磅）",
                            f"the signature and date must be 16 pt 仿宋 (found {found} pt)", ln)
            return


def _date_offset(ln: Line) -> float:
    """How far (pt) a left-set line starts from the left margin: its indent and the spaces and tabs typed."""
    run = first_run(ln)
    size = run.size if run and run.size else BODY_PT
    raw = "".join(r.text for r in ln.runs)
    lead = raw[:len(raw) - len(raw.lstrip(" \u3000\t"))]
    return ln.indent_left + max(ln.indent_first, 0.0) + lead.count("\u3000") * size + lead.count(" ") * size / 2 + \
        lead.count("\t") * TAB_PT


def _date_right_set(ln: Line) -> bool:
    return ln.align in RIGHT or (ln.align != "center" and _date_offset(ln) >= DATE_RIGHT_MIN_PT)


def signature_date_layout(ctx: Context) -> Iterator[Violation]:
    """The 成文日期 is right-indented (§7.3.5), not flush-left or centred; a date on the 署名's line is left alone."""
    ln = ctx.at(ctx.el.date)
    if ln is None or ctx.el.date == ctx.el.signature or ln.in_table:
        return
    if not _date_right_set(ln):
        yield violation("signature.date_layout", "成文日期应右空四字（或居于署名之下偏右）编排，不应居左或居中",
                        "the date must be right-indented (four characters), not flush-left or centred", ln)


def _extent(ln: Line, width: float) -> tuple[float, float, float]:
    """(start, end, character size) of a line's printed text, in pt from the type area's left edge."""
    run = first_run(ln)
    size = run.size if run and run.size else BODY_PT
    raw = "".join(r.text for r in ln.runs)
    text_w = em_width(raw.strip(" \u3000\t")) * size
    trail = raw[len(raw.rstrip(" \u3000")):]
    if ln.align in RIGHT:
        end = width - ln.indent_right - trail.count("\u3000") * size - trail.count(" ") * size / 2
        return end - text_w, end, size
    if ln.align == "center":
        middle = (ln.indent_left + width - ln.indent_right) / 2
        return middle - text_w / 2, middle + text_w / 2, size
    start = _date_offset(ln)
    return start, start + text_w, size


def signature_seal_space(ctx: Context) -> Iterator[Violation]:
    """The room for the 印章 (§7.3.5): sealed, the 成文日期 four characters from the right and the 署名 centred
    over it; unsealed (纪要, §7.3.5.2), the 署名 two characters from the right and the date starting two
    characters right of it. Either layout is accepted (the seal itself is not in a DOCX); a date that is not
    set right at all is signature.date_layout's finding. A 命令 signed with the 签发人's 签名章 (§7.3.5.3) has
    the 签名章 four characters from the right and the date under it likewise."""
    date = ctx.at(ctx.el.date)
    if date is None or date.in_table or not ctx.doc.sections or not _date_right_set(date):
        return
    sec = ctx.doc.sections[0]
    width = (sec.width - sec.left - sec.right) / MM_PER_PT
    d0, d1, size = _extent(date, width)
    right_d = (width - d1) / size
    sig = ctx.at(ctx.el.signature) if ctx.el.signature not in (None, ctx.el.date) else None
    if sig is None:  # a date alone, or typed on the 署名's line: its right indent only
        if ctx.el.signature == ctx.el.date and date.align in RIGHT:
            right_d = date.indent_right / size
        ok = 2 - SEAL_TOL_CHARS <= right_d <= 4 + SEAL_TOL_CHARS
        found_zh, found_en = f"成文日期右空约 {right_d:.1f} 字", f"the date is {right_d:.1f} characters from the right"
    else:
        s0, s1, _ = _extent(sig, width)
        right_s = (width - s1) / size
        off_centre = ((s0 + s1) - (d0 + d1)) / 2 / size
        sealed = abs(right_d - 4) <= SEAL_TOL_CHARS and abs(off_centre) <= SEAL_CENTRE_TOL_CHARS
        unsealed = abs((d0 - s0) / size - 2) <= SEAL_TOL_CHARS and abs(min(right_s, right_d) - 2) <= SEAL_TOL_CHARS
        signed = layout(ctx) == "order" and abs(right_d - 4) <= SEAL_TOL_CHARS and abs(right_s - 4) <= SEAL_TOL_CHARS
        ok = sealed or unsealed or signed
        found_zh = f"成文日期右空约 {right_d:.1f} 字，署名中心偏离日期中心约 {off_centre:.1f} 字"
        found_en = f"the date is {right_d:.1f} characters from the right, the signature {off_centre:.1f} off its centre"
    if not ok:
        yield violation("signature.seal_space", "署名和成文日期未给印章留出规定位置：加盖印章的，成文日期右空四字、署名以成文日期为准居中；"
                        f"不加盖印章的，署名右空二字、成文日期首字比署名首字右移二字（{found_zh}）",
                        "the signature and date leave no room for the seal as GB/T 9704 sets it: sealed, the date four "
                        "characters from the right and the signature centred over it; unsealed, the signature two "
                        f"characters from the right and the date two characters right of its start ({found_en})", date)


def blank_note(ctx: Context) -> Iterator[Violation]:
    for ln in ctx.lines:
        if re.fullmatch(r"此页无正文[。.]?", re.sub(r"[\s（）()〔〕\[\]【】]", "", ln.text)):
            yield violation("blank_note", "不得使用“此页无正文”，应调整行距、字距使印章与正文同处一页",
                            "\"此页无正文\" must not be used: adjust line or character spacing instead", ln)


def _banji(ctx: Context) -> list[Line]:
    return [ctx.lines[k] for k in (ctx.el.cc, ctx.el.printer) if k is not None]


def banji_format(ctx: Context) -> Iterator[Violation]:
    """抄送 and 印发 lines in 4号仿宋 (a face shared with a wrongly set body is the body's deviation)."""
    lines = _banji(ctx)
    bad_size = [ln for ln in lines if ln.size and abs(ln.size - BANJI_PT) > TOL_PT]
    body_family = body_face(ctx)[0]
    bad_font = [ln for ln in lines if ln.font and family(ln.font) not in ("仿宋", body_family)]
    if bad_size:
        yield violation("banji.size", f"版记（抄送、印发）应用4号字（14磅），现为 {bad_size[0].size:g} 磅",
                        f"the 版记 (抄送, 印发) must be 14 pt (4号), found {bad_size[0].size:g} pt", bad_size[0])
    if bad_font:
        yield violation("banji.font", f"版记（抄送、印发）应用仿宋（现为 {bad_font[0].font}）",
                        f"the 版记 must be set in 仿宋 (found {bad_font[0].font})", bad_font[0])


def banji_lines(ctx: Context) -> Iterator[Violation]:
    """A separator line above the first 版记 element and under each; the first and last ones thick."""
    lines = _banji(ctx)
    if not lines or layout(ctx) == "letter":
        return
    idx = sorted(k for k in (ctx.el.cc, ctx.el.printer) if k is not None)
    n = len(ctx.lines)
    prev = ctx.lines[idx[0] - 1].rule_below if idx[0] > 0 else None
    top = max((x for x in (ctx.lines[idx[0]].rule_above, prev) if x is not None), default=None)
    # under each element: below any of its lines (a 抄送 list may wrap into a second paragraph) or above the next
    below = [max((x for x in [ctx.lines[j].rule_below for j in range(k, end)] +
                  [ctx.lines[end].rule_above if end < n else None] if x is not None), default=None)
             for k, end in zip(idx, idx[1:] + [n])]
    if top is None or any(b is None for b in below):
        yield violation("banji.lines", "版记各要素之上、之下应有分隔线（首条和末条为粗线，中间为细线）",
                        "the 版记 needs a separator line above its first element and under each element", lines[0])
    elif top < THICK_MIN_MM or below[-1] < THICK_MIN_MM:
        yield violation("banji.lines", f"版记首条、末条分隔线应为粗线（推荐0.35毫米），现为 {min(top, below[-1]):.2f} 毫米",
                        f"the first and last 版记 lines must be thick (0.35 mm), found {min(top, below[-1]):.2f} mm",
                        lines[0])


def page_number(ctx: Context) -> Iterator[Violation]:
    """Page numbers: present, 4号 宋体, — N —, odd pages right and even pages left, one character in from the
    outer edge and the 一字线 about 7 mm below the 版心 (where the reader could measure them: a plain footer
    paragraph, not a frame or text box)."""
    nums = [p for p in ctx.doc.page_numbers if p.kind != "first"]
    if not nums:
        if layout(ctx) != "letter":
            yield violation("page.number.missing", "缺少页码（页脚中应有页码域，格式“— 1 —”）",
                            "no page numbers (a PAGE field in the footer, as — 1 —)", None, location="footer")
        return
    loc = "footer"
    bad_font = next((p for p in nums if p.font and family(p.font) != "宋体"), None)
    if bad_font:
        yield violation("page.number.font", f"页码应用半角宋体（现为 {bad_font.font}）",
                        f"page numbers must be half-width 宋体 (found {bad_font.font})", None, location=loc)
    bad_size = next((p for p in nums if p.size and abs(p.size - PAGE_NUMBER_PT) > TOL_PT), None)
    if bad_size:
        yield violation("page.number.size", f"页码应用4号字（14磅），现为 {bad_size.size:g} 磅",
                        f"page numbers must be 14 pt (4号), found {bad_size.size:g} pt", None, location=loc)
    dash = rf"[{PAGE_DASHES}]"
    bad_dash = next((p for p in nums if not re.fullmatch(rf"{dash}\s*\d*\s*{dash}", p.text.strip())), None)
    if bad_dash:
        yield violation("page.number.dash", f"页码两侧应各加一条一字线（“— 1 —”），现为“{bad_dash.text}”",
                        f"page numbers need a 一字线 on each side (— 1 —), found '{bad_dash.text}'", None, location=loc)
    odd = [p.align for p in nums if p.kind == "default"]
    even = [p.align for p in nums if p.kind == "even"]
    outside = bool(odd) and all(a == "outside" for a in odd)
    sides = ctx.doc.odd_even and all(a in RIGHT for a in odd) and bool(even) and all(a in LEFT for a in even)
    if not (outside or sides):
        yield violation("page.number.position", "页码应单页居右、双页居左（各空一字），现为 " + "、".join(
            sorted({str(a or "left") for a in odd + even})),
            "page numbers must sit right on odd pages and left on even pages, found " + ", ".join(
                sorted({str(a or "left") for a in odd + even})), None, location=loc)
        return
    zh, en = [], []
    lo, hi = NUMBER_INDENT_CHARS
    bad_indent = next((p for p in nums if p.indent is not None and
                       not lo <= p.indent / (p.size or PAGE_NUMBER_PT) <= hi), None)
    if bad_indent:
        chars = bad_indent.indent / (bad_indent.size or PAGE_NUMBER_PT)
        zh.append(f"距版心外侧边缘应空一字，现约 {chars:.1f} 字")
        en.append(f"one character in from the outer edge, found {chars:.1f}")
    bad_gap = next((p for p in nums if p.gap_mm is not None and abs(p.gap_mm - NUMBER_GAP_MM) > NUMBER_GAP_TOL_MM),
                   None)
    if bad_gap:
        zh.append(f"一字线应距版心下边缘约7毫米，现约 {bad_gap.gap_mm:.0f} 毫米")
        en.append(f"the 一字线 about 7 mm below the type area, found {bad_gap.gap_mm:.0f} mm")
    if zh:
        yield violation("page.number.position", "页码位置不符：" + "；".join(zh),
                        "page number misplaced: " + "; ".join(en), None, location=loc)


def attachment_font(ctx: Context) -> Iterator[Violation]:
    """An attachment page's "附件N" label, flush-left on its first line, in 3号黑体 (§7.3.6 / §8)."""
    for k in ctx.el.annex:
        ln = ctx.lines[k]
        if re.fullmatch(r"附件\s*\d*", ln.text):
            run = first_run(ln)
            if run is not None and run.font and family(run.font) != "黑体":
                yield violation("attachment.font", f"附件页的“附件”标识应用3号黑体（现为 {run.font}）",
                                f"the 附件 label of an attachment page must be 3号 黑体 (found {run.font})", ln)
