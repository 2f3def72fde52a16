"""Person-name false alarms by kind, and the false-alarm share once unannotated names are set apart.

`zhengwu eval pii` counts a person finding on no annotated name as a false alarm. The shared sets do not
annotate every name: CLUENER labels 王主任 as a position and leaves 张某 unlabelled, Weibo leaves many
celebrities unmarked. This benchmark sorts every false alarm, by the data's own annotations only (nothing
our recogniser produced):

- `name_elsewhere`: the exact text is annotated as a person name (Weibo PER.NAM, CLUENER name) in another
  sentence of the sets given with --names-from, and overlaps no other annotated entity here;
- `surname_position`: one or two characters right before a span the set itself annotates as a position
  (王|主任, 陈|副处长), or a surname with 某 (张某, 李某某: a person the writer half hid);
- `other_entity`: it overlaps an annotated organisation, company, place, book, game, … (a real error);
- `unannotated_text`: on nothing annotated (ordinary words, nicknames, handles: mostly real errors).

Adjudicated false alarms = other_entity + unannotated_text, over all person findings. Both figures are
reported; the scored one stays the measure. The data is evaluation-only (no redistribution licence): read
in place.

    .venv/bin/python bench/pii_names_adjudicate.py ../shared/eval/pii/weibo_ner.dev.jsonl \\
        --names-from ../shared/eval/pii/weibo_ner.train.jsonl ../shared/eval/pii/cluener.train.jsonl [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhengwu.gateway import pii  # noqa: E402

NAME_TYPES = {"PER.NAM", "name"}
_MOU = re.compile(r"^[\u4e00-\u9fff]{1,2}某某?$")


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def annotated_names(paths: list[Path]) -> Counter:
    """How often each text is annotated as a person name in the given sets."""
    seen: Counter = Counter()
    for p in paths:
        for row in _rows(p):
            for e in row.get("entities") or []:
                if e["type"] in NAME_TYPES:
                    seen[row["text"][e["start"]:e["end"]]] += 1
    return seen


def sort_false_alarms(path: Path, names: Counter) -> dict:
    kinds: Counter = Counter()
    examples: dict[str, Counter] = {}
    leaked = total = findings = 0
    for row in _rows(path):
        text, ents = row["text"], row.get("entities") or []
        gold = [(e["start"], e["end"]) for e in ents if e["type"] in NAME_TYPES]
        res = pii.mask(text, keep_region=False)
        total += len(gold)
        leaked += sum(text[s:e] in res.text for s, e in gold)
        own = Counter(text[s:e] for s, e in gold)
        used: set[int] = set()
        people = [f for f in res.findings if f.entity == "person"]
        findings += len(people)
        for s, e in gold:  # the scorer's matching: the first unused overlapping finding
            k = next((k for k, f in enumerate(people) if k not in used and f.start < e and s < f.end), None)
            if k is not None:
                used.add(k)
        positions = {x["start"] for x in ents if x["type"] == "position"}
        for k, f in enumerate(people):
            if k in used:
                continue
            other = [x for x in ents if x["type"] not in NAME_TYPES and x["start"] < f.end and f.start < x["end"]]
            if names[f.text] - own[f.text] > 0 and not other:
                kind = "name_elsewhere"
            elif _MOU.match(f.text) or (f.end - f.start <= 2 and f.end in positions) or \
                    any(x["type"] == "position" and x["start"] in (f.start + 1, f.start + 2) for x in other):
                kind = "surname_position"
            elif other:
                kind = "other_entity"
            else:
                kind = "unannotated_text"
            kinds[kind] += 1
            examples.setdefault(kind, Counter())[f.text] += 1
    fp = sum(kinds.values())
    adjudicated = kinds["other_entity"] + kinds["unannotated_text"]
    return {"cases": str(path), "names": total, "leak": round(leaked / total, 4) if total else None,
            "findings": findings, "false_alarms": fp,
            "false_alarm_share_scored": round(fp / findings, 4) if findings else None,
            "false_alarm_share_adjudicated": round(adjudicated / findings, 4) if findings else None,
            "by_kind": dict(kinds),
            "examples": {k: [w for w, _ in c.most_common(12)] for k, c in examples.items()}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", type=Path)
    ap.add_argument("--names-from", type=Path, nargs="*", default=[])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    for p in [args.cases, *args.names_from]:
        if not p.exists():
            sys.exit(f"missing: {p}")
    pii.warm_up()
    sets = list(dict.fromkeys(p.resolve() for p in [args.cases, *args.names_from]))  # each set counted once
    out = sort_false_alarms(args.cases, annotated_names(sets))
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return
    print(f"{out['cases']}: {out['names']} names, leak {out['leak']}; {out['findings']} person findings, "
          f"{out['false_alarms']} on no annotated name")
    print(f"  false alarms as scored {out['false_alarm_share_scored']}, adjudicated "
          f"{out['false_alarm_share_adjudicated']}")
    for k, n in sorted(out["by_kind"].items(), key=lambda x: -x[1]):
        print(f"  {k:<18}{n:>6}  e.g. {'、'.join(out['examples'][k])}")


if __name__ == "__main__":
    main()
