"""A DOCX as Word and WPS lay it out: resolved formatting, text boxes, page-number footers, the grid.

Why a module of its own: real 公文 files come from Word, WPS, LibreOffice and generators, and each writes
the same layout differently — the default paragraph style is "Normal" in Word and something else in WPS;
fonts come from docDefaults, basedOn chains or the theme (`eastAsiaTheme` → theme1.xml's East Asian face);
a red 发文机关标志 sits in a text box written twice (the DrawingML choice and a VML fallback); page
numbers are PAGE fields in footers, in frames or text boxes. Everything here resolves that once into the
neutral model (model.py), so element finding and rules never see the XML.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from zhengwu.writing.check.faces import hex_rgb, is_red
from zhengwu.writing.check.model import Document, Grid, Line, PageNumber, Run, Section, Stroke

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
V_NS = "urn:schemas-microsoft-com:vml"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def wa(el: Any, attr: str) -> str | None:
    return el.get(w(attr)) if el is not None else None


MM_PER_PT = 25.4 / 72
EMU_PER_MM = 36000
TWIPS_PER_PT = 20
WORD_DEFAULT_EMU = {"page_width": 7772400, "page_height": 10058400, **{f"{k}_margin": 914400 for k in (
    "top", "bottom", "left", "right")}}
RIGHT_SIDE, LEFT_SIDE = ("right", "end"), ("left", "start")
HEAD_PARAGRAPHS = 15  # the 版头 is placed (top_mm) within the first paragraphs before any table
SKIP = {w("pPr"), w("rPr"), w("del"), w("moveFrom"), f"{{{MC_NS}}}Fallback"}
THEME_COLOURS = {"text1": "dk1", "text2": "dk2", "background1": "lt1", "background2": "lt2", "dark1": "dk1",
                 "dark2": "dk2", "light1": "lt1", "light2": "lt2"}


class Theme:
    """theme1.xml: the East Asian faces of the major/minor fonts and the colour scheme."""

    def __init__(self, doc: Any) -> None:
        self.fonts: dict[str, str] = {}
        self.colours: dict[str, str] = {}
        try:
            root = etree.fromstring(doc.part.part_related_by(RT.THEME).blob)
        except (KeyError, ValueError, etree.XMLSyntaxError):
            return
        for kind in ("major", "minor"):
            f = root.find(f".//{{{A_NS}}}{kind}Font")
            if f is None:
                continue
            ea = f.find(f"{{{A_NS}}}ea")
            hans = f.find(f"{{{A_NS}}}font[@script='Hans']")
            face = (ea.get("typeface") if ea is not None else "") or (hans.get("typeface") if hans is not None else "")
            if face:
                self.fonts[kind] = face
        scheme = root.find(f".//{{{A_NS}}}clrScheme")
        for c in scheme if scheme is not None else ():
            val = next((x.get("val") or x.get("lastClr") for x in c), None)
            if val:
                self.colours[etree.QName(c).localname] = val

    def font(self, theme_attr: str) -> str | None:
        return self.fonts.get("major" if theme_attr.startswith("major") else "minor")

    def colour(self, name: str) -> str | None:
        return self.colours.get(THEME_COLOURS.get(name, name))


class Styles:
    """Run and paragraph properties resolved as Word does: direct → character style → paragraph style and its
    basedOn chain → the default paragraph style (w:default="1", whatever its name) → docDefaults."""

    def __init__(self, doc: Any, theme: Theme) -> None:
        self.theme = theme
        root = doc.styles.element
        self.styles = {s.get(w("styleId")): s for s in root.findall(w("style"))}
        self.default_para = next((sid for sid, s in self.styles.items() if wa(s, "type") == "paragraph"
                                  and wa(s, "default") in ("1", "true", "on")), None)
        if self.default_para is None and "Normal" in self.styles:
            self.default_para = "Normal"
        defaults = root.find(w("docDefaults"))
        self.rpr_default = defaults.find(f"{w('rPrDefault')}/{w('rPr')}") if defaults is not None else None
        self.ppr_default = defaults.find(f"{w('pPrDefault')}/{w('pPr')}") if defaults is not None else None
        self._chains: dict[str | None, list[Any]] = {}

    def chain(self, style_id: str | None) -> list[Any]:
        """The style and its basedOn ancestors, nearest first (cycle-safe)."""
        if style_id not in self._chains:
            out: list[Any] = []
            sid = style_id
            while sid and sid in self.styles and len(out) < 12:
                s = self.styles[sid]
                if s in out:
                    break
                out.append(s)
                sid = wa(s.find(w("basedOn")), "val")
            self._chains[style_id] = out
        return self._chains[style_id]

    def para_chain(self, ppr: Any) -> list[Any]:
        sid = wa(ppr.find(w("pStyle")), "val") if ppr is not None else None
        if not sid or sid not in self.styles:
            sid = self.default_para
        return self.chain(sid)

    def run_props(self, rpr: Any, pchain: list[Any]) -> tuple[str | None, float | None, str | None]:
        """(East Asian font, size pt, colour RRGGBB) of a run."""
        layers = [rpr]
        if rpr is not None:
            layers += [s.find(w("rPr")) for s in self.chain(wa(rpr.find(w("rStyle")), "val"))]
        layers += [s.find(w("rPr")) for s in pchain] + [self.rpr_default]
        font = size = color = None
        for r in layers:
            if r is None:
                continue
            if font is None:
                rf = r.find(w("rFonts"))
                theme_attr = wa(rf, "eastAsiaTheme")
                font = (self.theme.font(theme_attr) if theme_attr else None) or wa(rf, "eastAsia") or None
            if size is None and wa(r.find(w("sz")), "val"):
                try:
                    size = int(wa(r.find(w("sz")), "val")) / 2
                except ValueError:
                    pass
            if color is None:
                c = r.find(w("color"))
                if c is not None:
                    tc = wa(c, "themeColor")  # w:val is Word's computed value (tint/shade applied), if any
                    val = wa(c, "val") if hex_rgb(wa(c, "val")) else (self.theme.colour(tc) if tc else wa(c, "val"))
                    color = val.upper() if val and val.lower() != "auto" else "auto"
            if font and size and color:
                break
        return font, size, None if color == "auto" else color

    def para_prop(self, ppr: Any, pchain: list[Any], tag: str) -> dict[str, str]:
        """The attributes of pPr/`tag` (jc, ind, spacing …) merged from docDefaults up to the direct value."""
        merged: dict[str, str] = {}
        for p in [self.ppr_default] + [s.find(w("pPr")) for s in reversed(pchain)] + [ppr]:
            el = p.find(w(tag)) if p is not None else None
            if el is not None:
                merged.update({etree.QName(k).localname: v for k, v in el.attrib.items()})
        return merged


def _text(r: Any) -> str:
    out = []
    for t in r:
        if t.tag == w("t"):
            out.append(t.text or "")
        elif t.tag in (w("tab"), w("ptab")):
            out.append("\t")
    return "".join(out)


def _walk(el: Any) -> Iterator[Any]:
    """The runs of a paragraph in reading order: through hyperlinks, insertions, smart tags, content controls
    and the choice of mc:AlternateContent; never deleted text or a VML fallback."""
    for ch in el:
        if ch.tag == w("r"):
            yield ch
        elif ch.tag not in SKIP:
            yield from _walk(ch)


def _boxes(el: Any, anchor: Any = None) -> Iterator[tuple[Any, Any]]:
    """Text-box contents (w:txbxContent) inside `el` with their drawing anchor, each once (fallbacks skipped)."""
    for ch in el:
        if ch.tag == f"{{{MC_NS}}}Fallback":
            continue
        if ch.tag == w("txbxContent"):
            yield ch, anchor
            continue
        yield from _boxes(ch, ch if ch.tag in (f"{{{WP_NS}}}anchor", f"{{{WP_NS}}}inline") else anchor)


def _drawn_lines(el: Any) -> Iterator[float]:
    """Widths (mm) of straight lines drawn as shapes in `el`: DrawingML line/connector geometry (a:ln w in
    EMU, 0.75 pt by default) or a VML v:line (strokeweight), each once (fallbacks skipped)."""
    for ch in el:
        tag = ch.tag if isinstance(ch.tag, str) else ""
        if tag == f"{{{MC_NS}}}Fallback":
            continue
        if tag == f"{{{A_NS}}}prstGeom" and ch.get("prst") in ("line", "straightConnector1"):
            ln = ch.getparent().find(f"{{{A_NS}}}ln")
            emu = ln.get("w") if ln is not None else None
            yield (int(emu) / EMU_PER_MM) if emu and emu.isdigit() else 0.75 * MM_PER_PT
        elif tag == f"{{{V_NS}}}line":
            m = re.match(r"([\d.]+)\s*(pt|mm)?", ch.get("strokeweight") or "0.75pt")
            yield float(m.group(1)) * (1 if m.group(2) == "mm" else MM_PER_PT) if m else 0.75 * MM_PER_PT
        else:
            yield from _drawn_lines(ch)


def _pt(val: str | None, scale: float = TWIPS_PER_PT) -> float:
    try:
        return float(val) / scale if val else 0.0
    except ValueError:
        return 0.0


def _border_mm(el: Any) -> float | None:
    """A border element's line width in mm (w:sz is eighths of a point), None for no line."""
    if el is None or (wa(el, "val") or "nil") in ("nil", "none"):
        return None
    return _pt(wa(el, "sz"), 8) * MM_PER_PT or 0.5 * MM_PER_PT


def _max(*vals: float | None) -> float | None:
    got = [v for v in vals if v is not None]
    return max(got) if got else None


def _line_style(val: str | None) -> str:
    """A border's w:val or a line's a:ln/@cmpd as "thickThin" (thick above thin), "thinThick", "double",
    "single" or the value itself."""
    v = val or "single"
    for name in ("thinThickThin", "thickThinThick", "thickThin", "thinThick"):
        if v.startswith(name):
            return "triple" if len(name) > 9 else name
    return {"dbl": "double", "sng": "single", "thick": "single"}.get(v, v)


def _box_width_mm(box: Any, anchor: Any) -> float | None:
    """The width (mm) a text box gives its paragraphs: the anchor's extent less the body insets."""
    ext = anchor.find(f"{{{WP_NS}}}extent") if anchor is not None else None
    if ext is None or not ext.get("cx", "").isdigit():
        return None
    body = box.getparent().getparent().find(f"{{{WPS_NS}}}bodyPr") if box.getparent() is not None and \
        box.getparent().getparent() is not None else None
    ins = [int(body.get(k)) if body is not None and (body.get(k) or "").isdigit() else 91440 for k in ("lIns", "rIns")]
    return (int(ext.get("cx")) - sum(ins)) / EMU_PER_MM


class DocxReader:
    """Reads one python-docx Document into the neutral model."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.theme = Theme(doc)
        self.st = Styles(doc, self.theme)
        sect = doc.element.body.find(w("sectPr"))
        self.sect = sect
        grid = sect.find(w("docGrid")) if sect is not None else None
        self.grid_type = wa(grid, "type") or "default"
        self.line_pitch = _pt(wa(grid, "linePitch"))
        space = _pt(wa(grid, "charSpace"), 1)
        # LibreOffice writes a negative charSpace as its unsigned 32-bit value (4294966271 for −1025)
        self.char_space = (space - 2 ** 32 if space >= 2 ** 31 else space) / 4096
        self.heights: Counter[float] = Counter()  # body line heights (pt, with the paragraph spacing spread
        # over the paragraph's lines), counted per line

    # ------------------------------------------------------------------------------------------ paragraphs

    def line(self, p: Any, location: str, top_mm: float | None = None) -> Line:
        st = self.st
        ppr = p.find(w("pPr"))
        pchain = st.para_chain(ppr)
        runs: list[Run] = []
        for r in _walk(p):
            text = _text(r)
            if text:
                runs.append(Run(text, *st.run_props(r.find(w("rPr")), pchain)))
        text = "".join(r.text for r in runs)
        first = next((r for r in runs if r.text.strip()), None)
        if first is None:  # an empty paragraph: its style's size for the spacing
            first = Run("", *st.run_props(ppr.find(w("rPr")) if ppr is not None else None, pchain))
        size = first.size or 10.5
        ind = st.para_prop(ppr, pchain, "ind")
        right = _pt(ind.get("right") or ind.get("end"))
        if ind.get("rightChars") or ind.get("endChars"):
            right = _pt(ind.get("rightChars") or ind.get("endChars"), 100) * size
        left = _pt(ind.get("left") or ind.get("start"))
        if ind.get("leftChars") or ind.get("startChars"):
            left = _pt(ind.get("leftChars") or ind.get("startChars"), 100) * size
        first_line = _pt(ind.get("firstLineChars"), 100) * size if ind.get("firstLineChars") else \
            _pt(ind.get("firstLine"))
        if ind.get("hanging") or ind.get("hangingChars"):
            first_line = -(_pt(ind.get("hangingChars"), 100) * size if ind.get("hangingChars") else
                           _pt(ind.get("hanging")))
        bdr = next((x.find(w("pBdr")) for x in [ppr] + [s.find(w("pPr")) for s in pchain]
                    if x is not None and x.find(w("pBdr")) is not None), None)
        ln = Line(text.strip(), location, first.font, first.size, st.para_prop(ppr, pchain, "jc").get("val"),
                  any(is_red(r.color) for r in runs if r.text.strip()), runs, right, left, top_mm,
                  rule_above=_border_mm(bdr.find(w("top"))) if bdr is not None else None,
                  rule_below=_border_mm(bdr.find(w("bottom"))) if bdr is not None else None, indent_first=first_line)
        drawn = list(_drawn_lines(p))  # lines drawn as shapes (WPS templates draw the 版记 lines so)
        if drawn and ln.text:
            ln.rule_above = _max(ln.rule_above, drawn[0])
            ln.rule_below = _max(ln.rule_below, drawn[-1]) if len(drawn) > 1 else ln.rule_below
        elif drawn:
            ln.rule_below = _max(ln.rule_below, *drawn)
        return ln

    def spacing(self, p: Any, size: float) -> tuple[float, float, float]:
        """(space before, line height, space after) in pt, as Word lays the paragraph out."""
        ppr = p.find(w("pPr"))
        sp = self.st.para_prop(ppr, self.st.para_chain(ppr), "spacing")
        pitch = self.line_pitch if self.grid_type in ("lines", "linesAndChars", "snapToChars") else 0.0
        unit = pitch or 12.0
        before = _pt(sp.get("beforeLines"), 100) * unit if sp.get("beforeLines") else _pt(sp.get("before"))
        after = _pt(sp.get("afterLines"), 100) * unit if sp.get("afterLines") else _pt(sp.get("after"))
        rule, line = sp.get("lineRule", "auto"), sp.get("line")
        natural = size * 1.3
        snap = pitch and wa(ppr.find(w("snapToGrid")) if ppr is not None else None, "val") not in ("0", "false")
        if rule == "exact" and line:
            height = _pt(line)
        else:
            multiple = _pt(line, 240) if rule == "auto" and line else 1.0
            height = natural * multiple
            if snap:
                height = max(1, -(-natural // pitch)) * pitch * multiple
            if rule == "atLeast" and line:
                height = max(height, _pt(line))
        return before, height, after

    def body(self) -> list[Line]:
        """Body paragraphs (numbered from 1), their text boxes, and table-cell paragraphs, in document order;
        the first paragraphs placed on the page (top_mm) until the first table."""
        out: list[Line] = []
        n = 0
        y: float | None = 0.0
        pending: float | None = None  # a line drawn by an empty bordered paragraph, for the next text line
        for child in self.doc.element.body.iterchildren():
            if child.tag == w("sdt"):
                content = child.find(w("sdtContent"))
                children = list(content) if content is not None else []
            else:
                children = [child]
            for el in children:
                if el.tag == w("p"):
                    n += 1
                    ln = self.line(el, f"paragraph {n}")
                    before, height, after = self.spacing(el, ln.size or 10.5)
                    for box, anchor in _boxes(el):
                        out += self._box_lines(box, anchor, f"text box in paragraph {n}", y)
                    if y is not None and n <= HEAD_PARAGRAPHS:
                        ln.top_mm = (y + before) * MM_PER_PT
                        y += before + height + after
                    if ln.text:
                        n_lines = max(1, -(-len(ln.text) // 28))
                        self.heights[round(height + (before + after) / n_lines, 1)] += n_lines
                        ln.rule_above = _max(ln.rule_above, pending)
                        pending = None
                        out.append(ln)
                    elif ln.rule_above or ln.rule_below:
                        prev = next((x for x in reversed(out) if x.text), None)
                        if prev is not None and ln.rule_above is None:
                            prev.rule_below = _max(prev.rule_below, ln.rule_below)
                        else:
                            pending = _max(ln.rule_above, ln.rule_below)
                elif el.tag == w("tbl"):
                    y = None
                    out += self._table(el, n)
        return [x for x in out if x.text]

    def _box_lines(self, box: Any, anchor: Any, location: str, y: float | None) -> list[Line]:
        top = self._anchor_top(anchor, y)
        return [self.line(p, location if j == 1 else f"{location}, line {j}", top)
                for j, p in enumerate(box.iter(w("p")), 1)]

    def _anchor_top(self, anchor: Any, y: float | None) -> float | None:
        """The top of a floating text box below the top of the 版心 (mm), when its anchor says where."""
        if anchor is None or anchor.tag != f"{{{WP_NS}}}anchor":
            return None
        pos = anchor.find(f"{{{WP_NS}}}positionV")
        off = pos.find(f"{{{WP_NS}}}posOffset") if pos is not None else None
        if off is None or not (off.text or "").strip().lstrip("-").isdigit():
            return None
        mm = int(off.text) / EMU_PER_MM
        rel = pos.get("relativeFrom")
        top_margin = self.sections()[0].top if self.sections() else 0
        if rel in ("page", "topMargin"):  # the top-margin area starts at the page's top edge
            return mm - top_margin
        if rel == "margin":
            return mm
        if rel in ("paragraph", "line") and y is not None:
            return y * MM_PER_PT + mm
        return None

    def _table(self, tbl: Any, n: int) -> list[Line]:
        """Table-cell paragraphs once each, with the lines the table draws between its rows (版记)."""
        tpr = tbl.find(w("tblPr"))
        borders = {}
        sid = wa(tpr.find(w("tblStyle")), "val") if tpr is not None else None
        for s in reversed(self.st.chain(sid)):
            b = s.find(f"{w('tblPr')}/{w('tblBorders')}")
            for e in b if b is not None else ():
                borders[etree.QName(e).localname] = e
        b = tpr.find(w("tblBorders")) if tpr is not None else None
        for e in b if b is not None else ():
            borders[etree.QName(e).localname] = e
        rows = tbl.findall(w("tr"))
        out: list[Line] = []
        j = 0
        for i, tr in enumerate(rows):
            cells = tr.findall(f".//{w('tc')}")
            cell_b = [tc.find(f"{w('tcPr')}/{w('tcBorders')}") for tc in cells]
            above = _max(*(_border_mm(cb.find(w("top"))) for cb in cell_b if cb is not None)) \
                or _border_mm(borders.get("top" if i == 0 else "insideH"))
            below = _max(*(_border_mm(cb.find(w("bottom"))) for cb in cell_b if cb is not None)) \
                or _border_mm(borders.get("bottom" if i == len(rows) - 1 else "insideH"))
            row_lines: list[Line] = []
            for tc in cells:
                for p in tc.iter(w("p")):
                    j += 1
                    ln = self.line(p, f"table after paragraph {n}, line {j}")
                    ln.in_table = True
                    row_lines.append(ln)
            text_lines = [x for x in row_lines if x.text]
            if text_lines:
                text_lines[0].rule_above = _max(text_lines[0].rule_above, above)
                text_lines[-1].rule_below = _max(text_lines[-1].rule_below, below)
            out += row_lines
        return out

    # ------------------------------------------------------------------------------------- page, footers

    def sections(self) -> list[Section]:
        if not hasattr(self, "_sections"):
            # a sectPr without pgSz / pgMar (pandoc's default reference.docx) prints on the application's
            # defaults: Word's are US Letter and 1-inch margins
            self._sections = [Section(*((getattr(s, a) or WORD_DEFAULT_EMU[a]) / EMU_PER_MM for a in (
                "page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin")),
                footer=s.footer_distance / EMU_PER_MM if s.footer_distance is not None else None,
                declared=s.page_width is not None and s.top_margin is not None)
                for s in self.doc.sections]
        return self._sections

    def grid(self) -> Grid:
        """Lines per page and characters per line of the standard 版心 (225 × 156 mm, so that wrong margins
        are not reported twice): lines from the body's commonest line height as Word lays it out (snapped
        to the line grid, or an exact spacing; paragraph spacing included); characters from the character
        grid (the default paragraph style's size + charSpace), when there is one."""
        type_h, type_w = 225 / MM_PER_PT, 156 / MM_PER_PT
        height = self.heights.most_common(1)[0][0] if self.heights else None
        chars = None
        if self.grid_type in ("linesAndChars", "snapToChars"):
            base = self.st.run_props(None, self.st.chain(self.st.default_para))[1] or 10.5
            pitch = base + self.char_space  # Word counts charSpace from the default paragraph style's size
            chars = round(type_w / pitch, 2) if pitch > 0 else None
        return Grid(round(type_h / height, 2) if height else None, chars)

    def page_numbers(self) -> list[PageNumber]:
        """Every footer's PAGE field (in a paragraph, a frame or a text box), once per footer part."""
        out: list[PageNumber] = []
        seen: set[str] = set()
        for sect in self.doc.element.body.iter(w("sectPr")):
            for ref in sect.findall(w("footerReference")):
                rid = ref.get(f"{{{R_NS}}}id")
                if not rid or rid in seen or rid not in self.doc.part.rels:
                    continue
                seen.add(rid)
                root = self.doc.part.rels[rid].target_part.element
                kind = wa(ref, "type") or "default"
                out += list(self._footer_numbers(root, kind))
        return out

    def _footer_numbers(self, root: Any, kind: str) -> Iterator[PageNumber]:
        # paragraphs at any depth (content controls: Word's page-number gallery wraps them in w:sdt; tables),
        # but text-box paragraphs once, through their anchor
        paras = [(p, None) for p in root.iter(w("p"))
                 if not any(a.tag == w("txbxContent") for a in p.iterancestors())]
        for box, anchor in _boxes(root):
            paras += [(p, anchor) for p in box.iter(w("p"))]
        for p, anchor in paras:
            instr = " ".join((t.text or "") for t in p.iter(w("instrText"))) + " ".join(
                f.get(w("instr")) or "" for f in p.iter(w("fldSimple")))
            if not re.search(r"(?<![A-Z])PAGE(?![A-Z])", instr):
                continue
            ppr = p.find(w("pPr"))
            pchain = self.st.para_chain(ppr)
            runs = [r for r in _walk(p) if _text(r) or r.find(w("instrText")) is not None]
            text = "".join(_text(r) for r in _walk(p)).strip()
            digit = next((r for r in runs if re.search(r"\d", _text(r))), None)
            if digit is None:
                digit = next((r for r in runs if r.find(w("instrText")) is not None), None)
            font, size, _c = self.st.run_props(digit.find(w("rPr")) if digit is not None else None, pchain)
            align = self.st.para_prop(ppr, pchain, "jc").get("val")
            frame = ppr.find(w("framePr")) if ppr is not None else None
            if frame is not None and wa(frame, "xAlign"):
                align = wa(frame, "xAlign")
            pos_h = anchor.find(f"{{{WP_NS}}}positionH/{{{WP_NS}}}align") if anchor is not None else None
            if pos_h is not None and pos_h.text:
                align = pos_h.text.strip()
            placed = frame is None and anchor is None  # a plain footer paragraph: its indent and height are known
            yield PageNumber(kind, text, font, size, align, self._outer_indent(p, ppr, pchain, align, size or 10.5)
                             if placed else None, self._number_gap(p, size or 10.5) if placed else None)

    def _outer_indent(self, p: Any, ppr: Any, pchain: list[Any], align: str | None, size: float) -> float | None:
        """The page number's distance (pt) from the outer edge of the type area: the indent on its side plus
        the spaces typed there (a full-width space is one character, a space half of one)."""
        raw = "".join(_text(r) for r in _walk(p))
        ind = self.st.para_prop(ppr, pchain, "ind")
        if align in RIGHT_SIDE:
            typed = raw[len(raw.rstrip(" \u3000")):]
            chars, twips = ind.get("rightChars") or ind.get("endChars"), ind.get("right") or ind.get("end")
        elif align in LEFT_SIDE or align is None:
            typed = raw[:len(raw) - len(raw.lstrip(" \u3000"))]
            chars, twips = ind.get("leftChars") or ind.get("startChars"), ind.get("left") or ind.get("start")
        else:
            return None
        indent = _pt(chars, 100) * size if chars else _pt(twips)
        return indent + typed.count("\u3000") * size + typed.count(" ") * size / 2

    def _number_gap(self, p: Any, size: float) -> float | None:
        """mm from the 版心's bottom edge down to the middle of the page number's line (its 一字线): the footer
        sits w:footer above the page's bottom edge, raised by its spacing after."""
        sec = self.sections()[0] if self.sections() else None
        if sec is None or sec.footer is None:
            return None
        ppr = p.find(w("pPr"))
        sp = self.st.para_prop(ppr, self.st.para_chain(ppr), "spacing")
        after = _pt(sp.get("after")) if not sp.get("afterLines") else _pt(sp.get("afterLines"), 100) * 12  # as spacing()
        rule, line = sp.get("lineRule", "auto"), sp.get("line")
        height = _pt(line) if rule == "exact" and line else size * 1.3 * (_pt(line, 240) if rule == "auto" and
                                                                            line else 1.0)
        return sec.bottom - sec.footer - (after + height / 2) * MM_PER_PT

    def header_marks(self) -> list[Line]:
        """Red lines of the first page's header: a 发文机关标志 set there (the 信函 layout, some red-header
        templates), placed on the page from the header distance."""
        sect = self.sect
        header = self._first_page_part("header") if sect is not None else None
        if header is None:
            return []
        mar = sect.find(w("pgMar"))
        y = _pt(wa(mar, "header")) if mar is not None else 0.0
        top = self.sections()[0].top if self.sections() else 37.0
        out = []
        for p in header.iter(w("p")):
            ln = self.line(p, "first-page header")
            before, height, after = self.spacing(p, ln.size or 10.5)
            ln.top_mm = (y + before) * MM_PER_PT - top
            y += before + height + after
            if ln.text and ln.red:
                out.append(ln)
        return out

    # ------------------------------------------------------------------------- 信函 red double lines

    def strokes(self) -> list[Stroke]:
        """Lines on the first page that may be the 信函's red double lines (GB/T 9704 §10.1): borders of the
        first-page header's paragraphs and of the first paragraphs (and their text boxes) → "mark"; borders of
        the first-page footer's paragraphs → "bottom"; lines drawn as shapes there, placed by their anchor."""
        secs = self.sections()
        if self.sect is None or not secs:
            return []
        sec = secs[0]
        type_w = sec.width - sec.left - sec.right
        out: list[Stroke] = []
        head = [p for p in self.doc.element.body.iterchildren(w("p"))][:HEAD_PARAGRAPHS]
        header, footer = self._first_page_part("header"), self._first_page_part("footer")
        for p in (list(header.iter(w("p"))) if header is not None else []) + head:
            out += self._border_strokes(p, "mark", type_w)
            for box, anchor in _boxes(p):
                width = _box_width_mm(box, anchor)
                for q in box.iter(w("p")):
                    out += self._border_strokes(q, "mark", width if width is not None else type_w)
        if footer is not None:
            y = sec.footer or 0.0
            for p in reversed(list(footer.iter(w("p")))):
                before, height, after = self.spacing(p, self.line(p, "").size or 10.5)
                y += after * MM_PER_PT
                out += self._border_strokes(p, "bottom", type_w, y, y + height * MM_PER_PT)
                y += (height + before) * MM_PER_PT
        for root, where in [(x, "mark") for x in [header] + head] + [(footer, "bottom")]:
            if root is not None:
                out += self._drawn_strokes(root, where, sec)
        return out

    def _first_page_part(self, kind: str) -> Any:
        """The root element of the header or footer that the first page shows, or None."""
        first = self.sect.find(w("titlePg")) is not None and wa(self.sect.find(w("titlePg")), "val") not in ("0",
                                                                                                          "false")
        refs = {wa(r, "type") or "default": r.get(f"{{{R_NS}}}id") for r in self.sect.findall(w(f"{kind}Reference"))}
        rid = refs.get("first") if first else refs.get("default")
        return self.doc.part.rels[rid].target_part.element if rid and rid in self.doc.part.rels else None

    def _border_strokes(self, p: Any, where: str, width: float, bottom_y: float | None = None,
                        top_y: float | None = None) -> list[Stroke]:
        ppr = p.find(w("pPr"))
        bdr = ppr.find(w("pBdr")) if ppr is not None else None
        if bdr is None:
            return []
        ln = self.line(p, "")
        length = width - (ln.indent_left + ln.indent_right) * MM_PER_PT
        out = []
        for side, y in (("top", top_y), ("bottom", bottom_y)):
            el = bdr.find(w(side))
            if _border_mm(el) is not None:
                out.append(Stroke(where, _line_style(wa(el, "val")), round(length, 1), is_red(wa(el, "color")), y))
        return out

    def _drawn_strokes(self, root: Any, where: str, sec: Section) -> list[Stroke]:
        """Straight lines drawn as DrawingML shapes (the VML fallback skipped), with their compound style,
        colour, length (the anchor's extent) and, when anchored to the page or margin, height above the
        page's bottom edge (a line in the lower half of the page is a "bottom" line)."""
        out = []
        for anchor in root.iter(f"{{{WP_NS}}}anchor", f"{{{WP_NS}}}inline"):
            if any(a.tag == f"{{{MC_NS}}}Fallback" for a in anchor.iterancestors()):
                continue
            geom = next((g for g in anchor.iter(f"{{{A_NS}}}prstGeom") if g.get("prst") in ("line",
                                                                                             "straightConnector1")), None)
            if geom is None:
                continue
            ln = geom.getparent().find(f"{{{A_NS}}}ln")
            colour = ln.find(f"{{{A_NS}}}solidFill/{{{A_NS}}}srgbClr") if ln is not None else None
            ext = anchor.find(f"{{{WP_NS}}}extent")
            length = int(ext.get("cx", "0")) / EMU_PER_MM if ext is not None and ext.get("cx", "").isdigit() else None
            pos = anchor.find(f"{{{WP_NS}}}positionV")
            off = pos.find(f"{{{WP_NS}}}posOffset") if pos is not None else None
            y = None
            if off is not None and (off.text or "").strip().lstrip("-").isdigit():
                top = {"page": 0.0, "margin": sec.top, "topMargin": 0.0}.get(pos.get("relativeFrom"))
                y = sec.height - (top + int(off.text) / EMU_PER_MM) if top is not None else None
            side = where if y is None else ("bottom" if y < sec.height / 2 else "mark")
            out.append(Stroke(side, _line_style(ln.get("cmpd") if ln is not None else None),
                              round(length, 1) if length else None,
                              is_red(colour.get("val") if colour is not None else None), y))
        return out

    def document(self) -> Document:
        lines = self.body()
        if not any(ln.red for ln in lines[:3]):
            lines = self.header_marks() + lines
        settings = self.doc.settings.element
        odd_even = settings.find(w("evenAndOddHeaders")) is not None and \
            wa(settings.find(w("evenAndOddHeaders")), "val") not in ("0", "false")
        return Document("docx", lines, self.sections(), self.grid(), self.page_numbers(), odd_even, self.strokes())
