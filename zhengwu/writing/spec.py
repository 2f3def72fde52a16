"""The document model: one `DocSpec` holds the elements of one 公文 (GB/T 9704-2012 §7, 条例 第九条).

`load_spec(data)` turns the public SPEC JSON (keys: type, issuer, number, title, recipients, body, signature,
date, attachments, cc, printer, print_date, copy_number, secrecy, urgency, signer, note) into a validated
DocSpec. Everything missing is reported at once in one bilingual ZhengwuError, so a user fixes the spec in
one go. Values that are only spelled wrongly but unambiguous (2026年08月01日, 二〇二六年八月一日, 2026-08-01,
[2026], 05号) are normalised to the standard spelling and the change is listed in `DocSpec.notes`, because a
renderer that refuses a date it can read helps nobody; values it cannot read are errors.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from zhengwu.errors import ZhengwuError
from zhengwu.writing.doctypes import NUMBER_RE, DocType, get_doctype, normalise_type

MAX_TITLE_CHARS = 80
MAX_BODY_CHARS = 200_000
SECRECY_LEVELS = ("绝密", "机密", "秘密")
URGENCY_LEVELS = ("特急", "加急", "特提", "平急")

# Heading markers, level 1..4: 一、 > （一） > 1. > （1）  (standards.md §1.2 正文).
CN_NUM = "一二三四五六七八九十百零〇两"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern], ...] = (
    (1, re.compile(rf"^([{CN_NUM}]+)、")),
    (2, re.compile(rf"^（([{CN_NUM}]+)）")),
    (3, re.compile(r"^([0-9]{1,3})[.．](?![0-9])")),
    (4, re.compile(r"^（([0-9]{1,3})）")),
)

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def heading_level(text: str) -> int:
    """0 for an ordinary paragraph, else 1..4 for 一、 / （一） / 1. / （1）."""
    for level, pat in HEADING_PATTERNS:
        if pat.match(text):
            return level
    return 0


def em_width(text: str) -> float:
    """The width of `text` in characters (ems) as 公文 are set: Chinese and full-width characters one, Latin
    letters and Arabic numerals half (半角). Why: "centred over the date" and "N characters from the right"
    (GB/T 9704 §7.3.5) are measured on the printed line, where 2019年1月27日 is six and a half characters wide."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def cn_to_int(s: str) -> int | None:
    """Chinese numerals to int: 十二 → 12, 二十一 → 21, 三十 → 30, 二〇二六 → 2026 (digit by digit)."""
    if not s:
        return None
    if "十" not in s and "百" not in s:
        if all(c in _CN_DIGITS for c in s):
            return int("".join(str(_CN_DIGITS[c]) for c in s))
        return None
    total, cur = 0, 0
    for c in s:
        if c in _CN_DIGITS:
            cur = _CN_DIGITS[c]
        elif c == "十":
            total += (cur or 1) * 10
            cur = 0
        elif c == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


_CN_DATE = re.compile(r"^([〇零○一二三四五六七八九Ｏ]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
_ARABIC_DATE = re.compile(r"^(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2}))$")


def normalise_date(value: str) -> str | None:
    """The standard spelling 2026年8月1日 of a date written any common way, or None if it is not a date."""
    v = re.sub(r"\s+", "", str(value or ""))
    v = v.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    m = _ARABIC_DATE.match(v)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2) or m.group(4)), int(m.group(3) or m.group(5))
    else:
        m = _CN_DATE.match(v)
        if not m:
            return None
        y, mo, d = cn_to_int(m.group(1)), cn_to_int(m.group(2)), cn_to_int(m.group(3))
        if y is None or mo is None or d is None:
            return None
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2200):
        return None
    return f"{y}年{mo}月{d}日"


_NUMBER_LOOSE = re.compile(r"^(?P<code>[\u4e00-\u9fa5A-Za-z]+)\s*[〔\[［【(（{｛〖「]\s*(?P<year>\d{2,4})\s*[〕\]］】)）}｝〗」]"
                           r"\s*第?\s*(?P<seq>\d+)\s*号$")


def normalise_number(value: str, doc_type: str = "") -> str | None:
    """The standard 发文字号 (机关代字〔YYYY〕N号; for a 命令 第N号), or None when it cannot be read."""
    v = re.sub(r"\s+", "", str(value or "")).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if doc_type == "命令":
        m = re.match(r"^第?0*([1-9]\d*)号?$", v)
        return f"第{m.group(1)}号" if m else None
    if NUMBER_RE.match(v):
        return v
    m = _NUMBER_LOOSE.match(v)
    if not m or len(m.group("year")) != 4 or int(m.group("seq")) == 0:
        return None
    return f"{m.group('code')}〔{m.group('year')}〕{int(m.group('seq'))}号"


def split_names(value: str | list[str] | None) -> list[str]:
    """A list of 机关 names from a list or a string separated by ，、；, (the final ：or 。 dropped)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    out: list[str] = []
    for item in value:
        s = str(item).strip().rstrip("：:。.")
        if s:
            out.append(s)
    return out


def count_recipients(names: list[str]) -> int:
    """How many bodies a 主送 list names (一文一事 rules count them): 、，；, all separate names."""
    return sum(len([p for p in re.split(r"[，、；,;]", n) if p.strip()]) for n in names)


def join_names(names: list[str]) -> str:
    """Names joined the way 主送/抄送 lines write them: 、 inside a group, ， between given items."""
    return "，".join(names)


@dataclass
class Attachment:
    """One 附件: its name as listed in the 附件说明, and optionally its text (rendered on its own page)."""

    title: str
    body: str = ""


@dataclass
class DocSpec:
    type: str
    issuer: str
    number: str
    title: str
    recipients: list[str]
    body: str
    signature: str
    date: str
    attachments: list[Attachment] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    printer: str = ""
    print_date: str = ""
    copy_number: str = ""
    secrecy: str = ""
    urgency: str = ""
    signer: list[str] = field(default_factory=list)
    note: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def doctype(self) -> DocType:
        return get_doctype(self.type)

    def paragraphs(self) -> list[str]:
        """Body paragraphs: separated by blank lines (single newlines inside a paragraph are joined)."""
        return body_paragraphs(self.body)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["attachments"] = [a if a.get("body") else a["title"] for a in d["attachments"]]
        d.pop("notes")
        return d


def body_paragraphs(body: str) -> list[str]:
    text = str(body or "").replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1 and "\n" in blocks[0].strip():
        # No blank lines at all: one paragraph per line (how most plain texts arrive).
        return [ln.strip() for ln in blocks[0].split("\n") if ln.strip()]
    return [re.sub(r"\s*\n\s*", "", b).strip() for b in blocks]


_FIELDS_ZH = {"type": "文种", "issuer": "发文机关", "number": "发文字号", "title": "标题", "recipients": "主送机关",
              "body": "正文", "signature": "发文机关署名", "date": "成文日期", "signer": "签发人",
              "print_date": "印发日期", "printer": "印发机关"}


def _s(data: dict, key: str) -> str:
    v = data.get(key)
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return "，".join(str(x).strip() for x in v if str(x).strip())
    return str(v).strip()


def load_spec(data: dict) -> DocSpec:
    """A validated DocSpec from the SPEC JSON; one ZhengwuError lists every missing or unreadable element."""
    if not isinstance(data, dict):
        raise ZhengwuError("spec_not_object", "SPEC 必须是 JSON 对象。", "The SPEC must be a JSON object.")
    missing: list[str] = []
    problems: list[tuple[str, str]] = []
    notes: list[str] = []

    raw_type = _s(data, "type")
    doc_type = normalise_type(raw_type) if raw_type else None
    if not raw_type:
        missing.append("type")
    elif doc_type is None:
        problems.append((f"文种“{raw_type}”不是《党政机关公文处理工作条例》规定的15种之一，也未由插件登记",
                         f"type '{raw_type}' is not one of the 15 document types nor registered by a plugin"))
    dt = get_doctype(doc_type or "通知")

    issuer, title, body, signature = _s(data, "issuer"), _s(data, "title"), str(data.get("body") or ""), \
        _s(data, "signature")
    recipients = split_names(data.get("recipients"))
    for key, value in (("issuer", issuer), ("title", title), ("body", body.strip())):
        if not value:
            missing.append(key)
    if not signature and dt.signature_required:
        missing.append("signature")
    if not recipients and dt.recipients_required:
        missing.append("recipients")

    number = _s(data, "number")
    if not number and dt.number_required:
        missing.append("number")
    elif number:
        fixed = normalise_number(number, doc_type or "")
        if fixed is None:
            want = "第N号" if doc_type == "命令" else "机关代字〔YYYY〕N号"
            problems.append((f"发文字号“{number}”无法识别，应为“{want}”",
                             f"document number '{number}' cannot be read; expected '{want}'"))
        elif fixed != number:
            notes.append(f"发文字号已规范为 {fixed} / number normalised to {fixed}")
            number = fixed

    date = _s(data, "date")
    if not date:
        missing.append("date")
    else:
        fixed = normalise_date(date)
        if fixed is None:
            problems.append((f"成文日期“{date}”无法识别，应为“2026年8月1日”",
                             f"date '{date}' cannot be read; expected e.g. 2026年8月1日"))
        elif fixed != date:
            notes.append(f"成文日期已规范为 {fixed} / date normalised to {fixed}")
            date = fixed

    signer = split_names(data.get("signer"))
    if dt.signer_required and not signer:
        missing.append("signer")

    print_date, printer = _s(data, "print_date"), _s(data, "printer")
    if printer and not print_date:
        missing.append("print_date")
    if print_date:
        fixed = normalise_date(print_date)
        if fixed is None:
            problems.append((f"印发日期“{print_date}”无法识别", f"print date '{print_date}' cannot be read"))
        else:
            print_date = fixed
        if not printer:
            missing.append("printer")

    if missing:
        zh = "、".join(_FIELDS_ZH.get(k, k) + f"（{k}）" for k in missing)
        raise ZhengwuError("spec_missing", f"公文要素缺失：{zh}。", "Missing document elements: " + ", ".join(missing) + ".",
                           missing=",".join(missing))

    title = re.sub(r"\s+", "", title)
    if len(title) > MAX_TITLE_CHARS:
        problems.append((f"标题过长（{len(title)} 字，最多 {MAX_TITLE_CHARS} 字）",
                         f"title too long ({len(title)} characters, at most {MAX_TITLE_CHARS})"))
    elif title[-1] in "。．.，,；;：:！!？?、":
        problems.append((f"标题末尾不应有标点“{title[-1]}”", f"the title must not end with punctuation '{title[-1]}'"))
    if len(body) > MAX_BODY_CHARS:
        problems.append((f"正文过长（超过 {MAX_BODY_CHARS} 字）", f"body longer than {MAX_BODY_CHARS} characters"))
    n_recipients = count_recipients(recipients)
    if dt.one_recipient and n_recipients > 1:
        problems.append((f"{doc_type}只能主送一个机关（现有 {n_recipients} 个）",
                         f"a {doc_type} goes to exactly one recipient (got {n_recipients})"))

    secrecy, urgency = _s(data, "secrecy"), _s(data, "urgency")
    if secrecy and not secrecy.startswith(SECRECY_LEVELS):
        problems.append((f"密级“{secrecy}”应为绝密、机密或秘密", f"secrecy '{secrecy}' must be 绝密, 机密 or 秘密"))
    if urgency and urgency not in URGENCY_LEVELS:
        problems.append((f"紧急程度“{urgency}”应为特急或加急", f"urgency '{urgency}' must be 特急 or 加急"))
    copy_number = _s(data, "copy_number")
    if copy_number:
        if not copy_number.isdigit() or len(copy_number) > 6:
            problems.append((f"份号“{copy_number}”应为不超过6位的阿拉伯数字",
                             f"copy number '{copy_number}' must be up to 6 Arabic digits"))
        else:
            copy_number = copy_number.zfill(6)

    attachments: list[Attachment] = []
    raw_att = data.get("attachments") or []
    if isinstance(raw_att, (str, dict)):
        raw_att = [raw_att]
    for a in raw_att:
        if isinstance(a, dict):
            name, text = str(a.get("title") or a.get("name") or "").strip(), str(a.get("body") or "")
        else:
            name, text = str(a).strip(), ""
        stripped = name.rstrip("。.，,；;：:")
        if stripped != name:
            notes.append(f"附件名称末尾标点已删除：{name} / trailing punctuation removed from attachment name")
        if stripped:
            attachments.append(Attachment(re.sub(r"^\d+[.．]\s*", "", stripped), text))

    if problems:
        raise ZhengwuError("spec_invalid", "公文要素有误：" + "；".join(p[0] for p in problems) + "。",
                           "Invalid document elements: " + "; ".join(p[1] for p in problems) + ".")

    if "printer" in dt.forbidden and printer:
        notes.append(f"{doc_type}的版记不加印发机关和印发日期 / a {doc_type} prints no 印发 line")
    if dt.closings:
        last = body_paragraphs(body)[-1] if body.strip() else ""
        if not any(c in last for c in dt.closings):
            notes.append(f"{doc_type}宜以“{dt.closings[0]}。”等结束语结尾 / a {doc_type} should end with a closing "
                         f"such as {dt.closings[0]}。")

    return DocSpec(type=doc_type or "通知", issuer=issuer, number=number, title=title, recipients=recipients, body=body,
                   signature=signature, date=date, attachments=attachments, cc=split_names(data.get("cc")),
                   printer=printer, print_date=print_date, copy_number=copy_number, secrecy=secrecy,
                   urgency=urgency, signer=signer, note=_s(data, "note"), notes=notes)
