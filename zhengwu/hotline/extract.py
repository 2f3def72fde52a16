"""Smart form filling (智能填单): from a call transcript (坐席/市民 turns) or a written message, the ticket's fields,
each with the text span it came from and a confidence, so the agent sees why and confirms or corrects.

Rule- and statistics-based (cue lists, a surname list, the address parser): no model is needed, and nothing here
sends text anywhere. Spans index the original text; normalisation (spoken digits 幺三八…, dialect 俺/阿拉, common
typos 投素/举抱) maps characters one to one, so offsets stay valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from zhengwu.hotline.address import find_addresses

FIELDS = ("caller_name", "contact", "location", "request_type", "summary", "appeal", "urgency", "confidential", "time")


@dataclass
class Field:
    value: object
    span: tuple[int, int] | None
    confidence: float

    def as_dict(self) -> dict:
        return {"value": self.value, "span": list(self.span) if self.span else None,
                "confidence": round(self.confidence, 2)}


@dataclass
class FilledTicket:
    caller_name: Field
    contact: Field
    location: Field
    request_type: Field
    summary: Field
    appeal: Field
    urgency: Field
    confidential: Field
    time: Field
    location_candidates: list[dict] = field(default_factory=list)  # other addresses named (a home, a second place)
    emergency: str | None = None  # 110 / 119 / 120 / 122 when the call must be handed off at once

    def as_dict(self) -> dict:
        return {**{f: getattr(self, f).as_dict() for f in FIELDS},
                "location_candidates": self.location_candidates, "emergency": self.emergency}


# --- normalisation that keeps offsets -----------------------------------------------------------------------

_DIGITS = str.maketrans("零〇一二三四五六七八九幺洞两０１２３４５６７８９", "00123456789102" "0123456789")
_SPOKEN_NUMBER = re.compile(r"[零〇一二三四五六七八九幺洞两0-9０-９\- ]{7,}")
_SAME_LENGTH = {"俺": "我", "额": "我", "侬": "你", "阿拉": "我们", "咱家": "我家", "投素": "投诉", "投述": "投诉",
                "举抱": "举报", "举保": "举报", "资询": "咨询", "咨洵": "咨询", "谘询": "咨询", "电活": "电话",
                "手肌": "手机", "莫得": "没有", "冇": "没", "啥子": "什么", "咋个": "怎么",
                "晓得": "知道"}


def normalise(text: str) -> str:
    """Same length as `text`: spoken and full-width digits in number-like runs become ASCII, dialect words and
    frequent typos their standard form."""
    out = _SPOKEN_NUMBER.sub(lambda m: m.group().translate(_DIGITS) if sum(
        c not in "- " for c in m.group()) >= 7 else m.group(), text)
    for k, v in _SAME_LENGTH.items():
        out = out.replace(k, v)
    assert len(out) == len(text)
    return out


# --- turns and sentences ------------------------------------------------------------------------------------

_TURN = re.compile(r"^\s*(坐席|话务员|接线员|客服|工作人员|市民|来电人|群众|用户|居民|客户|A|B|Q)\s*[：:]", re.M)
_AGENT = {"坐席", "话务员", "接线员", "客服", "工作人员", "A"}


def citizen_spans(text: str) -> list[tuple[int, int]]:
    """Where the citizen speaks: the 市民 turns of a transcript, or the whole text of a message."""
    marks = list(_TURN.finditer(text))
    if not marks:
        return [(0, len(text))]
    spans = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        if m.group(1) not in _AGENT:
            spans.append((m.end(), end))
    return spans or [(0, len(text))]


_SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;]+|$)")


def sentences(text: str, within: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for a, b in within:
        for m in _SENTENCE.finditer(text[a:b].replace("_x000D_", "\n\n\n\n\n\n\n")):
            s, e = a + m.start(), a + m.end()
            while s < e and text[s] in " \t\r\n，,：:":
                s += 1
            while e > s and text[e - 1] in " \t\r\n":
                e -= 1
            if e - s >= 2:
                out.append((s, e))
    return out


def _in(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in spans)


# --- the fields ---------------------------------------------------------------------------------------------

_PHONE = re.compile(r"(?<![0-9])(1[3-9][0-9](?:[- ]?[0-9]{4}){2}|0[0-9]{2,3}-?[0-9]{7,8}|[0-9]{3}-?[0-9]{4}-?[0-9]{4}|"
                    r"(?<=电话)[0-9]{7,8})(?![0-9])")
_CONTACT_CUE = re.compile(r"电话|手机|号码|联系|打这个|回电")
# frequent surnames (百家姓 and the most common today); compound ones first
_SURNAMES_2 = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "令狐", "夏侯")
_SURNAMES_1 = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
                  "卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
                  "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童"
                  "凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连"
                  "芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖"
                  "巩明佘池查麻苑迟邝")
_NAME_PATTERNS = [
    (re.compile(r"(?:我叫|我的名字是|我名字叫|本人叫|本人姓名[：:]?|姓名[：:是]\s*|我是)([\u4e00-\u9fff]{2,4})"), 0.9),
    (re.compile(r"(?:来电人|反映人|投诉人|举报人|申请人|联系人|原告|当事人)[：:]\s*([\u4e00-\u9fff]{2,4})"), 0.85),
    (re.compile(r"(?:我姓|免贵姓|姓)([\u4e00-\u9fff]{1,2})(?:[，,。 ]|$|先生|女士|的|叫)"), 0.8),
    (re.compile(r"([\u4e00-\u9fff]{1,2})(?:先生|女士|阿姨|师傅|大爷|大妈)(?:您好|你好|，|,|是吧|对吧)"), 0.7),
]
_NOT_NAME_TAIL = set("区市县镇村街路号的了在是个们人家楼小女先")


def _surname_ok(name: str) -> bool:
    return name[:2] in _SURNAMES_2 or name[:1] in _SURNAMES_1


def _caller_name(text: str, norm: str, citizen: list[tuple[int, int]]) -> Field:
    best: Field | None = None
    for pattern, conf in _NAME_PATTERNS:
        for m in pattern.finditer(norm):
            raw = m.group(1)
            if not _surname_ok(raw):
                continue
            if pattern in (_NAME_PATTERNS[0][0], _NAME_PATTERNS[1][0]):
                # 我是王建国 / 我是张先生; cut the name where a non-name word starts
                name = raw
                for tail in ("先生", "女士"):
                    if tail in name:
                        name = name[: name.index(tail) + 2]
                while len(name) > 2 and name[-1] in _NOT_NAME_TAIL:
                    name = name[:-1]
                if len(name) > 3 and not name.endswith(("先生", "女士")):
                    name = name[:3]
                if any(c in _NOT_NAME_TAIL for c in name[1:]) and not name.endswith(("先生", "女士")):
                    continue
            else:
                name = raw[:2] if raw[:2] in _SURNAMES_2 else raw[:1]
                after = norm[m.end(1):m.end(1) + 2]
                if after in ("先生", "女士"):
                    name += after
                elif (t := re.search(re.escape(name) + "(先生|女士)", norm)):  # the agent's "王先生" gives the title
                    name += t.group(1)
            start = m.start(1)
            c = conf + (0.05 if _in(citizen, start) else 0)
            if best is None or c > best.confidence:
                best = Field(name, (start, start + min(len(name), len(raw))), min(c, 0.95))
    return best or Field(None, None, 0.0)


def _contact(norm: str) -> Field:
    best: Field | None = None
    for m in _PHONE.finditer(norm):
        digits = re.sub(r"[- ]", "", m.group())
        near = norm[max(0, m.start() - 12):m.start()]
        conf = 0.95 if _CONTACT_CUE.search(near) else 0.8
        if best is None or conf > best.confidence:
            best = Field(digits, m.span(), conf)
    return best or Field(None, None, 0.0)


_HOME_CUE = re.compile(r"(?:(?:我|本人|俺)?(?:家住|住在|住址|家在|户籍|老家|家庭住址|居住在|住所地?)|(?:^|[，,。\s我])住)"
                       r"[是：:]?\s*$")
_EVENT_CUE = re.compile(r"(?:在|位于|地点|地址|就是|发生在|门口|附近)[是：:]?\s*$")


def _location(text: str, citizen: list[tuple[int, int]]) -> tuple[Field, list[dict]]:
    found = find_addresses(text)
    if not found:
        return Field(None, None, 0.0), []

    def score(a) -> float:  # noqa: ANN001
        before = text[max(0, a.span[0] - 8):a.span[0]]
        s = min(a.pieces, 4) + (1.0 if _in(citizen, a.span[0]) else 0) + 0.3 * bool(a.district or a.street)
        if _HOME_CUE.search(before):
            s -= 10  # where the caller lives is not where the problem is, unless it is the only place
        if _EVENT_CUE.search(before):
            s += 1
        return s

    ranked = sorted(found, key=score, reverse=True)
    best = ranked[0]
    conf = min(0.95, 0.45 + 0.1 * best.pieces + (0.1 if best.district else 0))
    if len(ranked) > 1 and score(ranked[1]) >= score(best) - 0.5:
        conf -= 0.15  # two places of about equal weight: the agent should look
    others = [a.as_dict() for a in ranked[1:] if a.text != best.text]
    return Field(best.as_dict(), best.span, round(conf, 2)), others


# (cue, weight): an explicit "我要投诉" outweighs a question mark
_TYPE_CUES: dict[str, list[tuple[str, float]]] = {
    "投诉": [(r"投诉", 3), (r"不满|态度(?:差|恶劣|不好)|不作为|乱收费|推诿|扯皮|刁难|敷衍|拖欠|欠薪|扰民|噪音|噪声|太吵"
             r"|脏乱|臭味|异味|占道|乱停|乱象|坑|骗|强制|霸王|严重影响|无人管|没人管|置之不理", 1.5)],
    "举报": [(r"举报", 3), (r"违法|非法|违规|违章|违建|私自|偷排|偷倒|传销|黑作坊|无证|无照|贪污|受贿|造假|赌博|涉黄", 1.5)],
    "求助": [(r"求助|求救|救救|帮帮", 3), (r"帮忙|帮助|困难|被困|走投无路|无家可归|没饭吃|怎么办|急需|救助", 1.5)],
    "咨询": [(r"咨询|请问|问一下|想问|了解一下", 3), (r"是否|能否|可否|如何|怎么(?:办理|申请|处理|补|交|查)|哪里|什么时候"
             r"|多少|有没有|需要什么|流程|条件|[吗呢][？?]", 1.0)],
    "建议": [(r"建议|提议|提个意见", 3), (r"希望(?:增设|增加|设置|开通|修建|改善|加强)|应该|呼吁|可否考虑|能不能(?:增加|设置|开通)",
             1.2)],
    "表扬": [(r"表扬|感谢信|锦旗|点赞|好评|致谢", 3), (r"感谢|谢谢.{0,6}(?:帮助|解决|及时)|辛苦了|负责任|热心", 1.5)],
}
_TYPE_RE = {t: [(re.compile(p), w) for p, w in cues] for t, cues in _TYPE_CUES.items()}


def _request_type(norm: str, citizen: list[tuple[int, int]], title_end: int) -> Field:
    scores: dict[str, float] = {}
    first: dict[str, tuple[int, int]] = {}
    for t, cues in _TYPE_RE.items():
        for rx, w in cues:
            for m in rx.finditer(norm):
                if not _in(citizen, m.start()):
                    continue
                weight = w * (1.5 if m.start() < title_end else 1.0)
                scores[t] = scores.get(t, 0.0) + weight
                if t not in first or w >= 3 and first[t][0] > m.start():
                    first[t] = m.span()
    if not scores:
        return Field("咨询", None, 0.3)  # most hotline requests are questions (88 % in Beijing)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    top, s1 = ranked[0]
    s2 = ranked[1][1] if len(ranked) > 1 else 0.0
    conf = min(0.95, 0.4 + 0.5 * (s1 - s2) / (s1 + 1.0) + 0.05 * min(s1, 4))
    return Field(top, first[top], round(conf, 2))


_APPEAL = re.compile(r"希望|要求|请求|恳请|恳求|请(?:相关|有关|政府|领导|尽快|帮|给|你们|贵)|盼|呼吁|能否|能不能|可否|"
                     r"尽快(?:解决|处理|落实)|给(?:个|一个)?(?:说法|答复|解释)|还我|退还|赔偿")
_PROBLEM = re.compile(r"问题|投诉|举报|反映|不|没|坏|破|漏|堵|吵|臭|脏|乱|违|欠|拖|难|贵|危险|隐患|噪|停")


def _summary_appeal(text: str, sents: list[tuple[int, int]], title: tuple[int, int] | None) -> tuple[Field, Field]:
    appeal = Field(None, None, 0.0)
    for s, e in reversed(sents):  # the request usually closes the message
        if _APPEAL.search(text, s, e):
            appeal = Field(_clip(text[s:e]), (s, e), 0.75)
            break
    if title is not None:
        summary = Field(_clip(text[title[0]:title[1]]), title, 0.85)
    else:
        scored = [(len(_PROBLEM.findall(text[s:e])) - 0.5 * ((s, e) == appeal.span), -k, (s, e))
                  for k, (s, e) in enumerate(sents)]
        if scored:
            sc, _, (s, e) = max(scored)
            summary = Field(_clip(text[s:e]), (s, e), 0.6 if sc > 0 else 0.35)
        else:
            summary = Field(None, None, 0.0)
    return summary, appeal


def _clip(s: str, n: int = 120) -> str:
    s = s.strip().replace("_x000D_", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


_URGENCY: list[tuple[str, str, str | None]] = [
    ("特急", r"着火|起火|火灾|冒烟|爆炸|煤气泄漏|燃气泄漏|天然气泄漏|闻到煤气", "119"),
    ("特急", r"有人(?:受伤|晕倒|昏迷|落水|溺水|触电)|生命危险|快不行了|心脏病|大出血", "120"),
    ("特急", r"有人(?:打人|持刀|抢劫)|正在(?:打架|行凶|抢)|绑架|杀人", "110"),
    ("特急", r"车祸|交通事故|撞车|撞人", "122"),
    ("特急", r"坍塌|倒塌|塌方|被困电梯|困在电梯|电梯困人", None),
    ("紧急", r"紧急|十万火急|马上|立刻|立即|尽快|赶紧|急死|停水|停电|断水|断电|没(?:有)?暖气|漏水|水管爆|爆管|污水倒灌"
             r"|积水|危险|安全隐患|老人|孩子|小孩|孕妇|病人|残疾", None),
]
_URGENCY_RE = [(u, re.compile(p), n) for u, p, n in _URGENCY]


def _urgency(norm: str, citizen: list[tuple[int, int]]) -> tuple[Field, str | None]:
    for level, rx, number in _URGENCY_RE:
        for m in rx.finditer(norm):
            if _in(citizen, m.start()) and not re.search(r"(?:没有|不是|没|不)$", norm[max(0, m.start() - 2):m.start()]):
                hits = len(rx.findall(norm))
                return Field(level, m.span(), min(0.95, 0.7 + 0.1 * hits)), number
    return Field("一般", None, 0.6), None


_CONFIDENTIAL = re.compile(r"(?:不要|别|不能|请勿|不想)(?:对外|向他们|跟他们|给他们|让他们|向对方|跟对方)?(?:透露|泄露|公开|告诉|说出|暴露)"
                           r"(?:我的|我)?(?:信息|身份|姓名|名字|电话|号码|个人信息)?|(?:要求|请|需要|帮我)?保密|匿名|不想让.{1,8}知道"
                           r"|怕(?:被)?(?:报复|打击报复)")


def _confidential(norm: str, citizen: list[tuple[int, int]]) -> Field:
    for m in _CONFIDENTIAL.finditer(norm):
        if _in(citizen, m.start()):
            return Field(True, m.span(), 0.9)
    return Field(False, None, 0.7)


_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_REL = {"今天": 0, "今日": 0, "今晚": 0, "今早": 0, "今天早上": 0, "昨天": -1, "昨日": -1, "昨晚": -1, "昨夜": -1,
        "前天": -2, "大前天": -3}
_REL_WORDS = "|".join(sorted(map(re.escape, _REL), key=len, reverse=True)) + \
    "|上周|上个月|本周|这周|最近|近期|近日|这几天|每天晚上|每天|每晚|经常|长期"
_PERIOD = "凌晨|早上|上午|中午|下午|傍晚|晚上|半夜|夜里|深夜"
_CLOCK = r"(?:\d{1,2}|[一二三四五六七八九十两]{1,3})[点时](?:\d{1,2}分|半|多)?"
_TIME = re.compile(f"(?:{_REL_WORDS})(?:{_PERIOD})?(?:{_CLOCK})?|(?:{_PERIOD})(?:{_CLOCK})?|{_CLOCK}")


def _time(norm: str, citizen: list[tuple[int, int]], now: datetime) -> Field:
    for m in _DATE.finditer(norm):
        if not _in(citizen, m.start()):
            continue
        y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5), m.group(6))
        try:
            when = date(int(y) if y else now.year, int(mo), int(d))
        except ValueError:
            continue
        if not y and when > now.date():
            when = when.replace(year=now.year - 1)
        end = m.end()
        tail = _TIME.match(norm, end)
        if tail and tail.group():
            end = tail.end()
        return Field({"text": norm[m.start():end], "date": when.isoformat()}, (m.start(), end), 0.9)
    for m in _TIME.finditer(norm):
        if m.group() and len(m.group()) >= 2 and _in(citizen, m.start()):
            rel = next((v for k, v in sorted(_REL.items(), key=lambda kv: -len(kv[0])) if m.group().startswith(k)), None)
            when = (now.date() + timedelta(days=rel)).isoformat() if rel is not None else None
            return Field({"text": m.group(), "date": when}, m.span(), 0.8 if when else 0.55)
    return Field(None, None, 0.0)


def fill(text: str, *, now: datetime | None = None, title: str = "") -> FilledTicket:
    """Fill a ticket from a transcript or message. With `title` (a written message's subject), spans index
    `title + "\\n" + text`; without, they index `text`."""
    now = now or datetime.now()
    full = f"{title}\n{text}" if title else text
    title_span = (0, len(title)) if title else None
    norm = normalise(full)
    citizen = citizen_spans(full)
    sents = sentences(full, citizen)
    location, candidates = _location(full, citizen)
    summary, appeal = _summary_appeal(full, sents, title_span)
    urgency, emergency = _urgency(norm, citizen)
    return FilledTicket(
        caller_name=_caller_name(full, norm, citizen), contact=_contact(norm), location=location,
        request_type=_request_type(norm, citizen, len(title) if title else 0), summary=summary, appeal=appeal,
        urgency=urgency, confidential=_confidential(norm, citizen), time=_time(norm, citizen, now),
        location_candidates=candidates, emergency=emergency)
