"""The evidence an answer is chosen from: search inside the turn's governed interaction, the documents' full
texts (with their section headings), how much of the question each covers, and the citation of a hit.

Also what bench/fit_answer_ranker.py and bench/fit_abstain.py fit on (`answer_inputs`, `basis_features`), so the
product and its fitted models read the same inputs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from zhengwu.context import Caller
from zhengwu.gateway import Governed
from zhengwu.kb.dense import served_by
from zhengwu.kb.models import Chunk, Document
from zhengwu.kb.search import search
from zhengwu.kb.tokenize import query_tokens
from zhengwu.qa import abstain, ranker
from zhengwu.qa.extract import SECTION_MARK, _weights, question_cues
from zhengwu.qa.rewrite import ASPECT_WORDS, asked_part
from zhengwu.qa.whole import guide_answer, typed_span, whole_answer, whole_section, with_chosen, with_second

# sentences carrying a neutralised instruction (gateway marker) or an obvious one (fallback) are never quoted
INJECTION = re.compile(r"〔已屏蔽|忽略(以上|上述|之前|前面)|ignore (all |the )?(previous|above)|系统提示词|system prompt",
                       re.IGNORECASE)

SEARCH_K = 8
ANSWER_DOCS = 5  # documents whose sentences compete for the answer
BASIS_THRESHOLD = 0.34  # share of the question's weighted content terms the answering document must contain
SENTENCE_BASIS = 0.34  # ... and the answering sentence (with its title and heading) must contain
# A document of more chunks than this (a whole code of law, a 10 MB text in one file) is read from its search hit's
# passage and AROUND_HIT chunks either side, not whole: the answer ranker scores every sentence it is given, and a
# 10 MB document's 100,000 sentences took minutes per question (issue 15: 50 users during a 10 MB upload). No
# document of the demo or evaluation collections comes near it (the longest has 81 chunks), so their answers are
# unchanged.
LONG_DOCUMENT_CHUNKS = 160
AROUND_HIT = 40


@dataclass
class Citation:
    n: int
    title: str
    doc_number: str
    heading_path: str
    docid: int | None
    external_id: str | None
    validity: str
    text: str
    issuer: str = ""
    pub_date: str | None = None
    effective_date: str | None = None
    expiry_date: str | None = None
    kb: str = ""
    source: str = ""
    current: bool = True  # False: cited only to say it is no longer in force
    also_in: list = field(default_factory=list)  # 同文另见: the same text published elsewhere


# --- ---------------------------------------------------------------------------------------------------

def document_texts(session, hits: list) -> dict[int, tuple[str, object]]:  # noqa: ANN001
    """Full text (chunks joined) and the Document row of each hit's document; of a very long document, the
    part around the hit's passage (LONG_DOCUMENT_CHUNKS)."""
    out: dict[int, tuple[str, object]] = {}
    doc_ids = [h.document_id for h in hits]
    if not doc_ids:
        return out
    docs = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(doc_ids)))}
    which = Chunk.document_id.in_(doc_ids)
    long_docs = [did for did, n in session.execute(
        select(Chunk.document_id, func.count()).where(which).group_by(Chunk.document_id)) if n > LONG_DOCUMENT_CHUNKS]
    if long_docs:
        at = dict(session.execute(select(Chunk.document_id, Chunk.ordinal).where(
            Chunk.id.in_([h.chunk_id for h in hits if h.document_id in long_docs]))).all())
        which = Chunk.document_id.in_([d for d in doc_ids if d not in long_docs]) | or_(*(
            (Chunk.document_id == d) & Chunk.ordinal.between(at.get(d, 0) - AROUND_HIT, at.get(d, 0) + AROUND_HIT)
            for d in long_docs))
    parts: dict[int, list[str]] = {}
    last: dict[int, str] = {}
    for did, text, heading in session.execute(
            select(Chunk.document_id, Chunk.text, Chunk.heading_path).where(which)
            .order_by(Chunk.document_id, Chunk.ordinal)):
        # chunks keep their headings apart (heading_path): mark them, the extractor reads sections; a new
        # sub-heading is content too ("（一）申领人本人有效身份证件原件") and is given as a line
        heading = heading or ""
        if heading != last.get(did, ""):
            parts.setdefault(did, []).append(SECTION_MARK + heading)
            prev = last.get(did, "").split(" > ")
            for i, comp in enumerate(heading.split(" > ")):
                if i > 0 and (i >= len(prev) or prev[i] != comp) and not text.lstrip().startswith(comp):
                    parts[did].append(comp)
        last[did] = heading
        parts.setdefault(did, []).append(text)
    for did in doc_ids:
        if did in docs:
            out[did] = ("\n".join(parts.get(did, [])), docs[did])
    return out


def coverage(question: str, text: str) -> float:
    """Weighted share of the question's content terms found in `text` (the "is there a basis" measure)."""
    toks = [t for t in query_tokens(question) if t not in ASPECT_WORDS]
    w = _weights(toks)
    total = sum(w.values())
    if not total:
        return 0.0
    low = text.lower()
    return sum(v for t, v in w.items() if t in low) / total


def supported(query: str, title: str, sn) -> bool:  # noqa: ANN001
    """Does the answer's context cover the question? With a single topic word ("怎么办理护照"), a passing
    mention is not enough: the document's title or the answer's heading must name it, or the answer must
    both name it and be of the kind asked for (a number for "几天", a procedure for "怎么办理")."""
    if coverage(query, f"{title} {sn.basis}") < SENTENCE_BASIS:
        return False
    terms = {t for t in query_tokens(query) if t not in ASPECT_WORDS and len(t) > 1}
    terms = {t for t in terms if not any(t != u and t in u for u in terms)}
    if len(terms) == 1:
        (term,) = terms
        if term.lower() in f"{title} {sn.heading}".lower():
            return True
        cues = question_cues(query)
        return term.lower() in sn.sentence.lower() and bool(cues) and any(c.search(sn.text) for c in cues)
    return True


def citation(n: int, hit, doc, text: str, current: bool = True) -> Citation:  # noqa: ANN001
    return Citation(
        n=n, title=hit.title, doc_number=hit.doc_number, heading_path=hit.heading_path, docid=hit.document_id,
        external_id=hit.external_id, validity=hit.validity, text=text, issuer=hit.issuer,
        pub_date=hit.pub_date.isoformat() if hit.pub_date else None,
        effective_date=doc.effective_date.isoformat() if doc is not None and doc.effective_date else None,
        expiry_date=doc.expiry_date.isoformat() if doc is not None and doc.expiry_date else None,
        kb=hit.kb, source=hit.source, current=current, also_in=list(getattr(hit, "also_in", []) or []))



@dataclass
class AnswerInputs:
    """What the extractive answer is chosen from (also what bench/fit_answer_ranker.py fits the ranker on)."""

    current: list  # (hit, coverage) of effective documents covering the question, best first
    old: list  # ... of expired or repealed ones
    texts: dict  # document id -> (full text, Document)
    cands: list  # the hits whose sentences compete for the answer
    passages: list[str]  # their texts, instructions hidden in them neutralised
    priors: list[float]  # their retrieval scores relative to the best
    titles: list[str]
    checks: list[str]
    # per candidate: (chunk text, cosine of the query) of its embedded chunks; empty lists without vectors
    dense: list = field(default_factory=list)
    retrieval: str = "lexical"  # what served the search: lexical until the vectors are complete, then hybrid


def answer_inputs(session, caller: Caller, query: str, *, kb: str | None = None,  # noqa: ANN001
                  gov: Governed | None = None, exclude: set[str] | None = None) -> AnswerInputs:
    """Search, then keep the documents that cover enough of the question (effective ones compete for the answer).
    With `gov`, the search is a step of that governed interaction (its query embedding counted there).
    `exclude`: external ids treated as absent, with their near-duplicate copies (bench/fit_abstain.py builds
    unanswerable questions that way without re-ingesting): the search itself runs without them, so the scores
    are those of a collection that does not hold them (a hit grouped with one of them is dropped as well)."""
    if exclude:
        absent = set(session.scalars(select(Document.id).where(Document.department == caller.department,
                                                               Document.external_id.in_(sorted(exclude)))))
        hits = [h for h in search(session, caller, query[:900], kb=kb, k=SEARCH_K + 6, gov=gov, absent=absent)
                if str(h.external_id) not in exclude and not any(str(a.get("docid")) in exclude for a in h.also_in)]
        hits = hits[:SEARCH_K]
    else:
        hits = search(session, caller, query[:900], kb=kb, k=SEARCH_K, gov=gov)
    texts = document_texts(session, hits)
    # the title counts: a service guide's title names its matter ("新生儿出生落户同名人数查询", "变更姓氏") and its
    # text, a list of materials and a time limit, often does not repeat it; a long message is covered when its
    # real question is (rewrite.asked_part: the story before it is not what a document must hold)
    asked = asked_part(query)
    scored = [(h, max(coverage(q, f"{h.title}\n{texts.get(h.document_id, (h.text, None))[0]}")
                       for q in (query, asked) if q)) for h in hits]
    current = [(h, cv) for h, cv in scored if h.validity == "effective" and cv >= BASIS_THRESHOLD]
    old = [(h, cv) for h, cv in scored if h.validity != "effective" and cv >= BASIS_THRESHOLD]
    cands = [h for h, _ in current[:ANSWER_DOCS]]
    top_score = (cands[0].score or 1.0) if cands else 1.0
    checks: list[str] = []
    passages = []
    for h in cands:  # instructions hidden in a source are flagged by the gateway, never quoted
        ptext, kinds = Governed.neutralise(texts.get(h.document_id, (h.text, None))[0])
        if kinds:
            checks.append(f"source_injection_neutralised:{','.join(sorted(kinds))}")
        passages.append(ptext)
    return AnswerInputs(current=current, old=old, texts=texts, cands=cands, passages=passages,
                        priors=[h.score / top_score for h in cands], titles=[h.title for h in cands], checks=checks,
                        dense=chunk_cosines(session, cands), retrieval=served_by(hits))


def expired_lead(session, query: str, ev: AnswerInputs) -> tuple[object, float] | None:  # noqa: ANN001
    """(the expired or repealed document that answers the question best, its lead over the best current candidate)
    by the ranker's document evidence (ranker.document_scores: the score of its best sentence), or None when no
    old document covers the question, no current one competes, or the search ranked a current one first.

    Why the ranker's scores and not coverage: coverage counts the question's words a document holds, and a
    national law holds most words of "广州低保每人每月多少钱"; the sentence model is what chooses the document
    cited, so an old document it would have chosen by a clear lead is the one that answers the question.
    Why only when an old document comes first in the search: scoring the old documents with the current ones costs
    a second pass of the sentence model (about as much as the search, docs/benchmarks.md twelfth round), and every
    old document that led by the margin on the development questions was the search's first too."""
    old = [h for h, _ in ev.old][:ANSWER_DOCS]
    if not old or not ev.cands or old[0].score < ev.cands[0].score:
        return None
    hits = ev.cands + old
    passages = ev.passages + [Governed.neutralise(ev.texts.get(h.document_id, (h.text, None))[0])[0] for h in old]
    top = max(h.score for h in hits) or 1.0
    sc = ranker.document_scores(query, passages, priors=[h.score / top for h in hits],
                                titles=[h.title for h in hits], exclude=INJECTION, dense=chunk_cosines(session, hits))
    n = len(ev.cands)
    k = max(range(n, len(hits)), key=lambda i: sc[i])
    return hits[k], sc[k] - max(sc[:n])


def chunk_cosines(session, cands: list) -> list[list[tuple[str, float]]]:  # noqa: ANN001
    """Per candidate document: its embedded chunks' texts with their cosine of the query (the search computed
    them with the query's one embedding; nothing is embedded here). Empty lists when search had no vectors."""
    ids = [cid for h in cands for cid in h.chunk_sims]
    if not ids or Governed.vector_space() != ranker.vector_space():  # another embedder: not the scale fitted on
        return [[] for _ in cands]
    texts = dict(session.execute(select(Chunk.id, Chunk.text).where(Chunk.id.in_(ids))).all())
    return [[(texts[cid], sim) for cid, sim in h.chunk_sims.items() if cid in texts] for h in cands]




def shown(query: str, ev: AnswerInputs, sn) -> tuple[str, str]:  # noqa: ANN001 - a ranker.Snippet
    """(the answer text shown, its heading label): an aspect section whole, any other span grown to the whole
    sentence, list or article it sits in (whole.py); of a service guide written out field by field, the fields of
    the kind asked. The abstention model judges this text, not the bare span."""
    passage = ev.passages[sn.hit_index]
    guide = guide_answer(passage, query, sn.chosen[0] if sn.chosen else None)
    if guide:
        out = guide
    else:
        if sn.kind == "section":
            out = whole_section(passage, sn.heading, sn.text), sn.heading
        else:
            out = whole_answer(passage, sn.text, sn.heading, query, exclude=INJECTION)
        typed = typed_span(passage, query, out[0])  # the chosen passage lacks the kind asked, another has it
        out = whole_answer(passage, *typed, query, exclude=INJECTION) if typed else out
        # the "within" model's own sentence, when the answer shown lies beside it (whole.with_chosen)
        out = with_chosen(passage, out, sn.chosen, query, exclude=INJECTION)
    # the ranker's close second choice in the same document, shown after it (whole.with_second)
    return with_second(passage, out, sn.second, query, exclude=INJECTION)


def basis_inputs(query: str, ev: AnswerInputs, sn) -> dict:  # noqa: ANN001 - a ranker.Snippet
    """The abstention model's raw evidence for the chosen snippet: the keyword arguments of abstain.features.

    Kept apart from the features so bench/fit_abstain.py can cache what the (slow) search and ranking found
    and recompute changed features from it in seconds."""
    h = ev.cands[sn.hit_index]
    return dict(question=query, doc_text=ev.texts.get(h.document_id, (h.text, None))[0], title=h.title,
                basis=f"{sn.heading} {sn.basis}", answer=sn.text, sentence=sn.sentence,
                scores=[c.score for c in ev.cands], chosen=sn.hit_index, ranker_score=sn.score,
                ranker_margin=sn.margin, old_rule=supported(query, h.title, sn),
                answer_focus=sn.focus, answer_intent=sn.intent, body=shown(query, ev, sn)[0],
                dense_docs=[max((v for _, v in d), default=math.nan) for d in ev.dense], dense_answer=sn.dense,
                others=[f"{c.title}\n{ev.texts.get(c.document_id, (c.text, None))[0]}"
                        for k, c in enumerate(ev.cands) if k != sn.hit_index])


def basis_features(query: str, ev: AnswerInputs, sn) -> dict[str, float]:  # noqa: ANN001 - a ranker.Snippet
    """The abstention model's evidence for the chosen snippet (zhengwu.qa.abstain)."""
    return abstain.features(**basis_inputs(query, ev, sn))
