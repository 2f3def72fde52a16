"""Spoken wording closed up: the words a speaker puts between the parts of a statement, taken out before reading.

"我今年都六十二了" states the age "我今年六十二了" states; "户口本一直在越秀区那边没动过" the registration "户口在越秀区没动过"
states. Rather than an optional adverb, filler and place word in every pattern of `wording.py`, the reader reads the
text a second time with such insertions removed (`facts.read_facts` keeps what the first reading found and adds only
the statements that appear here). What is removed never changes what a clause says: adverbs of time, degree and
emphasis (都, 已经, 一直, 才, 刚, 还, 也, 就, 足足, 一辈子), fillers (那个, 就是, 然后, 哈, 呢, 啊, 嘛), a place word
after a place (越秀区那边, 番禺这块), "跟我们一起", the 这 of "交了这8个月", a document's title brackets, and the
document for the status it proves (户口本 for 户口). Never a negation (没, 不, 未, 别), a number, a pronoun or a noun:
who a clause is about and what it says of them stay.

The text is cut into words with jieba (already used by `soundalike`) so that 就 in 就业, 都 in 首都 or 还 in 还贷款 is
never taken for the adverb. `normalise` returns, with the shorter text, the position in the original of every
character kept, so the words a fact was read from are shown to the resident as the resident wrote them.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from zhengwu.match import places

ADVERBS = frozenset({"都", "已经", "一直", "才", "刚", "刚刚", "也", "就", "足足", "整整", "其实", "一辈子", "仍然", "依然",
                     "始终", "早就", "本来"})
"""Adverbs of time, degree and emphasis: "都六十二了" is "六十二了"."""
FILLERS = frozenset({"那个", "然后", "哈", "呢", "啊", "嘛", "呀", "嗯", "呃", "喇", "咧", "哇", "吧", "的话呢"})
"""Words of a speaker thinking aloud."""
PLACE_WORDS = frozenset({"那边", "这边", "这块", "那块", "那里", "这里", "一带", "那儿", "这儿"})
"""After a place ("越秀区那边") they add nothing; alone ("在这边上班") they are the place, and stay."""
_PLACE_END = re.compile(r"[区县镇乡街村路道市省州]$")
_NOT_ADVERB_AFTER = {"还": re.compile(r"^[贷款钱债清了给完]"), "那个": re.compile(r"^[月年时星礼]")}
"""还贷款 (repay), 那个月 (that month): the word is no insertion there."""
_NUMBER_START = re.compile(r"^[\d两二三四五六七八九十]")
_TOGETHER = re.compile(r"(?:跟|和|同|与)(?:我们?|他们?|她们?|咱们?|家里人?|父母|爸妈|家人)一起")
_HAN = re.compile(r"[\u4e00-\u9fff\d]")
_BRACKETS = frozenset("《》〈〉")
"""A document's title brackets (持有效《广东省居住证》); quotes stay: "开了“小面点”餐馆" names someone's shop."""
_THEN = re.compile(r"时候|那时|到时|以后|将来|再过|再等|之后")
"""就 after a time to come is "then" ("再等一年那个时候我就17了"), no emphasis: it stays."""
_ASKED = re.compile(r"(?:问|坐席|话务员|接线员|客服|工作人员)\s*[:：](?P<q>[^？?:：\n]{1,40})[？?]\s*"
                    r"(?:答|市民|来电人|居民|群众|老人|阿姨|叔叔)\s*[:：]")
"""A transcript's question and the answer after it ("问：您今年多大年纪？答：七十二了。", the 12345 hotline's call record):
the answer states what the question names, so the question's last clause, less the asking words, is read as the
answer's subject ("今年七十二了", "户口是广州的", "出生日期一九六六年十二月十号")."""
_ASKING = re.compile(r"请问|您的?|你的?|多大(?=年纪|岁数)|(?<=年纪|岁数)了|多大了|几岁了?|多少岁|多少|多久|多长时间|哪里的?|哪儿的?|哪的|"
                     r"哪天|哪一?年|什么时候|什么|几年|几个月|是不是|有没有|吗|呢|哪")
"""The words of a question that ask rather than name: what is left (今年, 户口是, 出生日期是, 社保交了) names the fact."""
_TOPIC = re.compile(r"(?:保险|失业险|社保|公积金|户口|户籍|居住证|积分)(?P<t>(?:的话|这块|这一块|这个|方面)呢?)")
""""失业保险的话公司给我交了两年零四个月": a topic marked after the insurance or status it names, not "if" ("交满一年的话"
is a condition and stays)."""
_DOCUMENTS = re.compile(r"户口(?=[本簿])|户籍(?=[本簿])")
"""户口本 is the document for 户口: the status is read where its document is named."""


RUN_ON = 24
"""A stretch of this many characters with no clause mark is speech written down unpunctuated (a hotline's speech
recognition, "…公司六月份把我们整个部门都裁掉了然后失业保险的话…"): a sentence of several statements, not one clause."""
_CLAUSE_MARKS = re.compile(r"[，,。！!？?；;\n]")
_SPOKEN_BREAK = re.compile(r"然后|嗯+|呃+|那个(?![月年时星礼])|(?<=[了的])就是")
"""The words a speaker goes on to the next statement with: in run-on speech, where its clauses end."""


def break_run_on(text: str) -> str:
    """`text` with the fillers of an unpunctuated stretch (`RUN_ON` characters or more) turned into clause marks, so
    that each statement is read in its own clause (a question asked in one, "我就是想问一下失业金", no longer makes the
    others hypothetical). Same length, so positions hold; punctuated text is returned as it is."""
    out = list(text)
    start = 0
    for mark in [*_CLAUSE_MARKS.finditer(text), None]:
        end = mark.start() if mark else len(text)
        if end - start >= RUN_ON:
            for m in _SPOKEN_BREAK.finditer(text, start, end):
                out[m.start():m.end()] = "，" * (m.end() - m.start())
        start = mark.end() if mark else end
    return "".join(out)


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.ERROR)
    jieba.initialize()
    return jieba.dt


def _place(word: str, city: str) -> bool:
    if _PLACE_END.search(word):
        return True
    found, words = places.place_at(word, city=city)
    return found is not None and words == word


def _clause_start(text: str, pos: int) -> int:
    return max(text.rfind(ch, 0, pos) for ch in "，,。！!？?；;\n") + 1


def normalise(text: str, *, city: str = "广州市") -> tuple[str, list[int]]:
    """`text` with spoken insertions removed, and for every character of the result its position in `text`."""
    drop = [False] * len(text)
    for m in _TOGETHER.finditer(text):
        drop[m.start():m.end()] = [True] * (m.end() - m.start())
    for m in _DOCUMENTS.finditer(text):
        drop[m.end()] = True  # the 本 of 户口本
    for m in _TOPIC.finditer(text):
        drop[m.start("t"):m.end("t")] = [True] * (m.end("t") - m.start("t"))
    for m in _ASKED.finditer(text):  # "问：…您今年多大年纪？答：" -> "今年"
        q_start, q_end = m.span("q")
        last = max(q_start, *(text.rfind(ch, q_start, q_end) + 1 for ch in "，,。；;"))  # the question's last clause
        drop[m.start():last] = [True] * (last - m.start())
        for asking in _ASKING.finditer(text, last, q_end):
            drop[asking.start():asking.end()] = [True] * (asking.end() - asking.start())
        drop[q_end:m.end()] = [True] * (m.end() - q_end)
    words = list(_tokenizer().tokenize(text))
    for i, (word, start, end) in enumerate(words):
        after = words[i + 1][0] if i + 1 < len(words) else ""
        before = words[i - 1][0] if i > 0 else ""
        if word in _NOT_ADVERB_AFTER and _NOT_ADVERB_AFTER[word].match(after):
            continue
        if word == "就" and _THEN.search(text, _clause_start(text, start), start):
            continue
        if word == "呢" and not _HAN.match(after):
            continue  # "…一年呢？": a question's last word is how `facts` knows it is asked
        remove = (word in ADVERBS or word == "还" or word in FILLERS
                  or (word in PLACE_WORDS and bool(before) and _place(before, city))
                  or (word == "还是" and after == "在")
                  or (word in ("这", "那") and bool(_NUMBER_START.match(after))))
        if word == "就是" and _HAN.match(before[-1:] or " "):  # "户口就是在番禺": the copula stays
            drop[start] = True
        elif word == "就是":  # "…哈 就是我是四川南充的": a filler opening the clause
            drop[start:end] = [True] * (end - start)
        elif remove:
            drop[start:end] = [True] * (end - start)
    for i, ch in enumerate(text):
        if ch in _BRACKETS:
            drop[i] = True
    kept = [i for i in range(len(text)) if not drop[i]]
    return "".join(text[i] for i in kept), kept
