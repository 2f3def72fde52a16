"""Sentences, clauses and question cues: the text handling the extractive answer is built from.

Why: without a generative model the answer must still read as an answer, not a results page, and every claim
must be the official text. This module cuts documents into sentences under their heading paths, knows the cues
of the kinds of question (a date for "何时", a phone number for "联系方式", an amount for "多少", a list of
materials for "需要什么材料"), weighs question bigrams by their rarity among the candidate sentences, and trims a
sentence to the clauses carrying new information. Which sentence and which part of it answers is decided by
the fitted ranker (ranker.py), which reads these as features.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from zhengwu.sentences import split_clauses, split_sentences

SHORT_ANSWER = 15  # characters: shorter than this, a span is a bare fact (a ranker feature)
LIST_QUESTION = re.compile(r"哪些|措施|如何|怎样|怎么|做法|举措|内容")
_MD = re.compile(r"^[#>*\-\s]+|<!--.*?-->")

CUES: list[tuple[re.Pattern, re.Pattern]] = [
    (re.compile(r"何时|什么时候|哪天|几号|日期|时间|截止|期限|多久|多长时间|when|date|deadline"),
     re.compile(r"\d{1,4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|\d+\s*(个)?工作日|\d+\s*天|[一二三四五六七八九十]+月|以前|之前|起")),
    (re.compile(r"电话|联系方式|热线|咨询|phone|contact|hotline"),
     re.compile(r"\d{3,4}[-－—]?\d{7,8}|12345|12333|\d{5,}|电话|热线")),
    (re.compile(r"多少|几|金额|标准|比例|数量|how many|how much|amount"),
     re.compile(r"\d+(\.\d+)?\s*(万|亿|元|%|％|人|件|个|天|户|家|吨|台|套|次|倍|小时|岁|平方米)|[一二三四五六七八九十百千万]+(个|天|项|条|人|元)")),
    (re.compile(r"材料|带什么|提供什么|提交什么|证件|document|material|bring"),
     re.compile(r"材料|证件|身份证|户口簿|原件|复印件|申请表|证明|回执|护照")),
    (re.compile(r"哪里|地点|在哪|地址|where"),
     re.compile(r"地址|地点|路\d+号|大厅|窗口|网点|中心|政务服务|派出所|APP|app|小程序|网站")),
    (re.compile(r"条件|对象|哪些人|谁可以|符合|eligib|who can"),
     re.compile(r"条件|对象|符合|人员|户籍|年满|以上|以下")),
    (re.compile(r"怎么|如何|怎样|流程|步骤|方式|渠道|how"),
     re.compile(r"通过|登录|办理|申请|提交|APP|小程序|网上|线上|现场|步")),
]


_HEADING = re.compile(r"^(#+\s*|第[一二三四五六七八九十百零]+[章节条步]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[、.．]|0\d)")
ASPECTS = ("材料", "条件", "对象", "时限", "时间", "地点", "电话", "流程", "步骤", "费用", "收费", "方法", "方式", "渠道")


# list markers and discourse openers at the start of a span carry no fact ("二是", "（三）", "据悉，")
_LEAD = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\(\d+\)|\d+[、.．](?!\d)"
                   r"|据悉，|同时，|此外，|另外，)+")
ANCHOR_NOVELTY = 0.4  # the clause matching the question most is kept when this share of it is new information

ARTICLE = re.compile(r"^\s*(第[零〇一二三四五六七八九十百]+条)")  # a law's article opening a line
SECTION_MARK = "\u241e§"  # a line "<mark><heading path>" sets the heading of what follows (see evidence.document_texts)


def sections(text: str) -> list[tuple[str, str]]:
    """(sentence, the heading path it sits under) for every sentence of `text`."""
    return list(_sections(text))


@lru_cache(maxsize=256)
def _sections(text: str) -> tuple[tuple[str, str], ...]:
    """Cached by the document's text: the answer ranker cuts the same few documents for every question about
    them (issue 15: 50 users); a tuple, so no caller can change the cached value."""
    out: list[tuple[str, str]] = []
    heading = base = ""
    for line in (text or "").split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith(SECTION_MARK):
            heading = base = line[len(SECTION_MARK):]
            continue
        if heading_line(line):
            label = _MD.sub("", line)
            # a chunk repeats its own last heading as its first line: that is not a sub-heading of itself
            heading = base if base.rsplit(" > ", 1)[-1] == label else (base + " > " if base else "") + label
            if not _HEADING.match(line):  # a label line ("★小贴士", "发表时间：") is not content
                continue
        elif ARTICLE.match(line) and ARTICLE.match(heading.rsplit(" > ", 1)[-1]):
            # a new article ends the one whose lead-in line ("第二十四条 职工有下列情形之一的，可以提取…：") headed
            # its items: articles are siblings, and the next ones do not answer under that lead-in
            heading = base
        for s in sentences(line):
            out.append((s, heading))
    return tuple(out)


def heading_line(line: str) -> bool:
    """A line that heads what follows ("四、申领方法", "第一步：…", a short label) rather than saying something."""
    return len(line) <= 40 and not re.search(r"[。；;！？]$", line) and bool(_HEADING.match(line) or len(line) <= 16)


def sentences(text: str) -> list[str]:
    """Answer candidates: the shared splitter's units, cut at ；too (a 分句 is a fact on its own)."""
    out = []
    for raw in split_sentences(text or "", semicolons=True):
        s = _MD.sub("", raw).strip()
        if 4 <= len(s) <= 400:
            out.append(s)
        elif len(s) > 400:  # very long "sentences" (tables, lists): cut at commas
            buf = ""
            for c in split_clauses(s):
                if len(buf) + len(c) > 200 and buf:
                    out.append(buf)
                    buf = ""
                buf += c
            if len(buf) >= 4:
                out.append(buf)
    return out


_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def _bigrams(text: str) -> frozenset[str]:
    """Character bigrams of `text` (whitespace removed). Cached: the answer ranker asks for the bigrams of the
    same passages' sentences many times per question and again for every question about the same documents
    (a third of an extractive answer's time under 50 users, issue 15); a frozenset, so no caller can change the
    cached value."""
    t = _SPACE.sub("", text)
    return frozenset(t[i:i + 2] for i in range(len(t) - 1))


def _weights(tokens: list[str]) -> dict[str, float]:
    w: dict[str, float] = {}
    for t in tokens:
        w[t] = max(w.get(t, 0.0), min(3.0, 0.4 + 0.6 * (len(t) - 1)) if not t.isascii() else 1.0)
    return w


SPECIFIC_CUES = 3  # the first CUES (date, phone, amount) name a fact small enough to cut a sentence down to


# what a citizen asks about -> the words of the heading a service guide files the answer under
INTENTS: list[tuple[re.Pattern, tuple[str, ...]]] = [
    (re.compile(r"材料|带什么|带啥|带哪些|要带|准备什么|准备哪些|提供什么|提交什么|手续|证件|documents?|bring"),
     ("材料", "证件", "手续")),
    (re.compile(r"条件|什么情况|哪些情况|什么人|哪些人|谁能|谁可以|能不能|可不可以|可以吗|能吗|符合|资格|eligib|who can"),
     ("条件", "对象", "范围", "情形", "资格")),
    (re.compile(r"多久|多长时间|几天|时限|什么时候能|多少天|how long"), ("时限", "时间", "期限", "办结")),
    (re.compile(r"怎么|如何|怎样|流程|步骤|方法|方式|渠道|在哪办|网上|how"),
     ("方法", "流程", "步骤", "程序", "方式", "渠道", "指引", "办理")),
    (re.compile(r"多少钱|费用|收费|标准|多少|金额|how much"), ("标准", "费用", "收费", "金额", "待遇")),
    (re.compile(r"在哪|哪里|地点|地址|哪些银行|哪个银行|窗口|where"), ("地点", "地址", "网点", "银行", "窗口")),
    (re.compile(r"什么时候|何时|哪天|几月|截止|when"), ("时间", "日期", "期限", "安排")),
]


def intent_headings(question: str) -> tuple[str, ...]:
    """Heading words of the aspects the question asks about ("要带什么" -> 材料, 证件 …)."""
    q = question.lower()
    return tuple(dict.fromkeys(w for pat, words in INTENTS if pat.search(q) for w in words))


def question_cues(question: str, specific: bool = False) -> list[re.Pattern]:
    q = question.lower()
    cues = CUES[:SPECIFIC_CUES] if specific else CUES
    return [ans for cue, ans in cues if cue.search(q)]


IDF_MIX = 0.5  # share of a question bigram's weight that depends on its rarity among the candidate sentences


def bigram_idf(qbigrams: set[str], sents: list[str]) -> dict[str, float]:
    """Weight of each question bigram by how rare it is among `sents` (mean weight about 1).

    Why: inside the answering document, every sentence shares the bigrams of its topic (the city, "疫情防控");
    the sentence that also carries the question's rarer bigrams is the one that answers it."""
    sets = [_bigrams(s.lower()) for s in sents]
    n = len(sets)
    out: dict[str, float] = {}
    for b in qbigrams:
        df = sum(1 for x in sets if b in x)
        out[b] = (1 - IDF_MIX) + IDF_MIX * 2 * math.log((n + 1) / (df + 1)) / math.log(n + 2)
    return out


@lru_cache(maxsize=65536)
def clauses_of(sentence: str) -> tuple[str, ...]:
    """The sentence's non-blank clauses (split_clauses). Cached, as `_bigrams`: the ranker cuts every sentence of
    the same documents for each question about them."""
    return tuple(c for c in split_clauses(sentence) if c.strip())


def trim(sentence: str, question: str, qweights: dict[str, float], cues: list[re.Pattern]) -> str:
    """Drop clauses that only restate the question; keep the clause(s) with the new facts."""
    clauses = clauses_of(sentence)
    if len(clauses) <= 1:
        return sentence.strip()
    qb = _bigrams(question.lower())

    def novelty(c: str) -> float:
        b = _bigrams(c.lower())
        return (len(b - qb) / len(b)) if b else 0.0

    def relevance(c: str) -> float:
        low = c.lower()
        return sum(w for t, w in qweights.items() if t in low)

    rel = [relevance(c) for c in clauses]
    anchor = max(range(len(clauses)), key=lambda i: (rel[i], -i))
    if cues:  # a date / amount / phone question: the clause carrying it, nearest the anchor
        cued = [i for i, c in enumerate(clauses) if any(p.search(c) for p in cues)]
        if cued:
            i = min(cued, key=lambda j: (abs(j - anchor), j))
            lo, hi = min(i, anchor), max(i, anchor)
            if hi - lo <= 1:
                return "".join(clauses[lo:hi + 1]).strip().rstrip("，,：:；;")
    start = anchor if novelty(clauses[anchor]) >= ANCHOR_NOVELTY or anchor + 1 >= len(clauses) else anchor + 1
    text = "".join(clauses[start:]).strip()
    if len(text) < 6:
        text = "".join(clauses[anchor:]).strip()
    return text.rstrip("，,：:；;") if text else sentence.strip()


def _strip_title(sent: str, title: str) -> str:
    t = re.sub(r"\s+", "", title or "")
    if len(t) >= 6:
        compact = re.sub(r"\s+", "", sent)
        if compact.startswith(t):
            # drop the title and the whitespace inside it
            n, seen = 0, 0
            while n < len(sent) and seen < len(t):
                if not sent[n].isspace():
                    seen += 1
                n += 1
            return sent[n:].strip()
    return sent
