"""Address parsing benchmark: element F1 of `zhengwu.hotline.address.parse` on span-annotated addresses
(e.g. shared/eval/pii/address.dev.jsonl: `{text, entities: [{start, end, type}]}` with types prov/city/district/
town/community …). An element counts as found when its span is exactly the gold span."""

from __future__ import annotations

import json
import time
from pathlib import Path

from zhengwu.hotline.address import parse

# the evaluation set's element names → the ticket's
ELEMENTS = {"prov": "province", "city": "city", "district": "district", "town": "street", "community": "community"}


def evaluate(path: Path, limit: int = 0) -> dict:
    """{n, per_element: {element: {precision, recall, f1, support}}, micro: {...}, addresses_per_s}."""
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[:limit] if limit else rows
    counts = {e: [0, 0, 0] for e in ELEMENTS.values()}  # tp fp fn
    start = time.perf_counter()
    for row in rows:
        gold = {ELEMENTS[e["type"]]: (e["start"], e["end"]) for e in row.get("entities", []) if e["type"] in ELEMENTS}
        pred = {k: tuple(v) for k, v in parse(row["text"])["spans"].items() if k in counts}
        for k, c in counts.items():
            if k in gold and gold[k] == pred.get(k):
                c[0] += 1
            else:
                c[1] += k in pred
                c[2] += k in gold
    seconds = time.perf_counter() - start

    def prf(tp: int, fp: int, fn: int) -> dict:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                "support": tp + fn}

    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {"n": len(rows), "per_element": {k: prf(*c) for k, c in counts.items()}, "micro": prf(*total),
            "addresses_per_s": round(len(rows) / seconds, 1) if seconds else None}
