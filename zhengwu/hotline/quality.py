"""Quality inspection of an agent's reply (质检): a score against a configurable checklist, with evidence.

Why rules and not a model: a quality score decides nothing about a citizen, but it is read by supervisors
about agents, so every point must show *why* it passed or failed (the span of the reply that counts, or what
was missing) and must give the same answer twice. The checklist is data (`data/quality_checklist.json`, or
the file named by the `hotline_quality_checklist` setting): a centre edits its greeting words, forbidden
words and weights without touching code.

Item kinds:
- `present`: one of the patterns occurs (optionally only in the first / last `chars` characters);
- `absent`: none of the patterns occurs (forbidden words; `critical` caps the grade);
- `all`: every group of patterns occurs (a commitment *and* a deadline);
- `appeal`: every point of the caller's appeal is answered — the appeal is cut into points (its sentences that
  ask for something, or its last clauses), and a point counts as answered when at least `threshold` of its
  content words (or `min_words` of them) occur in the reply, one of them outside quotation marks (a reply that
  only repeats the title in “…” has not answered it). Partial credit: the share of points answered.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jieba

from zhengwu.config import get_settings
from zhengwu.errors import ZhengwuError

DEFAULT_CHECKLIST = Path(__file__).parent / "data" / "quality_checklist.json"
KINDS = ("present", "absent", "all", "appeal")
MAX_REPLY_CHARS = 20000
MAX_APPEAL_POINTS = 6

# words that ask for something: a sentence holding one is a point of the appeal
_ASK = re.compile(r"请|希望|要求|建议|恳请|盼|能否|能不能|可否|是否|何时|什么时候|多久|怎么|怎样|如何|为什么|为何|哪里|吗|？|\?")
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_CLAUSE = re.compile(r"[^。！？!?；;\n，,]+[。！？!?；;，,]?")
_QUOTED = re.compile(r"“[^”]{0,120}”|\"[^\"]{0,120}\"|「[^」]{0,120}」")
# words that occur in any appeal or reply and say nothing about its subject
_STOP = frozenset("""
希望 请求 要求 建议 恳请 能否 能够 可以 是否 什么 时候 怎么 怎样 如何 为什么 为何 哪里 一下 尽快 及时 解决 处理 问题 情况 反映
相关 有关 部门 领导 政府 我们 你们 他们 她们 自己 这个 那个 这些 那些 这样 那样 因为 所以 但是 而且 如果 没有 还是 已经 一直 现在
目前 进行 工作 给予 予以 对于 关于 市民 网友 同志 您好 你好 谢谢 感谢 支持 理解 回复 答复 留言 来信 来电 收悉 具体 一些 很多 非常
请问 有何 对此 这种 那种 面对 采用 看到 不怎么 怎么办 为何 希望 能够 应该 是不是 有没有 一个 多少 根据 人民 服务
""".split())


@dataclass
class Evidence:
    """Where in the reply (or the appeal) a point was found: `span` is [start, end) in that text."""

    text: str
    span: tuple[int, int] | None = None
    note: str = ""
    source: str = "reply"  # "reply" | "appeal"


@dataclass
class ItemResult:
    id: str
    name_zh: str
    name_en: str
    kind: str
    weight: float
    passed: bool
    earned: float
    critical: bool = False
    applicable: bool = True  # False: nothing to judge (no appeal given); left out of the score
    evidence: list[Evidence] = field(default_factory=list)
    note_zh: str = ""
    note_en: str = ""


@dataclass
class AppealPoint:
    text: str
    span: tuple[int, int]
    keywords: list[str]
    matched: list[str]
    addressed: bool
    evidence: Evidence | None = None


@dataclass
class QualityReport:
    """The score (0-100), its grade, each checklist item with its evidence, and the appeal's points."""

    score: float
    grade_zh: str
    grade_en: str
    items: list[ItemResult]
    appeal_points: list[AppealPoint]
    checklist: str
    critical_failed: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Checklist:
    name_zh: str
    name_en: str
    items: tuple[dict, ...]
    grades: tuple[tuple[float, str, str], ...]
    path: str

    @property
    def total_weight(self) -> float:
        return sum(float(i["weight"]) for i in self.items)


def _bad(zh: str, en: str, path: str) -> ZhengwuError:
    return ZhengwuError("bad_checklist", f"质检清单无效（{path}）：{zh}", f"Invalid quality checklist ({path}): {en}")


def parse_checklist(data: Any, path: str = "<checklist>") -> Checklist:
    """A checklist from its JSON form, every pattern compiled once here so a bad one is reported at load."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list) or not data["items"]:
        raise _bad("须为含非空 items 列表的 JSON 对象", "must be a JSON object with a non-empty items list", path)
    items, seen = [], set()
    for n, raw in enumerate(data["items"], 1):
        if not isinstance(raw, dict):
            raise _bad(f"第 {n} 项不是对象", f"item {n} is not an object", path)
        iid, kind = raw.get("id"), raw.get("kind")
        if not isinstance(iid, str) or not iid or iid in seen:
            raise _bad(f"第 {n} 项缺少 id 或 id 重复", f"item {n} has no id or a duplicate id", path)
        seen.add(iid)
        if kind not in KINDS:
            raise _bad(f"“{iid}”的 kind 须为 {'、'.join(KINDS)}", f"'{iid}': kind must be one of {', '.join(KINDS)}", path)
        weight = raw.get("weight", 0)
        if not isinstance(weight, (int, float)) or weight < 0 or isinstance(weight, bool):
            raise _bad(f"“{iid}”的 weight 须为非负数", f"'{iid}': weight must be a non-negative number", path)
        item = {**raw, "name_zh": raw.get("name_zh", iid), "name_en": raw.get("name_en", iid), "weight": float(weight)}
        groups = raw.get("groups") if kind == "all" else [{"patterns": raw.get("patterns")}] if kind != "appeal" else []
        if kind != "appeal" and (not isinstance(groups, list) or not groups):
            raise _bad(f"“{iid}”缺少 patterns / groups", f"'{iid}' has no patterns / groups", path)
        compiled = []
        for g in groups:
            pats = g.get("patterns") if isinstance(g, dict) else None
            if not isinstance(pats, list) or not pats or not all(isinstance(p, str) and p for p in pats):
                raise _bad(f"“{iid}”的 patterns 须为非空字符串列表", f"'{iid}': patterns must be a list of non-empty strings", path)
            try:
                compiled.append((g, re.compile("|".join(f"(?:{p})" for p in pats))))
            except re.error as exc:
                raise _bad(f"“{iid}”的正则表达式有误：{exc}", f"'{iid}': bad regular expression: {exc}", path) from exc
        item["_groups"] = compiled
        if kind == "appeal":
            thr = raw.get("threshold", 0.4)
            if not isinstance(thr, (int, float)) or not 0 < thr <= 1:
                raise _bad(f"“{iid}”的 threshold 须在 (0, 1] 之间", f"'{iid}': threshold must be in (0, 1]", path)
            item["threshold"] = float(thr)
            item["min_words"] = int(raw.get("min_words", 3))
        items.append(item)
    if sum(i["weight"] for i in items) <= 0:
        raise _bad("权重之和须大于 0", "the weights must add up to more than 0", path)
    grades = tuple(sorted(((float(g[0]), str(g[1]), str(g[2])) for g in data.get("grades") or [[0, "—", "—"]]),
                          reverse=True))
    return Checklist(name_zh=str(data.get("name_zh", "")), name_en=str(data.get("name_en", "")), items=tuple(items),
                     grades=grades, path=path)


@lru_cache(maxsize=8)
def _load(path: str) -> Checklist:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ZhengwuError("checklist_missing", f"找不到质检清单文件：{path}", f"Quality checklist not found: {path}") from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _bad(f"无法读取为 JSON：{exc}", f"not readable as JSON: {exc}", path) from exc
    return parse_checklist(data, path)


def load_checklist(path: str | Path | None = None) -> Checklist:
    """The checklist at `path`, else the one named by the `hotline_quality_checklist` setting, else the default."""
    chosen = path or get_settings().hotline_quality_checklist or DEFAULT_CHECKLIST
    return _load(str(Path(chosen).resolve()))


def _tokens(text: str) -> list[str]:
    jieba.setLogLevel(logging.WARNING)
    out = []
    for w in jieba.lcut(text):
        w = w.strip()
        if len(w) >= 2 and w not in _STOP and not re.fullmatch(r"[\W\d_a-zA-Z]+", w):
            out.append(w)
    return list(dict.fromkeys(out))


def appeal_points(appeal: str) -> list[tuple[str, tuple[int, int]]]:
    """The points of an appeal: its clauses that ask for something (a clause with fewer than two content words
    takes the next clause of its sentence along), at most MAX_APPEAL_POINTS, the last ones, where citizens put
    what they want; an appeal that asks nothing in so many words is its last two clauses."""
    clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(appeal) if len(m.group().strip()) >= 2]
    points: list[tuple[int, int]] = []
    for n, (a, b) in enumerate(clauses):
        if not _ASK.search(appeal, a, b):
            continue
        if len(_tokens(appeal[a:b])) < 2 and n + 1 < len(clauses) and appeal[b - 1] in "，,、":
            b = clauses[n + 1][1]
        if points and a < points[-1][1]:
            points[-1] = (points[-1][0], max(b, points[-1][1]))
        else:
            points.append((a, b))
    if not points:
        points = clauses[-2:]
    return [(appeal[a:b].strip(), (a, b)) for a, b in points[-MAX_APPEAL_POINTS:]]


def _find(rx: re.Pattern, text: str, where: str | None, chars: int) -> re.Match | None:
    if where == "start":
        return rx.search(text, 0, chars)
    if where == "end":
        return rx.search(text, max(0, len(text) - chars))
    return rx.search(text)


def _snippet(text: str, start: int, end: int, pad: int = 12) -> str:
    a, b = max(0, start - pad), min(len(text), end + pad)
    return ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")


def point_matches(point: str, text: str, *, threshold: float = 0.4, min_words: int = 3) -> tuple[list[str], list[str], bool]:
    """(content words of an appeal point, those found in `text`, whether enough are found: `threshold` of them
    or `min_words`, whichever is fewer). Also what assist uses to decide whether a passage answers the appeal."""
    kws = _tokens(point)
    matched = [k for k in kws if k in text]
    need = min(min_words, max(1, math.ceil(threshold * len(kws))))
    return kws, matched, bool(kws) and len(matched) >= need


def _check_appeal(item: dict, reply: str, appeal: str) -> tuple[ItemResult, list[AppealPoint]]:
    unquoted = _QUOTED.sub(lambda m: " " * len(m.group()), reply)
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(reply)]
    points = []
    for text, span in appeal_points(appeal):
        kws, matched, enough = point_matches(text, reply, threshold=item["threshold"], min_words=item["min_words"])
        addressed = enough and any(k in unquoted for k in matched)
        ev = None
        if matched:
            best = max(sentences, key=lambda s: sum(1 for k in matched if k in unquoted[s[0]:s[1]]), default=None)
            if best is not None:
                piece = reply[best[0]:best[1]]
                a = best[0] + len(piece) - len(piece.lstrip())
                ev = Evidence(piece.strip(), (a, a + len(piece.strip())), note="、".join(matched))
        points.append(AppealPoint(text, span, kws, matched, addressed, ev))
    share = sum(p.addressed for p in points) / len(points) if points else 0.0
    res = ItemResult(item["id"], item["name_zh"], item["name_en"], "appeal", item["weight"], share == 1.0,
                     round(item["weight"] * share, 2))
    for p in points:
        if p.addressed and p.evidence:
            res.evidence.append(p.evidence)
        else:
            res.evidence.append(Evidence(p.text, p.span, note="未回应 / not answered", source="appeal"))
    if not points:  # nothing to check against: the item does not count either way
        res.applicable = False
        res.note_zh, res.note_en = "未提供诉求，本项不计分", "no appeal given: this item is not scored"
    elif share < 1:
        res.note_zh = f"{item.get('missing_zh', '有诉求点未回应')}（{sum(p.addressed for p in points)}/{len(points)}）"
        res.note_en = f"{item.get('missing_en', 'a point of the appeal is not answered')} " \
                      f"({sum(p.addressed for p in points)}/{len(points)})"
    return res, points


def _check(item: dict, reply: str) -> ItemResult:
    kind, where, chars = item["kind"], item.get("where"), int(item.get("chars", 80))
    res = ItemResult(item["id"], item["name_zh"], item["name_en"], kind, item["weight"], False, 0.0,
                     critical=bool(item.get("critical")))
    if kind == "absent":
        rx = item["_groups"][0][1]
        for m in rx.finditer(reply):
            res.evidence.append(Evidence(m.group(), (m.start(), m.end()), note=_snippet(reply, m.start(), m.end())))
        res.passed = not res.evidence
        if not res.passed:
            res.note_zh = f"{item.get('found_zh', '出现禁用语')}：{'、'.join(dict.fromkeys(e.text for e in res.evidence))}"
            res.note_en = f"{item.get('found_en', 'forbidden wording used')}: " \
                          f"{', '.join(dict.fromkeys(e.text for e in res.evidence))}"
    else:
        missing = []
        for group, rx in item["_groups"]:
            m = _find(rx, reply, where, chars)
            if m is None:
                missing.append(group)
            else:
                res.evidence.append(Evidence(m.group(), (m.start(), m.end()), note=group.get("name_zh", "")))
        res.passed = not missing
        if missing:
            names_zh = "、".join(g["name_zh"] for g in missing if g.get("name_zh"))
            names_en = ", ".join(g["name_en"] for g in missing if g.get("name_en"))
            res.note_zh = item.get("missing_zh", "未找到") + (f"（缺：{names_zh}）" if kind == "all" and names_zh else "")
            res.note_en = item.get("missing_en", "not found") + (f" (missing: {names_en})" if kind == "all" and names_en else "")
    res.earned = res.weight if res.passed else 0.0
    return res


def inspect(reply: str, *, appeal: str = "", checklist: Checklist | str | Path | None = None) -> QualityReport:
    """Score `reply` (the agent's answer or disposition text) against the checklist; `appeal` is what the
    caller asked for (the ticket's appeal, or the message itself), needed by the `appeal` item."""
    if not isinstance(reply, str) or not reply.strip():
        raise ZhengwuError("empty_reply", "答复内容为空，无法质检。", "The reply is empty: nothing to inspect.")
    if len(reply) > MAX_REPLY_CHARS or len(appeal or "") > MAX_REPLY_CHARS:
        raise ZhengwuError("reply_too_long", f"答复或诉求过长（上限 {MAX_REPLY_CHARS} 字）。",
                       f"The reply or the appeal is too long (limit {MAX_REPLY_CHARS} characters).")
    cl = checklist if isinstance(checklist, Checklist) else load_checklist(checklist)
    items, points = [], []
    for item in cl.items:
        if item["kind"] == "appeal":
            res, points = _check_appeal(item, reply, appeal or "")
        else:
            res = _check(item, reply)
        items.append(res)
    counted = [i for i in items if i.applicable]
    total = sum(i.weight for i in counted)
    score = round(100.0 * sum(i.earned for i in counted) / total, 1) if total else 0.0
    critical = any(i.critical and not i.passed for i in items)
    grades = cl.grades
    zh, en = next(((z, e) for floor, z, e in grades if score >= floor), (grades[-1][1], grades[-1][2]))
    if critical:  # a forbidden word: never better than the lowest grade, whatever else the reply did well
        zh, en = grades[-1][1], grades[-1][2]
    return QualityReport(score=score, grade_zh=zh, grade_en=en, items=items, appeal_points=points,
                         checklist=cl.name_zh or cl.path, critical_failed=critical)
