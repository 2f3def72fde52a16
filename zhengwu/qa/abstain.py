"""Is the question answered by the chosen passage? A calibrated yes/no before any answer is shown.

Why: a wrong answer with an official-looking citation is worse than no answer, because the citizen acts on
it. The old test (a share of the question's terms found near the answer) let through answers from unrelated
documents that happen to share common words ("小微企业" in a 融资担保 notice). This module reads the evidence a
careful reader would weigh — how much of the question's key terms the passage and its document title hold,
whether the heaviest term is there at all, whether a place or a year the question names is, how clearly the
first document beats the second, whether the kind of fact asked for (a date, an amount, a place, a list of
materials, a procedure) is in the passage, and the finer kind (a sum of money, a period, a date: answer_types.py)
in the answer as shown, how confident the answer ranker is — and turns it into a probability that the cited
document is a right one.

The model is a small logistic regression fitted by `bench/fit_abstain.py` on the policy-QA development
questions, each asked twice (as is, and with its gold document and its near-duplicate copies removed, which
makes it unanswerable), plus everyday questions in citizens' words (the dev half of everyday.jsonl and the
train half of the independently written everyday_team.jsonl; for the embedder mode's model, since the eleventh
round, also the former check sets everyday_fresh*.jsonl — since the sixteenth fresh, fresh2 and fresh4 to fresh7 —
and the turns of every set's conversations, each split weighing as much as the policy rows); its weights ship in
`abstain_weights.json` with the cross-validated trade-off curve and the chosen operating point (a wrong
answer is counted as costing three times an abstention; see docs/qa.md). Rows asking about a place or a year
the cited document does not name are fitted on too (variants of answered questions). With an embedder the
`with_vectors` model and its operating point apply: it also weighs how close in meaning the question is to the
cited document's chunks, evidence the lexical model never sees; since the thirteenth round it is two models at one
operating point, one for questions of the citizens' kind (`citizen_kind`) and one for the others (`for_kind`).
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from zhengwu.kb.tokenize import QUERY_STOPWORDS, index_tokens, query_tokens
from zhengwu.kb.query_dict import pos_cutter  # jieba's tagger without loading its whole table
from zhengwu.qa import answer_types
from zhengwu.qa import extract as X

WEIGHTS_FILE = Path(__file__).with_name("abstain_weights.json")
FEATURES = (
    "doc_coverage", "title_coverage", "basis_coverage", "answer_coverage", "heavy_in_doc", "heavy_in_title",
    "key_missing", "type_asked", "type_missing", "margin", "chosen_prior", "rank0", "ranker_score",
    "ranker_margin", "log_qlen", "no_second", "old_rule", "place_missing", "place_asked", "year_missing",
    "answer_focus", "answer_intent", "citizen_words",
    "citizen_doc_coverage", "citizen_title_coverage", "citizen_ranker_margin",
    "fine_asked", "fine_in_answer", "fine_in_doc", "fine_near_topic",
    "dense_doc", "dense_answer", "dense_margin", "soft_doc_coverage", "soft_title_coverage",
    "colloquial",
)
_PROVINCES = re.compile(r"北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川"
                        r"|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆|香港|澳门|台湾|武汉|深圳|广州|杭州|南京|成都")
_PLACE_TOKEN = re.compile(r"^[\u4e00-\u9fff]{1,6}(省|市|县|区|州|盟|旗)$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=年|\s|$)(?!年(?:\d{1,2}月)?(?:\d{1,2}[日号])?(?:出生|生的|生人))")
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
# counts, periods and ordinals ("一个月", "每个", "三年", "几号", "第一次") say how much or when, not what about
_MEASURE = re.compile(r"^[第头]?[\d一二两三四五六七八九十百千几每这那哪今明去本上下半多]+个?(年|月|天|日|号|次|周|星期|岁|块|元)?$"
                      r"|^[个年月天日号次周岁块元]$")
# question words carry no topic: a passage does not need them to answer (Cantonese ones too: 边度 = 哪里, 点样 = 怎么)
_QWORDS = re.compile(r"^(怎么|如何|怎样|什么|哪些|哪里|哪个|多少|多久|能否|可以|是否|需要|要求|办理|申请|现在|还要|一下|吗|呢|啊"
                     r"|咋|咋办|啥|怎么弄|怎么办|有没有|能不能|可不可以|要不要|是不是"
                     r"|边度|边处|喺边|点样|点办|乜嘢|咩嘢|几多|几多钱|使唔使|使不使|得唔得|得唔|唔该)$")  # Cantonese
# how much, not what about (as rewrite's _NOT_TOPIC): "最多能贷多少" is answered by "最高可贷", "自己交" by "个人缴纳"
_DEGREE = re.compile(r"^(最多|最长|最少|最高|最低|最快|自己)")


@lru_cache(maxsize=1)
def _general_idf() -> tuple[dict[str, float], float]:
    """Rarity of words in general Chinese (jieba's IDF table) and its median: the table jieba.analyse loads
    when it is imported (a TFIDF() of our own loaded the same file a second time: 0.3 s of CPU per process)."""
    import jieba.analyse

    t = jieba.analyse.default_tfidf
    return t.idf_freq, t.median_idf


def _rarity(term: str) -> float:
    """How much a word says about a topic, from its rarity in general Chinese (0.2 … 1.2).

    Why: the length of a word is a poor guide to its weight in citizens' sentences: "一个", "以后", "地方",
    "孩子" are as long as "低保", "社保" but say nothing about which document answers; weighed by length,
    their absence turned down right answers. A two-character word the table lacks is mostly a segmentation
    fragment across a word boundary ("失业金要" → 失业 / 金要, "情况下能" → 情况 / 下能): weight 0.4; a longer
    unknown word is a real term (电动自行车): weight 1."""
    idf, median = _general_idf()
    v = idf.get(term)
    if v is None:
        return 0.4 if len(term) <= 2 else 1.0
    return min(1.2, max(0.2, v / median))


def _tokens(question: str, groups: list[list[str]]) -> list[str]:
    """The question's search tokens, with the synonym table's Chinese terms kept whole.

    Why: jieba does not know most citizens' words and cuts across them: "失业金要怎么领" → 失业 / 金要, "退休金一个月"
    → … / 老金 …; the fragments ("金要") are then looked for in the document as if they were topic terms. The
    question is split at the table's terms (longest first, each place once) and only the rest is cut."""
    from zhengwu.qa.rewrite import ASPECT_WORDS

    terms = sorted({t for g in groups for t in g if re.search(r"[\u3400-\u9fff]", t) and len(t) >= 2},
                   key=lambda t: (-len(t), t))
    aspects = {t for g in groups if g[0] in ASPECT_WORDS for t in g}  # "要带什么" names an aspect, not a topic
    pieces, kept = [question], []
    for term in terms:
        nxt = []
        for piece in pieces:
            parts = piece.split(term)
            if len(parts) > 1 and term not in aspects:
                kept.append(term)
            nxt += parts
        pieces = nxt
    return kept + [t for piece in pieces for t in index_tokens(piece) if t not in QUERY_STOPWORDS]


def _terms(question: str) -> dict[str, float]:
    """The question's topic terms and their weights; a citizen's word and the official term the rewrite added
    for it are one term ("社保卡|社会保障卡"), found when either is.

    Why: the search query carries both ("失业金怎么领 失业保险金"); counted apart, every everyday question would
    miss half its terms in any document, which writes only one of the two."""
    from zhengwu.qa.rewrite import ASPECT_WORDS, load_synonyms

    toks = [t for t in _tokens(question, load_synonyms())
            if t.strip() and t not in ASPECT_WORDS and not _QWORDS.match(t) and not _MEASURE.match(t)
            and not _DEGREE.match(t)]
    if re.search(r"[\u3400-\u9fff]", question):  # a mixed question's English words are not in Chinese documents
        toks = [t for t in toks if not re.fullmatch(r"[A-Za-z]+", t)] or toks
    w = {t: v * _rarity(t) for t, v in X._weights(toks).items()}
    for g in load_synonyms():
        official = g[0]
        said = [c for c in g[1:] if c in question] if official in question else []
        if not said:
            continue
        parts = [t for t in w if t in official or any(t in c or c in t for c in said)]
        if len(parts) < 2:
            continue
        weight = max(w.pop(t) for t in parts)
        w["|".join([official, *said])] = weight
    return w


# words jieba tags as places that name none ("东西" is tagged ns), and places relative to the asker
_NOT_PLACES = {"东西", "城市", "地方", "外地", "本地", "当地", "全国", "国家", "中国", "老家", "农村", "城镇", "社区",
               "街道", "省内", "省外", "市内", "市外", "市区", "县城", "城里", "乡下", "异地", "内地", "海外", "国外"}
_PLACE_SUFFIX = re.compile(r"(省|市|区|县)$")
_ADMIN = "省市县区州盟旗"


def _place_word(word: str, flag: str, question: str, freq: dict[str, int]) -> bool:
    """Is `word` (a word of the question's cut, tagged `flag`) the name of an administrative division?

    What a place name is: a province or big city (`_PROVINCES`); a name ending in 省/市/县/区/州/盟/旗 whose name part
    has two characters or more ("天河区", "大理市" — not "小区", "学区", "景区", nor the relative "外省", "跨省": one
    character before the suffix names no division; jieba tags 大理市 and 东营市 as common nouns, so the tag is no
    test); or a word the tagger marks as a place that is known with such a suffix (the dictionary holds "临沂市",
    "番禺区", "天河区", "温州市": 温州 itself ends in 州) or is written with one in the question ("南沙区").

    Why: jieba's dictionary tags as places many words that name none ("上门", "回国", "入口", "中风", "中考", "哥哥",
    "迁回来"; "新卡" by its guesser); each counted as a place the right document lacks, the evidence a right answer
    is about another place (docs/benchmarks.md, seventeenth round). A name of a division is known as one."""
    if len(word) < 2:
        return False
    if _PLACE_TOKEN.match(word) and len(word) >= 3:
        return True
    if flag != "ns":
        return False
    return any(freq.get(word + s) for s in _ADMIN) or re.search(re.escape(word) + f"[{_ADMIN}]", question) is not None


def places_named(question: str) -> set[str]:
    """The places a question names, each by its core ("广州市" → 广州, "天河区" → 天河): a province or big city,
    or the name of a division (`_place_word`: 临沂, 天河区, 番禺). A passage about another place does not answer
    ("新生儿在临沂怎么参加医保" against a Guangzhou guide).

    Why the core: a document writing 广州 answers a question about 广州市; and the tagger's false places
    (东西, 城市) and fragments of a search-mode cut (河区, 州市) would otherwise count as places the right
    document lacks, which taught the model to ignore the evidence."""
    cutter = pos_cutter()
    words = list(cutter.cut(question))
    freq = cutter.tokenizer.FREQ
    found = set(_PROVINCES.findall(question)) \
        | {t for t in query_tokens(question) if _place_word(t, "", question, freq)} \
        | {w for w, flag in words if _place_word(w, flag, question, freq)}
    cores = {_PLACE_SUFFIX.sub("", p) if len(p) > 2 else p for p in found}
    cores = {c for c in cores if len(c) >= 2 and c not in _NOT_PLACES}
    # a fragment of a longer place the question names ("州市" of 广州市, "河区" of 天河区) is not a place
    return {c for c in cores if not any(c != o and c in o for o in found if len(o) > len(c) and not o.startswith(c))}


def years_named(question: str) -> set[str]:
    """The years a question names ("2020年春节放几天假" is not answered by the 2019 holiday notice) — not a year of
    birth ("我是1980年出生的 还能申请积分入户吗"): it dates the citizen, not the rules asked about, and no document
    names it."""
    return set(_YEAR.findall(question))


def place_missing(places: set[str], doc: str) -> bool:
    """The question names places and the document (`doc`: title and text, lower case, punctuation dropped) names
    none of them: it is about another place.

    Why none and not any: a question naming two places names where the citizen comes from and where the service is
    ("养老保险从湖南转来广州", "在东莞交的失业保险 能回广州领吗", "孩子在美国生的 回临沂上户口"); the right document names
    the service's place only. Counted as missing when any one was, it was set on 24 right answers of the development
    sets and declined six of fresh7's (docs/benchmarks.md, sixteenth round); a question about another place
    altogether names none the document does."""
    return bool(places) and all(p.lower() not in doc for p in places)


_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def year_missing(years: set[str], title: str, doc: str) -> bool:
    """A year the question names is not in the document, or the title dates the document by years and not by the
    asked one ("2024年积分入户申报是几月几号开始的" against "2025年度积分制入户工作热点13问", whose text names 2024
    only in passing: "与2024年度持平")."""
    if not years:
        return False
    dated = set(_TITLE_YEAR.findall(title or ""))
    return any(y not in doc for y in years) or bool(dated) and not years & dated


def _has(term: str, low: str) -> bool:
    return any(alt in low for alt in term.split("|"))


def _cov(w: dict[str, float], text: str) -> float:
    total = sum(w.values())
    if not total:
        return 0.0
    low = (text or "").lower()
    return sum(v for t, v in w.items() if _has(t, low)) / total


def _soft_cov(w: dict[str, float], text: str) -> float:
    """As _cov, each term counting by the share of its character pairs found in `text` (its best alternative):
    "失业保险金" holds 3 of its 4 pairs in a title writing 失业保险, "积分入户" 2 of 3 in one writing 积分制入户."""
    total = sum(w.values())
    if not total:
        return 0.0
    low = (text or "").lower()

    def share(alt: str) -> float:
        pairs = [alt[i:i + 2] for i in range(len(alt) - 1)] or [alt]
        return sum(1 for p in pairs if p in low) / len(pairs)

    return sum(v * max(share(a) for a in t.split("|")) for t, v in w.items()) / total


def _near_topic(types: tuple[str, ...], heavy: list[str], text: str) -> bool:
    """A sentence of `text` holds a fact of the asked type, and it or the sentence before it (a FAQ's question,
    a heading) one of the heaviest topic terms — not just somewhere in the document apart."""
    parts = [p for p in re.split(r"[\n。！？；?]", (text or "").lower()) if p.strip()]
    for i, part in enumerate(parts):
        if answer_types.holds(part, types) and any(_has(t, part) or i and _has(t, parts[i - 1]) for t in heavy):
            return True
    return False


# a citizen's own way of asking: first person, family, colloquial question words and particles — not the contest
# questions copied from documents ("浙江省…的访问路径是什么？") the policy rows are made of
_COLLOQUIAL = re.compile(r"[我俺咱]|家里|老婆|老公|孩子|闺女|儿子|老人家|啥|咋|吗|呢|嘛|吧|啊|呀|不[？?]?$|没[？?]?$"
                         r"|能不能|要不要|有没有|可不可以|是不是|多少钱|怎么弄|怎么办")


def colloquial(question: str) -> float:
    """1.0 when the question is asked in a citizen's own words (first person, family, 啥 / 咋 / 吗 …), else 0.0.

    Why: the contest questions of the policy rows are copied from their documents, citizens' questions share few
    words with any document; the evidence reads differently for the two kinds (`citizen_kind`)."""
    return 1.0 if _COLLOQUIAL.search(question or "") else 0.0


def citizen_kind(f: dict[str, float]) -> bool:
    """Is the question of the citizens' kind: asked in their own words (`colloquial`) or using words the rewrite
    translated into official terms (`citizen_words`)? It chooses the model that judges it (`probability`).

    Why two models: one model over the contest questions and the citizens' questions put both at one operating
    point, and the citizens' right answers were declined two in five (docs/benchmarks.md, thirteenth round: by
    cross-validation, folds by gold document, one model per kind lowered the summed cost 0.850 → 0.817)."""
    return f.get("colloquial", 0.0) > 0 or f.get("citizen_words", 0.0) > 0


def features(question: str, *, doc_text: str, title: str, basis: str, answer: str, sentence: str,
             scores: list[float], chosen: int, ranker_score: float, ranker_margin: float,
             old_rule: bool = True, answer_focus: float = 0.0, answer_intent: float = 0.0,
             body: str = "", dense_docs: list[float] | None = None, dense_answer: float = math.nan,
             others: list[str] | None = None) -> dict[str, float]:
    """The evidence for "this passage answers the question" (FEATURES order; all cheap, no model call).

    `scores` are the retrieval scores of the candidate documents (best first), `chosen` the index of the cited
    one; `ranker_score` / `ranker_margin` the answer ranker's score of its best sentence and its lead over the
    best sentence of any other document; `old_rule` the former hand-set coverage test (answer._supported);
    `answer_focus` / `answer_intent` the ranker's focus and aspect-heading features of the answering sentence.
    `body`: the whole answer shown (whole.whole_answer of the span; the span itself when not given).
    `fine_*`: the kind of fact asked for (answer_types: a sum of money, a length of time, a date, a phone
    number, a place, materials, a count) found in the answer shown, anywhere in the document, or in one sentence
    together with a heavy topic term.
    `citizen_words`: the question used words the rewrite translated into official terms — such questions cover
    fewer of a right document's words than contest questions copied from it, so the coverage and margin
    evidence is also given multiplied by it, for the model to weigh apart.
    `dense_docs`: per candidate document, the best cosine of the query and one of its chunks (the embedder's
    sense of meaning, which tells "养老保险怎么转移" from a 失业保险 FAQ where shared words do not);
    `dense_answer`: that of the answering sentence's chunk. Missing (NaN: no embedder, chunks not embedded
    yet, or no second document for the margin) they stand at the fitted mean.
    `soft_*_coverage`: the coverage with each term counted by the share of its character pairs the text holds
    (`_soft_cov`): a citizen's word is often written otherwise in the right document ("失业保险金" in a title
    writing 失业保险, "积分入户" in one writing 积分制入户); counted all or nothing such a term reads as missing,
    and right everyday answers looked like answers from a wrong document (docs/benchmarks.md, "Seventh round").
    `others`: the other candidate documents' titles and texts — read by no shipped feature since the fifteenth
    round, which stopped computing the evidence the model gave weight 0 (verbatim runs, 4-grams, the number of
    candidates, a detail no candidate holds, a count of a thing not in the answer); kept in the cached inputs for
    evidence under trial (the round's agreement features read it: docs/benchmarks.md, "Fifteenth round")."""
    w = _terms(question)
    heavy = sorted(w, key=lambda t: (-w[t], t))[:2]
    low_doc, low_title = (doc_text or "").lower(), (title or "").lower()
    cues = X.question_cues(question)
    found = any(c.search(answer) or c.search(sentence) for c in cues)
    s1 = scores[0] if scores and scores[0] > 0 else 1.0
    s2 = scores[1] / s1 if len(scores) > 1 else 0.0
    compact = re.sub(r"\s+", "", question.lower())
    doc_c = _DROP.sub("", (title + doc_text).lower())
    places, years = places_named(question), years_named(question)
    citizen = 1.0 if any("|" in t for t in w) else 0.0
    doc_cov, title_cov = _cov(w, doc_text + " " + title), _cov(w, title)
    types = answer_types.asked(question)
    fine = 1.0 if types else 0.0
    sims = list(dense_docs or [])
    mine = sims[chosen] if chosen < len(sims) else math.nan
    others_sim = [v for k, v in enumerate(sims) if k != chosen and not math.isnan(v)]
    return {
        "colloquial": colloquial(question),
        "soft_doc_coverage": _soft_cov(w, doc_text + " " + title),
        "soft_title_coverage": _soft_cov(w, title),
        "dense_doc": mine,
        "dense_answer": float(dense_answer),
        "dense_margin": mine - max(others_sim) if others_sim else math.nan,
        "fine_asked": fine,
        "fine_in_answer": fine * answer_types.holds((body or answer) + " " + sentence, types),
        "fine_in_doc": fine * answer_types.holds(doc_text, types),
        "fine_near_topic": fine * _near_topic(types, heavy, doc_text),
        "citizen_words": citizen,
        "citizen_doc_coverage": citizen * doc_cov,
        "citizen_title_coverage": citizen * title_cov,
        "citizen_ranker_margin": citizen * min(float(ranker_margin), MARGIN_CAP),
        "place_missing": 1.0 if place_missing(places, doc_c) else 0.0,
        "place_asked": 1.0 if places else 0.0,
        "year_missing": 1.0 if year_missing(years, title, doc_c) else 0.0,
        "answer_focus": float(answer_focus),
        "answer_intent": float(answer_intent),
        "doc_coverage": doc_cov,
        "title_coverage": title_cov,
        "basis_coverage": _cov(w, title + " " + basis),
        "answer_coverage": _cov(w, answer),
        "heavy_in_doc": sum(1.0 for t in heavy if _has(t, low_doc) or _has(t, low_title)) / (len(heavy) or 1),
        "heavy_in_title": sum(1.0 for t in heavy if _has(t, low_title)) / (len(heavy) or 1),
        "key_missing": 1.0 if any(not _has(t, low_doc) and not _has(t, low_title) for t in heavy) else 0.0,
        "type_asked": 1.0 if cues else 0.0,
        "type_missing": 1.0 if cues and not found else 0.0,
        "margin": 1.0 - s2,
        "chosen_prior": (scores[chosen] / s1) if chosen < len(scores) else 0.0,
        "rank0": 1.0 if chosen == 0 else 0.0,
        "ranker_score": float(ranker_score),
        "ranker_margin": float(ranker_margin),
        "log_qlen": math.log1p(len(compact)),
        "no_second": 1.0 if len(scores) < 2 else 0.0,
        "old_rule": 1.0 if old_rule else 0.0,
    }


MARGIN_CAP = 8.0  # the ranker's lead counts up to here (about its 90th percentile on the policy questions)


# evidence that needs a second candidate document: with none (a small knowledge base) it is missing, and a
# missing value contributes nothing (it stands at the fitted mean) — neither for nor against the answer
NEEDS_SECOND = ("margin", "ranker_margin", "citizen_ranker_margin")


def normalise(x: np.ndarray) -> np.ndarray:
    """Rows in FEATURES order with the ranker's lead capped, and the NEEDS_SECOND evidence set to NaN (missing)
    when there is no other document to lead over. Idempotent.

    Why missing and not the best value: "怎么办理护照？" over a small knowledge base whose only candidate was a
    社保卡 guide listing 护照 among accepted ID documents got P = 0.83 from a margin taken as maximal; a lead over
    nothing is no evidence either way."""
    x = np.array(x, dtype=np.float64, copy=True)
    j, k = FEATURES.index("ranker_margin"), FEATURES.index("no_second")
    x[..., j] = np.minimum(x[..., j], MARGIN_CAP)
    alone = x[..., k] > 0
    for name in NEEDS_SECOND:
        i = FEATURES.index(name)
        x[..., i] = np.where(alone, np.nan, x[..., i])
    return x


def standardise(x: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """(x − mean) / scale, a missing value (NaN) at 0: it adds nothing to the score."""
    return np.nan_to_num((x - mean) / scale, nan=0.0)


def vector(f: dict[str, float]) -> np.ndarray:
    return normalise(np.asarray([f[k] for k in FEATURES], dtype=np.float64))


@lru_cache(maxsize=4)
def _read(path: str) -> dict:
    p = Path(path)
    if not p.is_file():
        return {}
    data = json.loads(p.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: its features do not match the code's; refit with bench/fit_abstain.py")
    return data


def load(path: str = str(WEIGHTS_FILE), vectors: bool | None = None) -> dict:
    """The shipped model for the embedder mode: {"mean", "scale", "weights", "bias", "threshold", ...}; {} when
    absent. With the embedder it was fitted with (`vectors`: None → as configured) the `with_vectors` model,
    fitted also on rows whose semantic evidence is present; otherwise the lexical model, whose choices do not
    depend on evidence it never sees (another embedder's cosines lie on another scale)."""
    data = _read(path)
    if vectors is None:  # cosines of another embedder lie on another scale: only the space fitted on counts
        from zhengwu.gateway import Governed

        fitted = (data.get("with_vectors") or {}).get("vector_space")
        vectors = fitted is not None and Governed.vector_space() == fitted
    if vectors and data.get("with_vectors"):  # the lexical model's per-kind part is not the embedder mode's
        return {**{k: v for k, v in data.items() if k != "citizen"}, **data["with_vectors"]}
    return data


def for_kind(model: dict, f: dict[str, float]) -> dict:
    """The parameters that judge `f`: the model's `citizen` part (fitted on the citizens' kind of question,
    `citizen_kind`) when it has one and the question is of that kind, else its own."""
    return model["citizen"] if model.get("citizen") and citizen_kind(f) else model


def probability(f: dict[str, float], model: dict | None = None) -> float:
    """P(the cited document is a right one | the evidence)."""
    m = model if model is not None else load()
    if not m:
        return 1.0
    m = for_kind(m, f)
    z = standardise(vector(f), np.asarray(m["mean"]), np.asarray(m["scale"])) @ np.asarray(m["weights"]) + m["bias"]
    return float(1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z)))))


def threshold() -> float:
    """The operating point: the deployment's `qa_abstain_threshold` if set, else the shipped one."""
    from zhengwu.config import get_settings

    own = get_settings().qa_abstain_threshold
    return float(own) if own is not None else float(load().get("threshold", 0.5))


def answerable(f: dict[str, float]) -> tuple[bool, float]:
    """(answer it?, the probability): below the operating point the reply is "no basis"."""
    m = load()
    p = probability(f, m)
    return p >= threshold() if m else True, p
