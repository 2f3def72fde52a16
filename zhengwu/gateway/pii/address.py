"""Addresses down to building and room.

An address is a chain: [province][city][district/county] [town/street office] street (路/街/大道/巷/弄/胡同…)
[number 号] [estate 小区/花园/大厦…] [building 栋/幢/号楼] [unit 单元] [floor 层/楼] [room 室].
The administrative head (province/city/district) identifies no one and may be kept (keep_region=True);
everything below it is masked. A place name alone (我在北京) is not an address.
"""

from __future__ import annotations

import re

from zhengwu.gateway.pii.base import Explanation, Finding, LazyPattern, Pattern

# A Han character that can be part of a place name: excludes particles and function words that glue clauses
# together (的了和与或及…), so a match cannot run across a sentence.
_NOT_IN_NAMES = "的了与或及是对从将等以其之这那并且但若则即应须会能要得着所者不也就还被把"
H = f"[^\\x00-\\u4dff\\u9fa6-\\U0010ffff{_NOT_IN_NAMES}]"
NUM = "(?:[0-9]{1,5}|[一二三四五六七八九十百零〇]{1,4})"
# Administrative units: province, autonomous region, city (not 市场, 城市广场), prefecture, district, county, banner.
# A district's name holds no town, village or road after its first character (濮院镇二区 is a town and a part of
# it; 镇海区 and 路桥区 are districts); 小区/社区/园区 or a numbered 二区 are parts of an estate, not districts; a
# district named by a direction has a one-character stem (河西区, 城北区, 市中区): 辕门北区 is an estate's block.
_HD = f"[^\\x00-\\u4dff\\u9fa6-\\U0010ffff{_NOT_IN_NAMES}镇乡村路街]"
ADMIN = (f"(?:{H}{{1,7}}?(?:省|自治区|特别行政区)|{H}{{1,6}}?(?:自治州|地区|盟)|{H}{{1,6}}?市(?!场|广场)"
         f"|(?:{H}[东西南北中]|{H}{_HD}{{0,4}}?(?<![小社园景校厂业发一二三四五六七八九十东西南北中]))区"
         f"|{H}{{1,6}}?(?:自治县|县|旗))")
TOWN = f"(?:{H}{{1,6}}?(?:街道|镇|乡))"
STREET = f"(?:{H}{{1,7}}?(?:大道|大街|路|街|巷|弄|胡同|里(?=[0-9]))(?:[东西南北中][段路])?)"
ESTATE = f"(?:{H}{{2,10}}?(?:小区|花园|大厦|公寓|家园|新村|苑|广场|大楼|社区|村|院|城|园))"
# a named compound before its building number (建国路88号院3号楼, 天河路385号太古汇1座) belongs to the address too
TAIL = (f"(?:{NUM}(?:号楼|栋|幢|座|号院|区)|{NUM}单元|{NUM}(?:层|楼)|{NUM}(?:室|房|户)|{NUM}号"
        f"|{H}{{1,8}}?{NUM}(?:号楼|栋|幢|座)|[A-Za-z]{NUM}?(?:栋|座|室)|(?<=[元楼层栋座幢])[0-9]{{3,4}}(?![0-9]))")
HEAD_BOUNDARY = ("(?:(?<![\u4e00-\u9fff])|(?<=住)|(?<=址)|(?<=在)|(?<=于)|(?<=到)|(?<=往)|(?<=自)|(?<=至)|(?<=是)"
                 "|(?<=为)|(?<=居)|(?<=籍)|(?<=寄)|(?<=送)|(?<=从)|(?<=搬)|(?<=去)|(?<=来)|(?<=所地))")

_FULL = LazyPattern(
    HEAD_BOUNDARY
    + "(?!地址|住址|住所|户籍|位于|[住在于到往自至是为居籍寄送从搬去来址所])"
    + f"(?:{ADMIN}){{0,4}}{TOWN}?"
    + f"(?:{STREET}(?:{NUM}(?:号院|号|弄|巷))?|{ESTATE})"
    + f"(?:{ESTATE})?"
    + f"(?:[\\-－]?{TAIL}){{0,5}}"
)
_REGION = LazyPattern(f"^(?:{ADMIN}){{1,4}}")
_CONTEXT = ("地址", "住址", "住在", "家住", "居住在", "住所地：", "住所地:", "住:", "住：", "位于", "现住", "寄到",
            "送到", "搬到", "address")
_ANCHOR = LazyPattern(f"{NUM}(?:号|栋|幢|单元|室|层|楼)|(?:路|街|道|巷|弄|胡同|里)[0-9]|地址|住址|住在|家住|位于|现住"
                         "|住[:：]|小区|大街|大道|胡同|花园|大厦|公寓|家园|新村")
_INNER_CUE = LazyPattern("(?:.*)(?:住在|家住|居住在|位于|地址[:：]?|住址[:：]?|住)")
# After an explicit address cue the whole clause is the address, whatever its shape (浙江省慈溪市掌起镇工业区9号,
# 钱农三路30号b栋1200, 新湖武林国际11幢9单元517): it ends at punctuation, a space, a phone-length digit run or
# the cue of another field — or a question word: "回湖南老家住 广州医保异地备案怎么弄" asks about a matter, and its
# 弄 is the verb "to do", not a lane; an address named before the question word is still masked, up to it
# ("家住天河区车陂路12号怎么办居住证": 天河区车陂路12号). In a clause that asks, the address ends at 的 when no
# address part follows it: "住在X的Y…吗" asks about the Y who lives at X ("住在敬老院的五保老人每月有零用钱吗"
# masked 敬老院的五保老人每月有零用钱, and the Q&A searched "住在 吗 给多少"); there X is masked however short.
# A clause that does not ask keeps the whole clause ("家住宝城的阿梁去年办了张信用卡").
_ASKING = r"怎么|怎样|如何|咋[办弄样整]|什么|多少|哪里|哪儿|能不能|可不可以|要不要|有没有|吗"
_ADDRESS_CHARS = "[省市区县旗镇乡村路街道巷弄号栋幢楼层单元室苑园院城厦寓]"
_CUE_VALUE = LazyPattern(r"(?:通讯地址|收货地址|家庭住址|户籍地址|住所地|居住在|地址|住址|家住|现住|住在)(?:是|为|在)?[:：]?\s*")
_CUE_VALUE_END = LazyPattern(r"[，,。；;！!？?\s（(]|[0-9]{7}|电话|手机|联系|邮编|身份证|姓名|邮箱"
                             r"|" + _ASKING)
_ADDRESS_CHAR = LazyPattern(_ADDRESS_CHARS)
# the clause ended at a question word, not at punctuation or another field's cue
_ASKS = LazyPattern(_ASKING)
# 的 not followed by an address part or a number before the question word (…京溪街道的云景花园3栋 goes on)
_OF = LazyPattern(f"的(?![^的]{{0,12}}?(?:[0-9]|{_ADDRESS_CHARS}))")
_PARTS = LazyPattern(f"{NUM}(?:号楼|栋|幢|座|单元|层|楼|室|房|号)")
_STREET_RX = LazyPattern(STREET + "$|" + STREET + "(?=[0-9])")


# -- addresses without a cue: a chain of parts below the district --------------------------------------------
# Written from the 21 element types of the shared address.train.jsonl (town, community, road, roadno, poi, subpoi,
# houseno, cellno, floorno, roomno …) and fitted on that file only; the dev file is for reporting.
_POI_SUFFIX = ("小区|花园|大厦|公寓|家园|新村|苑|广场|大楼|社区|新城|园区|工业区|工业园|开发区|科技园|产业园|商城|商厦|商场|市场|"
               "中心|基地|厂房|仓库|厂|有限公司|公司|医院|卫生院|小学|中学|大学|学校|幼儿园|宾馆|酒店|超市|菜场|店|山庄|庄|"
               "公馆|湾|坊|阁|轩|庭|邸|墅|村委会|居委会|项目部|营业部|营业点|批发部|门市|专卖店|药房|大门|东门|西门|南门|北门|后门|"
               "东区|西区|南区|北区|一区|二区|三区|四区|五区|六区|七区|八区|九区|十区|校区|大酒店|楼|座|期")
# the first characters of those suffixes: a lazy name is tried against the suffix list only where one can start
_POI_FIRST = "[" + "".join(sorted({w[0] for w in _POI_SUFFIX.split("|")})) + "]"
# Place names in a chain may hold characters that are function words elsewhere (会源路, 派出所, 能仁寺)
HC = "[^\\x00-\\u4dff\\u9fa6-\\U0010ffff的了与或及是对从将等以其之这那并且但若则即应须被把]"
_SEG = "|".join([
    f"{HC}{{2,6}}?(?=[街镇乡])(?:街道|镇|乡)",                                  # town (a two-character name at least)
    f"{HC}{{2,6}}?(?=[村居])(?:村委会|村|居委会)(?:{NUM}(?:组|队|社))?",          # village (+ village group 3组)
    f"{HC}{{2,7}}?(?=[大路街巷弄胡])(?:大道|大街|路|街|巷|弄|胡同)(?:[东西南北中][段路]|[东西南北中](?=[0-9]))?"
    f"(?:{NUM}(?:号院|号|弄|巷)|[0-9]{{1,5}}(?![0-9号]))?",                        # road (+ number, 登云路793)
    f"{NUM}(?:组|队|社)|{HC}{{1,4}}村民小组",                                   # village group
    f"{HC}{{2,12}}?(?={_POI_FIRST})(?:{_POI_SUFFIX})",                          # POI / estate / company
    f"{HC}{{2,10}}?(?=[A-Za-z]?[0-9]{{1,5}}(?:[\\-－]{{1,2}}|一)[0-9])",         # an estate before its 12-1058 number
    f"{HC}{{2,8}}?(?=[A-Za-z][区座栋幢](?:[0-9]|{NUM}(?:号楼|栋|幢|座)))",          # an estate before its lettered block (南下朱A区60栋)
    f"(?P<wing>{HC}{{1,4}}?(?=[0-9]{{1,3}}(?:号楼|楼|层|栋|幢|座)))",           # a wing before its floor (南塔14楼)
    f"(?<![0-9]){NUM}(?:号楼|号院|栋|幢|座|单元|层|楼|室|房|户|号|弄|巷|区|街)",   # numbered part
    "负?[一二三四五六七八九十]{1,3}(?:楼|层)|(?<![0-9])[0-9]{1,2}[Ff](?![A-Za-z])",  # floor
    # building letters (B座, A520) and dashed numbers (12-159, 53-6号)
    "[A-Za-z]{1,2}[0-9]{0,5}(?:栋|座|区|室|号)?(?=[0-9\u4e00-\u9fff_\\-]|$)|(?<![0-9])[A-Za-z]?[0-9]{1,5}(?:(?:[\\-－]{1,2}|一)[0-9]{1,5}){1,2}号?(?![0-9])",
    # a room after its building/unit (…4单元679) or right after the estate or block (置信广场2514, 龙翔大厦3316)
    "(?<=[元栋幢座楼号区层_\\-场厦寓苑])[0-9]{3,5}(?![0-9年月日万元个人次%])",
])
_CONNECT = "(?:与|和|跟|交叉口|交汇处|路口|口|附近|旁|对面|内|[_\\-－ ])?"
# a chain starts after a non-Han character (not the bracket of a document number 国办发〔2019〕51号), an address verb
# (住在, 寄到 …) or an administrative unit (…萧山区新街镇)
_CHAIN_BOUNDARY = "(?:(?<![\u4e00-\u9fff0-9A-Za-z/〕\\]】])|(?<=[住址在于到往自至是为居籍寄送从搬去来省市区县旗州]))"
_CHAIN = LazyPattern(
    _CHAIN_BOUNDARY + "(?!地址|住址|住所|户籍|位于|[住在于到往自至是为居籍寄送从搬去来址所])"
    # a connector (与, 交叉口, 旁 …) only between two parts: one at the end would leave the tail below unreachable
    + f"(?:{ADMIN}){{0,4}}(?:{_SEG})(?:{_CONNECT}(?:{_SEG.replace('(?P<wing>', '(?:')})){{0,9}}"
    # a shop, firm or room right after the last part ends the address (…145号南天电器, 附新路佳圣电器, 5单元地下室,
    # 新东村村委会, 交汇处恒大御景半岛): up to the end of the clause
    + f"(?P<shop>(?<=[0-9号栋幢座室楼层元路街道巷弄镇村]){_CONNECT}{HC}{{2,10}}(?=$|[，,。；;！!？?\\s（(]))?")
_SEG_RX = LazyPattern(_SEG)
_NUMBERED = LazyPattern(f"[0-9]|^{NUM}(?:组|队|社|号|栋|幢|座|单元|层|楼|室)|^负?[一二三四五六七八九十]{{1,3}}(?:楼|层)$")
# where a chain can be: a numbered part, or a village / town / road name right after an administrative unit (two
# patterns that each begin with a character class, which the regex engine scans for quickly)
_CHAIN_ANCHORS = (LazyPattern("[0-9一二三四五六七八九十](?:号|栋|幢|座|单元|室|层|楼|组|队|弄|-)"),
                  LazyPattern(f"[市县区](?={HC}{{2,6}}?(?:镇|乡|街道|村|路|街|大道))"),
                  LazyPattern("[路街道巷弄厦场](?=[0-9]{2,5}(?![0-9年月日]))"))  # 香樟西大道1404…, 置信广场2514


def region_prefix_len(address: str) -> int:
    """Length of the leading administrative part (province/city/district) of an address string."""
    m = _REGION.match(address)
    return m.end() if m else 0


class AddressRecognizer:
    entity = "address"
    name = "CnAddressRecognizer"
    patterns = (Pattern("address_full", _FULL.pattern, 0.45),)
    prefilter = re.compile("[路街道巷弄胡同区村苑园院城厦寓号栋幢室]")

    def __init__(self) -> None:
        self._pre = self.prefilter

    def _windows(self, text: str) -> list[tuple[int, int]]:
        """Where an address can be: around a numbered part (12号, 3栋, 801室), a street suffix followed by a
        number, or an address cue. The full pattern runs only there, which keeps long texts fast."""
        wins: list[tuple[int, int]] = []
        for m in _ANCHOR.finditer(text):
            a, b = max(0, m.start() - 40), min(len(text), m.end() + 50)
            if wins and a <= wins[-1][1]:
                wins[-1] = (wins[-1][0], b)
            else:
                wins.append((a, b))
        return wins

    def _matches(self, text: str):
        seen_end = -1
        for a, b in self._windows(text):
            for m in _FULL.finditer(text, max(a, seen_end), b):
                seen_end = m.end()
                yield m

    def _cued(self, text: str) -> list[Finding]:
        """The clause after an address cue, as one address (score 0.95: it outranks a shorter pattern hit)."""
        out: list[Finding] = []
        for m in _CUE_VALUE.finditer(text):
            s = m.end()
            end = _CUE_VALUE_END.search(text, s, s + 60)
            e = end.start() if end else min(len(text), s + 60)
            of = _OF.search(text, s, e) if end and _ASKS.fullmatch(end.group(0)) else None
            if of:
                e = of.start()
            value = text[s:e]
            if e - s < (2 if of else 4) or not _ADDRESS_CHAR.search(value):
                continue
            out.append(Finding(entity=self.entity, start=s, end=e, text=value, score=0.95, recognizer=self.name,
                               pattern="address_after_cue", validated=None,
                               explanation=Explanation(self.name, "address_after_cue", 0.95,
                                                       context_words=[m.group(0).strip()],
                                                       notes=["the clause after an address cue"])))
        return out

    def analyze(self, text: str, threshold: float = 0.5, prefiltered: bool = False) -> list[Finding]:
        if not prefiltered and not self.prefilter.search(text):
            return []
        out = self._cued(text)
        cued = [(f.start, f.end) for f in out]
        for m in self._matches(text):
            s, e = m.span()
            if any(a <= s and e <= b for a, b in cued):
                continue
            cut = _INNER_CUE.search(text, s, e)
            if cut:
                s = cut.end()
            value = text[s:e]
            if e - s < 4:
                continue
            expl = Explanation(recognizer=self.name, pattern_name="address_full", original_score=0.45)
            score = 0.45
            region = region_prefix_len(value)
            tail = value[region:]
            if region:
                score += 0.1
                expl.notes.append("administrative head " + value[:region])
            parts = len(_PARTS.findall(tail))
            if parts:
                score += min(0.4, 0.2 * parts)
                expl.notes.append(f"{parts} number/building/room part(s)")
            elif _STREET_RX.search(tail):
                # a street without number: an address only in an address context (地址在海淀中关村大街)
                score -= 0.1
            else:
                # an estate/village/compound name alone (…幼儿园, 人民法院) needs an address context
                score -= 0.25
            before = text[max(0, s - 6):s]
            seen = [w for w in _CONTEXT if w in before] + (["住"] if before.endswith("住") and not before.endswith("居住") else [])
            if seen:
                expl.context_words = seen
                score = max(score + 0.35, 0.6)
            if len(tail) < 2:
                continue
            score = min(score, 0.99)
            if score >= threshold:
                out.append(Finding(entity=self.entity, start=s, end=e, text=value, score=round(score, 4),
                                   recognizer=self.name, pattern="address_full", validated=None, explanation=expl))
        for m in self._chain_matches(text):
            f = self._chain_finding(text, m)
            if f is not None and f.score >= threshold:
                out.append(f)
        return _merge(out, text)

    def _chain_matches(self, text: str):
        seen_end = -1
        for a, b in self._chain_windows(text):
            for m in _CHAIN.finditer(text, max(a, seen_end), b):
                seen_end = m.end()
                yield m

    def _chain_windows(self, text: str) -> list[tuple[int, int]]:
        wins: list[tuple[int, int]] = []
        hits = sorted(m.start() for rx in _CHAIN_ANCHORS for m in rx.finditer(text))
        for h in hits:
            a, b = max(0, h - 30), min(len(text), h + 42)
            if wins and a <= wins[-1][1]:
                wins[-1] = (wins[-1][0], b)
            else:
                wins.append((a, b))
        return wins

    def _chain_finding(self, text: str, m: re.Match[str]) -> Finding | None:
        """A run of parts below the district (town, village, group, road, number, POI, building, floor, room) is an
        address when one of two or more parts is numbered (12号, 3组, 5栋, 4单元679), when a numbered part is
        followed by a shop (…145号南天电器), or, with no number, when the run follows an administrative head
        (诸暨市店口镇XX村); a single named place (人民政府, 中关村大街) is not."""
        s, e = m.span()
        cut = _INNER_CUE.search(text, s, e)
        if cut:
            s = cut.end()
        while e > s and text[e - 1] in "与和跟口旁内_-－ ":
            e -= 1
        value = text[s:e]
        region = region_prefix_len(value)
        first = _SEG_RX.match(value, region)
        if first and first.lastgroup == "wing":
            # a name before a floor number opens no address (共有14栋楼); after a building it is its wing
            s += first.end()
            value = text[s:e]
            region = 0
        tail = value[region:]
        # the parts are counted before the shop: its name (…统一组织) is no part of the evidence
        shop_at = m.start("shop") - s if m.group("shop") else len(value)
        segs = [x.group(0) for x in _SEG_RX.finditer(value, region, max(region, shop_at))]
        shop = len(segs) == 1 and not tail.endswith(segs[0]) and _NUMBERED.search(segs[0])
        if len(tail) < 4 or (len(segs) < 2 and not shop):
            return None
        numbered = [x for x in segs if _NUMBERED.search(x)]
        expl = Explanation(recognizer=self.name, pattern_name="address_chain", original_score=0.5,
                           notes=[f"{len(segs)} parts below the district, {len(numbered)} numbered"])
        if numbered:
            score = 0.6 + 0.1 * min(len(numbered), 3)
        elif len(tail) < len(value):
            # no number: only under an administrative head (诸暨市店口镇亭凉树下村, 宁波市海曙区解放南路天元大厦);
            # 乡镇人民政府, 城市道路和公路 in a law are not addresses
            score = 0.55
        else:
            return None
        return Finding(entity=self.entity, start=s, end=e, text=value, score=round(score, 4), recognizer=self.name,
                       pattern="address_chain", validated=None, explanation=expl)


def _merge(findings: list[Finding], text: str) -> list[Finding]:
    """Overlapping or touching address findings are one address: their union, with the best score and reasons."""
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if out and f.start <= out[-1].end:
            last = out[-1]
            if f.end > last.end:
                best = last if last.score >= f.score else f
                merged = Finding(entity=last.entity, start=last.start, end=f.end, text=text[last.start:f.end],
                                 score=max(last.score, f.score), recognizer=last.recognizer, pattern=best.pattern,
                                 validated=None, explanation=best.explanation)
                out[-1] = merged
            continue
        out.append(f)
    return out
