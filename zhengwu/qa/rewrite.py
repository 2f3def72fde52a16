"""Question rewriting: the conversation so far + the synonym table -> a standalone search query.

Why: citizens ask follow-ups ("那需要带什么材料？") that only make sense with the earlier turns, and use
everyday words (社保卡, 落户) where the documents use official terms (社会保障卡, 户口迁入). A follow-up
keeps the topic of the conversation; colloquial terms are mapped to the official ones (both are kept in
the query, so a document using either still matches). The synonym table ships as data
(zhengwu/qa/data/synonyms.json) and an administrator can override or extend it with
<data_dir>/qa/synonyms.json (same format; a group whose official term matches replaces the shipped one).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).parent / "data"

# Words that name an aspect of a service, not its topic: a question made only of these is a follow-up.
ASPECT_WORDS = frozenset("""
材料 申请材料 资料 证件 证明 时间 时限 办理时限 多久 多长 期限 电话 咨询电话 联系方式 地点 办理地点 地址 哪里 哪儿 费用 收费
钱 条件 要求 流程 步骤 程序 办理 办 申请 申领 需要 带 准备 提供 网上 线上 在线 窗口 具体 怎么 如何 什么 哪些 多少 可以 能
吗 呢 还 那 那么 另外 还有 此外 然后 这个 那个 它 该 上述 这项 这 也 其他 别的 一下 请问 谁 几 天 工作日 去 到 交 我 我们
material materials document documents time long phone contact where fee fees cost step steps what how need bring
do does did i you we my me the a an to for of in on at is are be can could should would will apply get which when who
please about and or with this that it there any much many
""".split())
FOLLOWUP_PREFIX = re.compile(r"^\s*(那么|那|还有|另外|此外|然后|这个|那个|它|该|上述|这项|and\b|what about\b|how about\b|then\b|also\b)",
                             re.IGNORECASE)
PRONOUNS = re.compile(r"(这个|那个|它|上述|该事项|这项|此事|\bit\b|\bthat\b|\bthis\b)", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str:
    """"zh" when the question carries Chinese characters at all (mixed questions count as Chinese,
    the documents being Chinese); "en" for a question written in Latin letters only."""
    if _CJK.search(text or ""):
        cjk = len(_CJK.findall(text))
        latin_words = len(re.findall(r"[A-Za-z]+", text))
        return "en" if latin_words >= 4 and cjk <= 4 else "zh"
    return "en" if _LATIN.search(text or "") else "zh"


# --- synonyms ----------------------------------------------------------------------------------------------

def override_path() -> Path:
    from zhengwu.config import get_settings

    return get_settings().data_dir / "qa" / "synonyms.json"


def _read_groups(path: Path) -> list[list[str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    groups = data.get("groups", data) if isinstance(data, dict) else data
    return [[str(t).strip() for t in g if str(t).strip()] for g in groups if isinstance(g, list) and len(g) >= 2]


def load_synonyms() -> list[list[str]]:
    """Shipped groups, with the administrator's groups replacing those of the same official term."""
    shipped = _read_groups(DATA / "synonyms.json")
    admin = _read_groups(override_path())
    by_official = {g[0]: g for g in shipped}
    for g in admin:
        by_official[g[0]] = g
    return list(by_official.values())


def save_synonym_group(terms: list[str]) -> Path:
    """Add or replace one group (first term = the official one) in the administrator's table."""
    terms = [t.strip() for t in terms if t.strip()]
    if len(terms) < 2:
        from zhengwu.errors import ZhengwuError

        raise ZhengwuError("synonyms_short", "同义词组至少需要两个词（第一个为官方用语）。",
                           "A synonym group needs at least two terms (the first is the official one).")
    path = override_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    groups = [g for g in _read_groups(path) if g[0] != terms[0]] + [terms]
    path.write_text(json.dumps({"groups": groups}, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _contains(text: str, term: str) -> bool:
    if _LATIN.search(term):
        return re.search(r"(?<![A-Za-z])" + re.escape(term) + r"(?![A-Za-z])", text, re.IGNORECASE) is not None
    return term in text


def expand_synonyms(text: str, groups: list[list[str]] | None = None) -> tuple[str, list[tuple[str, str]]]:
    """-> (text with the official terms appended, [(colloquial, official) ...])."""
    groups = load_synonyms() if groups is None else groups
    added: list[tuple[str, str]] = []
    for g in groups:
        official = g[0]
        if official in text:
            continue
        for term in g[1:]:
            if _contains(text, term):
                added.append((term, official))
                break
    if not added:
        return text, []
    return text + " " + " ".join(o for _, o in added), added


# --- conversation-aware rewrite -----------------------------------------------------------------------------

@dataclass
class Rewritten:
    original: str
    query: str  # sent to search: standalone question + official terms
    standalone: str  # the question as it reads on its own
    topic: str  # what the conversation is about (carried to the next turn)
    followup: bool = False
    synonyms: list[tuple[str, str]] = field(default_factory=list)
    language: str = "zh"


def _content_words(text: str) -> list[str]:
    from zhengwu.kb.tokenize import query_tokens

    return [t for t in query_tokens(text) if t not in ASPECT_WORDS and len(t) > 1 or (t.isascii() and len(t) > 3
                                                                                     and t not in ASPECT_WORDS)]


def topic_of(question: str) -> str:
    """The topic words of a question: its content words without the aspect asked about."""
    words: list[str] = []
    for w in _content_words(question):
        if not any(w in x for x in words):
            words = [x for x in words if x not in w] + [w]
    return " ".join(words)


def is_followup(question: str, has_history: bool) -> bool:
    if not has_history:
        return False
    if FOLLOWUP_PREFIX.search(question) or PRONOUNS.search(question):
        return True
    words = _content_words(question)
    if not words:
        return True
    # a short question naming no thing of its own ("多久能拿到？", "要多少钱？") continues the conversation;
    # one naming a thing ("春节放几天？", "护照怎么办？") starts a new topic
    if len(re.sub(r"[\W_]+", "", question)) > 10:
        return False
    import jieba.posseg as pseg

    nouns = [w.word for w in pseg.cut(question) if w.flag[:1] in ("n", "t", "s") or w.flag == "eng"]
    return not [n for n in nouns if n not in ASPECT_WORDS]


def rewrite(question: str, history: list[dict] | None = None) -> Rewritten:
    """Rewrite `question` given earlier turns [{"question", "topic"} ...] (oldest first)."""
    q = question.strip()
    lang = detect_language(q)
    history = history or []
    prev_topic = ""
    for turn in reversed(history):
        prev_topic = (turn.get("topic") or "").strip()
        if prev_topic:
            break
    follow = is_followup(q, bool(prev_topic))
    if follow:
        body = FOLLOWUP_PREFIX.sub("", q).strip() or q
        standalone = f"{prev_topic} {body}"
        own = topic_of(body)
        topic = prev_topic if not own else f"{prev_topic} {own}"
    else:
        standalone = q
        topic = topic_of(q)
    query, syn = expand_synonyms(standalone)
    if not topic and syn:
        topic = " ".join(o for _, o in syn)
    return Rewritten(original=q, query=query, standalone=standalone, topic=topic, followup=follow, synonyms=syn,
                     language=lang)
