"""Cantonese written by residents of 广州, turned into the Mandarin the reader's patterns are written in.

"我喺海珠住咗三年，冇居住证" states the same facts as "我在海珠住了三年，没居住证". Rather than a Cantonese variant of
every pattern in `wording.py`, the text is normalised once, before reading, with a small table of function words and
common verbs. Every replacement has the length of what it replaces, so positions, clauses and spans keep pointing
at the resident's own words.

Source: the correspondences are the standard ones described in Stephen Matthews and Virginia Yip, *Cantonese: A
Comprehensive Grammar* (2nd ed., Routledge 2011) — copulas and locatives (系 是, 喺 在), aspect markers (咗 了,
喺度 正在), the adverb 仲 (还: only in its compounds, 仲裁 is Mandarin), negators (冇 没, 唔 不), pronouns and plurals (佢 他, 哋 们), the possessive 嘅 的, the passive
俾/畀 被 — and everyday words we met in hotline messages (屋企 家里, 揾工 找工, 返工 上班, 老豆 爸爸, 搞掂 办好).
PyPI offers no maintained Cantonese-to-Mandarin word list (checked 2026-11-30: `cantonesedetect` and `canto-filter`
only detect Cantonese, `cantoseg`/`cantocut` only segment it), so the table is ours and kept to words whose Mandarin
reading is unambiguous in a resident's description.
"""

from __future__ import annotations

import re

_ALWAYS = str.maketrans("冇咗嘅佢喺哋睇嚟攞嗰", "没了的他在们看来拿那")
"""Characters that are only Cantonese: safe in any text (唔 is handled with its compounds)."""

_MARKERS = re.compile(r"[冇咗唔嘅佢喺哋睇嚟攞嗰揾搵啱俾畀嘢咁]|仲[喺有未冇系係要]|执笠|屋企|老豆|阿[妈爸爷嫲]|个仔|宜家|而家|搞掂")
"""Words that only Cantonese uses: their presence makes the ambiguous 系/俾 readings safe to take as Cantonese."""

_WORDS: tuple[tuple[str, str], ...] = (
    # (Cantonese, Mandarin) — same length; longer entries first so they win over their parts
    ("俾人炒咗", "被人辞退"), ("炒鱿鱼", "被辞退"), ("炒咗", "辞退"),
    ("仲喺", "还在"), ("仲有", "还有"), ("仲未", "还没"), ("仲冇", "还没"), ("仲系", "还是"), ("仲係", "还是"), ("仲要", "还要"),
    ("喺度", "正在"), ("返屋企", "回家里"), ("屋企", "家里"), ("揸住", "拿着"), ("放工", "下班"), ("地盘", "工地"), ("读紧", "在读"), ("电单车", "摩托车"), ("老豆", "爸爸"), ("阿爸", "爸爸"), ("阿妈", "妈妈"), ("阿爷", "爷爷"),
    ("阿嫲", "奶奶"), ("阿婆", "外婆"), ("阿公", "外公"), ("个仔", "儿子"), ("个女", "女儿"),
    ("揾紧", "在找"), ("搵紧", "在找"), ("揾工", "找工"), ("揾", "找"), ("搵", "找"), ("执笠", "倒闭"), ("老细", "老板"), ("走佬", "跑路"), ("返工", "上班"), ("收工", "下班"), ("做嘢", "干活"), ("搞掂", "办好"),
    ("郁手", "动手"), ("成日", "经常"), ("交紧", "交着"),
    ("宜家", "现在"), ("而家", "现在"), ("啱啱", "刚刚"), ("几多", "多少"), ("边度", "哪里"), ("乜嘢", "什么"),
    ("大佬", "大哥"), ("阿哥", "哥哥"), ("阿姐", "姐姐"), ("家姐", "姐姐"), ("细佬", "弟弟"), ("一齐", "一起"), ("迁返", "迁回"), ("搬返", "搬回"),
    ("出世", "出生"), ("唔系", "不是"), ("唔使", "不用"), ("唔该", "谢谢"), ("唔", "不"),
)
_HERE_DONE = re.compile(r"喺度(?=[\u4e00-\u9fff]{1,2}咗)")
"""喺度 before a verb is 正在 ("喺度搵工"), but with a done verb it is the place: "喺度住咗十三个月" = 在这住了十三个月."""
_PASSIVE = re.compile(r"[俾畀](?=人|公司|老板|厂|单位|老细|警察)")
"""俾人打, 俾公司炒: the passive 被; elsewhere 俾/畀 is "give" (给)."""
_SAID = re.compile(r"(?<=[他她我们妈爸哥姐弟妹仔女公婆己司人局厂板])话(?![费题筒说])")
"""佢话, 我阿妈话: "said" after the one who speaks (Mandarin 说); not 电话, 话费, 话题."""
_COPULA = re.compile(r"(?<![关联体派维直旁院中文世谱])[系係](?![统列数上住着带])")
"""系 as "is" (我系广州人); not 关系, 联系, 体系, 系统, 系列, 中文系 …"""


def to_mandarin(text: str) -> str:
    """The text with Cantonese function words and common verbs in Mandarin; Mandarin text is returned unchanged.

    The ambiguous characters (系, 俾/畀) are only read as Cantonese when the text shows Cantonese elsewhere, so a
    Mandarin "中文系" or "关系" is never touched.
    """
    if not _MARKERS.search(text):
        return text.translate(_ALWAYS)
    text = _HERE_DONE.sub("在这", text)
    for yue, cmn in _WORDS:
        text = text.replace(yue, cmn)
    text = _PASSIVE.sub("被", text.translate(_ALWAYS))
    text = _SAID.sub("说", text.replace("俾", "给").replace("畀", "给"))
    return _COPULA.sub("是", text)


# Cantonese question words a citizen's follow-up asks with, in Mandarin, longest first ("喺边度办" asks for a place
# as "在哪里办" does, "几耐" for a period as "多久", "几时" for a time as "什么时候"), also where the question shows no
# other Cantonese ("去边度办": `to_mandarin` reads 边度 only beside a marker). Not all of the same length: only for a
# question read as a whole (qa/rewrite.py), never for a text whose positions are kept.
_QUESTION_WORDS: tuple[tuple[str, str], ...] = (
    ("使唔使", "要不要"), ("几多", "多少"), ("边度", "哪里"), ("边处", "哪里"), ("乜嘢", "什么"), ("点样", "怎么"),
    ("点搞", "怎么办"), ("点办", "怎么办"), ("几耐", "多久"), ("几时", "什么时候"), ("咩嘢", "什么"), ("咩", "什么"),
    ("会点", "会怎么样"),
    ("细路", "小孩"),  # a family member the follow-up names ("老婆同细路可唔可以一齐入户"): whom, not which matter
)


def question_in_mandarin(question: str) -> str:
    """A question with its Cantonese question words (`_QUESTION_WORDS`) and then its function words and common verbs
    (`to_mandarin`) in Mandarin: what a follow-up asks for, and the words its search and answer are chosen by, are
    read from the Mandarin form. One table for both readers: the matching rules keep positions (`to_mandarin`), a
    question read whole may change length."""
    for cantonese, mandarin in _QUESTION_WORDS:
        question = question.replace(cantonese, mandarin)
    return to_mandarin(question)
