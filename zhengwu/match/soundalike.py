"""Typos by sound: a cue word typed with a character of the same sound ("居主证", "住房工积金", "失业报险") is read as
the cue word.

Residents type with a pinyin input method, so a wrong character usually has the right sound. The rules' cue words
are matched character for character; this step, run on the prepared text before any pattern, puts the cue word back
where a window of the text sounds like it. Only cues of three or more characters are used, only one character may
differ (two for cues of five or more), and the usual fuzzy sounds of input methods are allowed (in/ing, en/eng,
an/ang, z/zh, c/ch, s/sh, n/l), so a short everyday word is never rewritten into a status. One more character may
differ when every differing character has the cue's very sound, tone included, and no two of them make a common word
together ("工基金" is 公积金, gōng jī jīn both; "土地保护" is no 低保户: dì is not dī). A differing character at
the window's edge that makes a common word with its neighbour outside ("残疾人政策": 政策, "失业经过": 经过) is a word,
not a typo: the window is left alone. The replacement has the same length, so positions in the text hold.
"""

from __future__ import annotations

import re
from functools import lru_cache

CUES = (
    "居住证", "暂住证", "残疾证", "残疾人证", "公积金", "住房公积金", "失业金", "失业保险", "失业保险金", "失业登记",
    "社会保险", "养老保险", "养老金", "医疗保险", "工伤保险", "营业执照", "个体户", "低保户", "低收入", "特困供养",
    "特困人员", "劳动合同", "工伤认定", "职业病", "优待证", "创业担保贷款", "法律援助", "见义勇为", "家庭暴力",
    "交通事故", "刑事处罚", "刑满释放", "退役军人", "退伍军人", "高校毕业生", "灵活就业", "护理补贴", "生活补贴",
    "长者饭堂", "养老机构", "户口本", "积分入户", "非全日制", "农民工", "进城务工",
)
"""The vocabulary's nouns of three or more characters that the rules' cues are made of."""

_FUZZY = ((re.compile(r"^(z|c|s)h"), r"\1"), (re.compile(r"^n(?=[^g]|$)"), "l"), (re.compile(r"(?<=[ae])ng$|(?<=i)ng$"), "n"))
_HAN = re.compile(r"[\u4e00-\u9fff]")
COMMON_WORD = 100
"""jieba's dictionary frequency from which a two-character word is common (政策 14,792, 经过 16,218; 做工 229, 交工 2)."""


@lru_cache(maxsize=8192)
def _sound(ch: str) -> str:
    """A character's toneless pinyin with the fuzzy pairs merged; "" for anything not a Chinese character."""
    if not _HAN.match(ch):
        return ""
    from pypinyin import lazy_pinyin  # here, not at import: its tables take about a second to load (`_almost`)

    s = lazy_pinyin(ch)[0]
    for rx, repl in _FUZZY:
        s = rx.sub(repl, s)
    return s


@lru_cache(maxsize=8)
def _by_first_sound(cues: tuple[str, ...]) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for cue in sorted(cues, key=len, reverse=True):
        sounds = tuple(_sound(ch) for ch in cue)
        out.setdefault(sounds[0], []).append((cue, sounds))
    return out


def _frequencies():  # noqa: ANN202 - jieba's FREQ table, or its SQLite copy (the same .get)
    """jieba's word frequencies, as the query cutter reads them (`zhengwu.kb.query_dict`: from the saved SQLite copy
    while the process has not loaded jieba's whole table — loading it takes seconds, and a citizen's question with
    a typo must not wait for it)."""
    from zhengwu.kb.query_dict import query_cutter

    return query_cutter().FREQ


def _word_across(text: str, i: int, n: int, differ: list[int]) -> bool:
    """A differing character at an edge of the window text[i:i+n] forms a common word with the character outside."""
    pairs = ([text[i - 1:i + 1]] if 0 in differ and i > 0 else []) + (
        [text[i + n - 1:i + n + 1]] if n - 1 in differ and i + n < len(text) else [])
    return any(_frequencies().get(p, 0) >= COMMON_WORD for p in pairs)


def _allowed(cue: str) -> int:
    return 2 if len(cue) >= 5 else 1


@lru_cache(maxsize=8192)
def _toned(ch: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(ch, style=Style.TONE3)[0]


def _same_to_the_tone(window: str, cue: str, differ: list[int]) -> bool:
    """Every differing character sounds exactly like the cue's, tone included, and no two neighbouring differing
    characters are a common word ("保护" in "地保护" is a word, not a typo of 低保户)."""
    if any(_toned(window[j]) != _toned(cue[j]) for j in differ):
        return False
    return not any(j + 1 in differ and _frequencies().get(window[j:j + 2], 0) >= COMMON_WORD for j in differ)


def _almost(text: str, cue: str) -> bool:
    """Some window of `text` differs from `cue` in at most one character more than `_allowed`, by the characters
    alone: only then is a sound looked up (pypinyin's tables take about a second to load, and most texts hold no
    typo)."""
    n, allowed = len(cue), _allowed(cue) + 1
    if len(set(cue) & set(text)) < n - allowed - (n - len(set(cue))):
        return False
    return any(0 < sum(a != b for a, b in zip(text[i:i + n], cue)) <= allowed for i in range(len(text) - n + 1))


def restore(text: str, cues: tuple[str, ...] = CUES) -> str:
    """`text` with every window that sounds like a cue but differs from it by a character or two replaced by the cue.
    `cues`: the vocabulary (default the matching rules' `CUES`; the Q&A rewrite passes its synonym table's terms)."""
    cues = tuple(c for c in cues if len(c) >= 3)
    if not text or not any(_almost(text, cue) for cue in cues):
        return text
    sounds = [_sound(ch) for ch in text]
    by_sound = _by_first_sound(cues)
    chars = list(text)
    i = 0
    while i < len(text):
        for cue, cue_sounds in by_sound.get(sounds[i], ()) if sounds[i] else ():
            n = len(cue)
            window = text[i:i + n]
            if len(window) < n or tuple(sounds[i:i + n]) != cue_sounds:
                continue
            differ = [j for j in range(n) if window[j] != cue[j]]
            if not differ or (len(differ) <= _allowed(cue) + 1 and not _word_across(text, i, n, differ) and (
                    len(differ) <= _allowed(cue) or _same_to_the_tone(window, cue, differ))):
                chars[i:i + n] = cue
                i += n - 1
                break
        i += 1
    return "".join(chars)
