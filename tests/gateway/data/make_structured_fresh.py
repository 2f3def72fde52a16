"""Write the fresh structured-identifier case set `structured_fresh.{dev,check}.jsonl` (see structured_fresh.md).

Every number is generated here with its check character computed by the rule of its standard (GB 11643 MOD 11-2,
GB 32100 MOD 31, GB 11714, GB/T 17710 MOD 11,10, Luhn), so no case holds a real person's number. The texts imitate
how people type: chat, form fields, OCR'd scans with full-width characters, separators inside numbers, identifiers
glued to Han text, letters and punctuation, several in one message, typos; traps carry no gold at all.

Templates are split, not cases: each template (one way of writing one kind of identifier) lands wholly in dev or in
check, alternating within its group, so check shows forms that dev does not.

    python tests/gateway/data/make_structured_fresh.py   # rewrites both files (seeded: the same output every run)
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
PER_TEMPLATE = 5
SEED = 20261129

# ------------------------------------------------------------------------------------------- check characters
ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
USCC_ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_W = [3, 7, 9, 10, 5, 8, 4, 2]
# real GB/T 2260 county-level codes (public administrative codes, not personal data)
REGIONS = ["110105", "110108", "310104", "310115", "440305", "440106", "330106", "510107", "420106", "320102",
           "370202", "610113", "500103", "120101", "350203", "430104", "410105", "210102", "130102", "530102"]
PLATE_PROV = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_LET = "ABCDEFGHJKLMNPQRSTUVWXYZ"
MOBILE_PREFIX = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "145", "147", "150", "151", "152",
                 "153", "155", "156", "157", "158", "159", "162", "166", "167", "170", "171", "173", "175", "176",
                 "177", "178", "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "192", "193",
                 "195", "196", "197", "198", "199"]
AREA = [("010", 8), ("021", 8), ("022", 8), ("023", 8), ("020", 8), ("0755", 8), ("0571", 8), ("028", 8),
        ("027", 8), ("025", 8), ("0531", 8), ("0371", 8), ("0898", 8), ("0931", 7), ("0851", 8), ("0379", 8)]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰"]


def id_check(body17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, ID_W)) % 11]


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_complete(body: str) -> str:
    for d in "0123456789":
        if luhn_ok(body + d):
            return body + d
    raise AssertionError


def org_check(body8: str) -> str:
    s = sum(int(c, 36) * w for c, w in zip(body8, ORG_W))
    c = 11 - s % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_check(body17: str) -> str:
    s = sum(USCC_ALPHA.index(c) * w for c, w in zip(body17, USCC_W))
    return USCC_ALPHA[(31 - s % 31) % 31]


def mod11_10_complete(body: str) -> str:
    """GB/T 17710 (ISO 7064 MOD 11,10), the check digit of the old 15-digit business registration number."""
    p = 10
    for c in body:
        s = (p % 11) + int(c)
        p = ((s % 10) or 10) * 2
    for d in range(10):
        if ((p % 11) + d) % 10 == 1:
            return body + str(d)
    raise AssertionError


# ------------------------------------------------------------------------------------------- value makers
def digits(r: random.Random, n: int) -> str:
    return "".join(r.choice("0123456789") for _ in range(n))


def birth(r: random.Random, lo: int = 1950, hi: int = 2008) -> str:
    return f"{r.randint(lo, hi)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"


def id18(r: random.Random, want_x: bool = False, region: str | None = None) -> str:
    while True:
        body = (region or r.choice(REGIONS)) + birth(r) + digits(r, 3)
        v = body + id_check(body)
        if not want_x or v.endswith("X"):
            return v


def id18_bad_check(r: random.Random) -> str:
    v = id18(r)
    return v[:17] + r.choice([c for c in "0123456789X" if c != v[17]])


def id18_bad_date(r: random.Random) -> str:
    """An 18-digit string shaped like an ID whose birth date cannot exist (month 13–19 or day 32–39)."""
    body = r.choice(REGIONS) + str(r.randint(1950, 2005)) + r.choice(
        [f"1{r.randint(3, 9)}{r.randint(1, 28):02d}", f"{r.randint(1, 12):02d}3{r.randint(2, 9)}"]) + digits(r, 3)
    return body + id_check(body)


def id15(r: random.Random) -> str:
    return r.choice(REGIONS) + birth(r, 1940, 1984)[2:] + digits(r, 3)


def mobile(r: random.Random) -> str:
    return r.choice(MOBILE_PREFIX) + digits(r, 8)


def landline(r: random.Random) -> tuple[str, str]:
    area, n = r.choice(AREA)
    return area, str(r.randint(2, 8)) + digits(r, n - 1)


def bank_card(r: random.Random, n: int | None = None, iin: str | None = None) -> str:
    n = n or r.choice([16, 19, 19, 17, 18])
    iin = iin or r.choice(["621226", "622848", "621700", "622202", "623058", "622588", "621483", "625965"])
    return luhn_complete(iin + digits(r, n - len(iin) - 1))


def not_luhn(r: random.Random, n: int, lead: str = "") -> str:
    while True:
        v = lead + str(r.randint(1, 9)) + digits(r, n - len(lead) - 1)
        if not luhn_ok(v):
            return v


def uscc(r: random.Random) -> str:
    org = "".join(r.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    org += org_check(org) if all(c.isdigit() or c.isupper() for c in org) else "0"
    body = r.choice(["91", "92", "93", "11", "12", "51", "52", "53", "Y1"]) + r.choice(REGIONS) + org
    return body + uscc_check(body)


def orgcode(r: random.Random) -> str:
    body = digits(r, 8)
    return body + "-" + org_check(body)


def reg15(r: random.Random) -> str:
    return mod11_10_complete(r.choice(REGIONS) + digits(r, 8))


def plate(r: random.Random, kind: str = "ord") -> str:
    p, o = r.choice(PLATE_PROV), r.choice(PLATE_LET[:12])
    al = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    if kind == "ord":
        serial = "".join(r.choice(al) for _ in range(5))
        if not any(c.isdigit() for c in serial):
            serial = serial[:4] + str(r.randint(0, 9))
    elif kind == "nev_small":
        serial = r.choice("DF") + r.choice(al) + digits(r, 4)
    elif kind == "nev_large":
        serial = digits(r, 5) + r.choice("DF")
    else:  # a special suffix: 挂 trailer, 学 driving school, 警 police
        serial = digits(r, 4) + kind
    return p + o + serial


def email(r: random.Random) -> str:
    user = r.choice(["zhangwei", "li.na", "wang_fang88", "liu-yang", "chen2019", "zhao.min+work", "sunli_1990",
                     "hy.zhou", "xiaoming.ma", "guo_jing"])
    dom = r.choice(["qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "gmail.com", "outlook.com",
                    "bj.gov.cn", "mail.tsinghua.edu.cn", "example.com.cn", "yeah.net", "aliyun.com"])
    if dom == "qq.com" and r.random() < 0.5:  # QQ mail: the user part is the QQ number
        user = str(r.randint(10000, 9999999999))
    return f"{user}@{dom}"


def ipv4(r: random.Random) -> str:
    return r.choice([f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}", f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
                     f"{r.randint(1, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
                     f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}"])


def hexgroup(r: random.Random, lo: int = 1, hi: int = 4) -> str:
    return "".join(r.choice("0123456789abcdef") for _ in range(r.randint(lo, hi))).lstrip("0") or "0"


def ipv6_full(r: random.Random) -> str:
    return ":".join("".join(r.choice("0123456789abcdef") for _ in range(4)) for _ in range(8))


def ipv6_short(r: random.Random) -> str:
    head = r.choice(["2001:db8", "240e", "2408:8207", "fe80", "2409:8a00", "2400:da00"])
    return head + "::" + ":".join(hexgroup(r) for _ in range(r.randint(1, 3)))


def mac(r: random.Random, sep: str = ":") -> str:
    return sep.join("".join(r.choice("0123456789ABCDEF") for _ in range(2)) for _ in range(6))


def imei(r: random.Random) -> str:
    return luhn_complete(r.choice(["35", "86", "35", "01"]) + digits(r, 12))


def name(r: random.Random) -> str:
    return r.choice(SURNAMES) + r.choice(GIVEN)


def fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in s)


def grouped(s: str, sizes: list[int], sep: str) -> str:
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(x for x in out if x)


# ------------------------------------------------------------------------------------------- templates
class E:
    """A gold span inside a template: the value as it is written in the text, and its evaluation type."""

    def __init__(self, value: str, type_: str) -> None:
        self.value, self.type = value, type_


Template = Callable[[random.Random], list]
TEMPLATES: list[tuple[str, str, Template]] = []  # (group, name, fn)


def tpl(group: str):
    def deco(fn: Template) -> Template:
        TEMPLATES.append((group, fn.__name__, fn))
        return fn
    return deco


# --- 身份证
@tpl("id_card")
def id_form_field(r):
    return [f"姓名：{name(r)}\n性别：{r.choice('男女')}\n公民身份号码：", E(id18(r), "id_card"), "\n户籍地：本市"]


@tpl("id_card")
def id_chat_glued(r):
    return [r.choice(["师傅您好，我", "你好我", "麻烦查一下，我", ""]), r.choice(["身份证", "身份证号", "证件号"]),
            E(id18(r), "id_card"), r.choice(["，谢谢", "帮我查下社保", "。", "能不能办"])]


@tpl("id_card")
def id_x_lower(r):
    v = id18(r, want_x=True)
    v = v[:17] + r.choice("xX")
    return [r.choice(["身份证尾号是X的那个：", "我的证件号码是", "ID:"]), E(v, "id_card"), r.choice(["，", " 麻烦了", "！"])]


@tpl("id_card")
def id_spaced(r):
    v = id18(r)
    return [r.choice(["身份证号：", "身份证 ", "证件号码 "]),
            E(grouped(v, [6, 8, 4], r.choice([" ", "-", " "])), "id_card"), r.choice(["", "，请核对。", "。"])]


@tpl("id_card")
def id_fullwidth_ocr(r):
    return [r.choice(["公民身份号码　", "身份证号码：", "居民身份证："]), E(fullwidth(id18(r)), "id_card"),
            r.choice(["　签发机关：公安分局", "", "（复印件）"])]


@tpl("id_card")
def id15_old(r):
    return [r.choice(["老身份证是15位的：", "旧版身份证号", "原身份证号码（15位）"]), E(id15(r), "id_card"),
            r.choice(["，现在还能用吗", "，已升位", "。"])]


@tpl("id_card")
def id_no_context_sentence(r):
    return [f"{name(r)}，", E(id18(r), "id_card"), r.choice(["，住朝阳区", "，男，汉族", "，联系我"])]


@tpl("id_card")
def id_typo_context(r):
    bad = r.choice([id18_bad_check, id18_bad_date])(r)
    return [r.choice(["身份证号", "申请人身份证号码：", "身份证："]), E(bad, "id_card"),
            r.choice(["（可能输错了一位）", "", "，请帮忙核实"])]


@tpl("id_card")
def id_residence_permit(r):
    return [r.choice(["居住证号码：", "我办的居住证号是", "居住证 "]), E(id18(r), "id_card"),
            r.choice(["，有效期到2028年", "", "，签注过了"])]


@tpl("id_card")
def id_hmt_residence(r):
    region = r.choice(["810000", "820000", "830000"])
    return [r.choice(["港澳台居民居住证号码：", "台湾居民居住证", "港澳居民居住证公民身份号码 "]),
            E(id18(r, region=region), "id_card"), r.choice(["。", "，办理社保", ""])]


@tpl("id_card")
def id_two_people(r):
    return [f"申请人{name(r)}（", E(id18(r), "id_card"), f"）与配偶{name(r)}（", E(id18(r), "id_card"), "）共同申请"]


@tpl("id_card")
def id_english_label(r):
    return [r.choice(["ID No.: ", "Citizen ID:", "id_number="]), E(id18(r), "id_card"), r.choice(["; ", "", "&type=1"])]


# --- 军官证 / 士兵证
@tpl("military_id")
def military_officer(r):
    return [r.choice(["军官证号：", "军官证 ", "证件类型：军官证，号码："]),
            E(r.choice("南北沈兰广成济空海参政后装") + "字第" + digits(r, r.choice([7, 8])) + "号", "military_id"),
            r.choice(["", "。", "，已退役"])]


@tpl("military_id")
def military_soldier(r):
    return [r.choice(["士兵证号码", "士兵证：", "文职干部证号 "]),
            E(r.choice("南北沈兰广成济") + "字第" + digits(r, 8), "military_id"), r.choice(["号", "号，", "号。"])]


@tpl("military_id")
def military_armed_police(r):
    return [r.choice(["武警警官证号：", "警官证 ", "军官证号码:"]),
            E(r.choice(["武字第", "武警字第", "军字第"]) + digits(r, 7), "military_id"), r.choice(["", "号", "。"])]


@tpl("military_id")
def military_retired(r):
    return [r.choice(["退役军人优待证号：", "退休干部证：", "军官证(旧)："]),
            E(r.choice("南北空海") + "字第" + digits(r, 7) + "号", "military_id"), "，申请优待"]


# --- 护照
@tpl("passport")
def passport_cn_e(r):
    v = "E" + digits(r, 8)
    return [r.choice(["护照号码：", "护照号", "我的护照是"]), E(v, "passport"), r.choice(["，下周出境", "", "。"])]


@tpl("passport")
def passport_cn_e_letter(r):
    v = "E" + r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits(r, 7)
    return [r.choice(["护照：", "Passport No. ", "新护照号"]), E(v, "passport"), r.choice(["", "（2019年换发）", "，谢谢"])]


@tpl("passport")
def passport_official(r):
    v = r.choice("PSD") + digits(r, 7)
    return [r.choice(["因公护照号：", "公务护照", "外交护照号码 "]), E(v, "passport"), "，出访审批表已填"]


@tpl("passport")
def passport_foreign(r):
    v = r.choice([digits(r, 9), "C" + "".join(r.choice("0123456789CFGHJKLMNPRTVWXYZ") for _ in range(8)),
                  r.choice("KMPX") + digits(r, 8), "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + digits(r, 7)])
    return [r.choice(["外籍人员护照号：", "Passport number:", "外国人护照号码 "]), E(v, "passport"),
            r.choice(["，国籍美国", " (USA)", "，办理工作许可"])]


@tpl("passport")
def passport_old_g(r):
    return [r.choice(["旧护照号", "护照（旧版）："]), E("G" + digits(r, 8), "passport"), "，已过期"]


@tpl("passport")
def passport_glued_letters(r):
    return ["证件类型:护照;证件号:", E("E" + digits(r, 8), "passport"), r.choice([";国籍:CHN", "|CHN", ";"])]


# --- 港澳台通行证
@tpl("hkmt_permit")
def permit_home_return(r):
    return [r.choice(["回乡证号码：", "港澳居民来往内地通行证 ", "回乡卡号"]),
            E(r.choice("HM") + digits(r, 8), "hkmt_permit"), r.choice(["", "，香港居民", "。"])]


@tpl("hkmt_permit")
def permit_home_return_old(r):
    return [r.choice(["旧回乡证：", "回乡证(旧)号码"]), E(r.choice("HM") + digits(r, 10), "hkmt_permit"),
            r.choice(["（换证前）", ""])]


@tpl("hkmt_permit")
def permit_taiwan(r):
    return [r.choice(["台胞证号码：", "台湾居民来往大陆通行证号：", "台胞证 "]), E(digits(r, 8), "hkmt_permit"),
            r.choice(["，在厦门工作", "", "。"])]


@tpl("hkmt_permit")
def permit_to_hk(r):
    v = r.choice(["C" + digits(r, 8), "C" + r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits(r, 7)])
    return [r.choice(["往来港澳通行证号", "港澳通行证：", "港澳通行证号码 "]), E(v, "hkmt_permit"),
            r.choice(["，签注要续", "", "。"])]


@tpl("hkmt_permit")
def permit_taiwan_old(r):
    return ["台胞证(旧版)：", E(digits(r, 10) + r.choice(["(B)", "(A)"]), "hkmt_permit"), "，已换新"]


@tpl("hkmt_permit")
def permit_in_list(r):
    return [f"随行人员：{name(r)}，回乡证", E("H" + digits(r, 8), "hkmt_permit"), f"；{name(r)}，港澳通行证",
            E("C" + digits(r, 8), "hkmt_permit"), "。"]


# --- 驾驶证
@tpl("driver_license")
def driver_file_no(r):
    return [r.choice(["驾驶证档案编号：", "档案编号", "驾照档案号 "]), E(digits(r, 12), "driver_license"),
            r.choice(["，扣了6分", "", "。"])]


@tpl("driver_license")
def driver_number_is_id(r):
    return [r.choice(["驾驶证号：", "驾照号码", "驾驶证证号 "]), E(id18(r), "driver_license"), r.choice(["，准驾车型C1", "", "。"])]


@tpl("driver_license")
def driver_spaced_file(r):
    return ["机动车驾驶证 档案编号 ", E(grouped(digits(r, 12), [4, 4, 4], " "), "driver_license"), " 准驾车型 C1"]


@tpl("driver_license")
def driver_chat(r):
    return [r.choice(["师傅我驾照", "我的驾驶证号是", "帮我查一下驾驶证"]), E(id18(r), "driver_license"),
            r.choice(["还剩几分", "有没有违章", "能否年审"])]


# --- 社保卡
@tpl("social_security")
def social_card_no(r):
    return [r.choice(["社保卡号：", "社会保障卡卡号", "社保卡卡号 "]),
            E(r.choice([r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits(r, 8), digits(r, 9)]), "social_security"),
            r.choice(["，挂失了", "", "。"])]


@tpl("social_security")
def social_security_number(r):
    return [r.choice(["社会保障号码：", "社保号", "个人社保编号 "]), E(id18(r), "social_security"),
            r.choice(["，缴费年限", "", "。"])]


@tpl("social_security")
def social_medical_card(r):
    return [r.choice(["医保卡号", "医保卡卡号：", "社保卡号码:"]),
            E(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits(r, 8), "social_security"), r.choice(["报销被拒", "，", "。"])]


@tpl("social_security")
def social_form_line(r):
    return ["参保人：", name(r), "；社保卡号：", E(digits(r, 9), "social_security"), "；参保地：本市"]


# --- 外国人永久居留身份证
def foreign_new(r: random.Random) -> str:
    body = "9" + r.choice(["11", "31", "44", "32", "33"]) + r.choice(["840", "826", "392", "410", "276", "250"]) + birth(r) + digits(r, 3)
    return body + id_check(body)


@tpl("foreigner_id")
def foreign_permanent_new(r):
    return [r.choice(["外国人永久居留身份证号码：", "永居证号 ", "外国人永久居留证："]), E(foreign_new(r), "foreigner_id"),
            r.choice(["，美国籍", "", "。"])]


@tpl("foreigner_id")
def foreign_permanent_old(r):
    v = r.choice(["USA", "GBR", "JPN", "KOR", "DEU", "FRA"]) + r.choice(["11", "31", "44"]) + birth(r)[2:] + digits(r, 4)
    return [r.choice(["外国人永久居留证（旧版）号码 ", "绿卡号：", "永久居留证号"]), E(v, "foreigner_id"), r.choice(["", "。", "，已换新"])]


# --- 统一社会信用代码 / 营业执照注册号 / 组织机构代码
@tpl("credit_code")
def uscc_form(r):
    return [r.choice(["统一社会信用代码：", "信用代码 ", "纳税人识别号："]), E(uscc(r), "credit_code"),
            r.choice(["\n法定代表人：" + name(r), "", "。"])]


@tpl("credit_code")
def uscc_chat_glued(r):
    return [r.choice(["我们公司代码", "营业执照上的代码是", "企业"]), E(uscc(r), "credit_code"),
            r.choice(["，要开发票", "帮忙查下", "，谢谢"])]


@tpl("credit_code")
def uscc_lower_spaced(r):
    v = uscc(r)
    v = r.choice([v.lower(), grouped(v, [2, 6, 9], " "), grouped(v, [6, 6, 6], " ")])
    return ["统一社会信用代码 ", E(v, "credit_code"), r.choice(["（手抄）", "", "。"])]


@tpl("credit_code")
def uscc_fullwidth(r):
    return ["统一社会信用代码：", E(fullwidth(uscc(r)), "credit_code"), "　名称：某某科技有限公司"]


@tpl("credit_code")
def reg_number_old(r):
    return [r.choice(["营业执照注册号：", "注册号 ", "工商注册号"]), E(reg15(r), "credit_code"), r.choice(["（三证合一前）", "", "。"])]


@tpl("credit_code")
def org_code_old(r):
    return [r.choice(["组织机构代码：", "组织机构代码证 ", "机构代码"]), E(orgcode(r), "credit_code"), r.choice(["", "。", "，已换证"])]


@tpl("credit_code")
def uscc_in_sentence(r):
    return ["经查，某某商贸有限公司（统一社会信用代码", E(uscc(r), "credit_code"), "）未按期申报。"]


@tpl("credit_code")
def uscc_no_context(r):
    return ["供应商：某某建设工程有限公司 ", E(uscc(r), "credit_code"), " 联系人：" + name(r)]


# --- 车牌
@tpl("license_plate")
def plate_chat(r):
    return [r.choice(["我的车", "车牌号", "车牌"]), E(plate(r), "license_plate"), r.choice(["被贴条了", "，停在小区门口", "的违章"])]


@tpl("license_plate")
def plate_dot(r):
    v = plate(r)
    return ["机动车号牌：", E(v[:2] + r.choice(["·", "•", " ", "-"]) + v[2:], "license_plate"), r.choice(["", "。", "，白色轿车"])]


@tpl("license_plate")
def plate_nev_small(r):
    return [r.choice(["新能源车", "绿牌", "电车牌照"]), E(plate(r, "nev_small"), "license_plate"), r.choice(["充电桩被占", "，", "。"])]


@tpl("license_plate")
def plate_nev_large(r):
    return [r.choice(["新能源公交车", "大型新能源车号牌", "货车"]), E(plate(r, "nev_large"), "license_plate"), r.choice(["乱停", "，", "。"])]


@tpl("license_plate")
def plate_lowercase(r):
    v = plate(r)
    return [r.choice(["举报", "投诉", "这辆车"]), E(v[0] + v[1:].lower(), "license_plate"), r.choice(["占用消防通道", "违停", "乱鸣笛"])]


@tpl("license_plate")
def plate_special(r):
    return [r.choice(["挂车号牌", "教练车", "车辆"]), E(plate(r, r.choice(["挂", "学"])), "license_plate"),
            r.choice(["在路上掉货", "", "。"])]


@tpl("license_plate")
def plate_two(r):
    return ["两车相撞：", E(plate(r), "license_plate"), "与", E(plate(r, "nev_small"), "license_plate"), "，无人受伤。"]


@tpl("license_plate")
def plate_fullwidth(r):
    v = plate(r)
    return ["车牌号码：", E(v[0] + fullwidth(v[1:]), "license_plate"), "（扫描件）"]


# --- 银行卡
@tpl("bank_card")
def bank_plain(r):
    return [r.choice(["银行卡号：", "补贴请打到", "卡号"]), E(bank_card(r), "bank_card"), r.choice(["，开户行工商银行", "", "上"])]


@tpl("bank_card")
def bank_grouped(r):
    v = bank_card(r, 19)
    return [r.choice(["收款账号 ", "账号：", "银行卡 "]), E(grouped(v, [4, 4, 4, 4], r.choice([" ", "-", " "])), "bank_card"),
            r.choice(["（农业银行）", "", "。"])]


@tpl("bank_card")
def bank_visa_master(r):
    v = bank_card(r, 16, r.choice(["4", "51", "52", "53"]))
    return [r.choice(["信用卡", "信用卡号：", "Visa卡"]), E(v, "bank_card"), r.choice(["被盗刷", "", "，请冻结"])]


@tpl("bank_card")
def bank_no_luhn_context(r):
    v = not_luhn(r, 19, "62")
    return [r.choice(["银行卡号", "社保卡银行账号：", "开户账号 "]), E(v, "bank_card"), r.choice(["（抄的可能有误）", "", "。"])]


@tpl("bank_card")
def bank_fullwidth(r):
    return ["收款人：", name(r), "　卡号：", E(fullwidth(bank_card(r)), "bank_card"), "　开户行：建设银行"]


@tpl("bank_card")
def bank_no_context(r):
    return [f"{name(r)} ", E(bank_card(r, 19, "62"), "bank_card"), r.choice([" 中国银行", " 工行", "，转账"])]


@tpl("bank_card")
def bank_glued_tail(r):
    v = bank_card(r)
    return ["卡号尾号", v[-4:], "，完整卡号", E(v, "bank_card"), r.choice(["就是这个", "。", "谢谢"])]


@tpl("bank_card")
def bank_and_phone(r):
    return ["退款账户", E(bank_card(r), "bank_card"), "，户名", name(r), "，手机", E(mobile(r), "phone")]


# --- 电话
@tpl("phone")
def mobile_plain(r):
    return [r.choice(["我手机", "电话", "联系方式："]), E(mobile(r), "phone"), r.choice(["，随时打", "", "谢谢"])]


@tpl("phone")
def mobile_344(r):
    v = mobile(r)
    return [r.choice(["手机号 ", "联系电话：", "电话是"]), E(grouped(v, [3, 4, 4], r.choice([" ", "-", " "])), "phone"),
            r.choice(["", "（微信同号）", "。"])]


@tpl("phone")
def mobile_intl(r):
    v = mobile(r)
    return [r.choice(["Tel: ", "WhatsApp ", "电话 "]),
            E(r.choice(["+86", "+86 ", "0086", "+86-", "(+86)", "86-"]) + r.choice([v, grouped(v, [3, 4, 4], " ")]), "phone"),
            r.choice(["", ".", "，海外来电"])]


@tpl("phone")
def mobile_fullwidth(r):
    v = mobile(r)
    return [r.choice(["手机：", "联系电话　"]), E(fullwidth(r.choice([v, grouped(v, [3, 4, 4], " ")])), "phone"), "　（手写表格）"]


@tpl("phone")
def mobile_several(r):
    return ["联系人", name(r), E(mobile(r), "phone"), r.choice(["/", "、", "或"]), E(mobile(r), "phone"), "，晚上打后一个"]


@tpl("phone")
def mobile_glued_letters(r):
    return [r.choice(["tel:", "Mob", "phone="]), E(mobile(r), "phone"), r.choice(["&name=x", "ok", ";"])]


@tpl("phone")
def mobile_brackets(r):
    return [f"{name(r)}（", E(mobile(r), "phone"), "）反映：楼道灯坏了"]


@tpl("phone")
def mobile_dot(r):
    v = mobile(r)
    return ["电话", E(grouped(v, [3, 4, 4], "."), "phone"), r.choice(["，", "。", ""])]


@tpl("phone")
def landline_dash(r):
    a, n = landline(r)
    return [r.choice(["办公电话：", "座机", "固话 "]), E(f"{a}-{n}", "phone"), r.choice(["", "。", "，工作日"])]


@tpl("phone")
def landline_paren(r):
    a, n = landline(r)
    return [r.choice(["电话：", "Tel ", "联系电话"]), E(r.choice([f"({a}){n}", f"（{a}）{n}", f"({a}) {n}"]), "phone"), r.choice(["", "。"])]


@tpl("phone")
def landline_ext(r):
    a, n = landline(r)
    return ["总机", E(f"{a}-{n}", "phone"), r.choice(["转", "-", " ext. "]), str(r.randint(100, 8999)), "，找" + name(r)]


@tpl("phone")
def landline_intl(r):
    a, n = landline(r)
    return [r.choice(["Tel: ", "电话 "]), E(f"+86 {a[1:]} {grouped(n, [4, 4], ' ')}", "phone"), r.choice(["", "; Fax: —"])]


@tpl("phone")
def landline_spaced(r):
    a, n = landline(r)
    return ["家里电话", E(f"{a} {grouped(n, [4, 4], ' ')}", "phone"), r.choice(["，", "。", "有人"])]


@tpl("phone")
def landline_glued(r):
    a, n = landline(r)
    return ["请回电", E(a + n, "phone"), r.choice(["谢谢", "，", "！"])]


# --- e-mail
@tpl("email")
def email_chat(r):
    return [r.choice(["邮箱", "发我邮箱", "E-mail:"]), E(email(r), "email"), r.choice(["，谢谢", "就行", "。"])]


@tpl("email")
def email_glued_han(r):
    return [r.choice(["材料发到", "请联系"]), E(email(r), "email"), r.choice(["或者打电话", "处理", "邮箱"])]


@tpl("email")
def email_brackets(r):
    return [f"{name(r)} <", E(email(r), "email"), ">"]


@tpl("email")
def email_fullwidth_at(r):
    v = email(r)
    return ["邮箱：", E(v.replace("@", r.choice(["＠", "@"])), "email"), "（全角）" if "＠" in v else "。"]


@tpl("email")
def email_two(r):
    return ["抄送", E(email(r), "email"), r.choice(["；", ",", "、"]), E(email(r), "email")]


@tpl("email")
def email_mailto(r):
    return ["<a href=\"mailto:", E(email(r), "email"), "\">联系我们</a>"]


# --- IP
@tpl("ip")
def ipv4_plain(r):
    return [r.choice(["登录IP：", "IP地址 ", "来源ip"]), E(ipv4(r), "ip"), r.choice(["，异常登录", "", "。"])]


@tpl("ip")
def ipv4_port(r):
    return [r.choice(["服务地址 ", "访问", "http://"]), E(ipv4(r), "ip"), ":" + str(r.choice([80, 8080, 443, 3306, 22])),
            r.choice(["/login", "", " 打不开"])]


@tpl("ip")
def ipv4_fullwidth(r):
    v = ipv4(r)
    return ["ＩＰ：", E(r.choice([fullwidth(v), v.replace(".", "。")]), "ip"), r.choice(["（截图识别）", ""])]


@tpl("ip")
def ipv4_glued(r):
    return [r.choice(["我的ip是", "IP", "地址"]), E(ipv4(r), "ip"), r.choice(["被封了", "，", "连不上"])]


@tpl("ip")
def ipv6_full_t(r):
    v = ipv6_full(r)
    return [r.choice(["IPv6地址：", "ipv6 "]), E(r.choice([v, v.upper()]), "ip"), r.choice(["", "。"])]


@tpl("ip")
def ipv6_compressed(r):
    return [r.choice(["IPv6：", "登录地址", "源地址 "]), E(ipv6_short(r), "ip"), r.choice(["，", "。", ""])]


@tpl("ip")
def ipv6_bracket_port(r):
    return ["访问 http://[", E(ipv6_short(r), "ip"), "]:" + str(r.choice([80, 8443])), "/ 报错"]


@tpl("ip")
def ipv6_mapped(r):
    return ["日志：client=", E("::ffff:" + ipv4(r), "ip"), r.choice([" status=403", ";"])]


@tpl("ip")
def ipv6_zone(r):
    return ["网关", E("fe80::" + hexgroup(r) + ":" + hexgroup(r) + r.choice(["%eth0", "%en0", "%12"]), "ip"), "无法ping通"]


@tpl("ip")
def ip_two(r):
    return ["从", E(ipv4(r), "ip"), "跳到", E(ipv4(r), "ip"), "后断开"]


# --- MAC
@tpl("mac")
def mac_colon(r):
    v = mac(r, ":")
    return [r.choice(["MAC地址：", "mac ", "物理地址"]), E(r.choice([v, v.lower()]), "mac"), r.choice(["", "。", "，已绑定"])]


@tpl("mac")
def mac_dash(r):
    return [r.choice(["物理地址. . . : ", "网卡MAC "]), E(mac(r, "-"), "mac"), r.choice(["", "（ipconfig）"])]


@tpl("mac")
def mac_cisco(r):
    v = mac(r, "").lower()
    return ["交换机表项 ", E(".".join([v[0:4], v[4:8], v[8:12]]), "mac"), " Gi0/1"]


@tpl("mac")
def mac_bare(r):
    return [r.choice(["MAC:", "设备MAC地址"]), E(mac(r, ""), "mac"), r.choice(["，", "。"])]


# --- IMEI
@tpl("imei")
def imei_plain(r):
    return [r.choice(["IMEI：", "手机串号", "IMEI号 "]), E(imei(r), "imei"), r.choice(["，手机丢了", "", "。"])]


@tpl("imei")
def imei_grouped(r):
    v = imei(r)
    return [r.choice(["IMEI ", "串号："]), E(grouped(v, [2, 6, 6], r.choice(["-", " "])), "imei"), r.choice(["", "（包装盒）"])]


@tpl("imei")
def imei_two(r):
    return ["IMEI1：", E(imei(r), "imei"), " IMEI2：", E(imei(r), "imei")]


@tpl("imei")
def imei_meid(r):
    return [r.choice(["设备识别码IMEI", "手机的IMEI码是"]), E(imei(r), "imei"), r.choice(["，被盗", "，请定位"])]


# --- mixed messages (several types in one text)
@tpl("mixed")
def mixed_hotline(r):
    a, n = landline(r)
    return [f"来电人{name(r)}，身份证", E(id18(r), "id_card"), "，手机", E(mobile(r), "phone"), "，车牌", E(plate(r), "license_plate"),
            "，反映停车场收费问题。"]


@tpl("mixed")
def mixed_form(r):
    return [f"姓名：{name(r)}\n证件号码：", E(id18(r), "id_card"), "\n电子邮箱：", E(email(r), "email"), "\n开户账号：",
            E(bank_card(r), "bank_card")]


@tpl("mixed")
def mixed_enterprise(r):
    return ["企业名称：某某餐饮管理有限公司；统一社会信用代码：", E(uscc(r), "credit_code"), "；联系电话：", E(mobile(r), "phone"), "；法人身份证：",
            E(id18(r), "id_card")]


@tpl("mixed")
def mixed_it(r):
    return ["终端", E(mac(r, "-"), "mac"), "（IP ", E(ipv4(r), "ip"), "）的使用人手机", E(mobile(r), "phone")]


@tpl("mixed")
def mixed_ocr(r):
    return ["姓名　", name(r), "　身份证号　", E(fullwidth(id18(r)), "id_card"), "　电话　", E(fullwidth(mobile(r)), "phone")]


@tpl("mixed")
def mixed_travel(r):
    return ["出行人", name(r), "护照", E("E" + digits(r, 8), "passport"), "，港澳通行证", E("C" + digits(r, 8), "hkmt_permit"),
            "，手机", E(mobile(r), "phone")]


# --- traps: nothing here is personal
def trap_text(r: random.Random, kind: str) -> str:
    if kind == "order":
        return r.choice(["订单号：", "淘宝订单编号 ", "订单"]) + digits(r, r.choice([18, 19])) + r.choice(["，还没发货", "", "退款中"])
    if kind == "tracking":
        return r.choice([f"顺丰单号SF{digits(r, 13)}", f"中通快递{r.choice(['75', '78'])}{digits(r, 12)}",
                         f"EMS单号E{r.choice('ABCDEFGHJKLMN')}{digits(r, 9)}CN", f"圆通YT{digits(r, 13)}"]) + r.choice(["到哪了", "，显示已签收", ""])
    if kind == "wenhao":
        org = r.choice(["国办发", "京政发", "粤府办", "浙政发", "财税", "人社部发"])
        return f"根据《关于进一步做好就业工作的通知》（{org}〔{r.randint(2015, 2026)}〕{r.randint(1, 120)}号）"
    if kind == "date":
        return r.choice([f"{r.randint(2015, 2026)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}{r.randint(0, 23):02d}{r.randint(0, 59):02d}{r.randint(0, 59):02d}",
                         f"{r.randint(2015, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} {r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}",
                         f"{r.randint(2015, 2026)}年{r.randint(1, 12)}月{r.randint(1, 28)}日"]) + r.choice(["受理", "来电", "办结"])
    if kind == "amount":
        return r.choice([f"合同金额{r.randint(1, 999)},{r.randint(100, 999)},{r.randint(100, 999)}.{r.randint(10, 99)}元",
                         f"总投资{digits(r, 1)}{r.randint(1, 9)}{digits(r, 9)}元", f"¥{r.randint(1000, 99999)}.00"])
    if kind == "isbn":
        return r.choice([f"ISBN 978-7-{r.randint(100, 999)}-{r.randint(10000, 99999)}-{r.randint(0, 9)}", f"ISBN：978{digits(r, 10)}"])
    if kind == "version":
        return r.choice([f"系统版本号 {r.randint(1, 12)}.{r.randint(0, 9)}.{r.randint(1000, 30000)}.{r.randint(100, 9999)}",
                         f"请升级到v{r.randint(1, 5)}.{r.randint(0, 20)}.{r.randint(0, 30)}版本",
                         f"版本号：V{r.randint(1, 9)}.{r.randint(0, 9)}.{r.randint(0, 9)}.{r.randint(0, 9)}"])
    if kind == "bad18":
        return r.choice(["编号", "流水号", "序号 ", ""]) + r.choice([id18_bad_check, id18_bad_date])(r) + r.choice(["已归档", "。", ""])
    if kind == "bad_card":
        return r.choice(["业务编号", "受理号 ", "单据号"]) + not_luhn(r, r.choice([16, 17, 19])) + r.choice(["", "。"])
    if kind == "invoice":
        return r.choice([f"发票代码{digits(r, 12)}，发票号码{digits(r, 8)}", f"数电发票号码：{r.randint(24, 26)}{digits(r, 18)}"])
    if kind == "ticket":
        return r.choice([f"工单编号：{r.randint(2024, 2026)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}{digits(r, 6)}",
                         f"12345工单GD{r.randint(2024, 2026)}{digits(r, 8)}已办结"])
    if kind == "drug":
        return f"药品批准文号：国药准字{r.choice('HZSJB')}{r.randint(19, 20)}{digits(r, 6)}"
    if kind == "icp":
        return r.choice([f"{r.choice('京沪浙粤')}ICP备{digits(r, 8)}号", f"{r.choice('京沪浙粤')}B2-{r.randint(2005, 2024)}{digits(r, 4)}",
                         f"京公网安备{r.choice(REGIONS)}{digits(r, 8)}号"])
    if kind == "case_no":
        return f"（{r.randint(2018, 2026)}）{r.choice('京沪粤浙')}{r.choice(['0105', '0101', '0304', '01'])}{r.choice(['民初', '刑初', '行初', '执'])}{r.randint(100, 99999)}号判决书"
    if kind == "standard":
        return r.choice(["依据GB 11643-1999", "参照GB/T 2260-2007", "执行GB 32100-2015", "按GB/T 9704-2012排版", "见JJF 1059.1-2012"])
    if kind == "section":
        return f"详见第{r.randint(1, 9)}.{r.randint(1, 9)}.{r.randint(1, 9)}.{r.randint(1, 9)}条的规定"
    if kind == "flight":
        return r.choice([f"乘坐{r.choice(['CA', 'MU', 'CZ', 'HU'])}{r.randint(1000, 9999)}航班", f"G{r.randint(1, 9999)}次列车",
                         f"座位号{r.randint(1, 16)}车{r.randint(1, 20)}{r.choice('ABCDF')}座"])
    if kind == "hotline":
        return r.choice(["拨打12345政务服务便民热线", "请拨110报警", "医保咨询12393", "消费投诉12315", "供电热线95598"])
    if kind == "postcode":
        return f"邮编{r.randint(100000, 850000)}，" + r.choice(["邮寄到单位", "寄挂号信"])
    if kind == "coords":
        return f"经纬度：{r.uniform(73, 135):.6f},{r.uniform(18, 53):.6f}"
    if kind == "uuid":
        h = lambda n: "".join(r.choice("0123456789abcdef") for _ in range(n))  # noqa: E731
        return f"请求ID {h(8)}-{h(4)}-4{h(3)}-a{h(3)}-{h(12)} 失败"
    if kind == "time":
        return r.choice([f"{r.randint(8, 17)}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}开始", f"比分{r.randint(0, 5)}:{r.randint(0, 5)}",
                         f"{r.randint(8, 11)}:00-{r.randint(12, 18)}:00办公"])
    if kind == "stock":
        return r.choice([f"股票代码{r.choice(['600', '000', '300', '688'])}{digits(r, 3)}", f"{r.randint(600000, 603999)}.SH"])
    if kind == "serial":
        return r.choice([f"设备序列号SN:{''.join(r.choice('0123456789ABCDEFGHJKLMNPQRSTUVWXYZ') for _ in range(12))}",
                         f"产品型号DS-{r.randint(1000, 9999)}{r.choice('ABCDEF')}-{r.randint(10, 99)}"])
    if kind == "stats":
        return f"全市常住人口{r.randint(1000, 3000)}.{r.randint(1, 9)}万人，GDP{r.randint(10000, 49999)}.{r.randint(10, 99)}亿元，同比增长{r.randint(1, 9)}.{r.randint(1, 9)}%"
    if kind == "contract":
        return r.choice([f"合同编号：HT-{r.randint(2020, 2026)}-{digits(r, 6)}", f"招标编号{r.choice(REGIONS)}{r.randint(2020, 2026)}{digits(r, 5)}",
                         f"项目代码{r.randint(2020, 2026)}-{r.choice(REGIONS)}-{r.randint(10, 99)}-{r.randint(1, 3):02d}-{digits(r, 6)}"])
    raise KeyError(kind)


TRAP_KINDS = ["order", "tracking", "wenhao", "date", "amount", "isbn", "version", "bad18", "bad_card", "invoice",
              "ticket", "drug", "icp", "case_no", "standard", "section", "flight", "hotline", "postcode", "coords",
              "uuid", "time", "stock", "serial", "stats", "contract"]


def _trap(kind: str) -> Template:
    def fn(r):
        return [trap_text(r, kind)]
    fn.__name__ = f"trap_{kind}"
    return fn


for _k in TRAP_KINDS:
    TEMPLATES.append(("trap", f"trap_{_k}", _trap(_k)))


# ------------------------------------------------------------------------------------------- writing
def render(parts: list) -> dict:
    text, ents = "", []
    for p in parts:
        if isinstance(p, E):
            ents.append({"text": p.value, "type": p.type, "start": len(text), "end": len(text) + len(p.value)})
            text += p.value
        else:
            text += p
    return {"text": text, "entities": ents}


def build() -> dict[str, list[dict]]:
    r = random.Random(SEED)
    out: dict[str, list[dict]] = {"dev": [], "check": []}
    seen_in_group: dict[str, int] = defaultdict(int)
    for group, tname, fn in TEMPLATES:
        split = ("dev", "check")[seen_in_group[group] % 2]
        seen_in_group[group] += 1
        texts = set()
        k = 0
        while k < PER_TEMPLATE:
            row = render(fn(r))
            if row["text"] in texts:
                continue
            texts.add(row["text"])
            out[split].append({"id": f"{tname}:{k}", "template": tname, "group": group, **row})
            k += 1
    return out


def main() -> None:
    for split, rows in build().items():
        path = HERE / f"structured_fresh.{split}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{path.name}: {len(rows)} cases, {sum(len(x['entities']) for x in rows)} identifiers, "
              f"{sum(1 for x in rows if not x['entities'])} traps")


if __name__ == "__main__":
    main()
