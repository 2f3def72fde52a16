"""Writes structured_cases.{dev,check}.jsonl: the held-out structured-identifier set (see structured_cases.md).

The sentences below were written by hand from the formats in ../shared/reference/standards.md §4.2/§4.4 and
from how people type identifiers into forms, chat windows and OCR'd scans; they were written before the
recognisers were extended and without looking at their patterns. The numbers are generated: check digits are
computed (GB 11643 MOD 11-2 and GB 32100 mod 31 with python-stdnum, Luhn, GB 11714 for the organisation code);
no number belongs to a real person. Each template goes whole to one split (seeded), so the check split holds
sentence shapes and notations the dev split does not show.

    python tests/gateway/data/make_structured_cases.py     # rewrites both files (deterministic)
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from stdnum import luhn
from stdnum.cn import ric, uscc

HERE = Path(__file__).resolve().parent
R = random.Random(20261129)

COUNTIES = ["110105", "110108", "310104", "310115", "440305", "440106", "510107", "330106", "420106", "320102",
            "370202", "610113", "500103", "350203", "230103", "130104", "410105", "530102", "650102", "450103"]
MOBILE_PREFIX = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "147", "150", "151", "152", "155",
                 "157", "158", "159", "166", "173", "176", "177", "180", "181", "183", "185", "186", "187", "188",
                 "189", "191", "193", "195", "198", "199"]
AREA8 = ["010", "021", "020", "022", "023", "024", "025", "027", "028", "029", "0755", "0571", "0512", "0731",
         "0532", "0591", "0871"]
AREA7 = ["0917", "0734", "0358", "0937"]
PROV_ABBR = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_L = "ABCDEFGHJKLMNPQRSTUVWXYZ"
FW = str.maketrans("0123456789.:-@", "０１２３４５６７８９．：－＠")


def digits(n: int) -> str:
    return "".join(R.choice("0123456789") for _ in range(n))


def birth() -> str:
    y, m, d = R.randint(1950, 2008), R.randint(1, 12), R.randint(1, 28)
    return f"{y:04d}{m:02d}{d:02d}"


def id18(region: str | None = None) -> str:
    body = (region or R.choice(COUNTIES)) + birth() + digits(3)
    return body + ric.calc_check_digit(body + "0")


def id18_x() -> str:
    while True:
        n = id18()
        if n.endswith("X"):
            return n


def id18_bad() -> str:
    """Right shape, wrong check digit (a typo)."""
    n = id18()
    wrong = R.choice([c for c in "0123456789X" if c != n[-1]])
    return n[:-1] + wrong


def id18_bad_date() -> str:
    return R.choice(COUNTIES) + f"{R.randint(1960, 2000)}{R.randint(13, 19):02d}{R.randint(1, 28):02d}" + digits(4)


def id15() -> str:
    return R.choice(COUNTIES) + birth()[2:] + digits(3)


def foreigner_new() -> str:
    body = "9" + R.choice(["11", "31", "44", "32"]) + R.choice(["840", "392", "410", "276", "250", "826"]) + birth() + digits(2)
    # 17 characters + MOD 11-2 check, as for a resident ID
    body += digits(1)
    return body + ric.calc_check_digit(body + "0")


def foreigner_old() -> str:
    return R.choice(["USA", "JPN", "KOR", "DEU", "FRA", "GBR"]) + R.choice(["11", "31", "44"]) + birth()[2:] + digits(4)


def org_code() -> str:
    body = "".join(R.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    w = (3, 7, 9, 10, 5, 8, 4, 2)
    val = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    c = 11 - sum(val.index(ch) * wi for ch, wi in zip(body, w)) % 11
    return body + {10: "X", 11: "0"}.get(c, str(c))


def credit_code(kind: str | None = None) -> str:
    body = (kind or R.choice(["91", "92", "12", "52", "93", "11"])) + R.choice(COUNTIES) + org_code()
    return body + uscc.calc_check_digit(body)


def mobile() -> str:
    return R.choice(MOBILE_PREFIX) + digits(8)


def landline() -> tuple[str, str]:
    if R.random() < 0.8:
        return R.choice(AREA8), str(R.randint(2, 8)) + digits(7)
    return R.choice(AREA7), str(R.randint(2, 8)) + digits(6)


def card(prefix: str = "62", length: int = 19) -> str:
    body = prefix + digits(length - len(prefix) - 1)
    return body + luhn.calc_check_digit(body)


def card_bad(length: int = 19) -> str:
    n = card(length=length)
    return n[:-1] + str((int(n[-1]) + R.randint(1, 9)) % 10)


def group4(n: str, sep: str = " ") -> str:
    return sep.join(n[i:i + 4] for i in range(0, len(n), 4))


def serial(k: int = 5) -> str:
    s = [R.choice(PLATE_L + "0123456789" * 3) for _ in range(k)]
    if not any(c.isdigit() for c in s):
        s[-1] = str(R.randint(0, 9))
    return "".join(s)


def hexg() -> str:
    return format(R.randint(1, 0xFFFF), "x")


def ipv4(private: bool | None = None) -> str:
    if private is None:
        private = R.random() < 0.5
    if private:
        return R.choice([f"192.168.{R.randint(0, 255)}.{R.randint(2, 254)}", f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(2, 254)}",
                         f"172.{R.randint(16, 31)}.{R.randint(0, 255)}.{R.randint(2, 254)}"])
    return f"{R.choice([36, 58, 61, 111, 112, 113, 114, 116, 117, 119, 120, 121, 122, 123, 124, 125, 180, 182, 183, 202, 210, 211, 218, 220, 221, 222, 223])}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"


def ipv6_full() -> str:
    return ":".join([R.choice(["2408", "2409", "240e", "2001"])] + [hexg() for _ in range(7)])


def ipv6_short() -> str:
    return f"{R.choice(['2408', '2409', '240e'])}:{hexg()}:{hexg()}:{hexg()}::{hexg()}"


EMAIL_USERS = ["zhangwei", "li.na", "wang_fang88", "liuyang1990", "chenjing", "yang.lei", "zhaomin_2021", "huangli",
               "xiaoming.zhou", "wu.hao", "sun_li", "ma.jun77", "hu.yan", "guo.qiang", "lin123"]
EMAIL_DOMAINS = ["163.com", "126.com", "qq.com", "sina.com", "foxmail.com", "gmail.com", "outlook.com", "139.com",
                 "yeah.net", "sohu.com", "aliyun.com", "hotmail.com", "sina.cn", "vip.163.com"]


def email() -> str:
    user = R.choice(EMAIL_USERS + [digits(R.randint(8, 10)).lstrip("0") or "12345678"])
    return user + "@" + R.choice(EMAIL_DOMAINS)


# placeholder -> (generator of the surface text, gold type); a gold type of None marks a trap value
GEN = {
    "id": (id18, "id_card"),
    "idx": (id18_x, "id_card"),
    "idx_lower": (lambda: id18_x()[:-1] + "x", "id_card"),
    "id_sp": (lambda: (lambda n: f"{n[:6]} {n[6:14]} {n[14:]}")(id18()), "id_card"),
    "id_sp4": (lambda: (lambda n: " ".join(n[i:i + 4] for i in range(0, 18, 4)))(id18()), "id_card"),
    "id_dash": (lambda: (lambda n: f"{n[:6]}-{n[6:14]}-{n[14:]}")(id18()), "id_card"),
    "id_fw": (lambda: id18().translate(FW), "id_card"),
    "id15": (id15, "id_card"),
    # the citizen ID number written as another document's number: masked as what the context names
    "id_ss": (id18, "social_security"),
    "id_dl": (id18, "driver_license"),
    "id_bad": (id18_bad, "id_card"),          # only in templates whose context names an ID
    "id_bad_date": (id18_bad_date, "id_card"),
    "id_hk": (lambda: id18("810000"), "id_card"),
    "id_mo": (lambda: id18("820000"), "id_card"),
    "id_tw": (lambda: id18("830000"), "id_card"),
    "fid_new": (foreigner_new, "foreigner_id"),
    "fid_old": (foreigner_old, "foreigner_id"),
    "uscc": (credit_code, "credit_code"),
    "uscc_ind": (lambda: credit_code("92"), "credit_code"),
    "uscc_sp": (lambda: (lambda c: f"{c[:2]} {c[2:8]} {c[8:17]} {c[17]}")(credit_code()), "credit_code"),
    "uscc_lower": (lambda: credit_code("91").lower(), "credit_code"),
    "mob": (mobile, "phone"),
    "mob_sp": (lambda: (lambda m: f"{m[:3]} {m[3:7]} {m[7:]}")(mobile()), "phone"),
    "mob_dash": (lambda: (lambda m: f"{m[:3]}-{m[3:7]}-{m[7:]}")(mobile()), "phone"),
    "mob_p86": (lambda: "+86" + mobile(), "phone"),
    "mob_p86sp": (lambda: (lambda m: f"+86 {m[:3]} {m[3:7]} {m[7:]}")(mobile()), "phone"),
    "mob_p86dash": (lambda: "+86-" + mobile(), "phone"),
    "mob_0086": (lambda: "0086" + mobile(), "phone"),
    "mob_0086sp": (lambda: "0086 " + mobile(), "phone"),
    "mob_paren86": (lambda: "(+86)" + mobile(), "phone"),
    "mob_fw": (lambda: mobile().translate(FW), "phone"),
    "mob_34": (lambda: (lambda m: f"{m[:3]} {m[3:7]}{m[7:]}")(mobile()), "phone"),
    "tel": (lambda: "-".join(landline()), "phone"),
    "tel_plain": (lambda: "".join(landline()), "phone"),
    "tel_paren": (lambda: (lambda a, b: f"({a}){b}")(*landline()), "phone"),
    "tel_fwparen": (lambda: (lambda a, b: f"（{a}）{b}")(*landline()), "phone"),
    "tel_sp": (lambda: (lambda a, b: f"{a} {b[:4]} {b[4:]}")(*landline()), "phone"),
    "tel_dash4": (lambda: (lambda a, b: f"{a}-{b[:4]}-{b[4:]}")(*landline()), "phone"),
    "tel_ext": (lambda: (lambda a, b: f"{a}-{b}转{R.randint(100, 8999)}")(*landline()), "phone"),
    "tel_extdash": (lambda: (lambda a, b: f"{a}-{b}-{R.randint(100, 899)}")(*landline()), "phone"),
    "tel_p86": (lambda: (lambda a, b: f"+86 {a[1:]} {b}")(*landline()), "phone"),
    "tel_p86dash": (lambda: (lambda a, b: f"+86-{a[1:]}-{b}")(*landline()), "phone"),
    "tel_fwdash": (lambda: (lambda a, b: f"{a}－{b}")(*landline()), "phone"),
    "card": (card, "bank_card"),
    "card16": (lambda: card(length=16), "bank_card"),
    "card_sp": (lambda: group4(card()), "bank_card"),
    "card16_sp": (lambda: group4(card(length=16)), "bank_card"),
    "card_dash": (lambda: group4(card(length=16), "-"), "bank_card"),
    "card_visa": (lambda: group4(card("4", 16)), "bank_card"),
    "card_mc": (lambda: card("5" + str(R.randint(1, 5)), 16), "bank_card"),
    "card_bad": (card_bad, "bank_card"),      # only with a card context
    "card_fw": (lambda: card().translate(FW), "bank_card"),
    "plate": (lambda: R.choice(PROV_ABBR) + R.choice(PLATE_L) + serial(), "license_plate"),
    "plate_dot": (lambda: R.choice(PROV_ABBR) + R.choice(PLATE_L) + "·" + serial(), "license_plate"),
    "plate_dash": (lambda: R.choice(PROV_ABBR) + R.choice(PLATE_L) + "-" + serial(), "license_plate"),
    "plate_sp": (lambda: R.choice(PROV_ABBR) + R.choice(PLATE_L) + " " + serial(), "license_plate"),
    # GA 36-2018 small new-energy plate: D/F, a letter or digit, then four digits
    "plate_nev": (lambda: R.choice(PROV_ABBR) + R.choice(PLATE_L) + R.choice("DF") + R.choice(PLATE_L + "0123456789")
                  + digits(4), "license_plate"),
    "plate_lower": (lambda: R.choice(PROV_ABBR) + R.choice(PLATE_L).lower() + serial().lower(), "license_plate"),
    "plate_xue": (lambda: R.choice(PROV_ABBR) + R.choice(PLATE_L) + serial(4) + "学", "license_plate"),
    "pp": (lambda: R.choice("EG") + digits(8), "passport"),
    "pp_new": (lambda: "E" + R.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits(7), "passport"),
    "pp_official": (lambda: R.choice(["SE", "DE", "PE"]) + digits(7), "passport"),
    "pp_lower": (lambda: "e" + digits(8), "passport"),
    "hk": (lambda: "C" + digits(8), "hkmt_permit"),
    "hk_new": (lambda: "C" + R.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits(7), "hkmt_permit"),
    "hrp": (lambda: R.choice("HM") + digits(8), "hkmt_permit"),
    "hrp10": (lambda: R.choice("HM") + digits(10), "hkmt_permit"),
    "tw": (lambda: digits(8), "hkmt_permit"),
    "tw_old": (lambda: digits(10), "hkmt_permit"),
    "twp": (lambda: "L" + digits(8), "hkmt_permit"),
    "mil": (lambda: R.choice("南北沈兰成济广参政后装海空军") + "字第" + digits(R.choice([7, 8])) + "号", "military_id"),
    "mil_num": (lambda: digits(8), "military_id"),
    "sold": (lambda: R.choice("陆海空武") + "字第" + digits(7) + "号", "military_id"),
    "ssc": (lambda: R.choice("ABCDEFGHJKLMN") + digits(8), "social_security"),
    "ssc9": (lambda: digits(9), "social_security"),
    "dl_file": (lambda: digits(12), "driver_license"),
    "mail": (email, "email"),
    "mail_fw": (lambda: email().replace("@", "＠"), "email"),
    "mail_up": (lambda: email().upper(), "email"),
    "ip": (ipv4, "ip"),
    "ip_pub": (lambda: ipv4(False), "ip"),
    "ip_port": (lambda: f"{ipv4()}:{R.choice([80, 443, 8080, 3389, 22, 9000])}", "ip"),
    "ip_fw": (lambda: ipv4().translate(FW), "ip"),
    "ip6": (ipv6_short, "ip"),
    "ip6_full": (ipv6_full, "ip"),
    "ip6_up": (lambda: ipv6_short().upper(), "ip"),
    "ip6_zone": (lambda: f"fe80::{hexg()}:{hexg()}:{hexg()}:{hexg()}%{R.choice(['eth0', 'en0', 'wlan0', '12'])}", "ip"),
    "ip6_br": (lambda: f"[{ipv6_short()}]:{R.choice([443, 8443, 80])}", "ip"),
    "ip6_v4": (lambda: "::ffff:" + ipv4(), "ip"),
    "ip6_fw": (lambda: ipv6_short().replace(":", "："), "ip"),
    "ip6_lead": (lambda: f"{R.choice(['2408', '240e'])}:{hexg()}::{hexg()}", "ip"),
}

# Hand-written sentences. {name} is a generated value (see GEN); everything else is literal. Sentences without a
# placeholder are traps: nothing in them is personal data a recogniser should mask.
TEMPLATES = [
    # -- 居民身份证: forms, chat, OCR, glued, mistyped
    "申请人：张某  公民身份号码：{id}  联系电话：{mob}",
    "我身份证号{id}，麻烦帮我查下社保缴了没有",
    "身份证:{idx}（末位是X）",
    "sfz {idx_lower} 帮忙登记一下",
    "证件号码{id}证件类型居民身份证",
    "ID:{id};Name:Li Lei",
    "OCR 识别结果 公民身份号码 {id_sp}",
    "身份证号码：{id_sp4}",
    "身份证号 {id_dash}",
    "我的身份证是{id_fw}，请核对",
    "老身份证号码是{id15}，现在升级成18位了吗？",
    "身份证号{id_bad}，提示校验不通过，是不是我输错了",
    "身份证号码为{id_bad_date}的申请人未按期提交材料",
    "持港澳台居民居住证，号码{id_hk}，能否在本地办理公积金？",
    "台湾居民居住证{id_tw}可以用来买火车票吗",
    "澳门居民居住证号码：{id_mo}",
    "居住证号码{id}已过期，怎么续签？",
    "驾驶证号：{id_dl}，准驾车型C1",
    "社会保障号码{id_ss}，参保地：本市",
    "【投诉】市民（{id}）反映小区噪音扰民",
    "身份证{id}abc",
    "姓名王五身份证{id}电话{mob}地址不详",
    "请把{id}这个身份证号的人从名单里删掉",
    "复印件上的号码是{id}，字迹有些模糊",
    "第一申请人{id}，第二申请人{idx}",
    "公民身份号码{id}。",
    "乘车人证件：身份证 {id}",
    "Passenger ID card No. {id}",
    # -- foreigner permanent residence ID
    "外国人永久居留身份证号码：{fid_new}",
    "我是外籍人员，永居证号{fid_new}，想咨询子女入学",
    "外国人永久居留证（旧版）{fid_old}还能用吗",
    # -- credit codes
    "统一社会信用代码：{uscc}",
    "个体工商户营业执照 统一社会信用代码 {uscc_ind} 经营者：刘某",
    "纳税人识别号{uscc}，开票请写这个",
    "信用代码 {uscc_sp}",
    "营业执照号码{uscc_lower}",
    "该公司（统一社会信用代码{uscc}）拖欠工资",
    "社会信用代码/注册号：{uscc}",
    # -- mobiles
    "有事打我电话{mob}",
    "电话/微信：{mob_sp}",
    "联系人：张先生 {mob_dash}",
    "Tel: {mob_p86}",
    "手机 {mob_p86sp}",
    "境外来电显示{mob_p86dash}，是我家人的号码",
    "我在国外，号码{mob_0086}",
    "请拨打 {mob_0086sp} 联系本人",
    "WhatsApp/微信 {mob_paren86}",
    "手机号码：{mob_fw}",
    "号码是{mob_34}，白天可能接不到",
    "{mob}/{mob}（两个号码都可以）",
    "电话：{mob}、{mob}",
    "13x开头那个号码不用了，新号{mob}",
    "tel{mob}",
    "举报人电话{mob}，要求保密",
    "回电{mob}谢谢",
    "手机{mob}（微信同号）",
    "您好我是{mob}的机主，想查询话费",
    "快递员打了{mob_sp}这个号码",
    # -- landlines
    "办公电话：{tel}",
    "联系电话{tel_plain}",
    "电话（传真）：{tel_paren}",
    "咨询电话{tel_fwparen}",
    "家里座机 {tel_sp}",
    "座机{tel_dash4}",
    "请拨{tel_ext}找李老师",
    "分机：{tel_extdash}",
    "From abroad: {tel_p86}",
    "国际长途{tel_p86dash}",
    "单位电话{tel_fwdash}",
    "我家电话是{tel}，手机是{mob}",
    # -- bank cards
    "工资卡号{card}，一直没到账",
    "银行卡：{card_sp}",
    "退款请打到这张卡 {card16_sp}",
    "卡号{card16}开户行建设银行",
    "借记卡号码{card_dash}",
    "信用卡 {card_visa} 被盗刷",
    "Card number {card_mc}",
    "账号{card_bad}（户名：李某）",
    "银行卡号：{card_fw}",
    "补贴发放到社保卡金融账户{card}",
    "收款账户：{card}，开户行：工商银行",
    "请核对{card}这张卡的流水",
    "转账给{card_sp}了，对方没收到",
    # -- plates
    "车牌号{plate}违章停车",
    "车辆{plate_dot}在路口发生剐蹭",
    "我的车{plate_dash}被拖走了",
    "牌照 {plate_sp}",
    "新能源车{plate_nev}充电桩被占",
    "车牌{plate_lower}（小写输入）",
    "教练车{plate_xue}占道",
    "{plate}长期占用消防通道",
    "业主车辆：{plate}、{plate_nev}",
    # -- passports
    "护照号码：{pp}",
    "证件类型：护照 证件号码：{pp_new}",
    "Passport No.{pp}",
    "因公护照{pp_official}需要交回单位保管",
    "护照{pp_lower}丢失了怎么补办",
    "我的护照号是{pp_new}，签证页被撕了",
    # -- permits (港澳台)
    "往来港澳通行证号码：{hk}",
    "港澳通行证{hk_new}续签",
    "回乡证{hrp}办理居住登记",
    "港澳居民来往内地通行证号码{hrp10}",
    "台胞证号码：{tw}",
    "台胞证（旧版）{tw_old}",
    "大陆居民往来台湾通行证{twp}",
    "证件：港澳居民来往内地通行证 {hrp}",
    # -- military
    "军官证号：{mil}",
    "持军官证（{mil}）购票享受优先",
    "士兵证号码{sold}",
    "军官证号码{mil_num}",
    "文职干部证：{mil}",
    "退役军人，原士兵证{sold}",
    # -- social security card / driving licence file number
    "社保卡卡号：{ssc}",
    "社会保障卡卡号{ssc9}，补卡后号码变了吗",
    "驾驶证档案编号：{dl_file}",
    "驾驶证档案号 {dl_file}，扣分查询",
    "机动车驾驶证 证号 {id_dl}",
    "医保卡/社保卡号{id_ss}",
    # -- e-mail
    "邮箱：{mail}",
    "发到我邮箱{mail}谢谢",
    "E-mail:{mail_up}",
    "联系邮箱{mail_fw}",
    "材料请发送至{mail}，并抄送{mail}",
    "我的QQ邮箱是{mail}（请勿公开）",
    "<{mail}>",
    # -- IP
    "登录IP：{ip}，登录地：广东深圳",
    "用户IP {ip_pub} 多次尝试登录失败",
    "服务地址 {ip_port}",
    "访问来源：{ip_fw}",
    "IPv6地址{ip6}",
    "来源地址 {ip6_full}",
    "源IP：{ip6_up}",
    "link-local {ip6_zone}",
    "请访问 https://{ip6_br}/login",
    "日志：client={ip6_v4} method=POST",
    "用户的IPv6是{ip6_fw}",
    "从{ip}和{ip6_lead}两个地址登录过",
    "设备IP:{ip};MAC未知",
    "http://{ip_port}/admin 无法访问",
    "ip={ip_pub}&uid=anonymous",
    # -- traps: official-document numbers, dates, amounts, order numbers, versions, ISBNs, hotlines
    "根据《国务院办公厅关于印发政务服务“好差评”制度的通知》（国办发〔2019〕51号）",
    "国发〔2023〕12号文件要求",
    "本通知自2023年10月1日起施行，有效期至2028年9月30日",
    "会议时间：2024-03-15 14:30:00",
    "项目总投资1380000000元，其中中央预算内投资460000000元",
    "订单号：202310011234567890，请尽快发货",
    "快递单号SF1234567890123已签收",
    "运单号 YT7712345678901",
    "流水号110105194912310029",
    "商品编码 320102199912310011 库存不足",
    "ISBN 978-7-111-54742-6",
    "ISBN 7-5327-4455-8",
    "软件版本 2.3.1.4 已发布",
    "请升级到 v10.0.1.2",
    "依据GB/T 22239-2019 第8.1.4.3条",
    "见标准 5.2.1.3 数据备份恢复",
    "程序版本号10.0.19041.1",
    "政务服务便民热线12345",
    "报警电话110，急救电话120",
    "客服热线400-810-8888",
    "建设银行客服95533",
    "邮政编码：100101",
    "发票代码144031900111 发票号码12345678",
    "（2023）京0105民初12345号民事判决书",
    "股票代码600519",
    "时间戳1701234567890",
    "commit a3f9c2e7b1d4 修复了登录问题",
    "第3版第12次印刷，印数5000册",
    "GB 11643-1999 公民身份号码",
    "参照GB/T 2260行政区划代码",
    "比分3:1:2:0",
    "会议室号码：1101",
    "统计数据：2019年增长12.3%，2020年增长8.7%",
    "营业收入38,800,138,000元",
    "坐标 116.397128,39.916527",
    "温度 23.5℃ 湿度 65.3%",
    "2022.10.01国庆节",
    "编号：ZW-2023-00015",
    "合同编号HT20230915001",
    "本次缴费金额123.45元",
    "文号：京政办发〔2022〕18号",
    "第1.1.2.3节",
    "产品序列号SN20231105000123",
    "准予登记，档案号2023-0456",
    "身高172cm，体重65kg",
    "时间12:30:45",
]


def build() -> list[dict]:
    order = list(range(len(TEMPLATES)))
    R.shuffle(order)
    check_templates = set(order[: len(order) // 2])
    rows = []
    for t_idx, template in enumerate(TEMPLATES):
        split = "check" if t_idx in check_templates else "dev"
        repeats = 2 if "{" in template else 1
        for k in range(repeats):
            text, ents, pos = "", [], 0
            for m in re.finditer(r"\{(\w+)\}", template):
                text += template[pos:m.start()]
                gen, gold = GEN[m.group(1)]
                value = gen()
                ents.append({"type": gold, "text": value, "start": len(text), "end": len(text) + len(value)})
                text += value
                pos = m.end()
            text += template[pos:]
            rows.append({"id": f"s{t_idx:03d}-{k}", "split": split, "text": text, "entities": ents})
    return rows


def main() -> None:
    rows = build()
    for split in ("dev", "check"):
        out = HERE / f"structured_cases.{split}.jsonl"
        with out.open("w", encoding="utf-8") as fh:
            for r in rows:
                if r["split"] == split:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(out, sum(r["split"] == split for r in rows))


if __name__ == "__main__":
    main()
