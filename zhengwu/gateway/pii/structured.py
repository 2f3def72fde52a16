"""Recognisers for structured identifiers: ID numbers (and the documents that carry them), credit codes, phones,
bank cards, plates, passports, permits, military / social-security / driving-licence / foreigner IDs, IMEI, MAC,
e-mail and IP addresses. Patterns use lookarounds, never `\\b` (see base.py)."""

from __future__ import annotations

import ipaddress
import re

from zhengwu.gateway.pii import validators as v
from zhengwu.gateway.pii.base import Explanation, Pattern, PatternRecognizer, _contains_any

# One separator allowed between digit groups: space, dash or the middle dot.
S = r"[ \-]?"
ND = r"(?<![0-9])"            # not preceded by a digit
NA = r"(?<![0-9A-Za-z])"      # not preceded by an ASCII alphanumeric
ED = r"(?![0-9])"
EA = r"(?![0-9A-Za-z])"


def lead(first: str, rest: str, guard: str = "[0-9]") -> str:
    """`first` (one character or class), not preceded by `guard`, then `rest`. The same as a lookbehind before
    `first`, but a pattern that begins with a character (class) lets the regex engine skip ahead to candidates
    instead of trying every position: 4–10x faster on long texts."""
    return first + f"(?<!{guard}[\\s\\S])" + rest


# Shared cheap prefilters: the registry tests each once per text, and skips every recogniser whose
# prefilter fails (most Chinese paragraphs have no run of 7 digits at all).
LONG_DIGITS = r"\d(?:[ \-.]?\d){6}"
# the region code whole (…350100…) or a credit code read out in groups of four (9135 0100 …)
REGION_DIGITS = r"\d{6}|\d{4}[ \-]\d{4}"
# the names of the documents whose numbers need them as context (军官证, 社保卡, 驾驶证, IMEI …): one search for all
DOCUMENT_WORDS = r"字第|军|兵证|文职|武警|警官|社保|社会保障|医保|驾驶证|驾照|档案编号|IMEI|imei|Imei|MEID|meid|串号|识别码|设备号"

# Words right before a number that make it an order/record/version number rather than personal data.
NUMBER_NEGATIVE = ("订单", "单号", "流水号", "运单", "快递单", "快递号", "order", "#", "编号", "工号", "版本", "version",
                   "hash", "commit", "发票", "批次", "合同号", "文号", "calculate", "计算", "等于", "sku")
# An operand is a short number (2, 100, (3): "13800000000 / 2 = …" is arithmetic, "13812345678/13987654321" is two
# phone numbers in a row.
_MATH_AFTER = re.compile(r"\s*(?:=\s*[0-9(]|[+*/×÷^]\s*\(?\d{1,6}(?![0-9]))")
_MATH_BEFORE = re.compile(r"(?:[0-9)]\s*=|(?<![0-9])\d{1,6}\)?\s*[+*/×÷^])\s*$")


def _math_context(text: str, start: int, end: int, expl: Explanation) -> bool:
    if _MATH_AFTER.match(text, end) or _MATH_BEFORE.search(text[max(0, start - 10):start]):
        expl.notes.append("arithmetic operand")
        return True
    return False


# A unit right after the digits makes the number a quantity (总投资18016535250元, 13800000000人次), not an identifier.
_UNIT_AFTER = re.compile(r"\s?(?:元(?!旦)|万元|亿|块钱|美元|港元|欧元|人民币|%|％|‰|人次|吨|平方米|公里|千米|cm|mm|kg|ml)")


def _quantity(text: str, end: int, expl: Explanation) -> bool:
    if _UNIT_AFTER.match(text, end):
        expl.notes.append("a quantity: a unit follows")
        return True
    return False


def _ascii_letter(c: str) -> bool:
    return c.isascii() and c.isalpha()


_URL_PARAM = re.compile(r"[?&][A-Za-z_]*[Ii][Dd]=$")


def _inside_code(text: str, start: int, end: int, expl: Explanation) -> bool:
    """Digits inside a longer code: a hash (fb7864…b4da), an item code (…461J2440111), a URL's id parameter
    (?hallId=7644…). Glued to letters on one side only (tel13812345678, 手机13812345678abc) is still a number."""
    left, right = text[start - 1:start] if start else "", text[end:end + 2]
    if (_ascii_letter(right[:1]) and (_ascii_letter(left) or right[1:2].isdigit())) \
            or _URL_PARAM.search(text, max(0, start - 16), start):
        expl.notes.append("inside a longer letter-digit code")
        return True
    return False


class IdCardRecognizer(PatternRecognizer):
    """居民身份证号 (GB 11643): region + birth date + sequence + ISO 7064 MOD 11-2 check digit."""

    entity = "id_card"
    prefilter = LONG_DIGITS
    name = "CnIdCardRecognizer"
    patterns = (
        # any 18 characters of the shape: an impossible region or date fails validation and is dropped, unless
        # the context names an ID (keep_invalid_with_context); letters may follow (身份证110101199003074610abc)
        Pattern("id18", lead(r"\d", r"(?:\d{5}" + S + r"\d{4}" + S + r"\d{4}" + S + r"\d{3}"
                             + r"|\d{3}(?:" + S + r"\d{4}){3}" + S + r"\d)[0-9Xx](?![0-9Xx])"), 0.5),
        Pattern("id15", lead("[1-8]", r"\d{5}" + S + r"\d{6}" + S + r"\d{3}" + ED + r"(?![Xx])"), 0.3),
    )
    context = ("身份证", "身份號", "证件号", "公民身份", "id card", "idcard", "身份号码", "居住证", "sfz", "id:", "id no")
    # 驾驶证号 and 社会保障号码 are by rule the holder's citizen ID number: masked as what the context names
    context_entities = (("driver_license", ("驾驶证", "驾照")), ("social_security", ("社保", "社会保障", "医保")))
    negative_context = NUMBER_NEGATIVE
    context_prefix_chars = 14
    keep_invalid_with_context = True

    def invalidate_result(self, value: str) -> bool:
        # 9 + province + nationality code: the foreign permanent residents' ID, not a citizen's
        n = v.compact(value)
        return len(n) == 18 and n[0] == "9" and v.foreigner_id_valid(n)

    def validate_result(self, value: str) -> bool | None:
        ok, _ = v.id_card_check(value)
        if not ok:
            return False
        # A 15-digit number has no check digit: the region + date checks cannot confirm it.
        return True if len(v.compact(value)) == 18 else None

    def adjust(self, value, text, start, end, expl, score):
        ok, reason = v.id_card_check(value)
        expl.notes.append(reason)
        place = v.birth_place(value) if len(v.compact(value)) == 18 else None
        if place:
            expl.notes.append("birth place " + place.get("province", "") + place.get("county", ""))
        if _math_context(text, start, end, expl):
            score -= 0.6
        return score


class CreditCodeRecognizer(PatternRecognizer):
    """统一社会信用代码 (GB 32100): 18 characters from 0-9A-HJ-NPQRTUWXY with a mod-31 check character, written whole
    or in groups (2-6-9-1 as the standard parts it, 6-6-6 or 4-4-4-4-2 for reading aloud); and the 15-digit
    营业执照注册号 it replaced (GB/T 17710 check digit), only after its name."""

    entity = "credit_code"
    prefilter = REGION_DIGITS
    name = "CnCreditCodeRecognizer"
    _c = "[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]"
    # one optional separator at each group boundary of those notations (after characters 2, 4, 6, 8, 12, 16, 17)
    patterns = (Pattern("uscc", lead("[1-9ANYany]", "", "[0-9A-Za-z]") + r"[1-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]" + S
                        + r"\d\d" + S + r"\d\d" + S + r"\d\d" + S
                        + _c + "{4}" + S + _c + "{4}" + S + _c + S + _c + EA, 0.4),
                Pattern("registration_number", ND + r"\d{6}" + S + r"\d{8}" + S + r"\d" + ED, 0.05,
                        requires="注册号|营业执照"))
    context = ("信用代码", "社会信用", "组织代码", "组织机构", "营业执照", "税号", "纳税人识别号", "代码", "注册号")
    negative_context = ("订单", "单号", "order", "#", "hash", "commit")

    def adjust(self, value, text, start, end, expl, score):
        n = v.compact(value)
        if len(n) == 15 and not _contains_any(text[max(0, start - 14):start], ("注册号", "营业执照", "执照号")):
            return 0  # fifteen digits are many things; the registration number only after its name
        if n[:17].isdigit() and _contains_any(text[max(0, start - 14):start], IdCardRecognizer.context):
            # a mistyped ID number (身份证号码为610113198516033411) can pass the mod-31 check by chance
            expl.notes.append("digits after an ID word")
            return 0
        return score

    def invalidate_result(self, value: str) -> bool:
        n = v.compact(value)
        # An 18-digit resident ID can pass the mod-31 check by chance: the ID recogniser owns it.
        return v.all_same(n) or (n.isdigit() and v.id_card_check(n)[0]) or (n[:-1].isdigit() and n[-1] == "X"
                                                                          and v.id_card_check(n)[0])

    def validate_result(self, value: str) -> bool | None:
        n = v.compact(value)
        return v.registration_number_valid(n) if len(n) == 15 else v.credit_code_valid(n)


# MIIT allocation to March 2023 (standards.md §4.4); 140-144 are 13-digit IoT numbers but 11-digit
# numbers with those prefixes still appear in forms, so they match with a lower score.
_MIIT = re.compile(r"1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])")


class MobileRecognizer(PatternRecognizer):
    entity = "mobile"
    name = "CnMobileRecognizer"
    _body = r"1[3-9]\d[ \-.]?\d{4}[ \-.]?\d{4}" + ED  # 138 0013 8000, 138-0013-8000, 138.0013.8000
    patterns = (Pattern("mobile", lead("1", _body[1:], "[0-9+]"), 0.55),
                # +86 138…, 0086 138…, 86-138…, (+86)138…
                Pattern("mobile_intl", lead("[+0(（8]", r"(?:(?<=\+)86|(?<=0)086|(?<=8)6|(?<=[(（])\+?86[)）]\s?)" + S + _body,
                                            "[0-9+]"), 0.55))
    context = ("手机", "电话", "联系", "号码", "tel", "phone", "mobile", "致电", "拨打", "微信", "短信", "call")
    negative_context = NUMBER_NEGATIVE
    prefilter = LONG_DIGITS

    def adjust(self, value, text, start, end, expl, score):
        n = re.sub(r"\D", "", value)
        if n.startswith("0086"):
            n = n[4:]
        elif n.startswith("86") and len(n) == 13:
            n = n[2:]
        if _MIIT.match(n):
            expl.notes.append("MIIT-allocated prefix " + n[:3])
            score += 0.2
        else:
            expl.notes.append("prefix " + n[:3] + " not in the MIIT mobile allocation")
        if _inside_code(text, start, end, expl):
            score -= 0.4
        if v.all_same(n[3:]) and len(set(n[3:])) == 1:
            expl.notes.append("subscriber part all one digit")
            score -= 0.2
        if _math_context(text, start, end, expl) or _quantity(text, end, expl):
            score -= 0.6
        return score


_EXT = re.compile(r"(?:转|分机|ext\.?|x)\s*\d{1,5}$|(?<=\d{7})-\d{1,5}$")


def _cn_fixed_line(value: str) -> bool:
    """Area code + local number length as libphonenumber's metadata for China knows them (an extension after 转,
    分机 or a last dash is not part of the number)."""
    import phonenumbers  # ~60 ms and the recognisers load with every CLI command: only for a fixed-line candidate

    for main in (value, _EXT.sub("", value)):
        digits = re.sub(r"\D", "", main)
        if value.lstrip().startswith("+") or digits.startswith("0086"):
            digits = "+" + digits.removeprefix("00")
        try:
            num = phonenumbers.parse(digits, "CN")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(num) and phonenumbers.number_type(num) in (
                phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
            return True
    return False


_AREA = r"(?:10|2\d|[3-9]\d{2})"
_LOCAL = r"\d{3,4}[ \-]?\d{3,4}"  # 7 or 8 digits, checked in adjust


class LandlineRecognizer(PatternRecognizer):
    """Fixed-line numbers: area code 010/02x/0xxx (or +86 and the code without its 0) + a 7–8 digit local number,
    which may be split 4-4 or 3-4, optional extension."""

    entity = "landline"
    name = "CnLandlineRecognizer"
    patterns = (
        Pattern("landline_sep", lead("[(（0+]", r"(?:(?<=[(（])0" + _AREA + r"[)）]|(?<=0)" + _AREA + r"[ \-]"
                                        + r"|(?<=\+)86[ \-]?" + _AREA + r"[ \-]?|(?<=0)086[ \-]?" + _AREA + r"[ \-]?)",
                                        "[0-9+]") + _LOCAL
                + r"(?:\s?(?:转|分机|-|ext\.?|x)\s?\d{1,5})?" + ED, 0.6),
        Pattern("landline_plain", lead("0", _AREA + r"\d{7,8}" + ED), 0.5),
    )
    context = ("电话", "座机", "联系", "tel", "phone", "传真", "热线", "fax", "拨")
    negative_context = NUMBER_NEGATIVE + ("档案",)
    prefilter = LONG_DIGITS

    def adjust(self, value, text, start, end, expl, score):
        n = re.sub(r"\D", "", _EXT.sub("", value))
        if n.startswith("0086"):
            n = "0" + n[4:]
        elif value.startswith("+"):
            n = "0" + n[2:]
        local = len(n) - (3 if n[1] in "12" else 4)
        if not 10 <= len(n) <= 12 or local not in (7, 8):
            return 0
        if _cn_fixed_line(value):
            expl.notes.append("phonenumbers: valid CN fixed-line number")
            score += 0.1
        else:
            expl.notes.append("phonenumbers: not a valid CN number")
            score -= 0.2
        if _math_context(text, start, end, expl) or _quantity(text, end, expl):
            score -= 0.6
        return score


class BankCardRecognizer(PatternRecognizer):
    """16–19 digit payment card numbers. Luhn raises confidence but does not reject: some domestic cards
    fail it. UnionPay cards start with 62."""

    entity = "bank_card"
    prefilter = LONG_DIGITS
    name = "CnBankCardRecognizer"
    patterns = (Pattern("card", lead("[1-9]", r"\d{3}(?:") + S + r"\d{4}){2}" + S + r"\d{4}(?:" + S + r"\d{1,3})?" + ED, 0.2),)
    context = ("卡号", "银行卡", "账号", "帐号", "储蓄卡", "信用卡", "借记卡", "开户", "card", "账户", "帐户", "卡",
               "转账", "汇款", "收款")
    negative_context = NUMBER_NEGATIVE + ("身份证",)
    context_prefix_chars = 16

    def invalidate_result(self, value: str) -> bool:
        n = v.compact(value)
        return not 16 <= len(n) <= 19 or v.all_same(n) or v.sequential(n)

    def adjust(self, value, text, start, end, expl, score):
        n = v.compact(value)
        if v.luhn_valid(n):
            expl.notes.append("Luhn valid")
            score += 0.4
        else:
            expl.notes.append("Luhn fails")
        if n.startswith("62"):
            expl.notes.append("UnionPay IIN 62")
            score += 0.15
        if _inside_code(text, start, end, expl):
            score -= 0.4
        if _math_context(text, start, end, expl) or _quantity(text, end, expl):
            score -= 0.6
        return min(score, 0.95)


_PROV = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# What 12345 callers report vehicles doing (a lower-case plate is confirmed by these as by 车牌)
_VEHICLE_ACTS = ("违停", "违章", "乱停", "停放", "挪车", "占道", "消防通道", "盲道", "鸣笛", "超速", "闯红灯", "逆行",
                 "肇事", "套牌", "扣分", "罚单")


class LicensePlateRecognizer(PatternRecognizer):
    """机动车号牌 (GA 36-2018), incl. new-energy plates (D/F) and 使/领 plates. People type the separator as a
    middle dot, a space or a dash, and the letters in lower case (a lower-case plate needs a vehicle word)."""

    entity = "license_plate"
    name = "CnLicensePlateRecognizer"
    _L = "[A-HJ-NP-Za-hj-np-z]"
    _X = "[A-HJ-NP-Za-hj-np-z0-9]"
    _SEP = "[·•・ \\-]?"
    patterns = (
        Pattern("plate_nev", f"[{_PROV}] ?{_L}{_SEP}(?:[DFdf]{_X}\\d{{4}}|\\d{{5}}[DFdf])" + EA, 0.7),
        Pattern("plate", f"(?:[{_PROV}] ?{_L}|[使领]{_L}?){_SEP}{_X}{{4}}(?:[A-HJ-NP-Za-hj-np-z0-9]|[挂学警港澳领使])" + EA,
                0.6),
    )
    context = ("车牌", "号牌", "车辆", "车主", "驾驶", "牌照", "停车", "车")
    context_suffix_chars = 3
    prefilter = f"[{_PROV}使领]{_SEP}[A-HJ-NP-Za-hj-np-z0-9]"

    def invalidate_result(self, value: str) -> bool:
        serial = value[2:]
        return not any(c.isdigit() for c in serial)

    def adjust(self, value, text, start, end, expl, score):
        if any(c.islower() for c in value):
            expl.notes.append("lower-case letters")
            if _contains_any(text[max(0, start - 8):start] + text[end:end + 8], _VEHICLE_ACTS):
                expl.notes.append("a vehicle's doing is named")
            else:
                score -= 0.2
        return score


class PassportRecognizer(PatternRecognizer):
    """Chinese passports (E/G/D/S/P + 8 digits; E + letter + 7 digits; DE/SE/PE + 7 digits for diplomatic, service
    and official ordinary passports). Weak on its own: needs 护照."""

    entity = "passport"
    prefilter = LONG_DIGITS
    name = "CnPassportRecognizer"
    patterns = (Pattern("passport", lead("[EGDSPegdsp]", r"(?:\d{8}|(?<=[Ee])[A-HJ-NP-Za-hj-np-z]\d{7}|(?<=[DSPdsp])[Ee]\d{7})"
                                         + EA, "[0-9A-Za-z]"), 0.15),
                # other issuers' passports (HKSAR K12345678, Macao MA1234567, foreign 9-digit numbers): only after 护照
                Pattern("passport_other", NA + r"[A-Za-z]{0,2}\d{7,9}" + EA, 0.05, requires="护照|passport|Passport|PASSPORT"))
    context = ("护照", "passport", "旅行证")
    context_prefix_chars = 16

    def adjust(self, value, text, start, end, expl, score):
        if value[0].isdigit() and _contains_any(text[max(0, start - 8):start], ("电话", "热线", "手机", "传真")):
            return 0  # 护照办理咨询电话12345678: the number belongs to the nearer word
        return score


class PermitRecognizer(PatternRecognizer):
    """往来港澳通行证 (C + 8 chars), 回乡证 (H/M + 8 or 10 digits), 台胞证 (8 or 10 digits), 往来台湾通行证 (L/T + 8)."""

    entity = "hkmt_permit"
    prefilter = LONG_DIGITS
    name = "CnPermitRecognizer"
    patterns = (
        Pattern("hk_macau_permit", lead("[CcWw]", r"[0-9A-Za-z]\d{7}" + EA, "[0-9A-Za-z]"), 0.15),
        Pattern("home_return_permit", lead("[HMhm]", r"\d{8}(?:\d{2})?" + EA, "[0-9A-Za-z]"), 0.15),
        Pattern("taiwan_permit", lead("[LTlt]", r"\d{8}" + EA, "[0-9A-Za-z]"), 0.15),
        Pattern("mtp", ND + r"\d{8}(?:\d{2})?" + ED, 0.05, requires="通行证|回乡|台胞证|往来|居民来"),
    )
    # 回乡证 is also called 回乡卡 (the card since 2013)
    context = ("通行证", "回乡证", "回乡卡", "台胞证", "往来港澳", "往来台湾", "港澳居民", "台湾居民", "来往内地")
    context_prefix_chars = 12


class EmailRecognizer(PatternRecognizer):
    entity = "email"
    name = "EmailRecognizer"
    patterns = (Pattern("email", r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}"
                        r"(?![A-Za-z])", 0.8),)
    context = ("邮箱", "邮件", "email", "e-mail", "mail")
    prefilter = "@"

    def validate_result(self, value: str) -> bool | None:
        local, _, domain = value.rpartition("@")
        if not local or local.startswith(".") or ".." in value:
            return False
        return True


def _ipv6_pattern() -> str:
    """Every RFC 4291 / 5952 text form: 8 groups, :: compression anywhere, an embedded IPv4 tail
    (::ffff:192.0.2.1), a zone id (fe80::1%eth0); colons may be typed full-width (：)."""
    h, c = "[0-9A-Fa-f]{1,4}", "[:：]"
    v4 = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}"
    forms = [
        f"(?:{h}{c}){{6}}{v4}", f"(?:{h}{c}){{1,5}}{c}(?:{h}{c}){{0,4}}{v4}", f"{c}{c}(?:{h}{c}){{0,5}}{v4}",
        f"(?:{h}{c}){{7}}{h}",
        *(f"(?:{h}{c}){{1,{k}}}(?:{c}{h}){{1,{7 - k}}}" for k in range(6, 0, -1)),
        f"(?:{h}{c}){{1,7}}{c}", f"{c}(?:{c}{h}){{1,7}}",  # not a bare "::" (a full-width "：：" in prose)
    ]
    # a full-width colon may end a label (源IP：2409:…) but not continue an address (ab：：1)
    return (r"(?<![0-9A-Za-z:.])(?<![0-9A-Fa-f:]：)(?:" + "|".join(forms) + r")(?:%[0-9A-Za-z_.]{1,16})?(?![0-9A-Za-z:：]|\.\d)")


_IP_CONTEXT = ("ip", "地址", "服务器", "主机", "访问", "来源", "登录", "host", "server", "client")
_VERSION_BEFORE = re.compile(r"(?:版本号?|version|ver\.?|[vV])\s*[:：]?\s*$", re.I)
_SECTION = re.compile(r"第\s*$|(?:GB|GB/T|ISO|条款|章节)\s*[\w\-]*\s*$")
_SECTION_AFTER = re.compile(r"\s*[条节款章项]")


class IpRecognizer(PatternRecognizer):
    """IPv4 (also with a port, full-width dots) and IPv6 in every notation. Version and section numbers that look
    like an IPv4 address (版本 2.3.1.4, 第5.2.1.3条) are not addresses."""

    entity = "ip"
    name = "IpRecognizer"
    _o = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    patterns = (
        # the dots typed as 。 by a Chinese input method or an OCR engine: one kind of dot per address
        Pattern("ipv4", r"(?<![0-9.。])" + _o + r"([.。])" + _o + r"(?:\1" + _o + r"){2}(?![0-9]|[.。]\d)", 0.6),
        Pattern("ipv6", _ipv6_pattern(), 0.6, requires="[:：][0-9A-Fa-f]{0,4}[:：]"),
    )
    context = _IP_CONTEXT
    prefilter = r"[.。:：](?:(?<=\d[.。])\d|(?<=[:：])[0-9A-Fa-f]{0,4}[:：])"

    def validate_result(self, value: str) -> bool | None:
        try:
            ipaddress.ip_address(value.replace("：", ":").replace("。", "."))
        except ValueError:
            return False
        return None

    def adjust(self, value, text, start, end, expl, score):
        before = text[max(0, start - 12):start]
        value = value.replace("。", ".")
        if _VERSION_BEFORE.search(before):
            expl.notes.append("version number")
            return 0
        if "." in value and ":" not in value and "：" not in value:
            if _SECTION.search(before) or _SECTION_AFTER.match(text, end):
                expl.notes.append("section number")
                return 0
            if all(len(o) == 1 for o in value.split(".")) and not _contains_any(before, _IP_CONTEXT):
                # 1.2.3.4-style: an outline or clause number unless the words before say IP
                expl.notes.append("single-digit groups without an IP context")
                return 0
        return score


class MilitaryIdRecognizer(PatternRecognizer):
    """军官证 / 士兵证 / 文职干部证 / 武警警官证: "南字第1234567号" (the issuing service's character + 字第 + number + 号),
    or a bare 6–8 digit number right after the document's name (义务兵证12345678)."""

    entity = "military_id"
    name = "CnMilitaryIdRecognizer"
    patterns = (
        # court case numbers are 民初字第…号: the character before 字第 must be a service, not 初/终/执
        Pattern("service_number", lead("[南北沈兰成济广参政后装海空军武陆火战联士文警]", r"字第\s?[0-9A-Za-z]{4,8}\s?号?",
                                       "[初终执监审]"), 0.55),
        Pattern("number_after_name", ND + r"[0-9]{6,8}" + ED, 0.05, requires="军|兵证|文职|武警|警官"),
    )
    context = ("军官证", "士兵证", "义务兵证", "军人证", "文职干部证", "文职人员证", "武警", "警官证", "军人保障卡",
               "退役军人证", "军人身份")
    context_prefix_chars = 10
    prefilter = DOCUMENT_WORDS

    def adjust(self, value, text, start, end, expl, score):
        if value[0].isdigit() and _contains_any(text[max(0, start - 10):start], ("身份证", "电话", "手机")):
            return 0
        return score


class SocialSecurityRecognizer(PatternRecognizer):
    """社会保障卡 card numbers: 9 characters (a letter and 8 digits, or 9 digits) printed on the card; only after
    社保卡/社会保障卡/医保卡. The 社会保障号码 itself is the citizen ID number (see IdCardRecognizer)."""

    entity = "social_security"
    name = "CnSocialSecurityCardRecognizer"
    patterns = (Pattern("card_number", NA + r"[A-Za-z]?\d{8,9}" + EA, 0.05),)
    context = ("社保卡", "社会保障卡", "医保卡", "社保号", "社保卡号", "医保号")
    context_prefix_chars = 10
    prefilter = DOCUMENT_WORDS

    def invalidate_result(self, value: str) -> bool:
        return len(value) != 9


class DriverLicenseFileRecognizer(PatternRecognizer):
    """The 12-digit file number (档案编号) of a driving licence, also written 4-4-4; the licence number itself is the
    ID number."""

    entity = "driver_license"
    name = "CnDriverLicenseRecognizer"
    patterns = (Pattern("file_number", ND + r"\d{4}(?:" + S + r"\d{4}){2}" + ED, 0.05),)
    context = ("驾驶证", "驾照", "档案编号")
    context_prefix_chars = 12
    prefilter = DOCUMENT_WORDS


class ForeignerIdRecognizer(PatternRecognizer):
    """外国人永久居留身份证: the 2023 card (18 digits starting with 9, GB 11643 check character) and the older
    15-character card (3-letter nationality code + 12 digits), the older one only after its name."""

    entity = "foreigner_id"
    name = "CnForeignerIdRecognizer"
    patterns = (
        Pattern("pr_card_2023", lead("9", r"\d{16}[0-9Xx](?![0-9Xx])"), 0.5),
        Pattern("pr_card_2004", NA + r"[A-Z]{3}\d{12}" + EA, 0.05, requires="永久居留|永居|绿卡|ermanent"),
    )
    context = ("永久居留", "永居证", "绿卡", "permanent residence")
    context_prefix_chars = 14
    keep_invalid_with_context = True
    prefilter = LONG_DIGITS

    def validate_result(self, value: str) -> bool | None:
        return v.foreigner_id_valid(value) if value[0] == "9" else None


class ImeiRecognizer(PatternRecognizer):
    """A phone's IMEI (15 digits, the last a Luhn check digit; also grouped 2-6-6-1) or MEID (14 hex digits): a
    device identifier, personal data by GB/T 35273. Only after its name: many 15-digit numbers are something else."""

    entity = "imei"
    name = "ImeiRecognizer"
    patterns = (Pattern("imei", lead(r"\d", r"\d(?:[ \-]?\d{6}){2}[ \-]?\d(?![0-9])"), 0.05),
                Pattern("meid", lead("[0-9A-Fa-f]", "[0-9A-Fa-f]{13}" + EA, "[0-9A-Za-z]"), 0.05))
    context = ("imei", "meid", "串号", "设备识别码", "设备号", "手机识别码")
    context_prefix_chars = 12
    prefilter = DOCUMENT_WORDS

    def adjust(self, value, text, start, end, expl, score):
        # the name before it decides (a mistyped IMEI after "IMEI" is still one); the check digit is noted
        n = v.compact(value)
        if n.isdigit() and len(n) == 15:
            expl.notes.append("Luhn valid" if v.luhn_valid(n) else "Luhn fails")
        return score


class MacRecognizer(PatternRecognizer):
    """A network card's MAC address: six hex pairs joined by one separator (00:1A:2B:3C:4D:5E, 00-1a-…, a
    full-width colon from a Chinese keyboard) or three dotted groups (001a.2b3c.4d5e); after its name also twelve
    bare hex digits or space-separated pairs. Broadcast and all-zero addresses identify no device."""

    entity = "mac"
    name = "MacRecognizer"
    _h = "[0-9A-Fa-f]"
    _cue = "[Mm][Aa][Cc](?![A-Za-z])|物理地址|网卡"
    patterns = (Pattern("mac", lead(_h, _h + r"([:\-：])" + _h + "{2}" + r"(?:\1" + _h + "{2}){4}"
                                    + r"(?![0-9A-Za-z:\-：])", "[0-9A-Za-z:\\-]"), 0.6),
                Pattern("mac_dotted", lead(_h, _h + "{3}\\." + _h + "{4}\\." + _h + "{4}" + EA, "[0-9A-Za-z.]"), 0.5),
                # twelve bare hex digits or pairs with spaces (as some device labels print them): only after the name
                Pattern("mac_bare", lead(_h, _h + "{11}" + EA, "[0-9A-Za-z]"), 0.05, requires=_cue),
                Pattern("mac_spaced", lead(_h, _h + "(?: " + _h + "{2}){5}" + EA, "[0-9A-Za-z]"), 0.05, requires=_cue))
    context = ("mac", "物理地址", "网卡", "设备")
    # begins with the separator, a rare character in Chinese text, so the engine skips ahead; or the name itself
    prefilter = (r"[:\-.：][0-9A-Fa-f]{2}(?:[:\-：][0-9A-Fa-f]{2}[:\-：]|[0-9A-Fa-f]{2}\.)|" + _cue)

    def invalidate_result(self, value: str) -> bool:
        digits = re.sub(r"[^0-9A-Fa-f]", "", value).upper()
        return len(set(digits)) == 1 and digits[0] in "0F"

    def adjust(self, value, text, start, end, expl, score):
        if not any(c.isalpha() for c in re.sub(r"[\-:：. ]", "", value)):
            expl.notes.append("digits only: a MAC only after its name")  # 12:30:45:10:20:30 is a time series
            score -= 0.3
        return score


STRUCTURED = (IdCardRecognizer, ForeignerIdRecognizer, CreditCodeRecognizer, MobileRecognizer, LandlineRecognizer,
              BankCardRecognizer, LicensePlateRecognizer, PassportRecognizer, PermitRecognizer, MilitaryIdRecognizer,
              SocialSecurityRecognizer, DriverLicenseFileRecognizer, EmailRecognizer, IpRecognizer, ImeiRecognizer,
              MacRecognizer)
