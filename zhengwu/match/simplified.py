"""Traditional characters written by residents (香港, 澳门, older 广州 residents, a phone set to 繁體) in simplified ones.

"戶口喺越秀，今年六十七歲" states what "户口喺越秀，今年六十七岁" states; every pattern of `wording.py` and the Cantonese
table are written in simplified characters, so the text is converted once, first, with OpenCC's traditional-to-
simplified conversion (the maintained converter with phrase tables: 乾隆 stays, 乾淨 becomes 干净). Positions must hold
(the reader's spans point at the resident's words), so a conversion that changes the length falls back to one
character at a time, and Cantonese characters OpenCC rewrites into rarer forms (嗰 to 𠮶) are kept as written for
`cantonese.py`.
"""

from __future__ import annotations

from functools import lru_cache

_KEEP = frozenset("嗰")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """`text` in simplified characters, character for character (same length)."""
    if text.isascii():
        return text
    out = _converter().convert(text)
    if len(out) != len(text):
        out = "".join(c if len(c) == 1 else ch for ch, c in ((ch, _converter().convert(ch)) for ch in text))
    return "".join(ch if ch in _KEEP else c for ch, c in zip(text, out))
