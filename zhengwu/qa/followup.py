"""A follow-up turn answered first from the document the conversation's previous answer cited.

Why: citizens ask elliptic follow-ups ("多久能办好？", "要带什么？", "学生呢") about the guide they were just given.
Searched again — even with the topic words carried over — such a short question often found the right guide
among others and then got "no basis", or a passage of another document, or a passage of the wrong kind (a
period for "how much"). The previous answer's document is the conversation's evidence: the citizen has read
it and asks about it. So a continuing turn is answered from that document when it holds an answer of the kind
asked (a sum of money for "多少钱", a period for "多久", the materials list for "带什么": `answer_types`), and the
abstention model still judges the passage, with the conversation's topic words in the question it reads.
When the passage chosen lacks the kind asked, the document's lines that hold it are chosen among (kind_passage).
When the document holds no answer of that kind, the turn is searched as before (another document of the same
topic may hold it: the date of an application window is in the guide, not in the rules first cited), and
"no basis" stays the reply when nothing answers.

A question that names a subject of its own ("学生呢", "沙河街那边电话多少", "如何办理居住证？") is searched on its
own first: it may start a new topic. Only when that finds no basis, and every subject it names is written in
the previous document and is not the title subject of a document its own search ranks higher ("居住证" has
guides of its own; "学生" is a detail of the 医保 notice), is it read as a continuation. A new topic never
borrows the old topic's document.
"""

from __future__ import annotations

import re
from dataclasses import replace

from zhengwu.context import Caller
from zhengwu.gateway import Governed
from zhengwu.kb.dense import served_by
from zhengwu.kb.query_dict import pos_cutter  # jieba's tagger without loading its whole table
from zhengwu.kb.search import search
from zhengwu.kb.tokenize import query_tokens
from zhengwu.qa import answer_types
from zhengwu.qa.evidence import AnswerInputs, chunk_cosines, document_texts
from zhengwu.qa.extract import SECTION_MARK
from zhengwu.qa.rewrite import (ASPECT_WORDS, GENERIC_NOUNS, KIN_WORDS, OTHER_PARTIES, content_words, current_topic,
                                expand_synonyms, load_synonyms)

PREVIOUS_K = 30  # documents a follow-up's second search looks through for the previous answer's document
# how much more likely a passage of the previous answer's document is to answer a continuing turn than the abstention
# model, fitted on questions asked alone, reckons: the odds it gives are multiplied by this (continued_point). Chosen on
# the development conversations, leave one set out (docs/benchmarks.md, "Seventeenth round … conversations")
PREVIOUS_ODDS = 3.0


def continued_point(threshold: float) -> float:
    """The operating point for a passage of the previous answer's document: the abstention's `threshold` with the
    odds shifted by PREVIOUS_ODDS (0.55 → 0.29; 0 stays 0, a stricter deployment's point stays stricter).

    Why: the model judges a continuing turn as if it were asked alone, from the turn's words and its topic; it never
    sees that the citizen has just read this document and asks about it. Of the development sets' passages of that
    document, nine in ten were right, and the model declined one right answer in five ("单位不去呢" after the 工伤
    rules, "寄卡要钱不" after the 社保卡 guide); the wrong ones are mostly continuations of a wrong first answer, with
    low probabilities either way (in-sample over 14 sets: 126 → 145 right answers accepted, 6 → 8 wrong ones)."""
    if threshold <= 0 or threshold >= 1:
        return threshold
    return threshold / (threshold + (1.0 - threshold) * PREVIOUS_ODDS)


def previous_document(history: list[dict], returns_to: str = "") -> int | None:
    """The document (id) the conversation's latest answer on its current topic cited first, or None.

    Turns of an earlier topic do not count: a topic opened and declined ("no basis") leaves no document.
    `returns_to`: the earlier topic a return continues (rewrite.returned_topic): the latest answer on that topic,
    the turns of the topics in between passed over."""
    topic = returns_to or current_topic(history)
    for turn in reversed(history):
        own = (turn.get("topic") or "").strip()
        if not own:  # a greeting or a reminder in between: no topic of its own
            continue
        if own != topic:
            if returns_to:
                continue
            return None
        cited = [d for d in turn.get("cited") or [] if d is not None]
        if cited and not turn.get("no_basis"):
            return int(cited[0])
    return None


def narrowed(ev: AnswerInputs, docid: int) -> AnswerInputs | None:
    """The answer inputs reduced to one candidate document (the previous answer's), or None when this turn's
    search did not find it among the documents that cover the question."""
    at = next((i for i, h in enumerate(ev.cands) if h.document_id == docid), None)
    if at is None:
        return None
    return replace(ev, current=[hc for hc in ev.current if hc[0].document_id == docid], old=[],
                   cands=[ev.cands[at]], passages=[ev.passages[at]], priors=[1.0], titles=[ev.titles[at]],
                   dense=[ev.dense[at]] if at < len(ev.dense) else [])


def without(ev: AnswerInputs, docid: int) -> AnswerInputs:
    """The answer inputs without one document (the answer a correction rejects: "不是 我们是没领证的那种"): the
    citizen has read it and said it is not what was asked."""
    keep = [i for i, h in enumerate(ev.cands) if h.document_id != docid]
    if len(keep) == len(ev.cands):
        return ev
    top = (ev.cands[keep[0]].score or 1.0) if keep else 1.0
    return replace(ev, current=[hc for hc in ev.current if hc[0].document_id != docid],
                   cands=[ev.cands[i] for i in keep], passages=[ev.passages[i] for i in keep],
                   priors=[ev.cands[i].score / top for i in keep], titles=[ev.titles[i] for i in keep],
                   dense=[ev.dense[i] for i in keep if i < len(ev.dense)])


def previous_expired(history: list[dict], returns_to: str = "") -> int | None:
    """The document (id) an expired reply named, when that reply is the conversation's latest on its topic (or on
    the topic a return continues), or None."""
    topic = returns_to or current_topic(history)
    for turn in reversed(history):
        own = (turn.get("topic") or "").strip()
        if not own or (own != topic and returns_to):
            continue
        if own != topic:
            return None
        named = [d for d in turn.get("expired") or [] if d is not None]
        return int(named[0]) if named else None
    return None


def previous_hit(session, caller: Caller, query: str, docid: int, *, kb: str | None,  # noqa: ANN001
                 gov: Governed | None):  # a SearchHit or None
    """The search hit of the previous answer's document for this turn's query, from a wider search than the
    answer's (PREVIOUS_K documents), or None when it is not found."""
    return next((h for h in search(session, caller, query[:900], kb=kb, k=PREVIOUS_K, gov=gov)
                 if h.document_id == docid), None)


def previous_inputs(session, caller: Caller, query: str, docid: int, *, kb: str | None,  # noqa: ANN001
                    gov: Governed | None) -> AnswerInputs | None:
    """The previous answer's document as the one candidate when this turn's search did not rank it among the
    documents covering the question ("喺边度办" after 夫妻投靠: "户口 临沂 在哪里办" finds every 户口 guide of 临沂,
    and the one the citizen was just given may rank ninth), or None when a wider search does not find it either or
    it is no longer in force. The abstention model still judges the passage."""
    hit = previous_hit(session, caller, query, docid, kb=kb, gov=gov)
    if hit is None or hit.validity != "effective":
        return None
    texts = document_texts(session, [hit])
    passage, kinds = Governed.neutralise(texts.get(docid, (hit.text, None))[0])
    checks = [f"source_injection_neutralised:{','.join(sorted(kinds))}"] if kinds else []
    return AnswerInputs(current=[(hit, 1.0)], old=[], texts=texts, cands=[hit], passages=[passage], priors=[1.0],
                        titles=[hit.title], checks=checks, dense=chunk_cosines(session, [hit]), retrieval=served_by([hit]))


def kind_passage(ev: AnswerInputs, question: str) -> AnswerInputs | None:
    """The one-document inputs with the passage cut to its lines that hold the kind of fact `question` asks
    (holds_kind_asked), each with the heading line above it, or None when no line does or all do.

    Why: inside the previous answer's document every passage is on the topic, and the ranker, reading the topic
    words the query carries, chose the passage that repeats them (the 电子居住证 guide's "…审核期限为5个工作日" for
    "以后每年都要弄吗", where "…每年签注一次" answers); the lines that hold what is asked are the only ones that can
    answer, and the ranker chooses among them (the abstention still judges the passage)."""
    lines = ev.passages[0].splitlines()
    # a sum, a period or a date is written on many lines of a document: the line must also name what it is of
    # (a date line of the 积分入户 rules, "一个纳税年度指当年的1月1日至12月31日", is no answer to "什么时候开始报名")
    matter = [w for w in asked_words(question) if not answer_types.asked(w)] \
        if set(answer_types.asked(question)) & set(answer_types.NARROW) else []  # "收钱" asks the kind: no matter
    keep: list[int] = []
    for i, line in enumerate(lines):
        above = i - 1 if i and (lines[i - 1].startswith(SECTION_MARK) or _HEADING_LINE.match(lines[i - 1])) else None
        context = f"{lines[above] if above is not None else ''} {line}"
        if line.strip() and holds_kind_asked(question, line) and (not matter
                                                                  or any(written(w, context) for w in matter)):
            keep += [i] if above is None else [above, i]
    keep = sorted(set(keep))
    if not keep or len(keep) == len([x for x in lines if x.strip()]):
        return None
    return replace(ev, passages=["\n".join(lines[i] for i in keep)])


# a heading above the line that answers: the section mark the passage carries, or a numbered heading line
# ("八、收费标准", "（二）网上办理流程")
_HEADING_LINE = re.compile(r"^\s*(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)[^。；;，,：:]{1,24}$")


def holds_kind_asked(question: str, body: str) -> bool:
    """The answer shown holds a fact of the kind the question asks for: "能领多少钱" needs a sum of money,
    "多久能办好" a period, "要带什么" materials. A question asking for no particular kind ("哪些银行能办",
    "忘了认证会怎么样") needs one of its own words in the answer (银行, 认证): the previous document's passage
    on something else is no answer to it."""
    kinds = answer_types.asked(question)
    if not kinds and _MATERIALS_ASKED.search(question):  # "要交些什么资料": the materials list answers it
        kinds = ("materials",)
    if kinds and not _ASKS_VALIDITY.search(question):  # the rules' own dates answer no question of their matter
        body = _OWN_VALIDITY.sub("", body)
    if "date" in kinds and _WHEN_READY.search(question):  # "几时有卡拿": the period it takes answers it too
        kinds += ("duration",)
    # "能寄到家吗", "材料快递过去行不行": answered by the line saying it may be sent by post ("付费邮寄", "将材料原件邮寄到
    # 派出所"), in the document's words; a yes-or-no asking it names materials, not for the materials list
    posted = bool(_POST_ASKED.search(question) and _POST.search(body))
    if kinds:
        return answer_types.holds(body, kinds) or "money" in kinds and bool(_PAID.search(body)) \
            or posted and set(kinds) <= {"materials"}
    words = asked_words(question)
    # "手机上能弄吗" is answered by the app or the site it is done on
    online = bool(_ONLINE_ASKED.search(question) and _ONLINE.search(body))
    paying = bool(_PAY_ASKED.search(question) and _PAYMENT.search(body))  # "还用自己先掏钱吗": "无需个人垫付"
    # "过期没做会咋样": what follows when it is not done ("逾期未认证…暂停发放"), in the document's words, not the citizen's
    ensues = bool(_ENSUES_ASKED.search(question) and _ENSUES.search(body))
    return not words or online or paying or ensues or posted or any(w in body for w in words)


def asked_words(question: str) -> list[str]:
    """The words of a question an answer to it names: its content words and the aspect nouns it names
    ("以后每年都要弄吗" → 每年, "网上弄得了不" → 网上), not whom it concerns (老婆, 一起) nor a time word ("以后" is in
    no answer to it)."""
    return [w for w in dict.fromkeys(content_words(question, generic=True)
                                     + [t for t in query_tokens(question) if t in GENERIC_NOUNS and t not in _VAGUE])
            if w.removeprefix("我") not in KIN_WORDS and w not in _TOGETHER and w not in _TIME_WORDS
            and w not in OTHER_PARTIES and w not in _POSTAL]


# "什么时候有卡拿", "几时能批下来", "什么时候出结果": when something is ready is answered by the period it takes
# ("12个工作日"), not only by a calendar date; "什么时候开始报名" asks a date
_WHEN_READY = re.compile(r"(什么时候|啥时候|何时)\s*(?:才|就)?\s*(?:能|可以|会)?\s*(?:有|拿|领|收到|到|办好|出|批|下来|好)")
# a document's own validity clause ("现将…重新发布，有效期调整至2026年12月31日", "本办法自2024年1月1日起施行"): the
# date of the rules, not of the matter they govern ("几时开始报名" was answered with it from 积分入户's rules)
# ("自本办法实施之日起申领的…设置2年有效期" is a rule of the matter: kept)
# ("广州市人民政府办公厅秘书处 2025年7月4日印发": the day the rules were issued, no date of their matter either)
_OWN_VALIDITY = re.compile(r"[^。；;\n]*(?:本(?:通知|办法|规定|细则|意见|决定|条例)(?:自[^。；;\n]{0,20}起施行|有效期)"
                           r"|有效期(?:调整|延长)至|重新发布|\d{1,2}\s*日\s*(?:印发|发布|公布)\s*$)[^。；;\n]*[。；;]?",
                           re.MULTILINE)
_ASKS_VALIDITY = re.compile(r"有效期|施行|生效|失效|过期|废止|实施")
# a follow-up asking for papers in words answer_types does not read as a materials question (it reads single
# questions too, for the ranker and the abstention: left as it is)
_MATERIALS_ASKED = re.compile(r"资料|交些|交啥|交什么|提交哪|递交")
# "要钱吗" is answered by saying it is paid for ("可选付费邮寄"), without a sum
_PAID = re.compile(r"付费|收费|自费|工本费")
# whom a follow-up asks about ("我老婆孩子能一起迁吗") and "together" say whose matter, not what the answer must name
_TOGETHER = frozenset({"一起", "一齐", "一块", "一同", "跟着"})
# when a yes-or-no follow-up is asked ("以后…还要…吗", "现在…"): no word its answer must hold
_TIME_WORDS = frozenset({"以后", "之后", "以前", "之前", "现在", "目前", "当时", "今年", "明年", "去年", "时候", "期间",
                         "平时", "最近"})
# aspect nouns too vague to say which passage answers ("情况", "问题")
_VAGUE = frozenset({"时候", "问题", "情况", "东西", "事情", "事", "人", "地方", "办法", "方式"})
# asking whether it can be done online or by phone, and what in a passage answers that: the channel it names
_ONLINE_ASKED = re.compile(r"网上|线上|在线|网办|手机|电脑|online")
_PAY_ASKED = re.compile(r"[掏出花付垫给]钱|自费|垫付|报销")
_PAYMENT = re.compile(r"付|费用|报销|结算|免费|收费")
# a site named as where rules are published ("见省人力资源和社会保障厅网站发布的…") is no channel to do it on
_ONLINE = re.compile(r"网上|线上|在线|网办|APP|app|小程序|公众号|网站(?!发布|公布|公告)|平台|穗好办|粤省事|粤商通|12333")
# sending by post, asked in a citizen's words, and a line saying it may be done (the guide's 邮寄 / 寄送 / 快递)
_POST_ASKED = re.compile(r"寄|快递|邮政|到付")
# (the act of sending: "请收到邮政公司的领卡通知后…" names the post office, it does not say the card may be posted)
_POST = re.compile(r"邮寄|寄送|寄递|快递")
_POSTAL = frozenset({"邮寄", "快递", "寄到", "寄过去", "寄回", "邮政"})
# what happens if something is not done or is late, and the lines that say it
_ENSUES_ASKED = re.compile(r"会(?:咋样|怎样|怎么样|如何|有(?:什么|啥)(?:后果|影响|问题))|(?:什么|啥)后果|有(?:没有)?影响")
_ENSUES = re.compile(r"暂停|停止|中止|终止|取消|不予|不得|不再|无效|失效|逾期|罚款|处罚|责令|追缴|滞纳金|扣减|影响")


def names_other_matter(subjects: list[str], ev: AnswerInputs, docid: int) -> bool:
    """Does the question name a matter of its own? It names no subject, or a document its own search ranks
    above the previous answer's (any, when that one is not found) has a subject as a word of its title, or its
    official form (社保卡 → 社会保障卡; a term of the synonym table wherever the title writes it): "居住证" after a
    社保卡 answer finds the 电子居住证 guide first. A word inside a longer one does not count: "学生" is not the
    subject of a title about the 世界大学生运动会."""
    if not subjects:
        return True
    forms = set(subjects) | {official for s in subjects for _, official in expand_synonyms(s)[1]}
    table = {t for g in load_synonyms() for t in g}
    for did, (_, doc) in ev.texts.items():
        if did == docid:
            return False
        title = (doc.title or "") if doc is not None else ""
        if forms & ({w.word for w in pos_cutter().cut(title)} | {t for t in table if t in title}):
            return True
    return False


def named_elsewhere(question: str, ev: AnswerInputs, docid: int) -> bool:
    """Does a word of the question name, in the title of another document its search found, what the previous
    answer's title does not ("领了以后还要每年认证吗" after the 养老金申领 guide: 认证 is the title word of the
    资格认证 notice)? Then the previous document's other lines are no answer to it: the matter is another's."""
    words = set(content_words(question))
    if not words:
        return False

    def title_words(did: int) -> set[str]:
        doc = ev.texts.get(did, ("", None))[1]
        return {w.word for w in pos_cutter().cut((doc.title or "") if doc is not None else "")}

    own = title_words(docid)
    return any(words & (title_words(did) - own) for did in ev.texts if did != docid)


def in_document(subjects: list[str], doc_text: str) -> bool:
    """Every subject the question names is written in the previous document, as the citizen wrote it or in its
    official form (a citizen's "送饭" is the document's 送餐): a detail of the matter discussed ("沙河街" in the
    租赁备案 guide's list of offices), not something it does not speak of."""
    return bool(subjects) and all(written(s, doc_text) or any(official in doc_text for _, official in
                                                              expand_synonyms(s)[1]) for s in subjects)


def written(word: str, text: str) -> bool:
    """`word` is written in `text`, or, for a citizen's two-character clipping of a verb and its object ("寄卡",
    "补缴"), its two characters with at most two between them ("邮寄领卡", "补办缴费"): the guide writes the act
    in full, and a follow-up naming it in two characters was searched on its own as a new matter."""
    if word in text:
        return True
    return len(word) == 2 and bool(_CJK_PAIR.fullmatch(word)) and re.search(f"{word[0]}[^，,。；;\n]{{1,2}}{word[1]}",
                                                                           text) is not None


_CJK_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")


def topic_in(topic: str, doc_text: str) -> str:
    """The topic words the answered document holds, and the synonym table's words (a citizen's "失业金" stands
    for the document's 失业保险金): a fragment of the citizen's wording ("改个" of "改个名字", "办张" of "办张社保卡")
    carried on to the next turn is looked for in the document as a topic term it lacks, and the follow-up was
    declined. The whole topic when the document holds none of its words."""
    terms = {t for g in load_synonyms() if g[0] not in ASPECT_WORDS for t in g}
    kept = [w for w in topic.split() if w in doc_text or w in terms]
    return " ".join(kept) or topic
