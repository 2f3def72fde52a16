"""Metadata of government text: title, issuing body (发文机关), 发文字号, date (成文日期), type and validity.

Why: a citizen must never be told an expired or repealed policy is current, and an answer must cite the
document by title and 文号. Structured fields (a JSONL record's title/issuer/doc_number/status...) are
authoritative and win over what is extracted from the text (`merge_record_fields`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from zhengwu.writing.doctypes import gongwen_names

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = "〇○零Ｏ一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"

_DATE_AR = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_CN = re.compile(rf"([{_CN_YEAR}]{{4}})年([{_CN_SMALL}]{{1,3}})月([{_CN_SMALL}]{{1,3}})日")
_DATE_ISO = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
_ANY_DATE = re.compile(f"{_DATE_AR.pattern}|{_DATE_CN.pattern}|{_DATE_ISO.pattern}")

# 发文字号: agency abbreviation + year in 〔〕 (also [] ［］ () （） 【】 in the wild) + number + 号
_DOC_NO = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]\s*第?\s*(\d{1,5})\s*号")
_ORDER_NO = re.compile(r"([\u4e00-\u9fff]{2,24}令)\s*(?:第\s*)?([\d一二三四五六七八九十百零〇]{1,6})\s*号")
_LABEL = {
    "issuer": re.compile(r"(?:发文机关|发布机构|发文单位|发布单位|信息来源|来源)\s*[:：]\s*([^\n]{2,60})"),
    "doc_number": re.compile(r"(?:发文字号|文号)\s*[:：]\s*([^\n]{2,40})"),
    "date": re.compile(r"(?:成文日期|发文日期|发布日期|印发日期|发表时间)\s*[:：]\s*\n?\s*([^\n]{6,30})"),
}

# title endings -> document type, most specific first; the 公文 文种 come from the one registry
# (zhengwu.writing.doctypes, plugins' types included) between these two groups
_KINDS_BEFORE: list[tuple[str, str]] = [
    ("办事指南", "办事指南"), ("服务指南", "办事指南"), ("指南", "办事指南"),
    ("常见问题", "FAQ"), ("问答", "FAQ"), ("问题解答", "FAQ"),
    ("实施细则", "细则"), ("细则", "细则"), ("办法", "办法"), ("规定", "规定"), ("规则", "规则"),
    ("条例", "条例"),
]
_KINDS_AFTER: list[tuple[str, str]] = [("规划", "规划"), ("方案", "方案"), ("解释", "司法解释"), ("法", "法律")]


def doc_types() -> list[tuple[str, str]]:
    """(title ending, document type) pairs, most specific first."""
    return _KINDS_BEFORE + [(name, name) for name in gongwen_names()] + _KINDS_AFTER

LAW_LEVELS = {"法律": "法律", "宪法": "法律", "行政法规": "条例", "地方性法规": "条例", "部门规章": "规章",
              "司法解释": "司法解释"}

_STATUS = {
    "有效": "effective", "现行有效": "effective", "effective": "effective", "valid": "effective",
    "尚未生效": "effective", "生效": "effective", "current": "effective",
    "失效": "expired", "已失效": "expired", "过期": "expired", "expired": "expired", "已过期": "expired",
    "已修改": "expired", "已被修改": "expired", "superseded": "expired", "amended": "expired",
    "废止": "repealed", "已废止": "repealed", "repealed": "repealed", "abolished": "repealed",
}


def _cn_number(s: str) -> int:
    """一 -> 1, 十二 -> 12, 二十一 -> 21, 三十 -> 30."""
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGIT.get(tens, 1) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)
    return _CN_DIGIT.get(s, 0)


def _mk(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str | None) -> date | None:
    """The first date in `text`: 2019年1月27日, 二〇一九年一月二十七日, 2019-01-27 (with a time or not)."""
    if not text:
        return None
    if isinstance(text, date):
        return text
    m = _ANY_DATE.search(str(text))
    if not m:
        return None
    g = m.groups()
    if g[0]:
        return _mk(int(g[0]), int(g[1]), int(g[2]))
    if g[3]:
        year = int("".join(str(_CN_DIGIT[c]) for c in g[3]))
        return _mk(year, _cn_number(g[4]), _cn_number(g[5]))
    return _mk(int(g[6]), int(g[7]), int(g[8]))


def normalise_doc_number(raw: str) -> str:
    """国发[2019]5号 / 国发（2019）5号 -> 国发〔2019〕5号 (the GB/T 9704 brackets)."""
    m = _DOC_NO.search(raw)
    if not m:
        return raw.strip()
    return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号"


def find_doc_number(text: str) -> str:
    """The document's own 发文字号: a line that is only a 文号 near the top wins over one cited in a sentence."""
    head = text[:1500]
    for line in head.split("\n")[:25]:
        line = line.strip()
        m = _DOC_NO.fullmatch(line) or _ORDER_NO.fullmatch(line)
        if m:
            return normalise_doc_number(line) if _DOC_NO.fullmatch(line) else line
    m = _LABEL["doc_number"].search(head)
    if m:
        return normalise_doc_number(m.group(1).strip())
    return ""


def find_title(text: str) -> str:
    """Title lines at the top (an official title is often broken over two or three lines)."""
    lines = [ln.strip().lstrip("#").strip() for ln in text.split("\n")[:12]]
    lines = [ln for ln in lines if ln]
    if not lines:
        return ""
    title_lines: list[str] = []
    for ln in lines:
        if _DOC_NO.fullmatch(ln) or _ANY_DATE.match(ln) or ln.endswith(("：", ":")) or len(ln) > 60:
            break
        if re.search(r"[。；！？]$", ln) or re.match(r"^(来源|发布|发表|信息来源|索引号)", ln):
            break
        title_lines.append(ln)
        joined = "".join(title_lines)
        if len(title_lines) >= 3 or any(joined.endswith(k) for k, _ in doc_types() if len(k) > 1):
            break
    title = "".join(title_lines) if title_lines else lines[0][:80]
    return title[:200]


def guess_doc_type(title: str, text: str = "") -> str:
    t = re.sub(r"[（(][^）)]*[）)]$", "", title.strip())
    if re.search(r"常见问题|问答|Q&A|FAQ", t, re.I):
        return "FAQ"
    for suffix, kind in doc_types():
        if t.endswith(suffix):
            return kind
    if re.search(r"办事指南|申请材料|受理条件|办理时限", text[:3000]):
        return "办事指南"
    return ""


def find_issuer(text: str, title: str, doc_number: str = "") -> str:
    """发文机关: an explicit label, the part of the title before 关于, or the signature above the date."""
    m = _LABEL["issuer"].search(text[:800])
    if m:
        val = re.sub(r"\s+", " ", m.group(1)).strip(" -—")
        if val and not _ANY_DATE.match(val):
            return val
    if "关于" in title:
        head = re.split(r"转发|批转|印发", title.split("关于", 1)[0])[0].strip()
        head = re.sub(r"^[（(]转载[)）]", "", head)
        if 2 <= len(head) <= 80 and not re.search(r"[：:【】《》，。]", head):
            return re.sub(r"\s+", " ", head)
    tail = [ln.strip() for ln in text.strip().split("\n")[-8:]]
    for i, ln in enumerate(tail):
        if i > 0 and _ANY_DATE.fullmatch(ln.replace(" ", "")):
            sig = tail[i - 1]
            if 2 <= len(sig) <= 60 and not re.search(r"[。；，！？]", sig):
                return re.sub(r"\s+", " ", sig)
    return ""


def find_pub_date(text: str) -> date | None:
    """成文日期: the date line under the signature at the end, else a labelled date near the top."""
    tail = [ln.strip().replace(" ", "") for ln in text.strip().split("\n")[-8:]]
    for ln in reversed(tail):
        if _ANY_DATE.fullmatch(ln) or (len(ln) <= 16 and _ANY_DATE.match(ln)):
            d = parse_date(ln)
            if d:
                return d
    head = text[:800]
    m = _LABEL["date"].search(head)
    if m:
        d = parse_date(m.group(1))
        if d:
            return d
    for ln in head.split("\n")[:8]:
        ln = ln.strip()
        if len(ln) <= 22 and _ANY_DATE.match(ln):
            return parse_date(ln)
    return None


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years) - timedelta(days=1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28) - timedelta(days=1)


_EFFECTIVE = re.compile(r"自\s*([^，。；\n]{4,20}?)\s*起(?:施行|执行|实施|生效)")
_EXPIRY = re.compile(r"有效期(?:至|到|截至)\s*([^，。；\n]{6,20}?日)")
_PERIOD = re.compile(r"有效期(?:为|是)?\s*([\d一二两三四五六七八九十]{1,3})\s*年")
# A validity clause is the document's own when its sentence names the document ("本通知有效期1年") or its coming
# into force ("自…起施行，有效期至…"); "电子居住证有效期为一年" describes a certificate, not the guide.
_SELF = re.compile(r"本(?:通知|办法|规定|细则|意见|条例|决定|公告|通告|方案|实施办法|实施细则|规则|标准|政策|文件|措施|指引|批复"
                   r"|意见|制度|规划|计划|清单|目录)|起(?:施行|执行|实施|生效)|印发之日|发布之日|公布之日")
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")


def _own_clause(text: str, m: re.Match) -> bool:
    """Is the validity phrase matched by `m` about the document itself (see _SELF)?"""
    start = max((e.end() for e in _SENTENCE_END.finditer(text, 0, m.start())), default=0)
    return bool(_SELF.search(text[start:m.start()]))


def _own_match(pattern: re.Pattern, text: str) -> re.Match | None:
    return next((m for m in pattern.finditer(text) if _own_clause(text, m)), None)


_REPEALS = re.compile(r"((?:《[^》]{2,80}》(?:（[^）]{2,30}）)?[、和及]?){1,8})\s*同时(?:废止|停止执行)")


def find_validity(text: str, pub_date: date | None, today: date | None = None) -> dict:
    """Effective / expiry dates from 自…起施行, 有效期至…, 有效期X年; validity from the expiry date.

    Only a validity clause about the document itself counts (its sentence says 本通知/本办法… or …起施行):
    a service guide's "电子居住证有效期为一年" is the certificate's period, and the guide does not expire by it.
    "同时废止" names *other* documents this one repeals: they are kept in `repeals`, this one stays valid.
    """
    today = today or date.today()
    out: dict = {"effective_date": None, "expiry_date": None, "validity": "effective", "repeals": []}
    tail = text[-3000:]
    m = _EFFECTIVE.search(tail) or _EFFECTIVE.search(text)
    if m:
        phrase = m.group(1)
        out["effective_date"] = parse_date(phrase) or (pub_date if re.search(r"印发|发布|公布|之日", phrase) else None)
    m = _own_match(_EXPIRY, text)
    if m:
        out["expiry_date"] = parse_date(m.group(1))
    else:
        m = _own_match(_PERIOD, tail)
        start = out["effective_date"] or pub_date
        if m and start:
            n = m.group(1)
            years = int(n) if n.isdigit() else _cn_number(n)
            if 0 < years < 50:
                out["expiry_date"] = _add_years(start, years)
    for m in _REPEALS.finditer(text):
        out["repeals"].extend(re.findall(r"《([^》]+)》", m.group(1)))
    if out["expiry_date"] and out["expiry_date"] < today:
        out["validity"] = "expired"
    return out


_ORDER_HEAD = re.compile(r"^(?:中华人民共和国)?(.{1,30}?)令\s*\n\s*(第\s*\d{1,5}\s*号)\s*\n")


def _order_metadata(text: str) -> dict | None:
    """A promulgation order (国务院令第707号) on top of the regulation it promulgates."""
    m = _ORDER_HEAD.match(text.lstrip())
    if not m:
        return None
    body = m.group(1).strip()
    number = m.group(2).replace(" ", "")
    doc_number = ("国令" if body == "国务院" else body + "令") + number
    title = ""
    for ln in text.lstrip()[m.end():].split("\n")[:12]:
        ln = _squeeze(ln.strip())
        if 2 < len(ln) <= 60 and not re.search(r"[。，；：]", ln) and any(
                ln.endswith(k) for k, _ in doc_types() if len(k) > 1 or k == "法"):
            title = ln
            break
    return {"doc_number": doc_number, "issuer": body, "title": title}


def _squeeze(s: str) -> str:
    """Remove spaces between Chinese characters ("几 个 问 题 的 通 知" -> "几个问题的通知")."""
    return re.sub(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])", "", s)


def extract_metadata(text: str, title: str | None = None, today: date | None = None) -> dict:
    """Everything extractable from the text alone; keys match Document columns (+ `repeals`)."""
    order = _order_metadata(text)
    title = (title or "").strip() or (order or {}).get("title") or _squeeze(find_title(text))
    doc_number = (order or {}).get("doc_number") or find_doc_number(text)
    pub_date = find_pub_date(text)
    validity = find_validity(text, pub_date, today)
    return {
        "title": title,
        "issuer": (order or {}).get("issuer") or find_issuer(text, title, doc_number),
        "doc_number": doc_number,
        "pub_date": pub_date,
        "doc_type": guess_doc_type(title, text),
        **validity,
    }


# --- structured records (JSONL) --------------------------------------------------------------------------

_FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "标题", "name", "law_title", "item_name"),
    "issuer": ("issuer", "issuing_body", "issuing_authority", "发文机关", "agency", "implementing_agency"),
    "doc_number": ("doc_number", "document_number", "文号", "发文字号"),
    "doc_type": ("doc_type", "document_type", "type", "文种"),
    "pub_date": ("pub_date", "date", "成文日期", "written_date", "promulgation_date", "publish_date"),
    "effective_date": ("effective_date", "施行日期"),
    "expiry_date": ("expiry_date", "有效期至"),
    "validity": ("validity", "status", "时效性"),
}


def status_to_validity(status: str | None) -> str | None:
    """有效 / 失效 / 已修改 / 已废止 (and English forms) -> effective | expired | repealed."""
    if not status:
        return None
    s = str(status).strip()
    if s in _STATUS:
        return _STATUS[s]
    low = s.lower()
    if low in _STATUS:
        return _STATUS[low]
    if "废止" in s:
        return "repealed"
    if "失效" in s or "修改" in s or "过期" in s:
        return "expired"
    if "有效" in s:
        return "effective"
    return None


def merge_record_fields(extracted: dict, record: dict, today: date | None = None) -> dict:
    """Fields present in a structured record win over extraction; validity follows the record's status or
    its expiry date (an expiry date in the past makes a document expired even if no status says so)."""
    today = today or date.today()
    out = dict(extracted)
    for key, aliases in _FIELD_ALIASES.items():
        for alias in aliases:
            val = record.get(alias)
            if val in (None, "", []):
                continue
            if key in ("pub_date", "effective_date", "expiry_date"):
                d = parse_date(str(val))
                if d:
                    out[key] = d
                    break
                continue
            if key == "validity":
                v = status_to_validity(str(val))
                if v:
                    out["validity"] = v
                    out["validity_source"] = "record"
                    break
                continue
            out[key] = re.sub(r"\s+", " ", str(val)).strip() if key != "doc_number" else normalise_doc_number(str(val))
            break
    if not record.get("doc_type") and record.get("level") in LAW_LEVELS:
        out["doc_type"] = LAW_LEVELS[record["level"]]
    if out.get("validity_source") != "record" and out.get("expiry_date"):
        out["validity"] = "expired" if out["expiry_date"] < today else "effective"
    out.pop("validity_source", None)
    return out
