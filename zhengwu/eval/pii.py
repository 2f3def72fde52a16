"""PII benchmark: per-type precision/recall, leak rate and speed, optionally side by side with argus-redact
and a Presidio pattern set.

Accepted case formats (one JSON object per line, detected per row):
- argus-redact cases (`../shared/eval/pii/argus_cases.dev.jsonl`):
  * `{type, should_match, expected_text?}` — one type per case; only that type is scored;
  * `{entities: [{text, type, start, end}]}`, `{expected_entities: [{text, type}]}`,
    `{pii_values: [...], pii_types?: [...]}` — the listed values are the gold; structured types are scored
    in full (any other structured finding is a false positive), names/addresses only where annotated;
  * `{should_find_pii, expected_pii_count, category}` — adversarial cases. Category `false_positive` cases
    are traps (order numbers, maths, hashes): gold is empty, so any finding is a false positive. The other
    ones carry a count only and are scored as type "untyped".
- span files (`weibo_ner.*.jsonl`, `cluener.train.jsonl`): `{text, entities: [{start, end, type}]}` with
  PER.NAM / cluener name -> person and LOC.NAM / GPE.NAM / cluener address -> address; other labels ignored.

Leak rate = share of gold values (with a known text) still present verbatim in the masked text.
Speed = characters / CPU seconds of this process spent inside the system's call (one core).
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from zhengwu.gateway import admin

# Every structured identifier counts in the STRUCTURED total (before 2026-11-29 passports, permits and IPs were
# scored per type only, and military, social-security, IMEI and MAC cases were skipped).
STRUCTURED = ("id_card", "credit_code", "phone", "bank_card", "license_plate", "email", "passport", "hkmt_permit",
              "ip", "military_id", "social_security", "driver_license", "foreigner_id", "imei", "mac")
EVAL_TYPES = STRUCTURED + ("address", "person", "account")

LABEL_MAP = {
    # argus-redact
    "id_number": "id_card", "id_card": "id_card", "phone": "phone", "mobile": "phone", "landline": "phone",
    "bank_card": "bank_card", "credit_code": "credit_code", "license_plate": "license_plate",
    "passport": "passport", "email": "email", "ip_address": "ip", "ip": "ip", "address": "address",
    "person": "person", "hkmt_permit": "hkmt_permit",
    # the argus military / social-security / device cases and our held-out set (tests/gateway/data/structured_cases.*)
    "military_id": "military_id", "social_security": "social_security", "driver_license": "driver_license",
    "foreigner_id": "foreigner_id", "imei": "imei", "mac_address": "mac", "mac": "mac",
    # NER span files
    "PER.NAM": "person", "name": "person", "LOC.NAM": "address", "GPE.NAM": "address",
}
NER_LABELS = {"PER.NAM", "PER.NOM", "LOC.NAM", "LOC.NOM", "GPE.NAM", "GPE.NOM", "ORG.NAM", "ORG.NOM", "name",
              "organization", "position", "company", "game", "government", "scene", "book", "movie"}
_BELOW_DISTRICT = re.compile(r"[路街巷弄号栋幢室]|小区|大道|胡同|单元|[0-9]")
# Our entity ids -> evaluation types
ENTITY_TO_EVAL = {"mobile": "phone", "landline": "phone"}


@dataclass
class Gold:
    type: str
    value: str | None
    start: int | None = None
    end: int | None = None


@dataclass
class Case:
    id: str
    text: str
    gold: list[Gold] = field(default_factory=list)
    scope: set[str] = field(default_factory=set)   # types whose false positives count
    count_only: int | None = None                  # adversarial cases with a count only


@dataclass
class Pred:
    type: str
    start: int
    end: int
    value: str


def _map(label: str | None) -> str | None:
    return LABEL_MAP.get(label or "")


def load_cases(path: Path, limit: int | None = None) -> tuple[list[Case], dict[str, int]]:
    cases: list[Case] = []
    skipped: dict[str, int] = defaultdict(int)
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    # a span file is NER-style as a whole: rows without entities are negatives for person/address only
    ner_file = any("bio" in r or any((e.get("type") or e.get("label")) in NER_LABELS for e in r.get("entities") or [])
                   for r in rows)
    for i, row in enumerate(rows):
        if ner_file and "entities" in row:
            row = {**row, "bio": None}
        c = _case(row, i, skipped)
        if c is not None:
            cases.append(c)
        if limit and len(cases) >= limit:
            break
    return cases, dict(skipped)


def _case(row: dict, i: int, skipped: dict[str, int]) -> Case | None:
    text = row.get("text") or ""
    cid = str(row.get("id", i))
    base_scope = set(STRUCTURED)
    if "entities" in row:
        ents = row["entities"] or []
        ner = "bio" in row or any((e.get("type") or e.get("label")) in NER_LABELS for e in ents)
        gold = []
        for e in ents:
            t = _map(e.get("type") or e.get("label"))
            if t is None:
                continue
            s, en = e.get("start"), e.get("end")
            val = e.get("text") if e.get("text") is not None else (text[s:en] if s is not None else None)
            gold.append(Gold(t, val, s, en))
        scope = {"person", "address"} if ner else base_scope | {g.type for g in gold}
        return Case(cid, text, gold, scope)
    if "expected_entities" in row:
        gold = [Gold(t, e.get("text")) for e in row["expected_entities"] if (t := _map(e.get("type")))]
        # NER-style cases annotate names only: other types are not scored there.
        return Case(cid, text, gold, {g.type for g in gold})
    if "pii_values" in row:
        types = row.get("pii_types") or []
        hint = _map(cid.split(":")[-1])
        gold = []
        for k, val in enumerate(row["pii_values"]):
            t = _map(types[k]) if k < len(types) else hint
            gold.append(Gold(t or "untyped", val))
        return Case(cid, text, gold, base_scope | {g.type for g in gold})
    if "should_match" in row:
        t = _map(row.get("type"))
        if t is None:
            skipped[str(row.get("type"))] += 1
            return None
        gold = [Gold(t, row.get("expected_text"))] if row["should_match"] else []
        return Case(cid, text, gold, {t})
    if "should_find_pii" in row:
        if row.get("category") == "false_positive" or not row["should_find_pii"]:
            return Case(cid, text, [], set(EVAL_TYPES))
        return Case(cid, text, [], set(), count_only=int(row.get("expected_pii_count") or 1))
    skipped["unknown format"] += 1
    return None


# --------------------------------------------------------------------------------------------- systems
System = Callable[[str], tuple[list[Pred], str]]


def zhengwu_system(keep_region: bool = False, deep_names: bool = False) -> System:
    def run(text: str) -> tuple[list[Pred], str]:
        res = admin.mask(text, keep_region=keep_region, deep_names=deep_names)
        preds = [Pred(ENTITY_TO_EVAL.get(f.entity, f.entity), f.start, f.end, f.text) for f in res.findings]
        return preds, res.text

    return run


def _locate(text: str, value: str) -> list[tuple[int, int]]:
    out, i = [], text.find(value)
    while i >= 0 and value:
        out.append((i, i + len(value)))
        i = text.find(value, i + 1)
    return out


def argus_system() -> System | str:
    """argus-redact in its default regex mode ("fast"); a reason string when it is not installed."""
    try:
        import argus_redact
    except ImportError:
        return "argus-redact not installed (pip install argus-redact)"

    def run(text: str) -> tuple[list[Pred], str]:
        if not text:
            return [], text
        masked, key, types = argus_redact.redact(text, lang="zh", mode="fast", with_types=True)
        preds = []
        for repl, original in key.items():
            t = _map(types.get(repl))
            for s, e in _locate(text, original):
                preds.append(Pred(t or "other", s, e, original))
        return preds, masked

    return run


def presidio_system() -> System | str:
    """Presidio PatternRecognizers with the Chinese patterns of standards.md §4.4 plus Presidio's own credit-card
    and IP recognisers (no NLP engine, so no context enhancement): a baseline of what a plain pattern set does."""
    try:
        from presidio_analyzer import Pattern as PPattern
        from presidio_analyzer import PatternRecognizer as PRec
        from presidio_analyzer.predefined_recognizers import CreditCardRecognizer, IpRecognizer
    except Exception as exc:  # noqa: BLE001 - optional comparison
        return f"presidio-analyzer not available ({type(exc).__name__})"
    nd, ed = r"(?<![0-9])", r"(?![0-9])"
    recs = [
        ("id_card", PRec(supported_entity="CN_ID", supported_language="zh",
                         patterns=[PPattern("id18", nd + r"[1-8]\d{16}[0-9Xx]" + ed, 0.5)])),
        ("phone", PRec(supported_entity="CN_PHONE", supported_language="zh",
                       patterns=[PPattern("mobile", nd + r"1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])\d{8}" + ed, 0.6),
                                 PPattern("landline", nd + r"0\d{2,3}-\d{7,8}" + ed, 0.5)])),
        ("credit_code", PRec(supported_entity="CN_USCC", supported_language="zh",
                             patterns=[PPattern("uscc", r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])", 0.5)])),
        ("license_plate", PRec(supported_entity="CN_PLATE", supported_language="zh",
                               patterns=[PPattern("plate", r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-HJ-NP-Z][·•\s]?(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]|[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF])", 0.6)])),
        ("passport", PRec(supported_entity="CN_PASSPORT", supported_language="zh",
                          patterns=[PPattern("passport", r"(?<![0-9A-Za-z])[EG]\d{8}(?![0-9])", 0.4)])),
        ("bank_card", CreditCardRecognizer(supported_language="zh")),
        # Presidio's own EmailRecognizer validates with tldextract, which downloads the public-suffix list
        # at run time: use its e-mail regex in a plain PatternRecognizer instead.
        ("email", PRec(supported_entity="EMAIL_ADDRESS", supported_language="zh",
                       patterns=[PPattern("email", r"\b((([!#$%&'*+\-/=?^_`{|}~\w])|([!#$%&'*+\-/=?^_`{|}~\w][!#$%&'*+\-/=?^_`{|}~\.\w]{0,}[!#$%&'*+\-/=?^_`{|}~\w]))[@]\w+([-.]\w+)*\.\w+([-.]\w+)*)\b", 0.5)])),
        ("ip", IpRecognizer(supported_language="zh")),
    ]

    def run(text: str) -> tuple[list[Pred], str]:
        preds = []
        for t, rec in recs:
            for r in rec.analyze(text, entities=rec.supported_entities, nlp_artifacts=None) or []:
                if r.score >= 0.4:
                    preds.append(Pred(t, r.start, r.end, text[r.start:r.end]))
        preds.sort(key=lambda p: (p.start, -(p.end - p.start)))
        kept, last = [], -1
        for p in preds:
            if p.start >= last:
                kept.append(p)
                last = p.end
        masked, pos = [], 0
        for p in kept:
            masked.append(text[pos:p.start] + f"<{p.type}>")
            pos = p.end
        masked.append(text[pos:])
        return kept, "".join(masked)

    return run


# --------------------------------------------------------------------------------------------- scoring
def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _gold_spans(case: Case, g: Gold) -> list[tuple[int, int]]:
    if g.start is not None and g.end is not None:
        return [(g.start, g.end)]
    if g.value:
        spans = _locate(case.text, g.value)
        if not spans:  # written differently in the text (e.g. separators): fall back to a compact match
            return []
        return spans
    return []


def score(cases: list[Case], system: System) -> dict:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    leaks: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # type -> [leaked, total]
    chars = 0
    elapsed = 0.0
    for case in cases:
        t0 = time.process_time()
        preds, masked = system(case.text)
        elapsed += time.process_time() - t0
        chars += len(case.text)
        if case.count_only is not None:
            found = len([p for p in preds if p.type in EVAL_TYPES])
            c = counts["untyped"]
            c["tp"] += min(found, case.count_only)
            c["fn"] += max(0, case.count_only - found)
            c["fp"] += max(0, found - case.count_only)
            continue
        used: set[int] = set()
        for g in case.gold:
            spans = _gold_spans(case, g)
            hit = None
            for k, p in enumerate(preds):
                if k in used or (p.type != g.type and g.type != "untyped"):
                    continue
                if g.value is None and not spans:
                    hit = k
                    break
                if any(_overlap(p.start, p.end, s, e) for s, e in spans):
                    hit = k
                    break
            gt = g.type if g.type != "untyped" or hit is None else preds[hit].type
            if hit is None:
                counts[gt]["fn"] += 1
            else:
                used.add(hit)
                counts[gt]["tp"] += 1
            if g.value:
                leaks[gt][1] += 1
                leaked = g.value in masked
                if leaked:
                    leaks[gt][0] += 1
                if gt == "address" and _BELOW_DISTRICT.search(g.value):
                    # addresses that reach street level: the part keep_region never keeps
                    leaks["address_street"][1] += 1
                    leaks["address_street"][0] += int(leaked)
        for k, p in enumerate(preds):
            if k not in used and p.type in case.scope:
                counts[p.type]["fp"] += 1
    per_type = {}
    for t, c in sorted(counts.items()):
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        per_type[t] = {"tp": tp, "fp": fp, "fn": fn,
                       "precision": round(tp / (tp + fp), 4) if tp + fp else None,
                       "recall": round(tp / (tp + fn), 4) if tp + fn else None}
    st = [counts[t] for t in STRUCTURED if t in counts]
    s_tp, s_fp, s_fn = (sum(c[k] for c in st) for k in ("tp", "fp", "fn"))
    leaked = sum(v[0] for t, v in leaks.items() if t != "address_street")
    total = sum(v[1] for t, v in leaks.items() if t != "address_street")
    return {
        "per_type": per_type,
        "structured": {"tp": s_tp, "fp": s_fp, "fn": s_fn,
                       "precision": round(s_tp / (s_tp + s_fp), 4) if s_tp + s_fp else None,
                       "recall": round(s_tp / (s_tp + s_fn), 4) if s_tp + s_fn else None},
        "leak_rate": round(leaked / total, 4) if total else None,
        "leak_by_type": {t: {"leaked": v[0], "total": v[1], "rate": round(v[0] / v[1], 4) if v[1] else None}
                         for t, v in sorted(leaks.items())},
        "chars": chars,
        "seconds": round(elapsed, 4),
        "chars_per_s": round(chars / elapsed) if elapsed > 0 else None,
    }


def run(path: Path, *, compare: bool = False, limit: int | None = None, keep_region: bool = False,
        deep_names: bool = False) -> dict:
    cases, skipped = load_cases(Path(path), limit)
    # warm-up: load dictionaries (incl. jieba) and compile patterns before timing
    admin.warm_up()
    ours = zhengwu_system(keep_region=keep_region, deep_names=deep_names)
    report = {"cases": str(path), "n_cases": len(cases), "skipped_types": skipped, "keep_region": keep_region,
              "deep_names": deep_names, "system": "zhengwu", **score(cases, ours)}
    if compare:
        comp = {}
        for name, factory in (("argus-redact", argus_system), ("presidio-patterns", presidio_system)):
            sysfn = factory()
            if isinstance(sysfn, str):
                comp[name] = {"skipped": sysfn}
                continue
            try:
                sysfn("申请人身份证110101199003074610，联系人王小明，电话13912345678，住北京市海淀区中关村大街1号")
                comp[name] = score(cases, sysfn)
            except Exception as exc:  # noqa: BLE001 - a broken optional comparison must not hide our result
                comp[name] = {"skipped": f"{type(exc).__name__}: {exc}"[:300]}
        report["comparison"] = comp
    return report


def _fmt(x) -> str:
    return "-" if x is None else f"{x:.3f}"


def format_report(report: dict) -> str:
    lines = [f"PII 评测 / benchmark: {report['cases']}  cases={report['n_cases']}"]
    if report.get("skipped_types"):
        lines.append("跳过的类型 / skipped types (not PII we mask): " +
                     ", ".join(f"{k}×{v}" for k, v in sorted(report["skipped_types"].items())))
    systems = [("zhengwu", report)] + [(k, v) for k, v in report.get("comparison", {}).items()]
    for name, r in systems:
        lines.append("")
        if "skipped" in r:
            lines.append(f"[{name}] 跳过 / skipped: {r['skipped']}")
            continue
        lines.append(f"[{name}]")
        lines.append(f"  {'type':<14}{'P':>7}{'R':>7}{'tp':>6}{'fp':>5}{'fn':>5}")
        for t, c in r["per_type"].items():
            lines.append(f"  {t:<14}{_fmt(c['precision']):>7}{_fmt(c['recall']):>7}{c['tp']:>6}{c['fp']:>5}{c['fn']:>5}")
        s = r["structured"]
        lines.append(f"  {'STRUCTURED':<14}{_fmt(s['precision']):>7}{_fmt(s['recall']):>7}{s['tp']:>6}{s['fp']:>5}{s['fn']:>5}")
        lines.append(f"  leak rate 泄漏率: {_fmt(r['leak_rate'])}  " + ", ".join(
            f"{t} {v['leaked']}/{v['total']}" for t, v in r["leak_by_type"].items()))
        lines.append(f"  chars/s 字符每秒: {r['chars_per_s']}")
    return "\n".join(lines)


def iter_texts(paths: Iterable[Path]) -> Iterable[str]:
    for p in paths:
        with Path(p).open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line).get("text", "")
