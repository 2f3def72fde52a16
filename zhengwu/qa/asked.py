"""Which thing a question asks about — its focus — and whether a passage states that thing.

Why: the abstention's wrong answers look like right ones on every count of shared words: "我在广州办社保卡要带啥"
is met by a list of materials (for claiming a pension), "积分入户什么时候可以申请" by a date (the rules' expiry),
"申请公租房的家庭收入标准是多少" by an article on incomes *not* counted. The ask is met in form by a fact about a
neighbouring thing (docs/benchmarks.md, thirteenth round). The focus is read from grammar, not from a list of
topics: the clause holding the question word (什么时候 / 多少 / 带啥 / 哪里 …), the kind of fact it asks for
(answer_types), the verb the question word hangs on (申请 in "什么时候可以申请", 交 in "交多少", 带 in "带啥") and the
matter — the question's topic terms inside that clause (or the clause before, when the asking clause names none:
"老年人优待卡有效期多久？到期了去哪续"). A passage states the asked thing when a sentence of it holds a fact of the asked
kind together with the matter's words or the asked verb (or under a heading naming the matter).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from zhengwu.kb.query_dict import pos_cutter
from zhengwu.qa import answer_types

# question words: what a clause asks with (Cantonese 几多 / 边度 / 点样 too); 吗 / 呢 alone ask yes or no
_QWORD = re.compile(r"什么时候|啥时候|何时|多少|多久|多长|几[号天个年月岁次项分种人多]?|哪[里儿个些天一]?|什么|啥|咋|怎么|怎样|如何"
                    r"|能不能|可不可以|要不要|有没有|是不是|边度|点样|乜嘢|咩")
# words a clause is split at: punctuation and the spaces citizens write between clauses (and the rewrite puts
# before the official terms it adds)
_CLAUSE = re.compile(r"[，,。？?！!；;：:\s]+")
# verbs that carry no action of their own: modal, copula, motion ("要带啥" asks about 带, "去哪申请" about 申请)
_AUX = {"要", "能", "可以", "需要", "是", "有", "去", "到", "得", "会", "想", "该", "应该", "可", "能够", "还", "还要",
        "还能", "才能", "才", "就", "都", "了", "在", "让", "叫", "给", "用", "算", "做", "搞", "弄", "办理", "怎么办",
        "花", "开始", "等"}
_SENTENCE = re.compile(r"[。！？；\n!?;]")
# a sentence about the document itself — its entry into force, its term of validity — not about a matter it rules
# ("本办法自2021年5月1日起施行", "重新发布，有效期调整至…"; not "自本办法实施之日起申领的凭证设置2年有效期")
_SELF = re.compile(r"本(?:办法|通知|条例|规定|细则|意见|方案|指引|公告|决定)(?:自|于)|重新发布|有效期(?:调整|延长)?至"
                   r"|(?:施行|实施)[，,]\s*有效期")
# a topic term heavy enough to name a matter (abstain._terms' weights: 社保卡 1.6, 积分入户 2.8; 到期 0.6, 广州 0.5)
_MATTER_WEIGHT = 1.0
# "标准是多少", "几倍", "多大面积": a number is asked though no kind answer_types names; any number answers in form
_NUMBER_ASKED = re.compile(r"多少|几|多大|多高|多长|多远")
_NUMBER = re.compile(r"\d|[一二两三四五六七八九十百千万半]+\s*(?:个|倍|年|月|天|元|人|次|分|岁|项|%|％|成)")


@dataclass(frozen=True)
class Focus:
    """What a question asks: `clause` the asking clause, `types` the kinds of fact asked (answer_types: money,
    date, place, materials …), `verb` the action the question word hangs on ("" if none), `matter` the topic
    terms of the asking clause with their weights (a citizen's word and its official term as one, "a|b"),
    `attribute` the noun the question word asks the value of ("名额有多少个" → 名额, "收入标准是多少" → 收入标准,
    "有效期多久" → 有效期; "" when none stands there: "交多少钱", "几号发")."""

    clause: str
    types: tuple[str, ...]
    verb: str
    matter: dict[str, float]
    attribute: str = ""


def _has(term: str, low: str) -> bool:
    return any(alt and alt in low for alt in term.split("|"))


def _verb(clause: str) -> str:
    """The action the question word of `clause` hangs on: the first verb after it ("什么时候可以申请" → 申请), else
    the last one before it ("每年交多少" → 交, "要带啥" → 带); modal and motion verbs skipped."""
    m = _QWORD.search(clause)
    if not m:
        return ""
    words = list(pos_cutter().cut(clause))
    pos, at = 0, len(words)
    for k, (w, _) in enumerate(words):
        if pos >= m.start():
            at = k
            break
        pos += len(w)

    def verb(w: str, flag: str) -> bool:
        return flag.startswith("v") and w not in _AUX and not _QWORD.fullmatch(w) and re.fullmatch(r"[\u4e00-\u9fff]+", w)

    after = [w for w, f in words[at:at + 4] if verb(w, f)]
    before = [w for w, f in words[max(0, at - 3):at] if verb(w, f)]
    return after[0] if after else before[-1] if before else ""


def _kinds(clause: str, matter: dict[str, float]) -> tuple[str, ...]:
    """The kinds of fact the asking part of `clause` asks for: answer_types read around the question word ("从交材料
    到拿证要等几天" asks a length of time: 材料 is part of the matter's story), then in the clause, each with the
    matter's own words taken out ("残疾补贴要去哪里申请" asks a place, not a sum: 补贴 names the matter), else in the
    whole clause; ("number",) when it asks 多少 / 几 of no kind answer_types knows ("收入标准是多少", "几倍")."""
    def bare(text: str) -> str:
        for t in sorted((a for t in matter for a in t.split("|")), key=len, reverse=True):
            text = text.replace(t, " ")
        return text

    low = clause.lower()
    m = _QWORD.search(low)
    near = bare(low[max(0, m.start() - 6):m.end() + 4]) if m else ""
    kinds = answer_types.asked(near) or answer_types.asked(bare(low)) or answer_types.asked(low)
    return kinds or (("number",) if _NUMBER_ASKED.search(low) else ())


# words between an attribute and its question word: copulas, "in total", degree words ("名额一共有多少", "基数是多少")
_LINK = {"是", "有", "为", "要", "能", "一共", "总共", "大概", "大约", "最多", "最少", "最高", "最低", "最长", "一般", "得",
         "都", "能有", "约", "共", "的", "一", "每", "个"}


def _attribute(clause: str) -> str:
    """The noun the question word asks the value of: the noun counted right after it ("有多少个名额" → 名额), else
    the nouns right before it, over copulas and degree words ("名额一共有多少个" → 名额, "家庭收入标准是多少" →
    家庭收入标准, "有效期是多长" → 有效期)."""
    m = _QWORD.search(clause)
    if not m:
        return ""
    after = [(w, flag) for w, flag in pos_cutter().cut(re.sub(r"^[个种项类档批条]", "", clause[m.end():]))]
    if after and after[0][1] in ("n", "nz", "vn") and len(after[0][0]) >= 2:
        return after[0][0]
    words, pos = [], 0
    for w, flag in pos_cutter().cut(clause[:m.start()]):
        words.append((w, flag))
        pos += len(w)
    while words and (words[-1][0] in _LINK or words[-1][1] in ("d", "p", "uj", "ul", "m", "q")):
        words.pop()
    nouns = []
    while words and words[-1][1] in ("n", "vn", "nz", "ng", "nr", "j") and len(nouns) < 2:
        nouns.insert(0, words.pop()[0])
    if len(nouns) == 1 and words and words[-1][1] == "v" and len(words[-1][0]) == 2:  # 收入标准, 缴费基数
        nouns.insert(0, words.pop()[0])
    return "".join(nouns)


def focus(question: str, terms: dict[str, float]) -> Focus:
    """The focus of `question` (as searched: the rewrite's official terms may follow it); `terms` its topic terms
    and weights (abstain._terms). The asking clause is the last one holding a question word; when it names no
    heavy topic term, the clauses before it are joined to it one by one until one does ("到期了去哪续" after
    "老年人优待卡有效期多久"). A question with no question word ("户口本上民族写错了想改") is its own focus."""
    clauses = [c for c in _CLAUSE.split(question or "") if c]
    asking = [k for k, c in enumerate(clauses) if _QWORD.search(c)]
    if not asking:
        text = "".join(clauses)
        return Focus(text, _kinds(text, terms), "", dict(terms))
    k = asking[-1]
    clause = clauses[k]
    start = k
    while True:
        span = "".join(clauses[start:k + 1]).lower()
        matter = {t: v for t, v in terms.items() if _has(t, span) and not all(_QWORD.match(a) for a in t.split("|"))}
        if any(v >= _MATTER_WEIGHT for v in matter.values()) or start == 0:
            break
        start -= 1
    return Focus(clause, _kinds(clause, matter), _verb(clause), matter, _attribute(clause))


def _holds(text: str, kinds: tuple[str, ...]) -> bool:
    return bool(_NUMBER.search(text or "")) if kinds == ("number",) else answer_types.holds(text, kinds)


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split((text or "").lower()) if s.strip()]


def matter_share(f: Focus, text: str) -> float:
    """The weighted share of the asked matter's terms `text` holds; NaN when the focus names no matter."""
    total = sum(f.matter.values())
    if not total:
        return math.nan
    low = (text or "").lower()
    return sum(v for t, v in f.matter.items() if _has(t, low)) / total


def stated(f: Focus, text: str, heading: str = "") -> float:
    """1.0 when a sentence of `text` holds a fact of the asked kind and, in it or the sentence before it (a FAQ's
    question) or in `heading`, a heavy term of the asked matter or the asked verb; 0.0 when no sentence does; NaN
    when the question asks no kind of fact (nothing to check). A sentence about the document itself (its own
    validity or entry into force: "本办法自2024年4月1日起实施，有效期5年", "重新发布，有效期调整至…") states nothing
    about the matter asked.

    Why: "办社保卡要带啥" is not answered by a list of materials for claiming a pension, nor "积分入户什么时候可以申请"
    by the date the rules expire, nor "优待卡有效期几年" by the rules' own term: the kind asked is there, about
    another thing."""
    if not f.types:
        return math.nan
    heavy = [t for t, v in f.matter.items() if v >= _MATTER_WEIGHT] \
        or sorted(f.matter, key=lambda t: (-f.matter[t], t))[:1]  # no heavy term: the heaviest there is
    cues = heavy + ([f.verb] if f.verb else [])
    head = (heading or "").lower()
    under = any(_has(t, head) for t in heavy)
    parts = _sentences(text)
    for i, part in enumerate(parts):
        if not _holds(part, f.types) or _SELF.search(part):
            continue
        if not cues or under or any(_has(c, part) or (i and _has(c, parts[i - 1])) for c in cues):
            return 1.0
    return 0.0


def attribute_stated(f: Focus, text: str, heading: str = "") -> float:
    """1.0 when a sentence of `text` holds a fact of the asked kind and, in it or the sentence before it or in
    `heading`, the asked attribute (half its character pairs at least: 收入标准 in "收入…标准"); 0.0 when none does;
    NaN when the question names no attribute or asks no kind of fact.

    Why: "积分入户有多少个名额" is met in form by "总积分满150分", "优待卡多久能做好" by the card's term of validity:
    the value stated belongs to another attribute of the same matter."""
    if not f.types or not f.attribute:
        return math.nan
    a = f.attribute.lower()
    pairs = [a[i:i + 2] for i in range(len(a) - 1)] or [a]

    def names(t: str) -> bool:
        return sum(1 for p in pairs if p in t) * 2 >= len(pairs)

    head = (heading or "").lower()
    parts = _sentences(text)
    for i, part in enumerate(parts):
        if _holds(part, f.types) and not _SELF.search(part) and (
                names(part) or (i and names(parts[i - 1])) or names(head)):
            return 1.0
    return 0.0
