"""Font families and colours as 公文 rules mean them, whatever name or value a producer wrote.

Why: Word, WPS and font vendors spell the same face many ways (方正小标宋简体, FZXiaoBiaoSong-B05S, 小标宋体,
仿宋_GB2312, FangSong, STFangsong …), and "red" is whatever red the template's author picked (FF0000, E60012,
C00000, a theme accent). Rules compare families and hues, never literal names or a list of hex values.
"""

from __future__ import annotations

import colorsys
import re

# (family, patterns on the lower-cased name without spaces, hyphens and underscores), most specific first:
# 小标宋 and 仿宋 before 宋体, which their names contain.
# 微软雅黑 (YaHei) is a sans face of its own, not 黑体. PostScript names count (FZXBSJW--GB1-0 is 方正小标宋简体).
_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("小标宋", ("小标宋", "xiaobiaosong", "fzxbs", "xbs")),
    ("仿宋", ("仿宋", "fangsong", "fzfs")),
    ("楷体", ("楷", "kaiti", "kai", "fzkt")),
    ("微软雅黑", ("雅黑", "yahei")),
    ("黑体", ("黑", "simhei", "heiti", "hei", "fzht")),
    ("宋体", ("宋", "simsun", "song", "fzss")),
)


def family(name: str | None) -> str | None:
    """The family of a font name (小标宋, 仿宋, 楷体, 黑体, 宋体), the name itself when unknown, None for none."""
    if not name:
        return None
    key = re.sub(r"[\s_\-]", "", name).lower()
    for fam, pats in _FAMILIES:
        if any(p in key for p in pats):
            return fam
    return name


def is_family(name: str | None, fam: str) -> bool:
    """Whether `name` is a face of `fam` (an unset font is not judged here: the caller decides)."""
    return family(name) == fam


def hex_rgb(value: str | None) -> tuple[int, int, int] | None:
    """RRGGBB → (r, g, b); None for "auto", empty or malformed values."""
    if not value or not re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        return None
    return int(value[:2], 16), int(value[2:4], 16), int(value[4:], 16)


def is_red(value: str | None) -> bool:
    """Red by hue (within 20° of pure red), saturation and brightness, as a reader sees red ink."""
    rgb = hex_rgb(value)
    if rgb is None:
        return False
    h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    return (h <= 20 / 360 or h >= 340 / 360) and s >= 0.5 and v >= 0.4


def is_black(value: str | None) -> bool:
    """Black (or unset/auto, which prints black): dark and unsaturated enough not to read as a colour."""
    rgb = hex_rgb(value)
    if rgb is None:
        return True
    _h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    return v <= 0.25 or (s <= 0.15 and v <= 0.35)
