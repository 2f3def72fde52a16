"""PII recognisers from a YAML file, for local identifiers (工号, 社保号, 档案号 …) without writing code.

The shape follows Presidio's `add_recognizers_from_yaml`:

    recognizers:
      - name: EmployeeNumberRecognizer     # shown in every finding's explanation
        entity: employee_id                 # the entity id (used by `entities=` and the audit counts)
        label: 工号                          # the mask label: [工号]
        patterns:
          - {name: gh_number, regex: "GH\\d{6}", score: 0.4}
        context: [工号, 员工编号]             # words just before a hit that raise its score
        negative_context: [订单]             # words that lower it
        checksum: luhn                      # optional: luhn | id_card | credit_code

Patterns are wrapped in lookarounds so that a hit never starts or ends inside a longer run of letters or digits
(Chinese text has no spaces, `\\b` does not separate a Han character from a digit).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


from zhengwu.errors import ZhengwuError
from zhengwu.gateway.pii import validators
from zhengwu.gateway.pii.base import LABELS, Pattern, PatternRecognizer

CHECKSUMS = {"luhn": validators.luhn_valid, "id_card": validators.id_card_valid,
             "credit_code": validators.credit_code_valid}


def _bad(path: Path, what: str, en: str) -> ZhengwuError:
    return ZhengwuError("bad_recognizer_yaml", f"个人信息识别规则文件 {path.name} 有误：{what}",
                        f"The PII recogniser file {path.name} is invalid: {en}")


def _one(path: Path, spec: Any) -> PatternRecognizer:
    if not isinstance(spec, dict) or not spec.get("entity") or not spec.get("patterns"):
        raise _bad(path, "每条规则须有 entity 和 patterns。", "every recogniser needs `entity` and `patterns`.")
    checksum = spec.get("checksum")
    if checksum and checksum not in CHECKSUMS:
        raise _bad(path, f"未知的校验方式 {checksum}（可选 {'、'.join(CHECKSUMS)}）",
                   f"unknown checksum {checksum} (choose {', '.join(CHECKSUMS)})")
    try:
        patterns = tuple(Pattern(str(p["name"]), rf"(?<![0-9A-Za-z])(?:{p['regex']})(?![0-9A-Za-z])", float(p["score"]))
                         for p in spec["patterns"])
    except (KeyError, TypeError, ValueError) as exc:
        raise _bad(path, f"模式须有 name、regex、score：{exc}", f"a pattern needs name, regex and score: {exc}") from exc
    entity = str(spec["entity"])
    LABELS.setdefault(entity, str(spec.get("label") or entity))
    validate = CHECKSUMS.get(checksum) if checksum else None
    attrs = {"entity": entity, "name": str(spec.get("name") or f"{entity}_yaml"), "patterns": patterns,
             "context": tuple(spec.get("context") or ()), "negative_context": tuple(spec.get("negative_context") or ()),
             "validate_result": (lambda self, v: bool(validate(v))) if validate else PatternRecognizer.validate_result}
    try:
        rec = type(attrs["name"], (PatternRecognizer,), attrs)()
        rec.compile_patterns()
        return rec
    except Exception as exc:  # noqa: BLE001 - a bad regex is the file's error, said plainly
        raise _bad(path, f"正则表达式无效：{exc}", f"invalid regular expression: {exc}") from exc


def load_yaml_recognizers(path: str | Path) -> list[PatternRecognizer]:
    """The recognisers described in one YAML file (clear bilingual errors for a bad file)."""
    import yaml  # only when a deployment names recogniser files (setting pii_recognizers_yaml)

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ZhengwuError("recognizer_yaml_missing", f"找不到个人信息识别规则文件：{path}",
                           f"PII recogniser file not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise _bad(path, f"不是有效的 YAML：{exc}", f"not valid YAML: {exc}") from exc
    specs = data.get("recognizers") if isinstance(data, dict) else data
    if not isinstance(specs, list):
        raise _bad(path, "顶层须为 recognizers 列表。", "the top level must be a `recognizers` list.")
    return [_one(path, s) for s in specs]
