"""Reading a DOCX or a plain text into the neutral `Document` model (model.py).

Why separate: opening an Office file is where the input can be hostile or broken (encrypted, legacy .doc,
not a ZIP, a damaged package); all of that is refused here with a clear message, and the fonts and sizes a
rule needs are resolved once (run → paragraph style → basedOn chain → Normal → docDefaults).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import docx
import msoffcrypto
from docx.oxml.ns import qn

from zhengwu.errors import ZhengwuError
from zhengwu.kb.parsers.ziplimits import check_zip
from zhengwu.writing.check.model import Document, Line, Run, Section

MM = 36000  # EMU per mm
RED_COLOURS = ("FF0000", "E60000", "C00000", "FF0101")


def read_text(text: str) -> Document:
    """A plain-text 公文: one element per line (blank lines dropped), located as "line N"."""
    raw = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [Line(t.strip(), f"line {i}") for i, t in enumerate(raw.split("\n"), 1) if t.strip()]
    if not lines:
        raise ZhengwuError("empty_text", "文本为空。", "The text is empty.")
    return Document("text", lines)


def read_docx(path: Path) -> Document:
    """Body paragraphs (numbered from 1) and table-cell paragraphs (the 版记) in document order, and the
    page setup of every section."""
    doc = open_docx(Path(path))
    return Document("docx", docx_lines(doc), [_section(s) for s in doc.sections])


def open_docx(path: Path) -> Any:
    """The python-docx Document, or a ZhengwuError saying why the file cannot be read."""
    try:
        head = path.read_bytes()[:8]
    except OSError as exc:
        raise ZhengwuError("unreadable", f"无法读取文件：{path}", f"Cannot read {path}", status=400) from exc
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise_cfb(path)
    if not zipfile.is_zipfile(path):
        raise ZhengwuError("docx_invalid", "不是有效的 DOCX 文件。", "Not a valid DOCX file.")
    guard_zip(path)
    try:
        return docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds for broken packages
        raise ZhengwuError("docx_invalid", f"DOCX 文件无法解析：{type(exc).__name__}",
                           f"The DOCX cannot be parsed: {type(exc).__name__}") from exc


def guard_zip(path: Path) -> None:
    """Stream every member through the zip-bomb guard before python-docx inflates them in one go."""
    try:
        check_zip(path, "DOCX")
    except ZhengwuError as exc:
        if exc.code == "zip_bomb":
            raise
        raise ZhengwuError("docx_invalid", exc.zh, exc.en) from None


def raise_cfb(path: Path) -> None:
    """An OLE compound file where a DOCX was expected: a password-protected DOCX or a legacy .doc."""
    encrypted = None
    try:
        with open(path, "rb") as fh:
            encrypted = msoffcrypto.OfficeFile(fh).is_encrypted()
    except Exception:  # noqa: BLE001 - not an Office file msoffcrypto can read: the generic message
        encrypted = None
    if encrypted:
        raise ZhengwuError("docx_encrypted", "该文件设有密码（已加密），无法检查；请解除密码后再试。",
                           "The file is password-protected (encrypted); remove the password and try again.")
    if encrypted is False:
        raise ZhengwuError("doc_legacy", "该文件为旧版 .doc 格式，请另存为 .docx 后再检查。",
                           "This is a legacy .doc file; save it as .docx and check again.")
    raise ZhengwuError("docx_encrypted", "该文件已加密（设有密码）或为旧版 .doc 格式，无法检查；请解除密码或另存为 .docx。",
                       "The file is password-protected (encrypted) or a legacy .doc file; remove the password or "
                       "save it as .docx.")


def _section(sec: Any) -> Section:
    return Section(*((getattr(sec, a) or 0) / MM for a in ("page_width", "page_height", "top_margin",
                                                            "bottom_margin", "left_margin", "right_margin")))


class _Styles:
    """Resolve a run's East Asian font and size through run → paragraph style → docDefaults."""

    def __init__(self, doc: Any) -> None:
        self.qn = qn
        root = doc.styles.element
        d = root.find(qn("w:docDefaults"))
        rpr = d.find(qn("w:rPrDefault")).find(qn("w:rPr")) if d is not None and d.find(qn("w:rPrDefault")) is not None \
            else None
        self.default_font, self.default_size = self._from_rpr(rpr)
        self.styles = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}

    def _from_rpr(self, rpr: Any) -> tuple[str | None, float | None]:
        qn = self.qn
        if rpr is None:
            return None, None
        font = size = None
        rf = rpr.find(qn("w:rFonts"))
        if rf is not None:
            font = rf.get(qn("w:eastAsia")) or None
            if font is None and rf.get(qn("w:eastAsiaTheme")):
                font = f"主题字体 theme {rf.get(qn('w:eastAsiaTheme'))}"
        sz = rpr.find(qn("w:sz"))
        if sz is not None and sz.get(qn("w:val")):
            size = int(sz.get(qn("w:val"))) / 2
        return font, size

    def style_props(self, style_id: str | None) -> tuple[str | None, float | None]:
        qn = self.qn
        font = size = None
        seen = 0
        while style_id and style_id in self.styles and seen < 10:
            s = self.styles[style_id]
            f, z = self._from_rpr(s.find(qn("w:rPr")))
            font, size = font or f, size or z
            based = s.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
            seen += 1
        if "Normal" in self.styles and not style_id:
            f, z = self._from_rpr(self.styles["Normal"].find(qn("w:rPr")))
            font, size = font or f, size or z
        return font or self.default_font, size or self.default_size

    def line(self, p: Any, location: str) -> Line:
        qn = self.qn
        ppr = p.find(qn("w:pPr"))
        style_id = None
        align = None
        if ppr is not None:
            ps = ppr.find(qn("w:pStyle"))
            style_id = ps.get(qn("w:val")) if ps is not None else None
            jc = ppr.find(qn("w:jc"))
            align = jc.get(qn("w:val")) if jc is not None else None
        sfont, ssize = self.style_props(style_id or "Normal")
        runs: list[Run] = []
        red = False
        for r in p.iter(qn("w:r")):
            text = "".join(t.text or "" for t in r.iter(qn("w:t")))
            if not text:
                continue
            f, z = self._from_rpr(r.find(qn("w:rPr")))
            runs.append(Run(text, f or sfont, z or ssize))
            c = r.find(f"{qn('w:rPr')}/{qn('w:color')}")
            if c is not None and (c.get(qn("w:val")) or "").upper() in RED_COLOURS:
                red = True
        text = "".join(t for t, _, _ in runs)
        first = next(((f, z) for t, f, z in runs if t.strip()), (sfont, ssize))
        return Line(text.strip(), location, first[0], first[1], align, red, runs)


def docx_lines(doc: Any) -> list[Line]:
    """Body paragraphs (numbered from 1) and table-cell paragraphs (the 版记) in document order."""
    st = _Styles(doc)
    out: list[Line] = []
    n = 0
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            n += 1
            out.append(st.line(child, f"paragraph {n}"))
        elif child.tag == qn("w:tbl"):
            for j, p in enumerate(child.iter(qn("w:p")), 1):
                out.append(st.line(p, f"table after paragraph {n}, line {j}"))
    return out
