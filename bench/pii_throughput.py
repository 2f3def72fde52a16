"""PII scan + mask throughput on real Chinese text (one core).

Text: the national laws corpus (../shared/corpus/laws/laws.jsonl, excluded from copyright) cut into
paragraphs, with real PII vectors mixed in every few paragraphs: the argus-redact cases and the
python-stdnum ID / credit-code vectors copied into tests/fixtures/pii. Timing is CPU time of this process
(time.process_time), so other load on the machine does not distort it; wall time is printed as well.

    .venv/bin/python bench/pii_throughput.py [--mb 2] [--every 20] [--deep-names] [--compare] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIX = ROOT / "tests" / "fixtures" / "pii"
DEFAULT_LAWS = ROOT.parent / "shared" / "corpus" / "laws" / "laws.jsonl"

from zhengwu.gateway import pii  # noqa: E402


def pii_vectors() -> list[str]:
    out = []
    for line in (FIX / "argus_cases.dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("text") and (row.get("pii_values") or row.get("entities") or row.get("type") in (
                "id_number", "phone", "bank_card", "credit_code", "license_plate", "email", "person", "address")):
            out.append(row["text"])
    for name, lead in (("stdnum_cn_ric_resident_id_vectors.jsonl", "申请人身份证号码："),
                       ("stdnum_cn_uscc_credit_code_vectors.jsonl", "该企业统一社会信用代码为")):
        for line in (FIX / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("valid"):
                out.append(f"{lead}{row['input']}。")
    return out


def build_text(laws: Path, mb: float, every: int) -> list[str]:
    vecs = pii_vectors()
    paras: list[str] = []
    size = 0
    k = 0
    with laws.open(encoding="utf-8") as fh:
        for line in fh:
            for p in json.loads(line).get("text", "").split("\n"):
                p = p.strip()
                if not p:
                    continue
                paras.append(p)
                size += len(p.encode("utf-8"))
                if len(paras) % every == 0:
                    v = vecs[k % len(vecs)]
                    k += 1
                    paras.append(v)
                    size += len(v.encode("utf-8"))
                if size >= mb * 1e6:
                    return paras
    return paras


def run(paras: list[str], fn) -> dict:
    fn("申请人身份证110101199003074610，联系人王小明，电话13912345678\n叶老桂认为，这样可以。")
    n_bytes = sum(len(p.encode("utf-8")) for p in paras)
    n_chars = sum(len(p) for p in paras)
    found = 0
    w0, c0 = time.perf_counter(), time.process_time()
    for p in paras:
        found += fn(p)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    return {"paragraphs": len(paras), "bytes": n_bytes, "chars": n_chars, "findings": found,
            "cpu_s": round(cpu, 3), "wall_s": round(wall, 3), "mb_per_s_cpu": round(n_bytes / 1e6 / cpu, 3),
            "chars_per_s_cpu": round(n_chars / cpu)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--laws", type=Path, default=DEFAULT_LAWS)
    ap.add_argument("--mb", type=float, default=2.0, help="MB of UTF-8 text to process")
    ap.add_argument("--every", type=int, default=20, help="insert one PII vector every N paragraphs")
    ap.add_argument("--deep-names", action="store_true")
    ap.add_argument("--compare", action="store_true", help="also time argus-redact (fast mode) if installed")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if not a.laws.exists():
        print(f"laws corpus not found: {a.laws}", file=sys.stderr)
        sys.exit(2)
    paras = build_text(a.laws, a.mb, a.every)
    report = {"zhengwu": run(paras, lambda t: len(pii.mask(t, deep_names=a.deep_names).findings)),
              "deep_names": a.deep_names}
    if a.compare:
        try:
            import argus_redact

            report["argus-redact"] = run(paras, lambda t: len(argus_redact.redact(t, lang="zh", mode="fast")[1]))
        except ImportError:
            report["argus-redact"] = {"skipped": "argus-redact not installed"}
    if a.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        for name, r in report.items():
            if isinstance(r, dict) and "cpu_s" in r:
                print(f"{name:14} {r['bytes'] / 1e6:.2f} MB, {r['paragraphs']} paragraphs, {r['findings']} findings: "
                      f"{r['mb_per_s_cpu']:.2f} MB/s ({r['chars_per_s_cpu']} chars/s) CPU, wall {r['wall_s']} s")
            elif isinstance(r, dict):
                print(f"{name:14} skipped: {r['skipped']}")


if __name__ == "__main__":
    main()
