"""The hotspot analysis report for the leadership: HTML (charts as inline SVG) and DOCX (charts as PNG).

Why drawn here rather than with a plotting library: the report must build offline on a government intranet
with what the product already carries. Two charts are enough (heat of the top topics, weekly messages of the
top five), an SVG is a few lines of text, and the PNG for Word is drawn with Pillow (already installed with
reportlab); the chart images carry only numbers and shapes, the names are in the legend table beside them,
so no CJK font is needed to draw them.

The report's text is assembled by the system from statistics (and a model's descriptions when one wrote
them), so it carries the explicit AI-generated label and, in DOCX, the implicit AIGC metadata (GB 45438-2025).
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from zhengwu.errors import ZhengwuError
from zhengwu.gateway import Governed
from zhengwu.hotline.hotspots import Topic

COLOURS = ("#c0392b", "#2e6da4", "#d68910", "#1e8449", "#7d3c98", "#5d6d7e")


def _description(t: Topic) -> str:
    return t.description + ("（模型生成）" if t.described_by == "model" else "")


def _weeks(topics: Sequence[Topic]) -> list[str]:
    return sorted({w for t in topics for w, _ in t.weekly})


def summary_lines(topics: Sequence[Topic], *, n_messages: int | None = None) -> list[str]:
    """The report's opening, one fact a line (Chinese: the report is for Chinese readers)."""
    lines = []
    if n_messages is not None:
        lines.append(f"本期共分析留言/工单 {n_messages} 件，列出热度最高的 {len(topics)} 个热点。")
    bursts = [t for t in topics if t.burst]
    if bursts:
        lines.append("突发（短期内明显高于常态）：" + "；".join(f"{t.label}（{t.burst_week} 起）" for t in bursts[:5]) + "。")
    if topics:
        t = topics[0]
        lines.append(f"最热：{t.label}，{t.size} 件、{t.people} 人反映，点赞 {t.likes}，"
                     f"时间 {(t.time_range or ('', ''))[0][:10]} 至 {(t.time_range or ('', ''))[1][:10]}。")
    return lines


def heat_svg(topics: Sequence[Topic], width: int = 720) -> str:
    """Horizontal bars of heat, one per topic, labelled with rank and label."""
    if not topics:
        return ""
    bar_h, gap, left = 22, 8, 260
    height = len(topics) * (bar_h + gap) + 20
    top_heat = max(t.heat for t in topics) or 1.0
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="热度 heat" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" font-size="13">']
    for k, t in enumerate(topics):
        y = 10 + k * (bar_h + gap)
        w = max(2.0, (width - left - 70) * t.heat / top_heat)
        colour = "#c0392b" if t.burst else "#2e6da4"
        parts.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">{t.rank}. {html.escape(t.label[:18])}</text>'
                     f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>'
                     f'<text x="{left + w + 6:.1f}" y="{y + 16}">{t.heat:.1f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def trend_svg(topics: Sequence[Topic], width: int = 720, height: int = 260) -> str:
    """Weekly messages of each topic as lines over the weeks any of them spans."""
    weeks = _weeks(topics)
    if not weeks:
        return ""
    left, bottom, right, top_pad = 40, 40, 20, 16
    peak = max((c for t in topics for _, c in t.weekly), default=1) or 1
    step = (width - left - right) / max(1, len(weeks) - 1)
    pos = {w: k for k, w in enumerate(weeks)}

    def xy(w: str, c: int) -> str:
        x = left + pos[w] * step
        y = height - bottom - (height - bottom - top_pad) * c / peak
        return f"{x:.1f},{y:.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="趋势 trend" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" font-size="11">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#888"/>',
             f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{height - bottom}" stroke="#888"/>',
             f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end">{peak}</text>',
             f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end">0</text>']
    for w in (weeks[0], weeks[len(weeks) // 2], weeks[-1]):
        parts.append(f'<text x="{left + pos[w] * step:.1f}" y="{height - bottom + 16}" text-anchor="middle">{w}</text>')
    for k, t in enumerate(topics):
        counts = dict(t.weekly)
        pts = " ".join(xy(w, counts.get(w, 0)) for w in weeks)
        colour = COLOURS[k % len(COLOURS)]
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{pts}">'
                     f'<title>{html.escape(t.label)}</title></polyline>')
    parts.append("</svg>")
    return "".join(parts)


def _png(kind: str, topics: Sequence[Topic], width: int = 1200, height: int = 420) -> bytes:
    """The same charts as PNG for Word: bars numbered by rank, lines coloured as in the legend table."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    if kind == "heat":
        top_heat = max((t.heat for t in topics), default=1.0) or 1.0
        bar_h = max(8, (height - 20) // max(1, len(topics)) - 8)
        for k, t in enumerate(topics):
            y = 10 + k * (bar_h + 8)
            w = int((width - 160) * t.heat / top_heat)
            d.text((10, y + bar_h // 2 - 5), f"#{t.rank}", fill="black")
            d.rectangle((60, y, 60 + max(2, w), y + bar_h), fill="#c0392b" if t.burst else "#2e6da4")
            d.text((68 + w, y + bar_h // 2 - 5), f"{t.heat:.1f}", fill="black")
    else:
        weeks = _weeks(topics)
        left, bottom = 50, 40
        peak = max((c for t in topics for _, c in t.weekly), default=1) or 1
        step = (width - left - 20) / max(1, len(weeks) - 1)
        d.line((left, height - bottom, width - 20, height - bottom), fill="#888")
        d.line((left, 10, left, height - bottom), fill="#888")
        d.text((5, 10), str(peak), fill="black")
        if weeks:
            d.text((left, height - bottom + 10), weeks[0], fill="black")
            d.text((width - 100, height - bottom + 10), weeks[-1], fill="black")
        for k, t in enumerate(topics):
            counts = dict(t.weekly)
            pts = [(left + i * step, height - bottom - (height - bottom - 10) * counts.get(w, 0) / peak)
                   for i, w in enumerate(weeks)]
            if len(pts) > 1:
                d.line(pts, fill=COLOURS[k % len(COLOURS)], width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _title(department: str | None) -> str:
    return f"{department + ' ' if department else ''}12345 热线热点分析报告"


def render_html(topics: Sequence[Topic], *, department: str | None = None, n_messages: int | None = None,
                titles: dict | None = None) -> str:
    """A self-contained HTML page (no script, no external file): summary, charts, and each topic's messages.
    `titles` maps msg_id -> title to list each topic's messages by title."""
    esc = html.escape
    rows = []
    for k, t in enumerate(topics):
        members = "".join(f"<li>{esc(str(titles.get(m, m)) if titles else str(m))}</li>" for m in t.msg_ids[:20])
        more = f"<li>…… 另 {len(t.msg_ids) - 20} 件</li>" if len(t.msg_ids) > 20 else ""
        rng = f"{t.time_range[0][:10]} 至 {t.time_range[1][:10]}" if t.time_range else "—"
        rows.append(
            f'<tr><td>{t.rank}</td><td><span class="swatch" style="background:{COLOURS[k % len(COLOURS)]}"></span>'
            f'{esc(t.label)}</td><td>{t.heat:.1f}</td><td>{t.size}</td><td>{t.people}</td><td>{t.likes}</td>'
            f'<td>{esc(t.place or "—")}</td><td>{rng}</td><td>{"是 " + esc(t.burst_week or "") if t.burst else "否"}</td>'
            f'<td>{esc(_description(t))}<details><summary>留言 {t.size} 件</summary><ul>{members}{more}</ul></details>'
            f'</td></tr>')
    summary = "".join(f"<p>{esc(line)}</p>" for line in summary_lines(topics, n_messages=n_messages))
    label = Governed.explicit_label("zh")
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(_title(department))}</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}}table{{border-collapse:collapse;
width:100%}}td,th{{border:1px solid #ccc;padding:4px 6px;vertical-align:top;font-size:14px}}th{{background:#f3f3f3}}
.swatch{{display:inline-block;width:10px;height:10px;margin-right:4px}}.ai-label{{color:#7d3c98;font-size:13px}}</style>
</head><body>
<h1>{esc(_title(department))}</h1>
<p class="ai-label">{esc(label)}</p>
<p>生成时间：{datetime.now().strftime('%Y-%m-%d %H:%M')}</p>
{summary}
<h2>热度排名</h2>{heat_svg(topics)}
<h2>前五个热点的每周留言数</h2>{trend_svg(topics[:5])}
<h2>热点明细</h2>
<table><tr><th>排名</th><th>热点</th><th>热度</th><th>件数</th><th>人数</th><th>点赞</th><th>地点</th><th>时间范围</th>
<th>突发</th><th>描述与留言</th></tr>{''.join(rows)}</table>
<p>热度 = 10 ×［ln(1+人数) + 0.5×ln(1+重复件数)］×［1 + 0.15×ln(1+点赞+反对/2)］×［1 + 0.25×ln(增长)］。</p>
<p class="ai-label">{esc(label)}</p>
</body></html>
"""


def render_docx(topics: Sequence[Topic], path: Path, *, department: str | None = None,
                n_messages: int | None = None) -> Path:
    """The report as a Word file with both charts as pictures and the AI label, explicit and implicit."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    doc.add_heading(_title(department), level=1)
    doc.add_paragraph(f"生成时间：{datetime.now().strftime('%Y-%m-%d %H:%M')}")
    for line in summary_lines(topics, n_messages=n_messages):
        doc.add_paragraph(line)
    if topics:
        doc.add_heading("热度排名", level=2)
        doc.add_picture(io.BytesIO(_png("heat", topics)), width=Cm(16))
        doc.add_heading("前五个热点的每周留言数（线条颜色见下表）", level=2)
        doc.add_picture(io.BytesIO(_png("trend", topics[:5])), width=Cm(16))
    doc.add_heading("热点明细", level=2)
    table = doc.add_table(rows=1, cols=7)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("排名", "热点", "热度", "件数/人数", "地点", "时间范围", "描述")):
        cell.text = text
    for k, t in enumerate(topics):
        rng = f"{t.time_range[0][:10]} 至 {t.time_range[1][:10]}" if t.time_range else "—"
        colour = f"（线色 {COLOURS[k % len(COLOURS)]}）" if k < 5 else ""
        burst = f"；突发 {t.burst_week} 起" if t.burst else ""
        for cell, text in zip(table.add_row().cells, (str(t.rank), t.label + colour, f"{t.heat:.1f}",
                                                      f"{t.size}/{t.people}", t.place or "—", rng + burst,
                                                      _description(t))):
            cell.text = text
    doc.add_paragraph("热度 = 10 ×［ln(1+人数) + 0.5×ln(1+重复件数)］×［1 + 0.15×ln(1+点赞+反对/2)］×［1 + 0.25×ln(增长)］")
    Governed.label_docx(doc)
    doc.save(str(path))
    return path


def write_report(topics: Sequence[Topic], out: str | Path, *, department: str | None = None,
                 n_messages: int | None = None, titles: dict | None = None) -> Path:
    """Write the report; the format follows the file name (.html / .htm or .docx)."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".docx"):
        raise ZhengwuError("hotspots_report_format", f"报告文件须以 .html 或 .docx 结尾：{path.name}",
                           f"The report file must end in .html or .docx: {path.name}")
    if not path.parent.is_dir():
        raise ZhengwuError("hotspots_report_dir", f"报告目录不存在：{path.parent}",
                           f"The report's folder does not exist: {path.parent}")
    if suffix == ".docx":
        return render_docx(topics, path, department=department, n_messages=n_messages)
    path.write_text(render_html(topics, department=department, n_messages=n_messages, titles=titles),
                    encoding="utf-8")
    return path
