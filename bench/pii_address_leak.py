"""How much of an address below the district survives masking: every element of the shared address set
(road, number, POI, building, unit, floor, room …) counts as leaked when its text is still in the masked
sentence `住址：<address>` (after a cue) and when the address stands alone (no cue). The data is evaluation-only (no redistribution licence): read in place.

    .venv/bin/python bench/pii_address_leak.py [../shared/eval/pii/address.dev.jsonl]
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhengwu.gateway import pii  # noqa: E402

# the kept administrative head, and what is no part of the place (assist: 附近; a person named in it)
HEAD = {"country", "prov", "city", "district", "redundant", "others", "assist", "person"}


def main(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for cue in ("住址：", ""):
        measure(rows, cue)


def measure(rows: list[dict], cue: str) -> None:
    leaked: Counter[str] = Counter()
    total: Counter[str] = Counter()
    whole = 0
    t0 = time.perf_counter()
    for r in rows:
        text = cue + r["text"]
        masked = pii.mask(text, keep_region=True).text
        tail = [e for e in r["entities"] if e["type"] not in HEAD and len(e["text"]) >= 2]
        ok = True
        for e in tail:
            total[e["type"]] += 1
            # the element is leaked when it survives outside the kept administrative head
            if e["text"] in masked[len(cue):]:
                leaked[e["type"]] += 1
                ok = False
        whole += ok
    dt = time.perf_counter() - t0
    n = sum(total.values())
    print(f"cue {cue or '(none)'}: {len(rows)} addresses, elements below the district leaked {sum(leaked.values())}/{n} "
          f"= {sum(leaked.values()) / n:.3f}; addresses masked whole below the district {whole / len(rows):.3f}; "
          f"{len(rows) / dt:.0f} addresses/s")
    for t in sorted(total, key=lambda k: -total[k]):
        print(f"  {t:12s} {leaked[t]:5d}/{total[t]:5d} = {leaked[t] / total[t]:.3f}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval/pii/address.dev.jsonl"))
