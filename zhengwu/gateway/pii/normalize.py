"""Text normalisation before matching, with a map back to the original positions.

Identifiers are written with full-width digits (１３８…), ideographic spaces and invisible characters
(zero-width spaces) in real Chinese text. Recognisers match on a normalised copy; every finding's span is
mapped back so masking replaces exactly the original characters.
"""

from __future__ import annotations

import re

# Characters removed outright (zero-width space/joiners, word joiner, BOM, soft hyphen).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_NEEDS_WORK = re.compile(f"[\uff01-\uff5e\u3000\u00a0{_INVISIBLE}]")


def _map_char(ch: str) -> str:
    o = ord(ch)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return chr(o - 0xFEE0)  # full-width digit / Latin letter
    if ch in "＋－＠．＿＃":
        return chr(o - 0xFEE0)
    if ch in "\u3000\u00a0":
        return " "
    return ch


class Normalized:
    """A normalised copy of a text plus the original index of each of its characters."""

    __slots__ = ("original", "text", "_map")

    def __init__(self, original: str):
        self.original = original
        if not _NEEDS_WORK.search(original):
            self.text = original
            self._map: list[int] | None = None
            return
        out: list[str] = []
        pos: list[int] = []
        for i, ch in enumerate(original):
            if ch in _INVISIBLE:
                continue
            out.append(_map_char(ch))
            pos.append(i)
        pos.append(len(original))
        self.text = "".join(out)
        self._map = pos

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised span [start, end)."""
        if self._map is None:
            return start, end
        # end maps to one past the original index of the last character, so invisible characters
        # *inside* the span are covered and trailing ones are not.
        return self._map[start], self._map[end - 1] + 1 if end > start else self._map[start]
