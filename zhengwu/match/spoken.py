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
_DOCUMENTS = re.compile(r"户口(?=[本簿])|户籍(?=[本簿])")
"""户口本 is the document for 户口: the status is read where its document is named."""


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
