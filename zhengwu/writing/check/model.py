"""The neutral document model the checker works on, and what it reports.

Why a model of its own: the same element finder and rules serve a DOCX and a plain text. The reader turns
either into `Line`s (a paragraph's text, where it is, and for a DOCX its resolved runs, fonts, sizes,
alignment and colour) and `Section`s (page size and margins); nothing after the reader touches python-docx.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import NamedTuple


class Run(NamedTuple):
    """A run of text with its East Asian font, size (pt) and colour (RRGGBB or None) resolved through
    run → character style → paragraph style → basedOn chain → default paragraph style → docDefaults."""

    text: str
    font: str | None
    size: float | None
    color: str | None = None


@dataclass
class Line:
    """One paragraph (or one text line): its text and location, and for a DOCX its formatting."""

    text: str
    location: str
    font: str | None = None  # East Asian font of the first non-blank run (DOCX)
    size: float | None = None  # pt
    align: str | None = None
    red: bool = False
    runs: list[Run] = field(default_factory=list)
    indent_right: float = 0.0  # pt (w:ind right/end, or rightChars × the font size)
    indent_left: float = 0.0  # pt
    top_mm: float | None = None  # top edge below the top of the 版心, when the reader could place it (版头)
    in_table: bool = False
    rule_above: float | None = None  # width (mm) of a line drawn right above the paragraph (border), if any
    rule_below: float | None = None
    indent_first: float = 0.0  # pt, the first line's extra indent (negative: hanging)


@dataclass
class Section:
    """A DOCX section's page size and margins, in mm."""

    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float

    footer: float | None = None  # w:footer: the page's bottom edge to the footer's bottom (DOCX only)
    declared: bool = True  # False: the DOCX sets no page size / margins; Word's defaults are shown (Letter, 1 in)

    def as_dict(self) -> dict[str, float]:
        return {k: v for k, v in asdict(self).items() if v is not None and k != "declared"}


@dataclass
class Grid:
    """Lines per page and characters per line as Word/WPS lay the body out: lines from the body's line
    height (snapped to w:docGrid's linePitch, or an exact spacing), characters from its charSpace."""

    lines: float | None
    chars: float | None


@dataclass
class PageNumber:
    """A footer's page number: the text with the PAGE field's result, the field run's font and size, the
    paragraph alignment, and which pages the footer serves ("default" = odd/all, "even", "first")."""

    kind: str
    text: str
    font: str | None
    size: float | None
    align: str | None
    indent: float | None = None  # pt from the type area's outer edge (typed spaces included); None: not known
    gap_mm: float | None = None  # the 版心's bottom edge to the middle of the number's line; None: not known


@dataclass
class Stroke:
    """A red double line of the 信函 layout (GB/T 9704 §10.1), as a border or a drawn line: `where` is "mark"
    (under the 发文机关标志) or "bottom" (near the page's bottom edge); `style` names the lines from top to
    bottom ("thickThin": the thick one above), as OOXML border and DrawingML compound names do."""

    where: str
    style: str
    length_mm: float | None
    red: bool
    from_bottom_mm: float | None = None  # height above the page's bottom edge, when known


@dataclass
class Document:
    """What the reader read: `source` "docx" | "pdf" | "text", the lines in reading order and the page sections."""

    source: str
    lines: list[Line]
    sections: list[Section] = field(default_factory=list)
    grid: Grid | None = None
    page_numbers: list[PageNumber] = field(default_factory=list)
    odd_even: bool = False  # w:evenAndOddHeaders: distinct odd and even page footers
    strokes: list[Stroke] = field(default_factory=list)  # the 信函 layout's red double lines (DOCX)

    @property
    def docx(self) -> bool:
        return self.source == "docx"

    @property
    def formatted(self) -> bool:
        """Fonts, sizes, colours and page setup are known: a DOCX, or a PDF's text layer (pdf_reader.py)."""
        return self.source in ("docx", "pdf")


@dataclass
class Violation:
    rule: str
    message_zh: str
    message_en: str
    location: str
    severity: str = "error"
    excerpt: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class CheckReport:
    source: str  # "docx" | "text"
    violations: list[Violation] = field(default_factory=list)
    elements: dict = field(default_factory=dict)

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def rules(self) -> set[str]:
        return {v.rule for v in self.violations}

    def to_dict(self) -> dict:
        return {"ok": self.ok, "source": self.source, "errors": len(self.errors),
                "warnings": len(self.violations) - len(self.errors), "elements": self.elements,
                "violations": [v.to_dict() for v in self.violations]}
