"""Text normalisation before matching, with a map back to the original positions.

Identifiers are written with full-width digits (１３８…), ideographic spaces and invisible characters
(zero-width spaces) in real Chinese text. Recognisers match on a normalised copy; every finding's span is
mapped back so masking replaces exactly the original characters.
"""

from __future__ import annotations

import re

# Characters removed outright (zero-width space/joiners, word joiner, BOM, soft hyphen).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE_RX = re.compile(f"[{_INVISIBLE}]")
# One-to-one replacements (positions unchanged): full-width digits and Latin letters, ＋－＠．＿＃, odd spaces.
_TABLE = {o: o - 0xFEE0 for o in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}
_TABLE.update({ord(c): ord(c) - 0xFEE0 for c in "＋－＠．＿＃"})
_TABLE.update({0x3000: 0x20, 0x00A0: 0x20})
_NEEDS_MAP = re.compile("[" + "".join(chr(k) for k in _TABLE) + "]+")


class Normalized:
    """A normalised copy of a text plus the original index of each of its characters."""

    __slots__ = ("original", "text", "_map")

    def __init__(self, original: str):
        self.original = original
        self._map: list[int] | None = None
        # translate only the runs that need it: Chinese text is mostly untouched
        text = _NEEDS_MAP.sub(lambda m: m.group(0).translate(_TABLE), original)
        if _INVISIBLE_RX.search(text):
            out: list[str] = []
            pos: list[int] = []
            for i, ch in enumerate(text):
                if ch in _INVISIBLE:
                    continue
                out.append(ch)
                pos.append(i)
            pos.append(len(text))
            text = "".join(out)
            self._map = pos
        self.text = text

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised span [start, end)."""
        if self._map is None:
            return start, end
        # end maps to one past the original index of the last character, so invisible characters
        # *inside* the span are covered and trailing ones are not.
        return self._map[start], self._map[end - 1] + 1 if end > start else self._map[start]
