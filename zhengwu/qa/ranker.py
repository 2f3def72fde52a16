"""Choosing the answer: which document to cite and which sentence, or part of one, answers the question.

Why fitted linear models and not hand-set weights: the signals are well known (how much of the question a
sentence repeats and how rare those shared words are, whether it carries the kind of fact asked for, how well its
document was retrieved, whether a heading-like sentence before it names the topic, whether its heading names the
aspect asked in everyday words, how much of the question's words rare inside its own document it carries, whether
it holds the kind of fact asked — a sum of money, a period, a date … (answer_types.py), how much new information a
cut of it keeps), but how they trade off is not. Three linear scores decide: "sentence"
picks the best whole sentence (its document is cited), "within" the answering sentence of that document, "span"
the answer among the candidates around it. The weights are fitted by `bench/fit_answer_ranker.py` on the
policy-QA development questions and on everyday questions in citizens' words over the demo documents (listwise
soft-max, cross-validated; the script prints the cross-validated figures so that over-fitting shows) and shipped
as `ranker_weights.json`. Nothing is keyed to a question or a document: 54 features (the sentence model also
their pairwise products over 14 of them); two of them, `dense_*`, are the embedder's cosine of the question and the
chunk holding a sentence, missing (at the fitted mean) without vectors; three, `value_*` (value_features), say
whether the value a sentence states belongs to the question's action (a fit gives them weight 0 in every model:
they act through best_sentence's rule); five, DOCUMENT_FEATURES (document_evidence), say what the sentence's
document is against what the question asks (another place than the one named, a rule text for a how-to
question, a title full of conditions not asked …).

Candidates per sentence: the sentence; its trimmed form (extract.trim); the clauses left after dropping those
restating the question at either end; the clauses before and after the clause matching the question most; the
text before and after the longest run of the question's words; the sentence with the next one (answers running
over two sentences); and, for a question naming an aspect (材料, 条件 ...), the whole section under a heading
naming it (a list of materials is one answer, and such a section wins in its document).

The "within" model's second choice in the chosen document and its score gap travel with the answer
(`runner_up`, `Snippet.second`): when the two are close, whole.with_second shows both. So does its first choice
(`Snippet.chosen`): when the span model's answer lies in a neighbouring sentence, whole.with_chosen shows it too.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from zhengwu.qa import answer_types
from zhengwu.qa import extract as X

WEIGHTS_FILE = Path(__file__).with_name("ranker_weights.json")
NEIGHBOURS = 1  # sentences either side of the best one whose spans compete for the answer
SECTION_LIMIT = 300  # characters of an aspect section given as one answer
_FULL_STOP = re.compile(r"[。；;！？!?]$")
_WHAT = re.compile(r"什么|哪个|哪家|哪一|谁|何种|哪种|是否|吗")

KINDS = ("trim", "pair", "section", "novel", "head", "tail", "before", "after")
# what a document is, against what the question asks (document_evidence): the same for all its sentences
DOCUMENT_FEATURES = ("title_extra", "title_lead", "place_other", "rule_howto", "citizen_doc")
FEATURES = (
    "overlap", "bigram", "bigram_idf", "verbatim", "span_overlap", "span_novelty", "log_new", "anchor_novel",
    "context_novel", "idf_novel", "cue", "fact_cue", "log_len", "log_len_list", "log_len_fact", "log_len_what",
    "short", *(f"kind_{k}" for k in KINDS), "aspect", "context", "position", "first", "prior", "rank0",
    "doc_coverage", "title_coverage", "doc_best", "rel_doc_best", "full_stop", "lead_marker", "heading_overlap",
    "novel_recall", "span_share", "previous_restates", "intent_heading", "focus", "fine_type",
    "dense_sent", "dense_doc", "value_overlap", "value_action", "value_foreign",
    *DOCUMENT_FEATURES,
)
# the sentence model also sees the pairwise products of these (the evidence for a sentence is not additive:
# a verbatim match counts for more in a well-retrieved document, a cue for more in a sentence on the topic);
# all lie in [0, 1], so their products cannot run away on documents unlike the ones fitted on
PAIRED = ("overlap", "bigram_idf", "verbatim", "prior", "rank0", "context", "previous_restates", "cue", "fact_cue",
          "span_novelty", "doc_coverage", "title_coverage", "focus", "intent_heading")
_PAIRED_AT = [FEATURES.index(f) for f in PAIRED]
# which sentence of the chosen document answers: the evidence that tells sentences of one document apart (the
# document-level features are the same for all of them and left out)
WITHIN = ("overlap", "bigram", "bigram_idf", "verbatim", "span_overlap", "cue", "fact_cue", "log_len", "log_len_list",
          "log_len_fact", "log_len_what", "short", "aspect", "context", "position", "first", "rel_doc_best",
          "full_stop", "lead_marker", "heading_overlap", "previous_restates", "intent_heading", "focus",
          "idf_novel", "context_novel", "fine_type", "dense_sent", "value_overlap", "value_action", "value_foreign")
_WITHIN_AT = [FEATURES.index(f) for f in WITHIN]
# value_features(), from a span's text alone; evidence for the sentence of the chosen document only: which action
# a value belongs to tells a document's sentences apart, not one document from another (fitted with weight 0 in
# the sentence model)
VALUE_FEATURES = ("value_overlap", "value_action", "value_foreign")
_VALUE_AT = [FEATURES.index(f) for f in VALUE_FEATURES]
_VALUE_ACTION = FEATURES.index("value_action")
_NO_VALUES = (math.nan, math.nan, math.nan)
_FINE_TYPE = FEATURES.index("fine_type")
NARROW_TYPES = answer_types.NARROW  # facts one sentence states or does not
# Actions a citizen names in other words than a guide: the question's 拿到 is the guide's 领卡 / 发放 / 邮寄, its
# 批下来 the guide's 审核 / 办结. A small general table of verb families (no question's or document's words), read
# by the `value_*` features: whether the value a sentence states belongs to the action the question asks about.
ACTIONS: tuple[tuple[str, ...], ...] = (
    ("拿到", "拿卡", "领", "发放", "发卡", "寄送", "邮寄", "到手", "收到", "到账", "取卡"),
    ("批", "审批", "审核", "核准", "办结", "办好", "办完", "出结果", "结果", "决定", "作出", "答复"),
    ("申请", "申领", "申报", "提出", "提交", "递交"),
    ("受理",),
    ("缴费", "交费", "缴纳", "缴交", "缴存", "交钱", "交满", "交够", "缴满", "缴够"),
    ("报销", "结算"),
    ("公示",),
    ("复议", "诉讼", "起诉", "异议"),
    ("放假", "休假", "假", "调休"),
    ("补贴", "补助", "津贴", "贴息"),
    ("续期", "续租", "续签", "延期", "期满", "到期"),
    ("预约", "挂号"),
    ("补办", "补领", "挂失", "换领"),
)
# 领 alone is taking (领卡, 领取, 领到), not 申领 (applying: "申领人", everywhere in a card guide), 带领 or 领导
_TAKING = r"(?<![申带引])领(?![导域])"
_ACTION_AT = tuple(re.compile("|".join(_TAKING if w == "领" else w for w in sorted(f, key=len, reverse=True)))
                   for f in ACTIONS)
_FOLLOWS = 4  # characters between the asked words and the action they ask about ("多久能拿到", "几个工作日能办结")
_CLAUSE_END = re.compile(r"[，,。；;？?！!]")
_CONDITION = re.compile(r"(?:后|前|时|的|者)[，,]$")  # a clause of condition or time ("…通过后，", "…有异议的，")
_LABEL = re.compile(r"^[^：:。；;，,]{1,20}[：:]")  # "二、春节：", "承诺办结时限：": the line's label
# Sums a rule states in words answer_types does not read as one (it reads 元, %, 免费, 不收): a multiple or a share
# of a wage ("月平均工资的三倍", "本人工资的百分之十五", "十级伤残为7个月的本人工资") and no charge in a rule's words
# ("不得收取费用", "个人不缴费", "减免公证费"). Read where a narrow type's value is looked for inside the chosen
# document (within_pool, value_features), not by the fitted fine_type feature.
_DIGITS = r"(?:\d+|[一二两三四五六七八九十]+)"
MORE_VALUES: dict[str, re.Pattern] = {
    "money": re.compile(rf"百分之[一二三四五六七八九十百零]+|{_DIGITS}\s*倍|{_DIGITS}\s*个月的(?:本人)?(?:缴费)?工资"
                        r"|不得收取|不予收取|不收取|不缴费|不缴纳|免缴|减免"),
}


def states_value(text: str, types: tuple[str, ...]) -> bool:
    """Does `text` state a value of one of the narrow `types` (answer_types.holds, or MORE_VALUES)?"""
    return answer_types.holds(text, types) or _more_value(text, types)


def _more_value(text: str, types: tuple[str, ...]) -> bool:
    """MORE_VALUES alone: for a candidate whose `fine_type` says answer_types.holds already found none (the
    answer path reads every sentence of five documents: not twice)."""
    return any(p.search(text) for t, p in MORE_VALUES.items() if t in types)


SENTENCE_FEATURES = FEATURES + tuple(f"{a}*{b}" for i, a in enumerate(PAIRED) for b in PAIRED[i:])


@dataclass
class Span:
    text: str
    hit_index: int
    sentence_index: int
    sentence: str
    heading: str
    kind: str  # sent | trim | pair | section | novel | head | tail | before | after
    previous: str = ""  # the sentence before it (a heading-like sentence there often names the topic)
    dense: float = math.nan  # cosine of the query and the chunk holding its sentence (NaN: no vector)


@dataclass
class Snippet:
    """The chosen answer."""

    text: str  # the extracted sentence / clauses, verbatim
    hit_index: int  # which passage (0-based, in the order given)
    sentence: str  # the whole sentence it came from
    heading: str = ""  # the heading path it sits under
    basis: str = ""  # headings and sentences around the answer: the "is there a basis" evidence
    score: float = 0.0  # the sentence model's score of the best sentence (an abstention feature)
    margin: float = 0.0  # its lead over the best sentence of any other document (0 with one document)
    kind: str = ""  # the span's kind (Span.kind): a "section" is already a whole unit
    focus: float = 0.0  # the answering sentence's `focus` feature (an abstention feature)
    intent: float = 0.0  # 1 when its heading names the aspect asked in everyday words (an abstention feature)
    dense: float = math.nan  # cosine of the query and the answering sentence's chunk (an abstention feature)
    # the "within" model's second choice in the same document: (its whole sentence, heading, score gap) or None
    second: tuple[str, str, float] | None = None
    # the "within" model's own choice: (its whole sentence, heading); the answer span may lie beside it
    chosen: tuple[str, str] | None = None


@dataclass
class Question:
    """What is computed once per question."""

    text: str
    weights: dict[str, float]
    bigrams: frozenset[str]
    cues: list[re.Pattern]
    fact_cues: list[re.Pattern]
    asked: list[str]
    is_list: bool
    is_fact: bool
    is_what: bool
    ngrams: list[set[str]]  # question n-grams, n = 2..12 (for the verbatim-match feature)
    intents: tuple[str, ...] = ()  # heading words of the aspect asked in everyday words (extract.INTENTS)
    types: tuple[str, ...] = ()  # the kinds of fact asked for (answer_types: money, duration, date …)
    actions: frozenset[int] = frozenset()  # the ACTIONS families the question names
    token_actions: dict[str, frozenset[int]] | None = None  # per question word: the families it names
    main_action: int = -1  # the family of the action whose value is asked (_main_action), or -1


def analyse(question: str) -> Question:
    from zhengwu.kb.tokenize import query_tokens

    q = question.lower()
    compact = re.sub(r"\s+", "", q)
    fact_cues = X.question_cues(question, specific=True)
    weights = X._weights([t for t in query_tokens(question) if t.strip()])
    token_actions = {t: frozenset(k for k, f in enumerate(ACTIONS) if any(m in t for m in f)) for t in weights}
    return Question(
        text=question, weights=weights, bigrams=X._bigrams(q),
        cues=X.question_cues(question), fact_cues=fact_cues, asked=[a for a in X.ASPECTS if a in question],
        is_list=bool(X.LIST_QUESTION.search(question)) and not fact_cues, is_fact=bool(fact_cues),
        is_what=bool(_WHAT.search(question)),
        ngrams=[{compact[i:i + n] for i in range(len(compact) - n + 1)} for n in range(2, 13)],
        intents=X.intent_headings(question), types=answer_types.asked(question),
        actions=frozenset(k for k, pat in enumerate(_ACTION_AT) if pat.search(q)),
        token_actions={t: a for t, a in token_actions.items() if a}, main_action=_main_action(q))


def _main_action(q: str) -> int:
    """The ACTIONS family of the question's action whose value is asked: one named just after the words asking for
    a narrow type, in the same clause ("社保卡多久能拿到", "养老金申请交上去几个工作日能办结": 办结, not 申请), else the
    nearest to them ("人才引进入户交了材料审核要多长时间": 审核); without such words the last one named ("失业金怎么领":
    领); -1 when the question names none. An action reaching a quantity just before the asking words ("交满多少年才能
    领": 缴费, not 领) is the one whose value is asked."""
    found = [(m.start(), k) for k, pat in enumerate(_ACTION_AT) for m in pat.finditer(q)]
    if not found:
        return -1
    cues = [m.span() for name, ask, _ in answer_types.TYPES if name in NARROW_TYPES for m in ask.finditer(q)]
    if not cues:
        return max(found)[1]
    reached = [k for k, pat in enumerate(_ACTION_AT) for m in pat.finditer(q)
               if m.group().endswith(("满", "够")) and any(0 <= start - m.end() <= 1 for start, _ in cues)]
    if reached:
        return reached[0]
    after = [(at - end, k) for at, k in found for _, end in cues
             if 0 <= at - end <= _FOLLOWS and not _CLAUSE_END.search(q[end:at])]
    if after:
        return min(after)[1]
    return min(found, key=lambda f: (min(abs(f[0] - c) for c, _ in cues), f[0]))[1]


def _overlap(q: Question, low: str) -> float:
    total = sum(q.weights.values()) or 1.0
    return sum(w for t, w in q.weights.items() if t in low) / total


def _verbatim(q: Question, compact: str) -> float:
    """Longest run of the question found verbatim (2..12 characters), as a share of 12."""
    best = 0
    for n, grams in enumerate(q.ngrams, start=2):
        if any(g in compact for g in grams):
            best = n
        else:
            break
    return best / 12


def _actions_in(text: str) -> frozenset[int]:
    return frozenset(k for k, pat in enumerate(_ACTION_AT) if pat.search(text))


def value_features(q: Question, text: str) -> tuple[float, float, float]:
    """(value_overlap, value_action, value_foreign) of a candidate: does the value it states belong to what the
    question asks?

    Why: inside the right document several sentences state a value of the asked kind (a period for the photo's
    review and one for the card's delivery; the employer's 30 days to apply and the 60 days to decide), and the
    sentence's words as a whole do not tell which belongs to the question's action. A value's scope is its
    clause and the clauses around it up to the other values' (the action is often a clause away: "自…之日起30日内，
    向…提出工伤认定申请"), less a condition before it ("…通过后，"), with the line's label ("二、春节：…共7天");
    without an asked narrow type (a sum, a period, a date …) it is the whole candidate. value_overlap: the
    question's weighted words in the best scope, a word naming an action also met by another word of its family
    (拿到 ~ 领卡, 批 ~ 审核); value_action: a scope names the question's main action (Question.main_action) in any
    of its family's words; value_foreign: none does, and every scope names another action (the 公示 of
    "5个工作日的公示" when the question asks how long the 审核 takes). All 0 where the question asks a narrow type
    the text does not hold."""
    narrow = tuple(t for t in q.types if t in NARROW_TYPES)
    low = text.lower()
    if narrow:
        m = _LABEL.match(low)
        label = m.group(0) if m else ""
        clauses = X.clauses_of(low)
        at = [k for k, c in enumerate(clauses) if states_value(c, narrow)]
        if not at:
            return 0.0, 0.0, 0.0
        bounds = [-1, *at, len(clauses)]
        scopes = []
        for n, k in enumerate(at):
            lo = bounds[n] + 1
            # not a condition before it ("审核通过后，进行5个工作日的公示": the 公示's period, not the 审核's)
            lo = max([lo] + [c + 1 for c in range(lo, k) if _CONDITION.search(clauses[c])])
            scopes.append(label + "".join(clauses[lo:bounds[n + 2]]))
    else:
        scopes = [low]
    total = sum(q.weights.values()) or 1.0
    families = q.token_actions or {}
    best, action, foreign = 0.0, False, q.main_action >= 0
    for sc in scopes:
        present = _actions_in(sc)
        best = max(best, sum(w for t, w in q.weights.items() if t in sc or present & families.get(t, frozenset()))
                   / total)
        action = action or q.main_action in present
        foreign = foreign and bool(present - {q.main_action})
    return best, 1.0 if action else 0.0, 1.0 if foreign and not action else 0.0


# a question asking how, where or with what a matter is done (a service guide's question, not a rule's)
_HOWTO = re.compile(r"怎么|怎样|如何|咋|去哪|在哪|哪里|材料|手续|流程|步骤|带什么|带啥|要什么|要啥|how|where")
# a rule text by its title (a regulation, measures, opinions; "关于印发…办法的通知" is the measures it issues)
_RULE_TITLE = re.compile(r"(条例|法|办法|规定|细则|规则|意见|决定)$")
_WRAPPER = re.compile(r"(的通知|（[^（）]*）|\([^()]*\)|[《》\s])+$")
# a title written for citizens: questions and answers, a guide, an explainer
_CITIZEN_TITLE = re.compile(r"问答|问题|解答|指南|指引|详解|简介|一文|怎么|如何|[？?]|热点|须知|攻略")
PLACE_HEAD = 300  # characters of a document's text (after its title) searched for the place it belongs to


@lru_cache(maxsize=4096)
def _places(text: str, city: str = "") -> tuple:
    """The provinces and cities named in `text`, in order (zhengwu.match.places; a district of `city` by its
    short name too: 天河 is 广州's). Cached: a document's title and head are read for every question."""
    from zhengwu.match.places import place_at

    out, i = [], 0
    while i < len(text):
        p, words = place_at(text[i:], city=city)
        if p is not None and p.level != "elsewhere" and words:
            out.append(p)
            i += len(words)
        else:
            i += 1
    return tuple(out)


def document_place(title: str, text: str):  # noqa: ANN201 - a places.Place or None
    """The place a document belongs to: the first province or city its title names, else the first in the head
    of its text (a 广州 FAQ says 来源：广州市人社局); None for a national text (国务院, 失业保险条例)."""
    found = _places(title) or _places(text[:PLACE_HEAD])
    return found[0] if found else None


def other_place(question: str, title: str, text: str) -> bool:
    """The question names a province or city and the document belongs to another one (a 广州 guide for
    "临沂办居住证"); a national text or a document of no known place is never of another place."""
    place = document_place(title, text)
    if place is None:
        return False
    asked = _places(question, place.name if place.level == "city" else "")
    return bool(asked) and not any(a.name == place.name or a.province == place.name or place.province == a.name
                                   for a in asked)


def document_evidence(q: Question, title: str, text: str) -> dict[str, float]:
    """What the document is against what the question asks — evidence the sentence's words do not carry.

    - title_extra: how many of the title's words the question does not hold (log). Sibling service guides of
      one matter are told apart by the conditions their titles state (婚生随父母出生登记 vs 随祖父母、外祖父母出生
      登记（父母双方属现役军人…）): a title full of conditions the question does not state is the other case.
    - title_lead: the title's first word is in the question. A guide's title leads with who or what it is for
      (父母投靠成年子女 vs 子女投靠父母): the question naming that one is asking about it.
    - place_other: the question names a province or city, and the document belongs to another one (a 广州 guide
      for "临沂办居住证"); a national text or a document of no known place is never "other".
    - rule_howto: a question of how, where or with what a matter is done, and the document is a rule text (a
      regulation, measures): a service guide or FAQ answers it for the citizen (失业保险条例 for "失业金怎么领").
    - citizen_doc: the title is written for citizens (问答, 指南, 解答, a question)."""
    low = q.text.lower()
    words, lead, rule, citizen = _title_facts(title or "")
    extra = math.log1p(sum(1 for t in words if t not in low and not any(t != u and t in u for u in words)))
    other = 1.0 if other_place(q.text, title or "", text) else 0.0
    return {"title_extra": extra, "title_lead": 1.0 if lead and lead.lower() in low else 0.0, "place_other": other,
            "rule_howto": 1.0 if rule and _HOWTO.search(low) else 0.0, "citizen_doc": 1.0 if citizen else 0.0}


@lru_cache(maxsize=4096)
def _title_facts(title: str) -> tuple[frozenset, str, bool, bool]:
    """(the title's words, its leading word, a rule text, written for citizens): the same for every question."""
    from zhengwu.kb.tokenize import query_tokens

    tokens = query_tokens(title)
    core = _WRAPPER.sub("", title)
    return (frozenset(t.lower() for t in tokens if len(t) > 1 and t.strip()), next((t for t in tokens if len(t) > 1), ""),
            bool(_RULE_TITLE.search(core)) and not _CITIZEN_TITLE.search(core), bool(_CITIZEN_TITLE.search(core)))


def _sentence_sims(sentences: list[str], chunks: list[tuple[str, float]]) -> list[float]:
    """Per sentence: the cosine of the query and the (best) chunk holding it; NaN when no embedded chunk does."""
    if not chunks:
        return [math.nan] * len(sentences)
    packed = [(re.sub(r"\s+", "", t), v) for t, v in chunks]
    out = []
    for s in sentences:
        key = re.sub(r"\s+", "", s)[:24]
        out.append(max((v for t, v in packed if key in t), default=math.nan))
    return out


@dataclass
class _Doc:
    """One passage's sentences with the evidence its spans share, computed once per question."""

    index: int  # which passage
    ss: list[tuple[str, str]]  # (sentence, heading path)
    sent: list[dict]  # per sentence: its own evidence (overlap, bigrams, novelty …)
    base: list[dict | None]  # per sentence: the features all its spans share; None for an excluded sentence
    sims: list[float]  # per sentence: the embedder's cosine (NaN without vectors)


def _documents(q: Question, passages: list[str], *, priors: list[float], titles: list[str] | None,
               exclude: re.Pattern | None, dense: list[list[tuple[str, float]]] | None) -> list[_Doc]:
    """The passages cut into sentences, with every sentence's evidence (the spans of a sentence reuse it)."""
    docs: list[list[tuple[str, str]]] = []
    for i, passage in enumerate(passages):
        ss = X.sections(passage)
        if titles and i < len(titles) and ss:
            ss[0] = (X._strip_title(ss[0][0], titles[i]), ss[0][1])
        docs.append([x for x in ss if len(x[0]) >= 4])
    idf = X.bigram_idf(q.bigrams, [s for ss in docs for s, _ in ss])
    idf_total = sum(idf.get(b, 1.0) for b in q.bigrams) or 1.0
    nq = len(q.bigrams) or 1
    top_prior = max(priors) if priors else 1.0
    doc_sim = [max((v for _, v in (dense[i] if dense and i < len(dense) else [])), default=math.nan)
               for i in range(len(docs))]
    top_sim = max((v for v in doc_sim if not math.isnan(v)), default=math.nan)
    out: list[_Doc] = []
    for i, ss in enumerate(docs):
        if not ss:
            continue
        prior = (priors[i] / top_prior) if i < len(priors) and top_prior else 0.0
        doc_text = passages[i].lower()
        doc_cov = _overlap(q, doc_text)
        title = titles[i] if titles and i < len(titles) else ""
        title_cov = _overlap(q, title.lower())
        about = document_evidence(q, title, passages[i])
        # per-sentence evidence, reused by the spans built from it
        sent = []
        for s, heading in ss:
            low = s.lower()
            b = X._bigrams(low)
            common = b & q.bigrams
            sent.append(dict(
                overlap=_overlap(q, low), bigram=len(common) / nq, novelty=_novelty(q, low),
                bigram_idf=sum(idf.get(x, 1.0) for x in common) / idf_total,
                verbatim=_verbatim(q, re.sub(r"\s+", "", low)),
                heading_overlap=_overlap(q, heading.lower()), excluded=bool(exclude and exclude.search(s))))
        focus = _focus(q, [(heading + " " + s).lower() for s, heading in ss])
        sims = _sentence_sims([s for s, _ in ss], dense[i] if dense and i < len(dense) else [])
        plain = [e["overlap"] + 3.0 * e["bigram"] for e in sent]
        doc_best = max(plain)
        n = len(ss)
        base: list[dict | None] = []
        for j, (s, heading) in enumerate(ss):
            e = sent[j]
            if e["excluded"]:
                base.append(None)
                continue
            # a heading-like sentence before it ("强化线上税费咨询服务。") names the topic its answer follows,
            # and one that only restates the question (whatever its form) is followed by the answer
            prev = sent[j - 1]["overlap"] if j > 0 and _heading_like(ss[j - 1][0]) else 0.0
            restates = sent[j - 1]["overlap"] * (1 - sent[j - 1]["novelty"]) if j > 0 else 0.0
            in_aspect = bool(q.asked) and any(a in heading for a in q.asked)
            base.append(dict(e, previous_restates=restates, context=max(prev, e["heading_overlap"]), position=j / n,
                             first=1.0 if j <= 1 else 0.0, prior=prior, rank0=1.0 if i == 0 else 0.0,
                             doc_coverage=doc_cov, title_coverage=title_cov, doc_best=doc_best,
                             rel_doc_best=plain[j] - doc_best, aspect=1.0 if in_aspect else 0.0, focus=focus[j],
                             dense_sent=sims[j] - doc_sim[i], dense_doc=doc_sim[i] - top_sim,
                             intent_heading=1.0 if q.intents and any(h in heading for h in q.intents) else 0.0,
                             **about))
        out.append(_Doc(index=i, ss=ss, sent=sent, base=base, sims=sims))
    return out


def _sentence_spans(q: Question, d: _Doc, j: int, *, whole_only: bool = False, values: bool = True,
                    ) -> tuple[list[Span], list[list[float]]]:
    """The candidate spans of sentence `j` of `d` and their feature rows; `whole_only`: the whole sentence
    alone (the first candidate, whatever the others are: the sentence models read only whole sentences);
    `values`: whether the `value_*` features are computed (else NaN, see choose_answer)."""
    base = d.base[j]
    if base is None:
        return [], []
    ss, sent, i = d.ss, d.sent, d.index
    s, heading = ss[j]
    n = len(ss)
    texts: list[tuple[str, str, str]] = [("sent", s, s)]
    section_heading = heading
    if not whole_only:
        for kind, t in _clause_spans(q, s):
            texts.append((kind, t, s))
        if j + 1 < n and ss[j + 1][1] == heading and not sent[j + 1]["excluded"] \
                and not X.ARTICLE.match(ss[j + 1][0]):  # two articles are two answers, never one
            texts.append(("pair", s + ss[j + 1][0], s + ss[j + 1][0]))
        if base["aspect"]:
            section_heading, sec = _section(ss, sent, j, q.asked)
            if sec:
                texts.append(("section", sec, sec))
    spans: list[Span] = []
    rows: list[list[float]] = []
    seen: set[str] = set()
    for kind, text, source in texts:
        lead = X._LEAD.sub("", text, count=1).strip()
        if len(lead) >= 4:
            text = lead
        if text in seen:
            continue
        seen.add(text)
        f = base
        if kind == "pair":  # the pair is as good as its better half on the question's terms
            e, e2 = sent[j], sent[j + 1]
            f = dict(base, **{k: max(e[k], e2[k]) for k in ("overlap", "bigram", "bigram_idf", "verbatim")})
        rows.append(_row(q, f, text, kind, source, values=values))
        spans.append(Span(text=text, hit_index=i, sentence_index=j, sentence=source,
                          heading=section_heading if kind == "section" else heading, kind=kind,
                          previous=ss[j - 1][0] if j > 0 else "", dense=d.sims[j]))
    return spans, rows


def _collect(q: Question, sentences: Iterable[tuple[_Doc, int]], *, whole_only: bool = False,
             values: bool = True) -> tuple[list[Span], np.ndarray]:
    """The candidate spans of the given (document, sentence index) pairs, in that order, and their rows."""
    spans: list[Span] = []
    rows: list[list[float]] = []
    for d, j in sentences:
        sp, rw = _sentence_spans(q, d, j, whole_only=whole_only, values=values)
        spans += sp
        rows += rw
    return spans, (np.asarray(rows, dtype=np.float64) if rows else np.zeros((0, len(FEATURES))))


def candidates(q: Question, passages: list[str], *, priors: list[float], titles: list[str] | None = None,
               exclude: re.Pattern | None = None,
               dense: list[list[tuple[str, float]]] | None = None) -> tuple[list[Span], np.ndarray]:
    """Every candidate span of `passages` and its feature matrix (rows in FEATURES order).

    `dense`: per passage, its embedded chunks' (text, cosine of the query), as the search found them; the
    `dense_*` features are missing (NaN) without them (no embedder, or chunks not embedded yet)."""
    docs = _documents(q, passages, priors=priors, titles=titles, exclude=exclude, dense=dense)
    return _collect(q, ((d, j) for d in docs for j in range(len(d.ss))))


def _focus(q: Question, texts: list[str]) -> list[float]:
    """Per sentence (with its heading path): the share of the question's words that are rare inside this
    document which it carries.

    Why: within the answering document every sentence shares its topic's words (扣除 in a tax-deduction
    regulation, 放假 in a holiday notice); what singles out the answering part are the question's words that
    occur in few of the document's sentences (子女教育, 春节). Words the document lacks do not count."""
    n = len(texts)
    present = {t: sum(1 for x in texts if t in x) for t in q.weights}
    idf = {t: q.weights[t] * math.log((n + 1) / (df + 1)) for t, df in present.items() if df}
    total = sum(idf.values())
    if total <= 0:
        return [0.0] * n
    return [sum(v for t, v in idf.items() if t in x) / total for x in texts]


def _heading_like(s: str) -> bool:
    return len(s) <= 40 and (not _FULL_STOP.search(s) or bool(X._HEADING.match(s)) and len(s) <= 24)


def _section(ss: list[tuple[str, str]], sent: list[dict], j: int, asked: list[str]) -> tuple[str, str]:
    """(the heading naming the aspect, the section's text) when sentence `j` opens such a section."""
    heading = ss[j][1]
    key = next(c for c in heading.split(" > ") if any(a in c for a in asked))
    k = j
    while k > 0 and key in ss[k - 1][1]:
        k -= 1
    if k != j:  # one section candidate, built at its first sentence
        return key, ""
    parts: list[str] = []
    for m in range(k, len(ss)):
        s2, h2 = ss[m]
        if key not in h2 or sum(map(len, parts)) + len(s2) > SECTION_LIMIT:
            break
        if not sent[m]["excluded"] and not s2.startswith("★"):
            parts.append(s2)
    if len(parts) < 2:
        return key, ""
    return key, "".join(p if _FULL_STOP.search(p) else p + "；" for p in parts).rstrip("；")


def _clause_spans(q: Question, s: str) -> list[tuple[str, str]]:
    """Parts of sentence `s` that may be the answer without the words restating the question."""
    out: list[tuple[str, str]] = []
    t = X.trim(s, q.text, q.weights, q.fact_cues)
    out.append(("trim", t))
    clauses = X.clauses_of(s)
    if len(clauses) > 1:
        nov = [_novelty(q, c) for c in clauses]
        lo, hi = 0, len(clauses)
        while lo < hi - 1 and nov[lo] < 0.5:
            lo += 1
        while hi > lo + 1 and nov[hi - 1] < 0.5:
            hi -= 1
        out.append(("novel", "".join(clauses[lo:hi])))
        rel = [_overlap(q, c.lower()) for c in clauses]
        anchor = max(range(len(clauses)), key=lambda i: (rel[i], -i))
        if anchor > 0:
            out.append(("head", "".join(clauses[:anchor])))
        if anchor + 1 < len(clauses):
            out.append(("tail", "".join(clauses[anchor + 1:])))
    m = _longest_match(q, s)
    if m:
        pos, length = m
        out.append(("before", s[:pos]))
        out.append(("after", s[pos + length:]))
    return [(k, x.strip().rstrip("，,：:；;、")) for k, x in out if len(x.strip()) >= 6 and x.strip() != s.strip()]


def _novelty(q: Question, text: str) -> float:
    b = X._bigrams(text.lower())
    return (len(b - q.bigrams) / len(b)) if b else 0.0


def _longest_match(q: Question, s: str) -> tuple[int, int] | None:
    """Position and length of the longest run (3+ characters) of the question found in `s` (its last one).

    Found from the shortest length up: a run of n + 1 characters contains one of n, so the first length without
    a run ends the search (most sentences share 3 or 4 characters with the question, not 12)."""
    low = s.lower()
    n = 2
    while n <= len(q.ngrams) and any(g in low for g in q.ngrams[n - 1]):
        n += 1
    if n < 3:
        return None
    # the last occurrence, whatever the set's order (answers must not vary between runs)
    return max(p for p in (low.find(g) for g in q.ngrams[n - 2]) if p >= 0), n


def _row(q: Question, f: dict, text: str, kind: str, source: str, *, values: bool = True) -> list[float]:
    low = text.lower()
    bigrams = X._bigrams(low)
    new = bigrams - q.bigrams
    novelty = len(new) / len(bigrams) if bigrams else 0.0
    source_new = X._bigrams(source.lower()) - q.bigrams
    cue = 1.0 if any(c.search(text) for c in q.cues) else 0.0
    fact = 1.0 if any(c.search(text) for c in q.fact_cues) else 0.0
    log_len = math.log1p(len(text))
    return [
        f["overlap"], f["bigram"], f["bigram_idf"], f["verbatim"], _overlap(q, low), novelty,
        math.log1p(len(text) * novelty), f["overlap"] * novelty, f["context"] * novelty, f["bigram_idf"] * novelty,
        cue, fact, log_len, log_len if q.is_list else 0.0, log_len if q.is_fact else 0.0,
        log_len if q.is_what else 0.0, 1.0 if len(text) < X.SHORT_ANSWER else 0.0,
        *(1.0 if kind == k else 0.0 for k in KINDS),
        f["aspect"], f["context"], f["position"], f["first"], f["prior"], f["rank0"],
        f["doc_coverage"], f["title_coverage"], f["doc_best"], f["rel_doc_best"],
        1.0 if _FULL_STOP.search(text) else 0.0, 1.0 if X._HEADING.match(text) else 0.0, f["heading_overlap"],
        len(new & source_new) / (len(source_new) or 1), min(1.0, len(text) / (len(source) or 1)),
        f["previous_restates"], f["intent_heading"], f["focus"],
        1.0 if q.types and answer_types.holds(text, q.types) else 0.0,
        f["dense_sent"], f["dense_doc"], *(value_features(q, text) if values else _NO_VALUES),
        *(f[k] for k in DOCUMENT_FEATURES),
    ]


Model = tuple[np.ndarray, np.ndarray, np.ndarray]  # feature mean, feature scale, weights


@lru_cache(maxsize=4)
def load_weights(path: str = str(WEIGHTS_FILE), vectors: bool = False) -> dict[str, Model]:
    """The shipped models: "sentence" (which sentence, hence which document, answers), "within" and "span"
    (which part). `vectors`: the question's candidates carry the embedder's cosines — the `models_with_vectors`
    set (fitted also on candidates collected with vectors) if the file has one; the lexical set otherwise, whose
    choices do not depend on evidence it never saw."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES or tuple(data.get("sentence_features", ())) != SENTENCE_FEATURES:
        raise ValueError(f"{path}: its features do not match the code's; refit with bench/fit_answer_ranker.py")
    models = data.get("models_with_vectors") if vectors and data.get("models_with_vectors") else data["models"]
    return {name: (np.asarray(m["mean"]), np.asarray(m["scale"]), np.asarray(m["weights"]))
            for name, m in models.items()}


@lru_cache(maxsize=2)
def vector_space(path: str = str(WEIGHTS_FILE)) -> str | None:
    """The embedder whose cosines the `models_with_vectors` set was fitted on (another's lie on another scale)."""
    return json.loads(Path(path).read_text(encoding="utf-8")).get("vector_space")


def _weighs_values(models: dict[str, Model]) -> bool:
    """Whether a fitted model gives the `value_*` features a weight (the shipped ones do not)."""
    names = {"sentence": SENTENCE_FEATURES, "within": WITHIN, "span": FEATURES}
    return any(w != 0 for m, (_, _, ws) in models.items() for n, w in zip(names.get(m, ()), ws)
               if n in VALUE_FEATURES)


def sentence_rows(x: np.ndarray) -> np.ndarray:
    """`x` with the pairwise products of the PAIRED features appended (SENTENCE_FEATURES order)."""
    p = x[:, _PAIRED_AT]
    n = len(_PAIRED_AT)
    prods = [p[:, i] * p[:, j] for i in range(n) for j in range(i, n)]
    return np.hstack([x, np.stack(prods, axis=1)]) if len(x) else np.zeros((0, len(SENTENCE_FEATURES)))


def scores(x: np.ndarray, model: Model) -> np.ndarray:
    """Linear scores; a missing feature (NaN: no vectors) stands at the fitted mean and adds nothing."""
    mean, scale, w = model
    return np.nan_to_num((x - mean) / scale, nan=0.0) @ w


def best_sentence(spans: list[Span], x: np.ndarray, models: dict[str, Model],
                  types: tuple[str, ...] = ()) -> tuple[int, list[int], np.ndarray]:
    """(index of the answering whole sentence, indices of all whole sentences, their sentence-model scores).

    Two steps because the choices weigh the evidence differently: the "sentence" model finds the sentence (and
    so the document) that best matches the question as a whole; the "within" model then picks the sentence of
    that document that answers — citizens ask for an aspect in their own words ("要带啥", "一个月多少钱") and a
    guide files each aspect under its own heading, which the document-level evidence cannot tell apart.

    `types`: the kinds of fact asked (answer_types.asked). When one is a fact a sentence either states or not (a
    sum, a period, a date, a phone number, a count) and the document has sentences holding one, the answering
    sentence is one of them: "社保卡多久能拿到" is not answered by the materials list, however well its words match
    (the fitted "fine_type" weight alone let the materials sentence win: counted in docs/benchmarks.md). And when
    some of those state a value of the question's own action (`value_action`: "社保卡多久能拿到" and "需等待12个工作日
    领卡", not "照片审核需1-5个工作日"), it is one of them: the fitted `value_*` weights alone move few choices, the
    policy questions' lists (copied sentences, where the words decide) outnumbering the everyday ones."""
    whole = [k for k, s in enumerate(spans) if s.kind == "sent"]
    sc = scores(sentence_rows(x[whole]), models["sentence"])
    best = whole[int(np.argmax(sc))]
    if "within" in models:
        same = within_pool(spans, x, whole, spans[best].hit_index, types)
        best = same[int(np.argmax(scores(x[same][:, _WITHIN_AT], models["within"])))]
    return best, whole, sc


def within_pool(spans: list[Span], x: np.ndarray, whole: list[int], doc: int,
                types: tuple[str, ...] = ()) -> list[int]:
    """The whole sentences of passage `doc` the "within" model chooses among (best_sentence's rule): for a
    question asking a narrow type, those holding one, and of them those stating a value of its action."""
    same = [k for k in whole if spans[k].hit_index == doc]
    narrow = tuple(t for t in types if t in NARROW_TYPES)
    typed = [k for k in same if x[k, _FINE_TYPE] > 0 or _more_value(spans[k].text, narrow)]
    if typed and narrow:
        same = typed
        acting = [k for k in same if x[k, _VALUE_ACTION] > 0]
        if acting:
            same = acting
    return same


def runner_up(spans: list[Span], x: np.ndarray, models: dict[str, Model], best: int,
              types: tuple[str, ...] = ()) -> tuple[int, float] | None:
    """(the "within" model's second choice in the chosen sentence's document, its score's gap to the first), or
    None: no other sentence to choose (the chosen one's neighbours are the span model's, not a second answer)."""
    if "within" not in models:
        return None
    whole = [k for k, s in enumerate(spans) if s.kind == "sent"]
    pool = [k for k in within_pool(spans, x, whole, spans[best].hit_index, types)
            if abs(spans[k].sentence_index - spans[best].sentence_index) > NEIGHBOURS]
    if not pool:
        return None
    sc = scores(x[pool + [best]][:, _WITHIN_AT], models["within"])
    k = int(np.argmax(sc[:-1]))
    return pool[k], float(sc[-1] - sc[k])


def window(spans: list[Span], best: int) -> list[int]:
    """The candidates the span model chooses among: those of the best sentence and its neighbours (a heading
    restating the question is followed by its answer), and the document's aspect sections."""
    doc, at = spans[best].hit_index, spans[best].sentence_index
    return [k for k, s in enumerate(spans) if s.hit_index == doc and (
        abs(s.sentence_index - at) <= NEIGHBOURS or s.kind == "section")]


def answer_span(spans: list[Span], x: np.ndarray, models: dict[str, Model], best: int) -> int:
    """The "span" model's pick around sentence `best`; a question naming an aspect (材料, 条件 ...) that the
    document has a section for is answered by that section."""
    near = window(spans, best)
    sections = [k for k in near if spans[k].kind == "section"] or near
    return sections[int(np.argmax(scores(x[sections], models["span"])))]


def choose(spans: list[Span], x: np.ndarray, models: dict[str, Model],
           types: tuple[str, ...] = ()) -> tuple[int, int]:
    """(index of the best whole sentence, index of the answer span); `types` as for best_sentence."""
    best = best_sentence(spans, x, models, types)[0]
    return best, answer_span(spans, x, models, best)


def _whole_sentences(question: str, passages: list[str], *, priors: list[float], titles: list[str] | None,
                     exclude: re.Pattern | None, dense: list[list[tuple[str, float]]] | None) -> tuple:
    """(the analysed question, its documents, the models, whether value_* evidence is computed, every whole
    sentence as a span, their features): what choose_answer and document_scores both score."""
    q = analyse(question)
    docs = _documents(q, passages, priors=priors, titles=titles, exclude=exclude, dense=dense)
    models = load_weights(vectors=any(dense or []))
    # the value_* evidence costs about a fifth of the choice when computed for every candidate; while no fitted
    # model weighs it, only best_sentence's rule reads it, on the typed sentences of a narrow-type question
    values = _weighs_values(models)
    spans, x = _collect(q, ((d, j) for d in docs for j in range(len(d.ss))), whole_only=True, values=values)
    return q, docs, models, values, spans, x


def document_scores(question: str, passages: list[str], *, priors: list[float], titles: list[str] | None = None,
                    exclude: re.Pattern | None = None,
                    dense: list[list[tuple[str, float]]] | None = None) -> list[float]:
    """Per passage: the "sentence" model's score of its best whole sentence (-inf: no sentence to score).

    The sentence model's best sentence decides which document choose_answer cites, so these are the document
    choice's own evidence, for comparing documents the answer may not cite (an expired one against the current
    ones: answer.py's expired reply)."""
    _, _, models, _, spans, x = _whole_sentences(question, passages, priors=priors, titles=titles, exclude=exclude,
                                                 dense=dense)
    out = [-math.inf] * len(passages)
    if spans:
        for s, v in zip(spans, scores(sentence_rows(x), models["sentence"])):
            out[s.hit_index] = max(out[s.hit_index], float(v))
    return out


def choose_answer(question: str, passages: list[str], *, priors: list[float], titles: list[str] | None = None,
                  exclude: re.Pattern | None = None,
                  dense: list[list[tuple[str, float]]] | None = None) -> Snippet | None:
    """The answer span of `passages` (retrieval order; `priors` their relative retrieval scores), or None."""
    # the whole sentences first: the sentence models read nothing else, and the span model only the candidates
    # around the best one (window), so only that document's are built — the same choice as from candidates()
    q, docs, models, values, spans, x = _whole_sentences(question, passages, priors=priors, titles=titles,
                                                         exclude=exclude, dense=dense)
    if not spans:
        return None
    if not values and set(q.types) & set(NARROW_TYPES):
        narrow = tuple(t for t in q.types if t in NARROW_TYPES)
        for k, sp in enumerate(spans):
            if x[k, _FINE_TYPE] > 0 or _more_value(sp.text, narrow):
                x[k, _VALUE_AT] = value_features(q, sp.text)
    best, whole, sc = best_sentence(spans, x, models, q.types)
    b = spans[best]
    second = runner_up(spans, x, models, best, q.types)
    d = next(d for d in docs if d.index == b.hit_index)
    # window(): the best sentence's neighbours and the document's aspect sections (built at in-aspect sentences)
    near, near_x = _collect(q, ((d, j) for j in range(len(d.ss)) if abs(j - b.sentence_index) <= NEIGHBOURS
                                or (d.base[j] is not None and d.base[j]["aspect"])), values=values)
    at = next(k for k, sp in enumerate(near) if sp.sentence_index == b.sentence_index)  # its whole sentence
    s = near[answer_span(near, near_x, models, at)]
    top = float(sc.max())
    other = [float(v) for j, v in zip(whole, sc) if spans[j].hit_index != b.hit_index]
    return Snippet(text=s.text, hit_index=s.hit_index, sentence=s.sentence, heading=s.heading,
                   basis=" ".join(dict.fromkeys((b.heading, b.previous, b.sentence, s.heading, s.previous, s.sentence))),
                   score=top, margin=(top - max(other)) if other else 0.0, kind=s.kind,
                   focus=float(x[best, FEATURES.index("focus")]),
                   intent=float(x[best, FEATURES.index("intent_heading")]), dense=b.dense,
                   second=(spans[second[0]].text, spans[second[0]].heading, second[1]) if second else None,
                   chosen=(b.text, b.heading))
