"""Reading a policy's own validity period from its text.

An expired scheme must never be offered as open, and the page metadata cannot be trusted for that: several
documents have no expiry date recorded, or a different one from the clause they carry. So the validity is
read from the document's own words ("自2019年7月1日起实施，有效期5年", "自印发之日起施行，有效期5年" with the
date it was issued, "有效期至2026年12月31日", "申请时间：2025年8月11日至8月22日", a one-off round's
application deadline) and always comes back with the sentence it was read from, so that an administrator
can check it.
"""

from __future__ import annotations

import datetime as dt
import re

from zhengwu.match.catalog import Validity

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10}
_NUM = r"[0-9０-９]+|[一二两三四五六七八九十]+"
_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_SENTENCE_END = "。；;\n"

_EFFECTIVE_FROM = re.compile(r"自\s*" + _DATE + r"\s*起?\s*(?:施行|实施|执行|生效)")
_FROM_ISSUE = re.compile(r"自\s*(?:印发|发布|公布|签发)之日起\s*(?:施行|实施|执行|生效)")
_TERM = re.compile(r"有效期\s*(?:为\s*)?(" + _NUM + r")\s*年")
# a term is the document's own only in a sentence about the document itself (not "报告有效期1年")
_SELF = re.compile(r"本(?:实施)?(?:通知|办法|细则|规定|意见|方案|决定|公告|通告|条例|政策|措施)|施行|实施")
_UNTIL = re.compile(r"有效期\s*(?:至|到|截至)\s*" + _DATE)
_WINDOW = re.compile(r"(?:申请|受理|申报)(?:时间|期限|日期)\s*[:：为]?\s*" + _DATE
                     + r"\s*(?:起)?\s*(?:至|到|—|-|－|~)\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ROUND_DEADLINE = re.compile(_DATE + r"[^。]{0,6}（?即?本次[^。]{0,12}申请截止之日")
_ISSUED_ON = re.compile(_DATE + r"\s*印发")


def cn_number(text: str) -> int | None:
    """'5' / '５' / '五' / '十二' / '二十' → int; None when it is not a number."""
    text = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS for ch in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text] if len(text) == 1 else None


def _date(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:                   # 29 February
        return day.replace(year=day.year + years, day=28)


def _sentence(text: str, start: int, end: int) -> str:
    """The whole sentence around text[start:end] (the administrator checks the reading against it), at most
    300 characters either side: the bound keeps a hostile text without full stops linear."""
    lo, hi = max(0, start - 300), min(len(text), end + 300)
    left = max(text.rfind(ch, lo, start) for ch in _SENTENCE_END)
    left = lo if left == -1 else left + 1
    rights = [i for i in (text.find(ch, end, hi) for ch in _SENTENCE_END) if i != -1]
    right = min(rights) if rights else hi
    return text[left:right].strip()


def parse_published(published: str | dt.date | None) -> dt.date | None:
    """A document date as metadata gives it: '2025-05-30', '2025-05-30 11:19', '2025年5月30日' or a date."""
    if isinstance(published, dt.date):
        return published
    if not published:
        return None
    m = re.match(r"\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", published)
    return _date(*m.groups()) if m else None


def issue_date(text: str, published: dt.date | None = None) -> dt.date | None:
    """When the document was issued (印发): "2021年4月16日印发" in its text, else the published date given."""
    found = [d for m in _ISSUED_ON.finditer(text) if (d := _date(*m.groups()))]
    return found[-1] if found else published


def read_validity(text: str, *, published: str | dt.date | None = None) -> Validity:
    """The validity period the document states about itself, with the sentence it came from.

    `valid_until` is the last day the scheme is open: a term of N years from a start date ends the day
    before the N-th anniversary (自2019年7月1日起实施，有效期5年 → 2024-06-30). A document that states no end
    gives `valid_until=None` (open-ended, as far as its text says); nothing is guessed from page metadata.
    """
    pub = parse_published(published)

    if m := _UNTIL.search(text):
        return Validity(valid_until=_date(*m.groups()), sentence=_sentence(text, m.start(), m.end()))

    if m := _WINDOW.search(text):
        start = _date(*m.group(1, 2, 3))
        if start is not None:
            until = _date(m.group(4) or str(start.year), m.group(5), m.group(6))
            if until is not None and until < start and not m.group(4):   # 12月20日至1月10日: into the next year
                until = _date(str(start.year + 1), m.group(5), m.group(6))
            return Validity(valid_from=start, valid_until=until, sentence=_sentence(text, m.start(), m.end()))

    terms = (t for t in _TERM.finditer(text) if _SELF.search(_sentence(text, t.start(), t.end())))
    if term := next(terms, None):
        years = cn_number(term.group(1))
        # the start: a date stated in the same sentence, else "自印发之日起" (the issue date), else the
        # first stated start date anywhere, else the document's published date
        sentence = _sentence(text, term.start(), term.end())
        start, sentences = None, [sentence]
        if (m := _EFFECTIVE_FROM.search(sentence)) is not None:
            start = _date(*m.group(1, 2, 3))
        elif _FROM_ISSUE.search(sentence):
            start = issue_date(text, pub)
        elif (m := _EFFECTIVE_FROM.search(text)) is not None:
            start = _date(*m.group(1, 2, 3))
            sentences.insert(0, _sentence(text, m.start(), m.end()))
        elif _FROM_ISSUE.search(text):
            start = issue_date(text, pub)
        else:
            start = pub
        if years and start:
            until = _add_years(start, years) - dt.timedelta(days=1)
            return Validity(valid_from=start, valid_until=until, sentence="；".join(sentences))

    if m := _ROUND_DEADLINE.search(text):
        return Validity(valid_until=_date(*m.group(1, 2, 3)), sentence=_sentence(text, m.start(), m.end()))

    if m := _EFFECTIVE_FROM.search(text):
        return Validity(valid_from=_date(*m.group(1, 2, 3)), sentence=_sentence(text, m.start(), m.end()))
    if m := _FROM_ISSUE.search(text):
        return Validity(valid_from=issue_date(text, pub), sentence=_sentence(text, m.start(), m.end()))
    return Validity()
