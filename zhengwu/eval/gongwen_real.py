"""Scorer of `zhengwu eval gongwen --real DIR`: the checker on documents NOT made by our renderer.

Why a scorer of its own: the injected-error benchmark (gongwen.py) only sees our own renderings, on which
the checker looked perfect while it found a fifth of the deviations in documents from Word, WPS,
LibreOffice and python-docx. DIR holds documents (.docx, .pdf) each with an annotation `<name>.json`
({"file", "producer", "is_gongwen", "doc_type", "deviations": [{"rule", "where", "note"}]}) written from what
was put into the document's XML (bench/gongwen_real/make.py builds such a set), never from the checker's
output.

Matching is by rule id: an annotated rule (or prefix such as `page.number`) is found when the checker reports
that id or one below it (`page.number.dash`). A deviation annotated `"optional": true` follows from another
one (the body's font repeated in the 版记): reporting it is a true alarm and counts as found, leaving it
out (one cause reported once) is no miss. Per category (the prefixes in CATEGORIES, the longest that
fits) recall is found / annotated and precision is true alarms / alarms, an alarm being one distinct
reported error id per document. A real 公文 the checker refuses ("not a 公文", or any error) is a false rejection
(its annotated deviations count as missed); a control that is not a 公文 must be refused.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from zhengwu.errors import ZhengwuError

CATEGORIES = ("page.size", "page.margins", "page.grid", "page.number", "body", "title", "heading", "number", "mark",
              "signature", "banji", "cc", "blank_note", "date", "element")
OTHER = "other"


def category(rule: str) -> str:
    """The report category of a rule id: the longest CATEGORIES prefix it falls under, else "other"."""
    best = ""
    for c in CATEGORIES:
        if (rule == c or rule.startswith(c + ".")) and len(c) > len(best):
            best = c
    return best or OTHER


def matches(reported: str, annotated: str) -> bool:
    return reported == annotated or reported.startswith(annotated + ".")


def load_annotations(folder: Path) -> list[dict]:
    """Every `*.json` annotation in `folder` whose document exists next to it."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ZhengwuError("eval_data_missing", f"找不到基准目录：{folder}", f"Benchmark folder not found: {folder}")
    anns = []
    for p in sorted(folder.glob("*.json")):
        try:
            ann = json.loads(p.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        if isinstance(ann, dict) and "file" in ann and (folder / ann["file"]).is_file():
            anns.append(ann)
    if not anns:
        raise ZhengwuError("eval_data_missing", f"基准目录中没有带标注的文档：{folder}",
                           f"No annotated documents in {folder}")
    return anns


FORMATS = ("docx", "pdf")  # an annotation's "format" (default "docx"); reported apart: a PDF shows less
SPLITS = ("dev", "check")  # an annotation's "split" (default "dev"); "check" holds producers kept out of tuning


def score_real(folder: Path, check=None, split: str = "all") -> dict:  # noqa: ANN001 - check: Path -> CheckReport
    """Run the checker on the annotated documents of `folder` (those of `split`: "dev", "check" or "all") and
    score them per category; with "all", also per split (`splits`)."""
    if split not in SPLITS + ("all",):
        raise ZhengwuError("bad_split", f"--split 应为 dev、check 或 all（现为 {split}）",
                           f"--split must be dev, check or all (got {split})")
    if check is None:
        from zhengwu.writing.check import check_file as check
    folder = Path(folder)
    anns = [a for a in load_annotations(folder) if split == "all" or a.get("split", "dev") == split]
    if not anns:
        raise ZhengwuError("eval_data_missing", f"基准目录中没有 {split} 部分的文档：{folder}",
                           f"No documents of the {split} split in {folder}")
    rows, seconds = [], 0.0
    for ann in anns:
        t0 = time.perf_counter()
        error, reported = None, set()
        try:
            reported = {v.rule for v in check(folder / ann["file"]).errors}
        except ZhengwuError as exc:
            error = exc.code
        except Exception as exc:  # noqa: BLE001 - one document breaking the checker must not stop the benchmark
            error = f"exception:{type(exc).__name__}"
        seconds += time.perf_counter() - t0
        rows.append((ann, error, reported))
    result = {"real_dir": str(folder), "split": split, **_aggregate(rows),
              "seconds_per_document": round(seconds / len(anns), 3)}
    keys = ("documents", "real_gongwen", "controls", "recall", "precision", "false_rejections", "controls_accepted",
            "producers", "categories")
    if split == "all":
        result["splits"] = {name: {k: agg[k] for k in keys} for name in SPLITS
                            if (agg := _aggregate([r for r in rows if r[0].get("split", "dev") == name]))["documents"]}
    result["formats"] = {fmt: {k: agg[k] for k in keys} for fmt in FORMATS
                         if (agg := _aggregate([r for r in rows if r[0].get("format", "docx") == fmt]))["documents"]}
    return result


def _aggregate(rows: list[tuple[dict, str | None, set[str]]]) -> dict:
    """Per-category, per-producer and overall figures of checked documents (annotation, error, reported ids)."""
    cats: dict[str, dict[str, int]] = {}

    def cat(name: str) -> dict[str, int]:
        return cats.setdefault(name, {"annotated": 0, "found": 0, "alarms": 0, "true_alarms": 0})

    docs, false_rejections, controls_accepted, per_producer = [], [], [], {}
    for ann, error, reported in rows:
        # rules the document's format cannot show (a PDF's faces, say) count neither way
        unscored = tuple(ann.get("unscored", ()))
        reported = {r for r in reported if not any(matches(r, u) for u in unscored)}
        deviations = [d for d in ann.get("deviations", []) if not any(matches(d["rule"], u) for u in unscored)]
        annotated = [d["rule"] for d in deviations]
        prod = per_producer.setdefault(ann.get("producer", "?"), {"documents": 0, "annotated": 0, "found": 0})
        prod["documents"] += 1
        row = {"file": ann["file"], "producer": ann.get("producer"), "split": ann.get("split", "dev"),
               "format": ann.get("format", "docx"),
               "is_gongwen": ann.get("is_gongwen", True), "error": error, "reported": sorted(reported), "missed": [],
               "false_alarms": []}
        if not ann.get("is_gongwen", True):  # refused, and with the message it calls for (a scan: "scanned")
            if error is None or ann.get("expect_error", error) != error:
                controls_accepted.append(ann["file"])
            docs.append(row)
            continue
        if error:  # refused ("not a 公文") or not read at all
            false_rejections.append({"file": ann["file"], "error": error})
        for d in deviations:
            a, hit = d["rule"], any(matches(r, d["rule"]) for r in reported)
            if d.get("optional") and not hit:
                continue
            c = cat(category(a))
            c["annotated"] += 1
            prod["annotated"] += 1
            if hit:
                c["found"] += 1
                prod["found"] += 1
            else:
                row["missed"].append(a)
        for r in reported:
            c = cat(category(r))
            c["alarms"] += 1
            if any(matches(r, a) for a in annotated):
                c["true_alarms"] += 1
            else:
                row["false_alarms"].append(r)
        docs.append(row)
    for c in cats.values():
        c["recall"] = round(c["found"] / c["annotated"], 4) if c["annotated"] else None
        c["precision"] = round(c["true_alarms"] / c["alarms"], 4) if c["alarms"] else None
    tot = {k: sum(c[k] for c in cats.values()) for k in ("annotated", "found", "alarms", "true_alarms")}
    real = [a for a, _e, _r in rows if a.get("is_gongwen", True)]
    return {"documents": len(rows), "real_gongwen": len(real), "controls": len(rows) - len(real),
            "categories": {k: cats[k] for k in sorted(cats, key=lambda k: (k == OTHER, k))},
            "recall": round(tot["found"] / tot["annotated"], 4) if tot["annotated"] else None,
            "precision": round(tot["true_alarms"] / tot["alarms"], 4) if tot["alarms"] else None,
            "false_rejections": false_rejections, "controls_accepted": controls_accepted,
            "producers": per_producer, "per_document": docs}


def format_real(r: dict) -> str:
    pct = lambda x: "—" if x is None else f"{x:.0%}"  # noqa: E731
    lines = [f"真实文档基准 / real-documents benchmark — {r['real_dir']} ({r['split']}): {r['real_gongwen']} 份公文 real 公文, "
             f"{r['controls']} 份对照 controls, 每份 {r['seconds_per_document']} s/document",
             f"  {'类别 category':16s} {'标注 annotated':>14s} {'检出 found':>10s} {'召回 recall':>11s} "
             f"{'报警 alarms':>11s} {'准确 precision':>14s}"]
    for k, c in r["categories"].items():
        lines.append(f"  {k:16s} {c['annotated']:14d} {c['found']:10d} {pct(c['recall']):>11s} {c['alarms']:11d} "
                     f"{pct(c['precision']):>14s}")
    lines.append(f"  {'总计 overall':16s} {'':14s} {'':10s} {pct(r['recall']):>11s} {'':11s} {pct(r['precision']):>14s}")
    lines.append(f"误拒真实公文 real 公文 rejected: {len(r['false_rejections'])}/{r['real_gongwen']}"
                 + "".join(f"\n  ✗ {f['file']}: {f['error']}" for f in r["false_rejections"]))
    lines.append(f"误收对照 controls accepted: {len(r['controls_accepted'])}/{r['controls']}"
                 + "".join(f"\n  ✗ {f}" for f in r["controls_accepted"]))
    lines.append("按来源 by producer: " + "；".join(f"{k} {v['found']}/{v['annotated']} ({v['documents']} docs)"
                                                 for k, v in sorted(r["producers"].items())))
    for name, sp in list(r.get("splits", {}).items()) + list(r.get("formats", {}).items()):
        lines.append(f"部分 {name}: {sp['documents']} docs, 召回 recall {pct(sp['recall'])}, 准确 precision "
                     f"{pct(sp['precision'])}, 误拒 rejected {len(sp['false_rejections'])}/{sp['real_gongwen']}, "
                     f"误收对照 controls accepted {len(sp['controls_accepted'])}/{sp['controls']}")
    return "\n".join(lines)
