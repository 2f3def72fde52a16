"""Chinese addresses in free text: find them and split them into province / city / district / street (乡镇街道) /
community (社区、村) / detail, each with the span it came from.

Why a small gazetteer and suffix rules rather than a library: jionlp weighs ~218 MB and the address parsers on
PyPI pull in pandas. The administrative divisions down to district level (GB/T 2260 codes, 3,500 names) come from
the MIT-licensed cpca package (data/regions.txt, licence beside it); below that level names are open-ended, so
suffix rules (街道/镇/乡, 社区/村, 路/街/巷, 号/栋/单元/室, 小区/大厦…) find them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ELEMENTS = ("province", "city", "district", "street", "community", "detail")

_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_CITY_SUFFIXES = ("市", "地区", "盟")
_DISTRICT_SUFFIXES = ("新区", "区", "县", "市", "旗")
# a stripped name that is a common word or too generic to stand alone as a place
_GENERIC = {"城区", "郊区", "矿区", "新区", "市中", "城中", "城关", "城东", "城西", "城南", "城北", "市辖", "中心", "开发",
            "高新", "经济", "工业", "东区", "西区", "南区", "北区", "中区", "河东", "河西", "江北", "江南", "新华",
            "新城", "长安", "和平", "白云", "向阳", "平安", "永定", "海州", "桥东", "桥西", "普陀", "南山", "宝山",
            "朝阳", "通州", "鼓楼", "城厢", "红旗", "铁东", "铁西", "东风", "前进", "胜利", "友谊", "建设", "光明",
            "青山", "东山", "西山", "北山", "南湖", "西湖", "东湖", "安宁", "长春", "大同", "吉安", "龙泉", "金山"}

_STREET = ("街道办事处", "街道", "镇", "乡")
_COMMUNITY = ("社区", "村委会", "村委", "村", "居委会")
_ROAD = ("大道", "大街", "路", "街", "巷", "弄", "胡同", "道")
_PLACE = ("小区", "花园", "家园", "公寓", "大厦", "广场", "苑", "庭", "府", "城", "园区", "工业园", "开发区", "市场",
          "商场", "医院", "学校", "中学", "小学", "幼儿园", "大学", "公园", "车站", "地铁站", "站", "宿舍", "楼盘", "中心")
_NUMBER = re.compile(r"(?:[A-Za-z]?[0-9０-９一二三四五六七八九十百零〇两]+[-－—]?)+"
                     r"(?:号楼|号院|号|弄|栋|幢|座|单元|楼|层|室|户|组|期|区)")
# characters that end a place name when reading leftwards from its suffix (function words, pronouns, verbs)
_STOP = set("我你他她它们在住是于的了到从与向把被给让去说请问有这那个就也还又再很已要会能想因所以但而及或等将位"
            "没不该您喂嗯啊吧呢吗哦")
_MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市", "北京", "天津", "上海", "重庆"}
_LETTER_ADMIN = re.compile(r"[A-Z][0-9]{0,2}(?:市|区|县)")
_MAX_NAME = 10


@dataclass
class _Region:
    code: str
    name: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        if self.code.endswith("00"):
            return "city"
        return "district"


@dataclass
class Piece:
    kind: str  # province city district street community road number place
    start: int
    end: int
    text: str
    codes: tuple[str, ...] = ()
    weak: bool = False  # a short alias ("海淀" for 海淀区): counts only beside other pieces


@dataclass
class Address:
    """A parsed address: element values (some inferred from the division codes), the spans of those found in
    the text, and the whole address's span."""

    text: str
    span: tuple[int, int]
    province: str = ""
    city: str = ""
    district: str = ""
    street: str = ""
    community: str = ""
    detail: str = ""
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    inferred: list[str] = field(default_factory=list)
    pieces: int = 0

    def as_dict(self) -> dict:
        return {"text": self.text, "span": list(self.span), **{k: getattr(self, k) for k in ELEMENTS},
                "spans": {k: list(v) for k, v in self.spans.items()}, "inferred": list(self.inferred)}


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, list[_Region]], dict[str, _Region], int]:
    """alias -> regions, code -> region, longest alias length."""
    by_code: dict[str, _Region] = {}
    aliases: dict[str, list[_Region]] = {}
    path = Path(__file__).parent / "data" / "regions.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, name = line.split("\t")
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        r = _Region(code, name)
        by_code[code] = r
        names = {name}
        suffixes = {"province": _PROVINCE_SUFFIXES, "city": _CITY_SUFFIXES, "district": _DISTRICT_SUFFIXES}[r.level]
        for suf in suffixes:
            if name.endswith(suf) and len(name) - len(suf) >= 2:
                short = name[: -len(suf)]
                if r.level != "district" or short not in _GENERIC:
                    names.add(short)
                break
        for n in names:
            aliases.setdefault(n, []).append(r)
    return aliases, by_code, max(len(a) for a in aliases)


def _parent_codes(code: str) -> tuple[str, str]:
    return code[:2] + "0000", code[:4] + "00"


@lru_cache(maxsize=1)
def _starts() -> frozenset[str]:
    """The first two characters of every alias: most positions of a text start none (a set lookup skips them)."""
    return frozenset(a[:2] for a in _gazetteer()[0])


def _admin_at(text: str, i: int) -> Piece | None:
    aliases, _, longest = _gazetteer()
    lengths = range(min(longest, len(text) - i), 1, -1) if text[i:i + 2] in _starts() else ()
    for n in lengths:
        regions = aliases.get(text[i:i + n])
        if regions:
            levels = {r.level for r in regions}
            kind = "district" if "district" in levels and len(levels) > 1 and n > 2 else regions[0].level
            full = any(r.name == text[i:i + n] for r in regions)
            # "北京" / "广东" are unmistakable; a short district name is not
            weak = not full and (kind == "district" or n <= 2 and kind != "province")
            return Piece(kind, i, i + n, text[i:i + n], tuple(r.code for r in regions), weak=weak)
    m = _LETTER_ADMIN.match(text, i)
    if m:  # anonymised data ("A市A3区") and letter-coded places
        kind = "city" if m.group().endswith("市") else "district"
        return Piece(kind, i, m.end(), m.group())
    return None


_SUFFIX_KIND = [(s, "street") for s in _STREET] + [(s, "community") for s in _COMMUNITY] + \
               [(s, "road") for s in _ROAD] + [(s, "place") for s in _PLACE]
_SUFFIX_RE = re.compile("|".join(sorted((re.escape(s) for s, _ in _SUFFIX_KIND), key=len, reverse=True)))
_KIND_OF = dict(_SUFFIX_KIND)


def _name_start(text: str, end_of_name: int, floor: int) -> int:
    """Read leftwards from a suffix over name characters, stopping at function words, punctuation or `floor`."""
    j = end_of_name
    while j > floor and end_of_name - j < _MAX_NAME:
        ch = text[j - 1]
        if ch in _STOP or not (ch.isalnum() or "\u4e00" <= ch <= "\u9fff"):
            break
        j -= 1
    return j


def pieces(text: str) -> list[Piece]:
    """Every address piece in `text`, left to right, not overlapping."""
    out: list[Piece] = []
    i, n = 0, len(text)
    starts = _starts()
    while i < n:
        p = None
        if text[i:i + 2] in starts or "A" <= text[i] <= "Z":
            p = _admin_at(text, i)
        if p is None and out and out[-1].end == i and (m := _NUMBER.match(text, i)):
            p = Piece("number", i, m.end(), m.group())
        if p is not None:
            out.append(p)
            i = p.end
            continue
        i += 1
    # named pieces by suffix, placed in the gaps between the ones found so far
    named: list[Piece] = []
    for m in _SUFFIX_RE.finditer(text):
        s, e = m.start(), m.end()
        if any(p.start < e and s < p.end and not (p.weak and p.end > s) for p in out):
            continue
        before = [p for p in out + named if p.end <= s]
        start = _name_start(text, s, max([p.end for p in before] + [0]))
        if start == s and before and before[-1].weak:  # "太平街道": the short alias was the name
            start = _name_start(text, s, max([p.end for p in before[:-1]] + [0]))
        if start == s:  # a bare suffix ("路" alone, "在村里") is not a place
            continue
        kind = _KIND_OF[m.group()]
        if kind == "place" and s - start < 2:
            continue
        named.append(Piece(kind, start, e, text[start:e]))
    # a short alias inside a named piece was part of that name ("北镇" in 瓯北镇)
    out = [p for p in out if not (p.weak and any(q.start < p.end and p.start < q.end for q in named))]
    out = sorted(out + named, key=lambda p: p.start)
    # numbers right after a named piece ("幸福路12号3栋"), where nothing else was found
    numbered: list[Piece] = []
    for k, p in enumerate(out):
        numbered.append(p)
        j, nxt = p.end, out[k + 1].start if k + 1 < len(out) else n
        while (m := _NUMBER.match(text, j)) and m.end() <= nxt:
            numbered.append(Piece("number", j, m.end(), m.group()))
            j = m.end()
    return numbered


def _runs(text: str, ps: list[Piece]) -> list[list[Piece]]:
    """Touching pieces form one address; one joining character may sit between them ("宁波市_江东区")."""
    runs: list[list[Piece]] = []
    for p in ps:
        gap = p.start - runs[-1][-1].end if runs else -1
        if runs and (gap == 0 or gap == 1 and text[p.start - 1] in " _-·"):
            runs[-1].append(p)
        else:
            runs.append([p])
    return [r for r in runs if not all(p.weak for p in r) and not (len(r) == 1 and r[0].kind == "number")]


def _build(text: str, run: list[Piece]) -> Address:
    _, by_code, _ = _gazetteer()
    s, e = run[0].start, run[-1].end
    a = Address(text=text[s:e], span=(s, e), pieces=len(run))
    chosen: dict[str, str] = {}  # level -> code
    detail_start = None
    for p in run:
        if p.kind == "province" and p.text in _MUNICIPALITIES and ("province" in a.spans or p.text.endswith("市")):
            p.kind = "city"  # 上海市 is a province-level city: "上海市闵行区" names it as the city
        if p.kind in ("province", "city", "district") and p.kind not in a.spans and detail_start is None:
            codes = list(p.codes)
            for lvl in ("province", "city"):  # keep the division consistent with what came before
                if lvl in chosen:
                    same = [c for c in codes if _parent_codes(c)[0 if lvl == "province" else 1] == chosen[lvl]
                            or c[:2] == chosen[lvl][:2] and lvl == "province"]
                    codes = same or codes
            if codes:
                chosen[p.kind] = codes[0]
                region = by_code[codes[0]]
                setattr(a, p.kind, region.name)
            else:
                setattr(a, p.kind, p.text)
            a.spans[p.kind] = (p.start, p.end)
        elif p.kind in ("street", "community") and p.kind not in a.spans and detail_start is None:
            setattr(a, p.kind, p.text)
            a.spans[p.kind] = (p.start, p.end)
        else:
            if detail_start is None:
                detail_start = p.start
    if detail_start is not None:
        a.detail = text[detail_start:e]
        a.spans["detail"] = (detail_start, e)
    # fill the higher divisions from the codes (海淀区 → 北京市; 江东区 + 宁波市 → 浙江省)
    low = chosen.get("district") or chosen.get("city")
    if low:
        prov, city = _parent_codes(low)
        if not a.province and prov in by_code:
            a.province = by_code[prov].name
            a.inferred.append("province")
        if a.city in _MUNICIPALITIES and not a.province:
            a.province = a.city
            a.inferred.append("province")
        if not a.city and "district" in chosen and city in by_code and city != prov:
            a.city = by_code[city].name
            a.inferred.append("city")
        elif not a.city and "district" in chosen and by_code.get(prov) and by_code[prov].name.endswith("市"):
            a.city = by_code[prov].name  # 直辖市
            a.inferred.append("city")
    return a


def find_addresses(text: str) -> list[Address]:
    """All addresses in free text, in order of appearance."""
    return [_build(text, r) for r in _runs(text, pieces(text))]


def parse(text: str) -> dict:
    """Parse one address string (the whole input is expected to be an address); returns Address.as_dict() of
    the richest address found, or empty elements with `text` when nothing is recognised."""
    found = find_addresses(text)
    if not found:
        return Address(text=text.strip(), span=(0, len(text))).as_dict() | {"span": None}
    best = max(found, key=lambda a: (a.pieces, len(a.text)))
    return best.as_dict()
