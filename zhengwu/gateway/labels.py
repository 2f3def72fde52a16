"""AI-content labels per GB 45438-2025 and the 《人工智能生成合成内容标识办法》 (standards.md §2).

- Explicit label: a visible text prompt with an AI element and a generation element ("人工智能生成" / "AI生成").
- Implicit label: the Annex E `AIGC` object with 7 string keys, as one metadata entry per file:
  DOCX: one custom property named `AIGC` in docProps/custom.xml; PDF: one `/AIGC` key in the Info dictionary;
  JSON: an `AIGC` key next to a visible `ai_label`. Re-labelling overwrites, never duplicates.
Human-written content (uploads, citizens' messages) is never labelled: only call these on generated output.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
from pathlib import Path
from typing import Any

from zhengwu.config import get_settings
from zhengwu.kb.parsers.ziplimits import safe_zip

LABELS = {"zh": "人工智能生成", "en": "AI生成"}
# Where a scenario's generated text carries the visible label (GB 45438 §5.1: "start, end or a suitable middle
# position"; or "around the text in the interface", 办法 Art. 4, when the application shows it there). The
# implicit AIGC metadata has no such setting: it is always written.
PLACEMENTS = ("append", "prepend", "metadata_only")
AIGC_KEYS = ("Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID",
             "ReservedCode2")
# Annex E character set: printable ASCII without space, '"' and '\'.
_ALLOWED = re.compile(r"[^\x21\x23-\x5b\x5d-\x7e]")
_AI_ELEMENT = ("人工智能", "AI")
_GEN_ELEMENT = ("生成", "合成")

CUSTOM_PROPS_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPS_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def explicit_label(lang: str = "zh") -> str:
    """The visible label text: "人工智能生成" (zh) or "AI生成" (en)."""
    return LABELS.get(lang, LABELS["zh"])


def has_explicit_label(text: str) -> bool:
    """True when the text contains an AI element and a generation element (GB 45438 §5)."""
    return any(a in text for a in _AI_ELEMENT) and any(g in text for g in _GEN_ELEMENT)


def _ascii_code(value: str) -> str:
    return _ALLOWED.sub("_", value) or "zhengwu"


def new_produce_id() -> str:
    return uuid.uuid4().hex


def content_sha256(content: str | bytes | None) -> str:
    if content is None:
        return ""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def aigc_metadata(produce_id: str | None = None, content: str | bytes | None = None) -> dict:
    """The GB 45438 Annex E implicit label {"AIGC": {7 string keys}} (first write: propagator = producer)."""
    producer = _ascii_code(get_settings().content_producer)
    pid = _ascii_code(produce_id) if produce_id else new_produce_id()
    return {"AIGC": {
        "Label": "1",
        "ContentProducer": producer,
        "ProduceID": pid,
        "ReservedCode1": content_sha256(content),
        "ContentPropagator": producer,
        "PropagateID": pid,
        "ReservedCode2": "",
    }}


def aigc_json(produce_id: str | None = None, content: str | bytes | None = None) -> str:
    """The metadata value as the compact JSON string Annex E prescribes."""
    return json.dumps(aigc_metadata(produce_id, content), ensure_ascii=True, separators=(",", ":"))


def validate_aigc(value: str | dict) -> dict:
    """Parse and check an implicit label; raises ValueError naming the problem. Returns the inner object."""
    obj = json.loads(value) if isinstance(value, str) else value
    inner = obj.get("AIGC") if isinstance(obj, dict) else None
    if not isinstance(inner, dict) or set(inner) != set(AIGC_KEYS):
        raise ValueError(f"AIGC object must have exactly the keys {AIGC_KEYS}")
    for k, v in inner.items():
        if not isinstance(v, str):
            raise ValueError(f"AIGC.{k} must be a string")
        if _ALLOWED.search(v):
            raise ValueError(f"AIGC.{k} has characters outside the Annex E set")
    if inner["Label"] not in ("1", "2", "3"):
        raise ValueError("AIGC.Label must be \"1\", \"2\" or \"3\"")
    return inner


def label_parts(text: str, lang: str = "zh", placement: str = "append") -> tuple[str, str]:
    """(what goes before `text`, what goes after it) to show the visible label at `placement`.

    Why parts rather than the labelled text: a streamed answer sends the head before the text exists and the
    tail after it. A text that already carries a label at either end gets none; `metadata_only` puts none in
    the text (the application shows the `ai_label` in its interface, GB 45438 §5.6)."""
    if placement == "metadata_only" or has_explicit_label(text[-40:]) or has_explicit_label(text[:40]):
        return "", ""
    mark = f"（{explicit_label(lang)}）" if lang == "zh" else f"({explicit_label(lang)})"
    return (mark + "\n\n", "") if placement == "prepend" else ("", "\n\n" + mark)


def label_text(text: str, lang: str = "zh", placement: str = "append") -> str:
    """Generated text with the visible label at `placement` (see PLACEMENTS; unchanged if it carries one)."""
    head, tail = label_parts(text, lang, placement)
    return head + text + tail


def label_json(obj: dict, produce_id: str | None = None, lang: str = "zh") -> dict:
    """A copy of a generated JSON object with the visible "ai_label" and the implicit "AIGC" object."""
    out = {k: v for k, v in obj.items() if k not in ("ai_label", "AIGC")}
    body = json.dumps(out, ensure_ascii=False, sort_keys=True)
    out["ai_label"] = explicit_label(lang)
    out["AIGC"] = aigc_metadata(produce_id, body)["AIGC"]
    return out


# -------------------------------------------------------------------------------------------------- DOCX


def _docx_text(doc: Any) -> str:
    parts = [p.text for p in doc.paragraphs]
    for section in doc.sections:
        for p in list(section.header.paragraphs) + list(section.footer.paragraphs):
            parts.append(p.text)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def _custom_props_xml(value: str, existing: bytes | None) -> bytes:
    """docProps/custom.xml with exactly one property named AIGC (other properties kept)."""
    # lxml with the DOCX functions only: every governed interaction loads this module (each `zhengwu search`)
    from lxml import etree

    if existing:
        root = etree.fromstring(existing)
        for prop in root.findall(f"{{{_CP_NS}}}property"):
            if prop.get("name") == "AIGC":
                root.remove(prop)
    else:
        root = etree.Element(f"{{{_CP_NS}}}Properties", nsmap={None: _CP_NS, "vt": _VT_NS})
    pids = [int(p.get("pid", "1")) for p in root.findall(f"{{{_CP_NS}}}property")]
    prop = etree.SubElement(root, f"{{{_CP_NS}}}property", fmtid=_FMTID, pid=str(max(pids + [1]) + 1), name="AIGC")
    etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def label_docx(document_or_path: Any, produce_id: str | None = None, lang: str = "zh") -> Any:
    """Put the visible label (if missing) and one AIGC custom property into a generated DOCX.

    Accepts a python-docx Document (modified in place and returned) or a path (saved in place, path returned).
    """
    # python-docx, pypdf and reportlab take 100-250 ms each and this module loads with every CLI command
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE  # noqa: F401 - ensures the opc package is loaded
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    path = None
    if isinstance(document_or_path, (str, Path)):
        path = Path(document_or_path)
        doc = docx.Document(str(path))
    else:
        doc = document_or_path
    body_text = _docx_text(doc)
    if not has_explicit_label(body_text):
        doc.add_paragraph(f"（{explicit_label(lang)}）" if lang == "zh" else f"({explicit_label(lang)})")
        body_text = _docx_text(doc)
    value = aigc_json(produce_id, body_text)
    package = doc.part.package
    existing_part = None
    for rel in package.rels.values():
        if rel.reltype == CUSTOM_PROPS_RT and not rel.is_external:
            existing_part = rel.target_part
            break
    if existing_part is not None:
        existing_part._blob = _custom_props_xml(value, existing_part.blob)
    else:
        part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPS_CT, _custom_props_xml(value, None), package)
        package.relate_to(part, CUSTOM_PROPS_RT)
    if path is not None:
        doc.save(str(path))
        return path
    return doc


def read_docx_aigc(path: Path) -> list[str]:
    """Every AIGC custom-property value in a DOCX (a correct file has exactly one)."""
    from lxml import etree

    with safe_zip(path) as z:  # the file may come from outside: inflate through the zip-bomb guard
        if "docProps/custom.xml" not in z.namelist():
            return []
        root = etree.fromstring(z.read("docProps/custom.xml"))
    return [p.findtext(f"{{{_VT_NS}}}lpwstr") or "" for p in root.findall(f"{{{_CP_NS}}}property")
            if "AIGC" in (p.get("name") or "")]


# --------------------------------------------------------------------------------------------------- PDF


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader  # ~200 ms: only when a PDF is labelled (see label_docx)

    return "\n".join((page.extract_text() or "") for page in PdfReader(str(path)).pages)


def stamp_pdf_label(path: Path, lang: str = "zh") -> Path:
    """Stamp a visible label line at the foot of the first page (for generated PDFs that lack one)."""
    # pypdf and reportlab: ~300 ms together, only when a PDF is labelled (see label_docx)
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    path = Path(path)
    reader = PdfReader(str(path))
    writer = PdfWriter(clone_from=reader)
    first = writer.pages[0]
    w, h = float(first.mediabox.width), float(first.mediabox.height)
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(w, h))
    c.setFont("STSong-Light", 10)
    c.drawString(36, 24, f"（{explicit_label(lang)}）" if lang == "zh" else f"({explicit_label(lang)})")
    c.save()
    buf.seek(0)
    first.merge_page(PdfReader(buf).pages[0])
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def label_pdf(path: Path | str, produce_id: str | None = None, lang: str = "zh") -> Path:
    """Set exactly one /AIGC key in the PDF Info dictionary; stamp the visible label first if it is missing."""
    from pypdf import PdfReader, PdfWriter  # ~200 ms: only when a PDF is labelled (see label_docx)

    path = Path(path)
    text = pdf_text(path)
    if not has_explicit_label(text):
        stamp_pdf_label(path, lang)
        text = pdf_text(path)
    reader = PdfReader(str(path))
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/AIGC": aigc_json(produce_id, text)})
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def read_pdf_aigc(path: Path) -> str | None:
    from pypdf import PdfReader  # ~200 ms: only when a PDF is read (see label_docx)

    meta = PdfReader(str(path)).metadata or {}
    value = meta.get("/AIGC")
    return str(value) if value is not None else None


def carry_label_to_pdf(docx: Path, pdf: Path) -> bool:
    """A PDF made from an AI-labelled DOCX gets the implicit label too (GB 45438: every export path).
    Returns whether the DOCX carried a label."""
    values = read_docx_aigc(Path(docx))
    if not values:
        return False
    try:
        produce_id = json.loads(values[0])["AIGC"]["ProduceID"]
    except (ValueError, KeyError, TypeError):
        produce_id = None
    label_pdf(pdf, produce_id=produce_id)
    return True
