"""Answering a citizen's question, as a chain of small steps inside one governed interaction.

check the question → govern (policy, masking, decision note) → conversation and rewrite → pinned answer? →
evidence (search inside the same interaction) → generative answer (streamed, grounded sentence by sentence)
or extractive answer → expired-policy or no-basis reply → guide → one audit record → the stored turn.

Why it is shaped like this:
- The question is PII-masked and injection-neutralised before anything else sees it (search, logs, model).
- A follow-up is rewritten with the conversation's topic; colloquial terms get their official forms.
- An administrator's pinned answer for the question family wins over anything generated.
- Only effective documents are answered from. If the best evidence is an expired or repealed document and no
  current one supports the question, or one does but the old document answers it clearly better by the ranker's
  own document evidence (a weaker current document's answer would be a wrong answer with a citation), the reply
  says so plainly, gives its dates, and offers the hotline.
- Without a generative model the answer is the best supporting passage of the official text (extractive);
  with one, the model's tokens stream to the reader while each sentence is checked against the source it
  cites as soon as it is complete (grounding.py); an unsupported sentence is withdrawn with a note, and if
  nothing survives, or the stream breaks, the extractive answer is given instead.
- When there is no basis, the reply says so and a ticket draft for the 12345 hotline is stored.
- Every answer carries the explicit AI label and the AIGC metadata and leaves exactly one audit record.
The wording of the replies lives in replies.py.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field

from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.gateway import Governed, govern
from zhengwu.qa import abstain, followup, replies, store
# answer_inputs, basis_features and coverage are also read by bench/fit_answer_ranker.py and bench/fit_abstain.py
from zhengwu.qa.evidence import (AnswerInputs, Citation, answer_inputs, basis_features, citation, coverage,  # noqa: F401
                                 expired_lead, shown, supported)
from zhengwu.qa.evidence import INJECTION as _INJECTION  # the name the fitting scripts use
from zhengwu.qa.generative import generative as generate_answer
from zhengwu.qa.guide import find_service, get_service
from zhengwu.qa.inputs import LONG_QUESTION, check_question, input_kind, search_text
from zhengwu.qa.ranker import choose_answer, other_place
from zhengwu.qa.rewrite import Rewritten, content_words, own_subjects, question_in_mandarin, rewrite
from zhengwu.store.db import session_scope

SCENARIO = "policy_qa"
_CITE_MARK = re.compile(r"\[\d{1,2}\]")
# the lead (in the ranker's sentence-model score) by which an expired document must beat every current one for the
# reply to be the expired reply (_expired_first); chosen on the development splits (docs/benchmarks.md, twelfth round;
# re-swept on the thirteenth round's sentence model: no right answer lost at any lead, 3.0 kept)
EXPIRED_LEAD = 3.0




@dataclass
class Answer:
    answer: str  # the full reply shown to the user (lead-in, answer, citation marks, notes)
    body: str  # the asserted answer text itself (no lead-in, marks or notes): what char-F1 is computed on
    citations: list[Citation]
    mode: str  # extractive | generative | curated | none
    no_basis: bool
    label: str
    language: str
    conversation_id: str | None = None
    turn_id: int | None = None
    audit_id: int | None = None
    rewritten: str = ""
    followup: bool = False
    expired: bool = False
    handoff_id: int | None = None
    guide: dict | None = None  # a guided service (导办) matching the question: {"item", "name", "url"}
    notes: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    aigc: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    related: list = field(default_factory=list)  # 您也可以查看: titles of nearby documents offered with "no basis"
    reply_kind: str = "answer"  # answer | no_basis | expired | greeting | privacy | too_long
    basis_probability: float | None = None  # the abstention model's P(the cited document is a right one)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["ai_label"] = self.label
        d["AIGC"] = self.aigc.get("AIGC", self.aigc)
        d.pop("aigc", None)
        return d


# --- input checks (inputs.py) ---------------------------------------------------------------------------------

_search_text = search_text  # the name the fitting scripts use

# --- the steps -------------------------------------------------------------------------------------------------

@dataclass
class _Turn:
    """What the steps of one question share."""

    question: str
    caller: Caller
    kb: str | None
    gov: Governed
    session: object
    conv: object
    rw: Rewritten
    language: str
    masked: str
    t0: float
    checks: list[str] = field(default_factory=list)

    def answer(self, **kw: object) -> Answer:
        out = self.gov.finished
        return Answer(label=out.label if out else "", language=self.language, conversation_id=self.conv.id,
                      rewritten=self.rw.standalone, followup=self.rw.followup, checks=list(self.checks), **kw)


def _pinned(t: _Turn) -> Answer | None:
    pinned = store.match_pinned(t.session, t.caller, t.rw.standalone) or store.match_pinned(t.session, t.caller,
                                                                                             t.rw.query)
    if pinned is None:
        return None
    p, score = pinned
    cites = [Citation(n=i + 1, title=c.get("title", ""), doc_number=c.get("doc_number", ""),
                      heading_path=c.get("heading_path", ""), docid=c.get("docid"), external_id=c.get("external_id"),
                      validity=c.get("validity", "effective"), text=c.get("text", ""), source=c.get("url", ""))
             for i, c in enumerate(p.citations or [])]
    t.checks.append(f"curated:{p.id}:{score:.2f}")
    return t.answer(answer=p.answer, body=p.answer, citations=cites, mode="curated", no_basis=False,
                    notes=[replies.curated_note(t.language)])


def _choose(t: _Turn, ev: AnswerInputs, *, kind_of: str | None = None,  # noqa: ANN202 - (Snippet | None, P | None)
            tag: str = "", conversation: tuple[int, Callable[[], Rewritten]] | None = None, continued: bool = False):
    """The extractive answer span and the abstention decision on it: below the operating point, no snippet.
    `kind_of`: a question whose kind of fact (answer_types) the answer shown must hold (a follow-up answered
    from the previous document); `tag` prefixes this attempt's checks. `conversation`: (the previous answer's
    document, its reading as a continuation) for a turn read on its own: when the passage declined is of that
    document, it is judged again as the continuation it is ("房贷利息呢" after 子女教育 answered from the 个税 rules:
    read alone its two words look like a question the rules barely cover; the conversation says what it asks).
    `continued`: the passage is of the previous answer's document, which the citizen has read and asks about:
    judged at the conversation's operating point (followup.continued_point)."""
    sn = choose_answer(t.rw.query, ev.passages, priors=ev.priors, titles=ev.titles, exclude=_INJECTION,
                       dense=ev.dense)
    if sn is None:
        return None, None
    if kind_of is not None and not followup.holds_kind_asked(kind_of, shown(t.rw.query, ev, sn)[0]):
        t.checks.append(f"{tag}kind_not_held")
        return None, None
    if not abstain.load():  # no fitted model shipped: the hand-set coverage test
        if not supported(t.rw.query, ev.cands[sn.hit_index].title, sn):
            t.checks.append(f"{tag}no_supporting_sentence")
            return None, None
        return sn, None
    ok, p = abstain.answerable(basis_features(t.rw.query, ev, sn))
    cont = None
    if not ok and conversation is not None and ev.cands[sn.hit_index].document_id == conversation[0]:
        cont = conversation[1]()
        q = abstain.probability(basis_features(cont.query, ev, sn))
        t.checks.append(f"{tag}conversation_basis:{q:.2f}")
        p, continued = max(p, q), True
    if not ok and continued:
        ok = p >= followup.continued_point(abstain.threshold())
        t.checks += [f"{tag}continued_point"] if ok else []
        if ok and cont is not None:
            t.rw = cont  # a continuation from here on: the topic stays the conversation's
            t.checks.append("continuation")
    t.checks.append(f"{tag}basis:{p:.2f}")
    if not ok:
        t.checks.append(f"{tag}abstained")
        return None, p
    return sn, p


def _from_previous(t: _Turn, ev: AnswerInputs, docid: int, *, wider: bool = True):  # noqa: ANN202
    """A continuing turn answered from the previous answer's document, when it holds an answer of the kind
    asked and the abstention model accepts the passage (qa/followup.py) -> (AnswerInputs, Snippet, P) | None.
    `wider`: look for that document beyond the turn's own search (a turn naming nothing of its own, "喺边度办"); a
    question naming a subject is read as a continuation only when its search ranks the previous document."""
    only = followup.narrowed(ev, docid)
    if only is None and wider:
        only = followup.previous_inputs(t.session, t.caller, t.rw.query, docid, kb=t.kb, gov=t.gov)
    if only is None:
        return None
    sn, p = _choose(t, only, kind_of=t.rw.asks, tag="previous_document:", continued=True)
    cut = followup.kind_passage(only, t.rw.asks) if t.checks[-1] == "previous_document:kind_not_held" \
        and not followup.named_elsewhere(t.rw.asks, ev, docid) else None
    if cut is not None:  # the passage chosen lacks the kind asked: chosen again among the lines that hold it
        sn, p = _choose(t, cut, kind_of=t.rw.asks, tag="previous_document:held:", continued=True)
        only = cut if sn is not None else only
    if sn is None:
        return None
    t.checks.append("previous_document")
    return only, sn, p


def _as_continuation(t: _Turn, ev: AnswerInputs, history: list[dict], docid: int):  # noqa: ANN202
    """A question naming a subject of its own that found no basis on its own, read as a continuation when every
    subject it names is a detail of the previous document (qa/followup.py) -> (AnswerInputs, Snippet | None,
    P | None), or None when it is not one (a new topic: "no basis" on its own search stands)."""
    subjects = own_subjects(question_in_mandarin(t.rw.original))  # "细路" is 小孩: whom, not a matter
    if followup.names_other_matter(subjects, ev, docid):
        return None
    rw = rewrite(t.rw.original, history, continuing=True)
    cont = answer_inputs(t.session, t.caller, rw.query, kb=t.kb, gov=t.gov)
    if not followup.in_document(subjects, cont.texts.get(docid, ("", None))[0]):
        return None
    t.rw = rw  # a continuation from here on, answered or not: the topic stays the conversation's
    t.checks += cont.checks + ["continuation"]
    got = _from_previous(t, cont, docid, wider=False)
    if got is not None:
        return got
    sn, p = _choose(t, cont, kind_of=rw.asks) if cont.current else (None, None)
    return cont, sn, p


def _after_expired(t: _Turn, ev: AnswerInputs, history: list[dict]) -> Answer | None:
    """The expired reply again for a turn that continues an expired reply's matter ("低保边缘户呢" after the expired
    广州 低保 standard was named): it continues (a follow-up, or every content word it names is written in that document),
    and the expired document holds a fact of the kind asked. Searched on its own, such a turn found another
    province's rules, a wrong answer with a citation; the matter's document is no longer in force, and saying so
    is the answer."""
    docid = followup.previous_expired(history, t.rw.returns_to)
    if docid is None:
        return None
    h = next((h for h, _ in ev.old if h.document_id == docid), None) or followup.previous_hit(
        t.session, t.caller, t.rw.query, docid, kb=t.kb, gov=t.gov)
    if h is None or h.validity == "effective":
        return None
    texts = ev.texts if docid in ev.texts else followup.document_texts(t.session, [h])
    text = texts.get(docid, ("", None))[0]
    # every content word, not only the subjects: "临时救助标准" names 救助 as its subject, and 临时 is what makes it
    # another matter than the 低保 notice's 社会救助
    if not (t.rw.followup or followup.in_document(content_words(t.rw.asks), text)):
        return None
    if not followup.holds_kind_asked(t.rw.asks, text):
        return None
    t.checks.append("previous_expired")
    return _expired(t, AnswerInputs(current=[], old=[(h, 1.0)], texts=texts, cands=[], passages=[], priors=[],
                                    titles=[], checks=[]), h)


def _choose_turn(t: _Turn, ev: AnswerInputs, history: list[dict]):  # noqa: ANN202
    """(the inputs answered from, Snippet | None, P | None): a continuing turn from the previous answer's
    document first; otherwise, or when that document holds no answer of the kind asked, from the search."""
    docid = followup.previous_document(history, t.rw.returns_to)
    if docid is not None and t.rw.corrects:  # "不是 …": the answer rejected is no candidate, nor continued
        ev = followup.without(ev, docid)
        return (ev, *_choose(t, ev)) if ev.current else (ev, None, None)
    if docid is not None and t.rw.followup:
        got = _from_previous(t, ev, docid)
        if got is not None:
            return got
    # a follow-up is never answered with a fact of another kind than it asks (a period for "how much"); a turn read on
    # its own whose answer is the previous answer's document is judged as the continuation it then is
    own = (docid, lambda: rewrite(t.rw.original, history, continuing=True)) \
        if docid is not None and not t.rw.followup and not t.rw.corrects else None
    sn, p = _choose(t, ev, kind_of=t.rw.asks if t.rw.followup else None, conversation=own) if ev.current \
        else (None, None)
    if sn is None and docid is not None and not t.rw.followup:
        got = _as_continuation(t, ev, history, docid)
        if got is not None:
            return got
    return ev, sn, p


def _extractive(t: _Turn, ev: AnswerInputs, skipped: list[Citation], sn) -> Answer | None:  # noqa: ANN001
    if not sn:
        return None
    h = ev.cands[sn.hit_index]
    body, heading = shown(t.rw.query, ev, sn)
    cite = citation(1, h, ev.texts.get(h.document_id, ("", None))[1], body)
    cite.heading_path = heading
    return t.answer(answer=replies.extractive(t.language, body, cite), body=body, citations=[cite],
                    mode="extractive", no_basis=False, notes=replies.notes(t.language, skipped))


def _same_matter(a: str, b: str) -> bool:
    """Two titles name the same matter (an older version of the cited document): most title bigrams shared,
    years, numbers and brackets aside."""
    def grams(t: str) -> set[str]:
        t = re.sub(r"[\d〔〕\[\]（）()《》“”\s年号第]", "", t or "")
        return {t[i:i + 2] for i in range(len(t) - 1)}
    ga, gb = grams(a), grams(b)
    return bool(ga and gb) and len(ga & gb) / min(len(ga), len(gb)) >= 0.6


def _related(ev: AnswerInputs | None, limit: int = 3) -> list[dict]:
    """Titles of the nearest documents (effective ones, best covered first): offered, never cited."""
    if ev is None:
        return []
    out, seen = [], set()
    for h, _ in sorted(ev.current, key=lambda hc: -hc[1])[:limit * 2]:
        if h.title and h.title not in seen:
            seen.add(h.title)
            out.append({"title": h.title, "doc_number": h.doc_number, "docid": h.document_id,
                        "external_id": h.external_id, "source": h.source})
    return out[:limit]


def _expired(t: _Turn, ev: AnswerInputs, h) -> Answer:  # noqa: ANN001 - a SearchHit
    """The expired reply: the old document named with its dates, said to be no longer in force, and the hand-off."""
    cite = citation(1, h, ev.texts.get(h.document_id, ("", None))[1], h.text, current=False)
    ticket = store.create_handoff(t.session, t.caller, question=t.masked,
                                  conversation_id=store.keep_conversation(t.session, t.conv), reason="expired")
    return t.answer(answer=replies.expired(t.language, cite, ticket.id), body="", citations=[cite], mode="none",
                    no_basis=True, expired=True, handoff_id=ticket.id, reply_kind="expired")


def _elsewhere(t: _Turn, ev: AnswerInputs, h) -> bool:  # noqa: ANN001 - a SearchHit
    """The old document belongs to another province or city than the question names: it is not the question's
    expired policy ("临沂的低保标准" is not answered by naming 广州's expired standard), so no expired reply names it."""
    return other_place(t.rw.query, h.title, ev.texts.get(h.document_id, (h.text, None))[0])


def _expired_first(t: _Turn, ev: AnswerInputs) -> Answer | None:
    """The expired reply when an expired or repealed document answers the question clearly better than every
    current one (evidence.expired_lead: the ranker's document evidence, a lead of EXPIRED_LEAD or more) and none
    of the current ones is a version of it in force (same matter by title): answering from the weaker current
    document would be a wrong answer with a citation ("广州低保标准" answered from the national 救助 rules when
    the 广州 standard has expired). A current document answering comparably well is answered from, as before."""
    got = expired_lead(t.session, t.rw.query, ev)
    if got is None or not got[1] >= EXPIRED_LEAD:
        return None
    h = got[0]
    if any(_same_matter(c.title, h.title) for c in ev.cands) or _elsewhere(t, ev, h):
        return None
    t.checks.append(f"expired_best:{got[1]:.2f}")
    return _expired(t, ev, h)


def _no_basis(t: _Turn, ev: AnswerInputs | None, p: float | None = None) -> Answer:
    if ev is not None and ev.old and not ev.current:  # abstaining on a current document never cites an old one
        h = ev.old[0][0]
        if not _elsewhere(t, ev, h):
            return _expired(t, ev, h)
    ticket = store.create_handoff(t.session, t.caller, question=t.masked,
                                  conversation_id=store.keep_conversation(t.session, t.conv))
    related = _related(ev)
    return t.answer(answer=replies.no_basis(t.language, ticket.id) + replies.see_also(t.language, related), body="",
                    citations=[], mode="none", no_basis=True, handoff_id=ticket.id, related=related,
                    reply_kind="no_basis", basis_probability=p)


def _not_a_question(t: _Turn) -> Answer | None:
    """A greeting, only personal data, or a long pasted text: a reply saying how to ask, never a search
    (a search on "你好" or on a phone number finds some document, and quoting it would be a random citation)."""
    kind = input_kind(t.question, t.masked)
    if kind is None:
        return None
    if kind == "privacy":
        t.checks.append("only_personal_data")
    text = {"greeting": lambda: replies.greeting(t.language), "privacy": lambda: replies.privacy(t.language),
            "too_long": lambda: replies.too_long(t.language, len(t.question), LONG_QUESTION)}[kind]()
    return t.answer(answer=text, body="", citations=[], mode="none", no_basis=True, reply_kind=kind)


def _guide_for(text: str, lang: str) -> dict | None:
    item = find_service(text)
    if not item:
        return None
    _, flow = get_service(item)
    return {"item": item, "name": flow.get("name_en") if lang == "en" and flow.get("name_en") else flow["name"],
            "url": f"/guide/{item}"}


def _close(t: _Turn, ans: Answer, *, record: bool, search_done: float, retrieval: str | None = None) -> Answer:
    """Guide, decision note, the one audit record and the stored turn."""
    if not ans.no_basis and ans.mode != "curated":
        ans.guide = _guide_for(t.rw.standalone + " " + t.rw.query, t.language)
        if ans.guide:
            ans.notes.append(replies.guide_note(t.language, ans.guide["url"]))
    if t.gov.decision_note:  # DESIGN 5: humans decide; the policy text (conditions, materials) is still given
        ans.answer = t.gov.decision_note + "\n\n" + ans.answer
    t_answer = time.perf_counter()
    ans.timings = {"search_ms": round((search_done - t.t0) * 1000, 1), "answer_ms": round((t_answer - t.t0) * 1000, 1)}
    if retrieval is not None:  # lexical | hybrid: which retrieval served the answer (vectors complete or not)
        ans.timings["retrieval"] = retrieval
    out = t.gov.finish(
        output=ans.answer, action="answer", session=t.session, checks=[c for c in ans.checks if c not in t.gov.checks],
        sources=[{"n": c.n, "title": c.title, "doc_number": c.doc_number, "document_id": c.docid,
                  "external_id": c.external_id, "validity": c.validity, "current": c.current} for c in ans.citations],
        extra={"mode": ans.mode, "no_basis": ans.no_basis, "kb": t.kb, "rewritten": t.rw.standalone[:500],
               "handoff_id": ans.handoff_id})
    ans.audit_id, ans.label, ans.aigc, ans.checks = out.audit_id, out.label, out.aigc, out.checks
    if record:
        turn = store.add_turn(t.session, t.caller, t.conv, question=t.masked, rewritten=t.rw.standalone,
                              topic=t.rw.topic, answer=ans.answer, mode=ans.mode, no_basis=ans.no_basis,
                              citations=[asdict(c) for c in ans.citations], audit_id=ans.audit_id,
                              latency_ms=int((time.perf_counter() - t.t0) * 1000))
        ans.turn_id = turn.id
    return ans


# --- the entry points ----------------------------------------------------------------------------------------

def answer_events(question: str, *, caller: Caller, kb: str | None = None, conversation_id: str | None = None,
                  lang: str | None = None, generative: bool | None = None,
                  record: bool = True) -> Iterator[tuple[str, dict] | Answer]:
    """The one implementation of a Q&A turn: yields ("meta", …), then ("delta", …) / ("withdraw", …) events
    while a generative answer streams, and finally the Answer. `ask` and `ask_stream` are its two readers."""
    t0 = time.perf_counter()
    q = check_question(question)
    gov = govern(caller, SCENARIO, input=q, decisions="note", lang=lang)  # refusals raise here, audited
    with gov, session_scope() as session:
        masked, kinds = Governed.neutralise(gov.masked)
        if kinds:
            gov.checks.append(f"injection_neutralised:{','.join(sorted(kinds))}")
        conv = store.get_or_create_conversation(session, caller, conversation_id, kb=kb)
        gov.conversation_id = conv.id
        history = store.history(session, conv.id)
        rw = rewrite(_search_text(masked), history)
        t = _Turn(question=q, caller=caller, kb=kb, gov=gov, session=session, conv=conv, rw=rw,
                  language=lang or rw.language, masked=masked, t0=t0)
        gov.lang = t.language
        yield "meta", {"conversation_id": conv.id, "mode": "pending"}
        special = _not_a_question(t)
        if special is not None:
            t.rw.topic = ""  # "你好" between two questions is not the conversation's topic
            yield _close(t, special, record=record, search_done=time.perf_counter())
            return
        ans = _pinned(t)
        ev = None
        if ans is None:
            ev = answer_inputs(session, caller, rw.query, kb=kb, gov=gov)
            t.checks += ev.checks
        search_done = time.perf_counter()
        p = None
        searched = ev  # the turn's own search: what "no basis" offers as related documents
        if ans is None and not rw.followup and ev.current:
            ans = _expired_first(t, ev)
        if ans is None and history:
            ans = _after_expired(t, ev, history)
        if ans is None:
            ev, sn, p = _choose_turn(t, ev, history)
            if sn is not None and not t.rw.followup:  # the topic carried on: the words its answer confirms
                t.rw.topic = followup.topic_in(t.rw.topic, ev.texts.get(ev.cands[sn.hit_index].document_id,
                                                                        ("", None))[0])
        if ans is None and ev.current:
            top_score = ev.current[0][0].score or 1.0
            cited = ev.cands[sn.hit_index] if sn else None
            # an older version is mentioned only when it concerns the document answered from (same title)
            skipped = [citation(0, h, ev.texts.get(h.document_id, ("", None))[1], "", current=False)
                       for h, _ in ev.old if cited is not None and h.score >= 0.5 * top_score
                       and _same_matter(h.title, cited.title)][:2]
            if sn is not None and generative is not False and Governed.generative():
                session.commit()  # release SQLite's write lock while the model writes
                for item in generate_answer(t, ev, skipped):
                    if isinstance(item, tuple):
                        yield item
                    else:
                        ans = item
            if ans is None:
                ans = _extractive(t, ev, skipped, sn)
            if ans is not None:
                ans.basis_probability = p
                if "previous_document" in t.checks and ans.citations:  # answered from the previous answer's
                    ans.notes.insert(0, replies.followup_note(t.language, ans.citations[0]))  # document: say so
        if ans is None:
            ans = _no_basis(t, searched, p)
        yield _close(t, ans, record=record, search_done=search_done, retrieval=ev.retrieval if ev else None)


def ask(question: str, *, caller: Caller, kb: str | None = None, conversation_id: str | None = None,
        lang: str | None = None, generative: bool | None = None, record: bool = True) -> Answer:
    """Answer one question (continuing `conversation_id` if given) and store the turn; see the module doc."""
    ans = None
    for item in answer_events(question, caller=caller, kb=kb, conversation_id=conversation_id, lang=lang,
                              generative=generative, record=record):
        if isinstance(item, Answer):
            ans = item
    return ans  # type: ignore[return-value]


def ask_stream(question: str, *, caller: Caller, kb: str | None = None, conversation_id: str | None = None,
               lang: str | None = None, piece: int = 12) -> Iterator[tuple[str, dict]]:
    """Server-sent events for one question: ("meta", …); a generative answer's tokens as ("delta", {"text"})
    while the model writes, with ("withdraw", {"text", "note"}) for a sentence its source does not support;
    an extractive answer in pieces of `piece` characters; then ("done", answer dict). ("error", error dict) for
    a user error. The "done" answer is the one to keep: it holds only supported sentences."""
    streamed, final = False, None
    try:
        # read the turn to its end: its transaction commits (the turn is stored) only when the generator finishes
        for item in answer_events(question, caller=caller, kb=kb, conversation_id=conversation_id, lang=lang):
            if isinstance(item, Answer):
                final = item
                continue
            event, data = item
            streamed = streamed or event == "delta"
            yield event, data
    except ZhengwuError as exc:
        yield "error", exc.to_dict()
        return
    if not streamed or final.mode != "generative":
        for i in range(0, len(final.answer), piece):
            yield "delta", {"text": final.answer[i:i + piece], "replace": i == 0 and streamed}
    yield "done", final.to_dict()
