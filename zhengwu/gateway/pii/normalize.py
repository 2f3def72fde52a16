"""Text normalisation before matching, with a map back to the original positions.

Identifiers are written with full-width digits (１３８…), ideographic spaces and invisible characters
(zero-width spaces) in real Chinese text. Recognisers match on a normalised copy; every finding's span is
mapped back so masking replaces exactly the original characters.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# Characters removed outright (zero-width space/joiners, word joiner, BOM, soft hyphen).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE_RX = re.compile(f"[{_INVISIBLE}]")
# One-to-one replacements (positions unchanged): full-width digits and Latin letters, ＋－＠．＿＃, odd spaces.
_TABLE = {o: o - 0xFEE0 for o in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}
_TABLE.update({ord(c): ord(c) - 0xFEE0 for c in "＋－＠．＿＃"})
_TABLE.update({0x3000: 0x20, 0x00A0: 0x20})
_NEEDS_MAP = re.compile("[" + "".join(chr(k) for k in _TABLE) + "]+")


class Normalized:
    """A normalised copy of a text plus what is needed to map its positions back to the original."""

    __slots__ = ("original", "text", "_cuts")

    def __init__(self, original: str):
        self.original = original
        # translate only the runs that need it: Chinese text is mostly untouched
        text = _NEEDS_MAP.sub(lambda m: m.group(0).translate(_TABLE), original)
        self._cuts: list[int] | None = None
        if _INVISIBLE_RX.search(text):
            removed = [m.start() for m in _INVISIBLE_RX.finditer(text)]
            # the j-th removed character sits before normalised index removed[j] - j
            self._cuts = [r - j for j, r in enumerate(removed)]
            text = _INVISIBLE_RX.sub("", text)
        self.text = text

    def _orig(self, i: int) -> int:
        return i + bisect_right(self._cuts, i)  # type: ignore[arg-type]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised span [start, end)."""
        if self._cuts is None:
            return start, end
        # end maps to one past the original index of the last character, so invisible characters
        # *inside* the span are covered and trailing ones are not.
        return self._orig(start), (self._orig(end - 1) + 1 if end > start else self._orig(start))
