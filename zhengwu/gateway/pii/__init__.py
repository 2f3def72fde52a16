"""Chinese PII detection and masking (身份证号, 统一社会信用代码, phones, bank cards, plates, passports,
permits, military / social-security / driving-licence / foreign permanent-residence numbers, IMEI, MAC, e-mail,
IP, addresses, person names).

    scan(text) -> list[Finding]
    mask(text, mode="mask"|"pseudonym", mapping=PseudonymMap|None, keep_region=True) -> MaskResult
    restore(text, mapping) -> str

Built like Presidio's recogniser registry: pattern + context + validation, each finding with its score
and the reasons for it (Finding.explanation).
"""

from __future__ import annotations

from zhengwu.errors import ZhengwuError
from zhengwu.gateway.pii.base import DEFAULT_THRESHOLD, LABELS, Explanation, Finding, Pattern, PatternRecognizer, label_of
from zhengwu.gateway.pii.masking import MODES, MaskResult, PseudonymMap, apply
from zhengwu.gateway.pii.masking import restore as _restore
from zhengwu.gateway.pii.registry import RecognizerRegistry, default_registry, resolve_overlaps

__all__ = ["scan", "mask", "restore", "warm_up", "Finding", "Explanation", "MaskResult", "PseudonymMap", "Pattern",
           "PatternRecognizer", "RecognizerRegistry", "default_registry", "resolve_overlaps", "LABELS",
           "ENTITIES", "MODES", "label_of", "DEFAULT_THRESHOLD"]

ENTITIES: tuple[str, ...] = tuple(LABELS)


def _check_entities(entities: list[str] | None) -> None:
    if entities:
        bad = [e for e in entities if e not in LABELS]
        if bad:
            raise ZhengwuError("bad_pii_entity", f"未知的个人信息类型：{', '.join(bad)}（可选：{', '.join(LABELS)}）",
                               f"Unknown PII entity type(s): {', '.join(bad)} (choose from {', '.join(LABELS)})")


def scan(text: str, *, entities: list[str] | None = None, threshold: float = DEFAULT_THRESHOLD,
         deep_names: bool = False) -> list[Finding]:
    """PII findings in `text`, sorted by position, non-overlapping; positions index the original text.

    deep_names=True tags more clauses with jieba for names (higher recall on informal text, slower).
    """
    _check_entities(entities)
    return default_registry().analyze(text or "", entities=entities, threshold=threshold, deep_names=deep_names)


def mask(text: str, *, mode: str = "mask", mapping: PseudonymMap | None = None, keep_region: bool = True,
         entities: list[str] | None = None, threshold: float = DEFAULT_THRESHOLD,
         deep_names: bool = False) -> MaskResult:
    """Replace PII: mode "mask" -> `[身份证号]`; "pseudonym" -> `【姓名1】` (stable through `mapping`).

    keep_region=True keeps the province/city/district head of an address and masks the rest.
    """
    findings = scan(text, entities=entities, threshold=threshold, deep_names=deep_names)
    if mapping is not None and len(mapping):
        # names and addresses already seen in this conversation are masked wherever they recur, even
        # without the cue that revealed them the first time (王小明同志… -> later just 王小明)
        known = mapping.known_findings(text or "", entities)
        if known:
            findings = resolve_overlaps(findings + known)
    return apply(text or "", findings, mode=mode, mapping=mapping, keep_region=keep_region)


def warm_up() -> None:
    """Load what the first call would otherwise load (name statistics, jieba's dictionary, python-stdnum's
    region table), so a server's first request or a benchmark's timing does not pay for it."""
    scan("申请人身份证110101199003074610，联系人王小明，电话13912345678\n叶老桂认为，这样可以。", deep_names=True)


def restore(text: str, mapping: PseudonymMap | dict | None) -> str:
    """Undo pseudonymisation: every `【标签N】` known to `mapping` becomes the original value again."""
    return _restore(text, mapping)
