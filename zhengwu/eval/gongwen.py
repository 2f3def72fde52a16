"""Benchmark `zhengwu eval gongwen`: render real State Council documents, measure and check them, then inject
format errors and count how many the checker finds.

For each document of official_docs/state_council_2018_2019.jsonl a SPEC is built from its fields (title,
issuer, doc_number, recipients, doc_type) and from its text (body up to the 署名/成文日期, the 附件说明, the
附注). Adaptations, stated in the output: 文种 "其他" (答复 letters) render as 函 and "条例" (published by a
国务院令) as 命令 with the 令号; dates written in Chinese numerals are converted; 国发/国办发 documents get
the 版记 the State Council uses (抄送 the standard list below, 印发 by 国务院办公厅 on the 成文日期), because
the web copies leave the 版记 out. Then:
1. every clean rendering is measured independently (`measure_docx`, lxml over the raw XML: page size,
   margins, grid, fonts and sizes per element, mark colour, footers) and checked (DOCX and its text form):
   the target is zero deviations and zero reported errors;
2. each error kind is injected into a copy and the checker must report the kind's rule.

Why one module of this size: the benchmark's injected-error kinds and their scorer belong together, so that
a new kind of error is added in one place with its expected rule id.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import tempfile
import time
import zipfile
from pathlib import Path

from lxml import etree

from zhengwu.errors import ZhengwuError
from zhengwu.writing.check import check_file, check_text
from zhengwu.writing.doctypes import get_doctype, gongwen_names, type_from_title
from zhengwu.writing.render_docx import build_document, spec_text
from zhengwu.writing.spec import DocSpec, heading_level, load_spec, normalise_date

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("ZHENGWU_SHARED", ROOT.parent / "shared"))
DEFAULT_DOCS = SHARED / "eval" / "official_docs" / "state_council_2018_2019.jsonl"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The 抄送 line of State Council 国发/国办发 documents (the 版记 is not part of the web copies).
STATE_COUNCIL_CC = ["党中央各部门", "中央军委办公厅", "全国人大常委会办公厅", "全国政协办公厅", "国家监委",
                    "最高人民法院", "最高人民检察院", "各民主党派中央"]

KINDS: dict[str, tuple[str, ...]] = {
    "number_brackets": ("number.brackets",),
    "number_leading_zero": ("number.leading_zero",),
    "number_di": ("number.di",),
    "date_padded": ("date.padded",),
    "date_chinese": ("date.chinese",),
    "heading_order": ("heading.order",),
    "heading_font": ("heading.font",),
    "title_punctuation": ("title.punctuation",),
    "attachment_punctuation": ("attachment.punctuation",),
    "page_margins": ("page.margins",),
    "body_font": ("body.font", "body.size"),
    "cc_full_stop": ("cc.full_stop",),
}
DOCX_ONLY = {"heading_font", "page_margins", "body_font"}


# ------------------------------------------------------------------------------------------ spec building


def _is_date_line(t: str) -> bool:
    return normalise_date(t) is not None and len(t) <= 16


def spec_from_record(rec: dict) -> tuple[dict, list[str]]:
    """A SPEC dict from one official_docs record, and the adaptations made."""
    notes: list[str] = []
    lines = [ln.strip() for ln in rec["text"].split("\n") if ln.strip()]
    number_raw = rec.get("doc_number") or ""
    doc_type = rec.get("doc_type") or ""
    if doc_type not in gongwen_names():
        t = type_from_title(rec["title"])
        if doc_type == "条例" or number_raw.startswith("国令"):
            t = "命令"
        elif doc_type == "其他":
            t = "函"
        notes.append(f"文种 {doc_type} → {t or '通知'}")
        doc_type = t or "通知"
    issuer = rec.get("issuer") or "国务院"
    number = number_raw
    if doc_type == "命令":
        m = re.search(r"第\d+号", number_raw)
        number = m.group(0) if m else number_raw
        issuer = "中华人民共和国国务院" if issuer == "国务院" else issuer
    # where the body starts: after the number line and the 主送 line
    start = 0
    compact = [re.sub(r"\s", "", ln) for ln in lines]
    for i, t in enumerate(compact[:8]):
        if t == re.sub(r"\s", "", number_raw) or (doc_type == "命令" and re.fullmatch(r"第\d+号", t)):
            start = i + 1
            break
    recipients = rec.get("recipients") or ""
    if start < len(lines) and lines[start].endswith("：") and len(lines[start]) < 300:
        recipients = recipients or lines[start].rstrip("：")
        start += 1
    # the 署名 + 成文日期 pair: the first date line preceded by a short line
    date_idx = None
    for i in range(start + 1, len(lines)):
        if _is_date_line(lines[i]) and len(lines[i - 1]) <= 30 and not lines[i - 1].endswith(("。", "：", "；")):
            date_idx = i
            break
    note = ""
    if date_idx is not None:
        signature, date = lines[date_idx - 1], normalise_date(lines[date_idx])
        if not re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", lines[date_idx]):
            notes.append("成文日期汉字数字 → 阿拉伯数字")
        body_lines = lines[start:date_idx - 1]
        after = lines[date_idx + 1:date_idx + 2]
        if after and re.fullmatch(r"（[^）]{2,20}）", after[0]):
            note = after[0]
    else:
        m = re.search(r"/(\d{4})-(\d{2})/(\d{2})/", rec.get("url") or "")
        signature = issuer.replace("、", " ")
        date = f"{int(m.group(1))}年{int(m.group(2))}月{int(m.group(3))}日" if m else "2019年1月1日"
        body_lines = lines[start:]
        notes.append("无署名和成文日期：用发文机关和网页发布日期")
    # 附件说明 inside the body
    attachments: list[str] = []
    for i, t in enumerate(body_lines):
        m = re.match(r"^附件[：:]\s*(.*)$", t)
        if m and i >= len(body_lines) - 4:
            names = [m.group(1)] + body_lines[i + 1:]
            attachments = [re.sub(r"^\d+[.．]", "", n).strip() for n in names if n.strip()]
            body_lines = body_lines[:i]
            break
    body = "\n\n".join(body_lines) or rec["title"]
    spec: dict = {"type": doc_type, "issuer": issuer, "number": number, "title": rec["title"],
                  "recipients": recipients, "body": body, "signature": signature, "date": date}
    if attachments:
        spec["attachments"] = attachments
    if note:
        spec["note"] = note
    if get_doctype(doc_type).recipients_required and not recipients:
        spec["recipients"] = "各省、自治区、直辖市人民政府，国务院各部委、各直属机构"
        notes.append("主送机关缺失：用国务院文件的通用主送")
    if re.match(r"^国(办)?发", number_raw):
        spec["cc"] = STATE_COUNCIL_CC
        spec["printer"] = "国务院办公厅"
        spec["print_date"] = date
        notes.append("版记：国务院文件通用抄送与印发机关")
    return spec, notes


def load_records(path: Path, limit: int | None = None) -> list[dict]:
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


# -------------------------------------------------------------------------------- independent measurement


def _font(r) -> tuple[str | None, int | None, str | None]:  # noqa: ANN001
    rpr = r.find(f"{W}rPr")
    if rpr is None:
        return None, None, None
    rf, sz, color = rpr.find(f"{W}rFonts"), rpr.find(f"{W}sz"), rpr.find(f"{W}color")
    return (rf.get(f"{W}eastAsia") if rf is not None else None,
            int(sz.get(f"{W}val")) if sz is not None else None,
            color.get(f"{W}val") if color is not None else None)


def measure_docx(path: Path, spec: DocSpec) -> list[str]:
    """Deviations of a rendered DOCX from GB/T 9704-2012, read from the raw XML (not via the checker)."""
    dev: list[str] = []
    with zipfile.ZipFile(path) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
        settings = etree.fromstring(z.read("word/settings.xml"))
        footers = [etree.fromstring(z.read(n)) for n in z.namelist() if re.match(r"word/footer\d*\.xml", n)]
        headers = [etree.fromstring(z.read(n)) for n in z.namelist() if re.match(r"word/header\d*\.xml", n)]
    body = doc.find(f"{W}body")
    sect = body.find(f"{W}sectPr")
    pg, mar, grid = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar"), sect.find(f"{W}docGrid")
    mm = lambda tw: int(tw) * 25.4 / 1440  # noqa: E731
    measured = (("page width", pg, "w", 210), ("page height", pg, "h", 297), ("top margin", mar, "top", 37),
                ("bottom margin", mar, "bottom", 35), ("left margin", mar, "left", 28), ("right margin", mar, "right", 26))
    for name, val, want in ((n, mm(el.get(f"{W}{attr}")), want) for n, el, attr, want in measured):
        if abs(val - want) > 0.5:
            dev.append(f"{name} {val:.1f} mm ≠ {want}")
    type_w = mm(pg.get(f"{W}w")) - mm(mar.get(f"{W}left")) - mm(mar.get(f"{W}right"))
    type_h = mm(pg.get(f"{W}h")) - mm(mar.get(f"{W}top")) - mm(mar.get(f"{W}bottom"))
    if abs(type_w - 156) > 0.5 or abs(type_h - 225) > 0.5:
        dev.append(f"type area {type_w:.1f}×{type_h:.1f} mm")
    if grid is None or grid.get(f"{W}linePitch") != "579" or grid.get(f"{W}type") != "linesAndChars":
        dev.append("document grid is not 22 lines (linePitch 579, linesAndChars)")
    if settings.find(f"{W}evenAndOddHeaders") is None:
        dev.append("no odd/even footers")
    paras = body.findall(f"{W}p")
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in paras]
    runs_of = [[r for r in p.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")).strip()] for p in paras]
    mark = spec.doctype.mark(spec.issuer)
    letter = spec.doctype.layout == "letter"
    title_idx = next((i for i, t in enumerate(texts) if t == re.sub(r"\s", "", spec.title)
                      or t.replace("\n", "") == spec.title), None)
    body_texts = spec.paragraphs()
    for i, (text, runs) in enumerate(zip(texts, runs_of)):
        if not runs:
            continue
        fonts = [_font(r) for r in runs]
        if text == mark and (title_idx is None or i < title_idx):
            if any(f[0] != "方正小标宋简体" or (f[2] or "").upper() != "FF0000" for f in fonts):
                dev.append(f"mark paragraph {i + 1}: not red 方正小标宋简体")
        elif i == title_idx:
            if any(f[0] != "方正小标宋简体" or f[1] != 44 for f in fonts):
                dev.append(f"title paragraph {i + 1}: not 方正小标宋简体 22 pt")
        elif text in body_texts:
            level = heading_level(text)
            want_first = {1: "黑体", 2: "楷体_GB2312"}.get(level, "仿宋_GB2312")
            if fonts[0][0] != want_first:
                dev.append(f"paragraph {i + 1} (level {level}): font {fonts[0][0]} ≠ {want_first}")
            if any(f[1] != 32 for f in fonts):
                dev.append(f"paragraph {i + 1}: size ≠ 16 pt")
            if any(f[0] not in ("黑体", "楷体_GB2312", "仿宋_GB2312") for f in fonts[1:]):
                dev.append(f"paragraph {i + 1}: unexpected font in a continuation run")
            sp = paras[i].find(f"{W}pPr/{W}spacing")
            if sp is None or sp.get(f"{W}line") != "579" or sp.get(f"{W}lineRule") != "exact":
                dev.append(f"paragraph {i + 1}: line spacing not exact 28.95 pt")
        elif "签发人" in text:
            if _font(runs[-1])[0] != "楷体_GB2312":
                dev.append("签发人 name not in 楷体")
    for tbl in body.findall(f"{W}tbl"):
        for r in tbl.iter(f"{W}r"):
            f = _font(r)
            if "".join(t.text or "" for t in r.iter(f"{W}t")).strip() and (f[0] != "仿宋_GB2312" or f[1] != 28):
                dev.append("版记 run not 仿宋 14 pt")
                break
        borders = tbl.find(f"{W}tblPr/{W}tblBorders")
        if letter:
            if borders is None or any(b.get(f"{W}val") != "nil" for b in borders):
                dev.append("信函格式 版记 must have no lines")
            continue
        if borders is None or borders.find(f"{W}top").get(f"{W}sz") != "8" or \
                borders.find(f"{W}bottom").get(f"{W}sz") != "8" or borders.find(f"{W}insideH").get(f"{W}sz") != "6":
            dev.append("版记 lines are not 0.35/0.25/0.35 mm")
    if (spec.cc or (spec.printer and not letter)) and not body.findall(f"{W}tbl"):
        dev.append("no 版记")
    if letter:  # 信函格式: red mark in the first-page header over a red double line; no number on page 1
        if sect.find(f"{W}titlePg") is None:
            dev.append("信函格式 without a separate first page")
        marks = [p for h in headers for p in h.iter(f"{W}p") if "".join(t.text or "" for t in p.iter(f"{W}t")) == mark]
        if not marks or any(_font(r)[0] != "方正小标宋简体" or (_font(r)[2] or "").upper() != "FF0000"
                            for r in marks[0].iter(f"{W}r")):
            dev.append("信函格式 mark missing or not red 方正小标宋简体")
        elif marks[0].find(f"{W}pPr/{W}pBdr/{W}bottom") is None or \
                marks[0].find(f"{W}pPr/{W}pBdr/{W}bottom").get(f"{W}val") != "thickThinSmallGap":
            dev.append("信函格式 mark without the red double line")
    numbered = [ft for ft in footers if "".join(t.text or "" for t in ft.iter(f"{W}t"))]
    if len(numbered) < 2:
        dev.append("footers for odd and even pages missing")
    for ft in numbered:
        text = "".join(t.text or "" for t in ft.iter(f"{W}t"))
        if not (text.startswith("— ") and text.endswith(" —")):
            dev.append(f"page number format {text!r}")
        if any(_font(r)[0] != "宋体" or _font(r)[1] != 28 for r in ft.iter(f"{W}r")):
            dev.append("page number not 宋体 14 pt")
    return dev


# ------------------------------------------------------------------------------------------- injections


def _pad_date(d: str) -> str | None:
    m = re.match(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", d)
    if not m or (int(m.group(2)) >= 10 and int(m.group(3)) >= 10):
        return None
    return f"{m.group(1)}年{int(m.group(2)):02d}月{int(m.group(3)):02d}日"


def _cn_date(d: str) -> str:
    digits = "〇一二三四五六七八九"
    m = re.match(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", d)

    def small(n: int) -> str:
        if n < 10:
            return digits[n]
        return ("" if n < 20 else digits[n // 10]) + "十" + (digits[n % 10] if n % 10 else "")

    return "".join(digits[int(c)] for c in m.group(1)) + f"年{small(int(m.group(2)))}月{small(int(m.group(3)))}日"


def inject_spec(spec: DocSpec, kind: str) -> DocSpec | None:
    """A copy of `spec` with one error of `kind` in its elements, or None when the kind does not apply."""
    s = copy.deepcopy(spec)
    if kind == "number_brackets":
        if "〔" not in s.number:
            return None
        s.number = s.number.replace("〔", "[").replace("〕", "]")
    elif kind == "number_leading_zero":
        if "〔" not in s.number:
            return None
        s.number = re.sub(r"〕(\d+)号$", lambda m: f"〕0{m.group(1)}号", s.number)
    elif kind == "number_di":
        if "〔" not in s.number:
            return None
        s.number = re.sub(r"〕(\d+)号$", lambda m: f"〕第{m.group(1)}号", s.number)
    elif kind == "date_padded":
        padded = _pad_date(s.date)
        if padded is None:
            return None
        s.date = padded
    elif kind == "date_chinese":
        s.date = _cn_date(s.date)
    elif kind == "heading_order":
        paras = s.paragraphs()
        first_l1 = next((i for i, p in enumerate(paras) if heading_level(p) == 1), None)
        if first_l1 is not None:
            paras[first_l1] = re.sub(r"^[一二三四五六七八九十]+、", "（一）", paras[first_l1])
        else:  # no 一、 level: put a （一） heading before an 一、 heading
            paras[0] = "（一）" + paras[0]
            if len(paras) > 1:
                paras[1] = "一、" + paras[1]
            else:
                paras.append("一、" + paras[0][3:])
        s.body = "\n\n".join(paras)
    elif kind == "title_punctuation":
        if s.doctype.layout == "order":  # a 命令 has no title line
            return None
        s.title = s.title + "。"
    elif kind == "attachment_punctuation":
        if not s.attachments:
            return None
        s.attachments[0].title += "。"
    elif kind == "cc_full_stop":
        if not s.cc:
            return None
    elif kind == "heading_font":
        if not any(heading_level(p) in (1, 2) for p in s.paragraphs()):
            return None
    return s


def _mutate_docx(path: Path, kind: str) -> None:
    """Format errors made in the DOCX XML itself (fonts, margins, the 抄送 full stop)."""
    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    doc = etree.fromstring(items["word/document.xml"])
    body = doc.find(f"{W}body")
    if kind == "page_margins":
        body.find(f"{W}sectPr/{W}pgMar").set(f"{W}left", str(round(25 * 1440 / 25.4)))
    elif kind in ("body_font", "heading_font"):
        for p in body.findall(f"{W}p"):
            text = "".join(t.text or "" for t in p.iter(f"{W}t"))
            level = heading_level(text)
            if kind == "heading_font" and level not in (1, 2):
                continue
            if kind == "body_font" and level in (1, 2):
                continue
            for rf in p.iter(f"{W}rFonts"):
                if kind == "body_font" and rf.get(f"{W}eastAsia") != "仿宋_GB2312":
                    continue
                for a in ("ascii", "hAnsi", "eastAsia", "cs"):
                    rf.set(f"{W}{a}", "仿宋_GB2312" if kind == "heading_font" else "宋体")
            if kind == "heading_font":
                break
    elif kind == "cc_full_stop":
        for t in body.iter(f"{W}t"):
            if (t.text or "").startswith("抄送：") and t.text.endswith("。"):
                t.text = t.text[:-1]
    items["word/document.xml"] = etree.tostring(doc, xml_declaration=True, encoding="UTF-8", standalone=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in items.items():
            z.writestr(n, data)
    path.write_bytes(buf.getvalue())


def _strip_cc_stop(text: str) -> str:
    return re.sub(r"^(抄送：.*)。$", r"\1", text, flags=re.M)


# ---------------------------------------------------------------------------------------------- benchmark


def run_benchmark(docs: Path = DEFAULT_DOCS, limit: int | None = None) -> dict:
    path = Path(docs)
    if not path.is_file():
        raise ZhengwuError("eval_data_missing", f"找不到评测数据：{path}", f"Benchmark data not found: {path}")
    t0 = time.time()
    records = load_records(path, limit)
    clean = {"docs": 0, "docx_errors": 0, "text_errors": 0, "measure_deviations": 0, "failed": []}
    kinds = {k: {"applicable": 0, "found": 0, "text_applicable": 0, "text_found": 0} for k in KINDS}
    types: dict[str, int] = {}
    adaptations: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="zhengwu-gongwen-") as tmp:
        tmpd = Path(tmp)
        for n, rec in enumerate(records):
            raw, notes = spec_from_record(rec)
            for a in notes:
                adaptations[a] = adaptations.get(a, 0) + 1
            spec = load_spec(raw)
            types[spec.type] = types.get(spec.type, 0) + 1
            clean["docs"] += 1
            out = tmpd / f"d{n}.docx"
            build_document(spec).save(str(out))
            dev = measure_docx(out, spec)
            rep = check_file(out)
            trep = check_text(spec_text(spec))
            clean["measure_deviations"] += len(dev)
            clean["docx_errors"] += len(rep.errors)
            clean["text_errors"] += len(trep.errors)
            if dev or rep.errors or trep.errors:
                clean["failed"].append({"id": rec.get("id"), "title": rec["title"], "deviations": dev[:5],
                                        "docx": [v.to_dict() for v in rep.errors[:5]],
                                        "text": [v.to_dict() for v in trep.errors[:5]]})
            for kind, rules in KINDS.items():
                bad = inject_spec(spec, kind)
                if bad is None:
                    continue
                kinds[kind]["applicable"] += 1
                p = tmpd / f"d{n}_{kind}.docx"
                build_document(bad).save(str(p))
                if kind in DOCX_ONLY or kind == "cc_full_stop":
                    _mutate_docx(p, kind)
                found = check_file(p).rules()
                kinds[kind]["found"] += bool(found & set(rules))
                if kind not in DOCX_ONLY:
                    text = spec_text(bad)
                    if kind == "cc_full_stop":
                        text = _strip_cc_stop(text)
                    kinds[kind]["text_applicable"] += 1
                    kinds[kind]["text_found"] += bool(check_text(text).rules() & set(rules))
    total = sum(k["applicable"] + k["text_applicable"] for k in kinds.values())
    found = sum(k["found"] + k["text_found"] for k in kinds.values())
    return {"docs": str(path), "documents": clean["docs"], "types": types, "adaptations": adaptations,
            "clean": clean, "kinds": kinds, "injected_total": total, "injected_found": found,
            "detection_rate": round(found / total, 4) if total else None, "seconds": round(time.time() - t0, 1)}


def format_report(r: dict) -> str:
    c = r["clean"]
    lines = [f"公文基准 / gongwen benchmark — {r['documents']} 篇 documents ({r['seconds']} s)",
             "文种 types: " + "、".join(f"{k} {v}" for k, v in sorted(r["types"].items())),
             f"干净排版 clean renderings: 独立测量偏差 measurement deviations {c['measure_deviations']}, "
             f"DOCX 误报 false reports {c['docx_errors']}, 文本误报 text false reports {c['text_errors']}",
             "注入错误 injected errors (found / applicable; DOCX | text):"]
    for k, v in r["kinds"].items():
        rate = v["found"] / v["applicable"] if v["applicable"] else 0
        text = f"{v['text_found']}/{v['text_applicable']}" if v["text_applicable"] else "—"
        lines.append(f"  {k:24s} {v['found']:3d}/{v['applicable']:<3d} ({rate:6.1%}) | {text}")
    lines.append(f"总检出率 overall detection: {r['injected_found']}/{r['injected_total']} = "
                 f"{(r['detection_rate'] or 0):.1%}")
    if r["adaptations"]:
        lines.append("适配 adaptations: " + "；".join(f"{k} ×{v}" for k, v in r["adaptations"].items()))
    for f in c["failed"][:10]:
        lines.append(f"  ✗ {f['title'][:30]}: {f['deviations'][:2]} {[v['rule'] for v in f['docx']]} "
                     f"{[v['rule'] for v in f['text']]}")
    return "\n".join(lines)
