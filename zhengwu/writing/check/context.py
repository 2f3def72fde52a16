"""What every rule receives (`Context`) and how it reports (`violation`).

Kept apart from the rule registry so that rule modules and the registry do not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhengwu.writing.check.elements import Elements
from zhengwu.writing.check.model import Document, Line, Violation
from zhengwu.writing.doctypes import DocType, find_doctype


@dataclass
class Context:
    """The document as read (non-empty lines only), its elements and its 文种 (None when not recognised)."""

    doc: Document
    lines: list[Line]
    el: Elements
    doc_type: str | None

    @property
    def formatted(self) -> bool:
        """Formatting and page setup are known (a DOCX or a PDF), so the layout rules run."""
        return self.doc.formatted

    @property
    def doctype(self) -> DocType | None:
        return find_doctype(self.doc_type) if self.doc_type else None

    def at(self, k: int | None) -> Line | None:
        """The line of an element index (None for an absent element)."""
        return self.lines[k] if k is not None else None


def violation(rule: str, zh: str, en: str, line: Line | None, severity: str = "error",
              location: str | None = None) -> Violation:
    """A finding located at `line` (its location and the first 60 characters as the excerpt)."""
    return Violation(rule, zh, en, location or (line.location if line else ""), severity,
                     (line.text[:60] if line else ""))
