"""How residents word their situation: the patterns `facts.py` reads statements with, one table per kind.

Kept apart from the reader so that a new way of saying something is a line here and a test in
tests/match/test_facts.py, and the reader's logic (conflicts, errors, places) stays short. Patterns are written with
¤ for "a character of the same clause", ⟨D⟩ a duration (numerals.DURATION), ⟨N⟩ a number, ⟨H⟩ "here" (the
resident's city and its words), ⟨P⟩ a work platform and ⟨K⟩ a relative. Cantonese is turned into Mandarin before
any pattern runs (`cantonese.py`). They are patterns for kinds of statement, never for one
sentence of a case set.
"""

from __future__ import annotations

import re
from functools import lru_cache

from zhengwu.match.cantonese import to_mandarin
from zhengwu.match.numerals import DURATION, MINUS, NUMBER
from zhengwu.match.simplified import to_simplified
from zhengwu.match.soundalike import restore

# --- text preparation ------------------------------------------------------------------------------------------

ID_BIRTH = re.compile(r"(?<!\d)\d{6}(?P<d>(?:19|20)\d{6})\d{3}[\dXx](?!\d)|身份证(?:(?![前后末尾])¤){0,12}?(?<!\d)(?P<d2>(?:19|20)\d{6})(?!\d)".replace("¤", r"[^，,。！!？?；;\n]"))
"""The birth digits of an ID number ("身份证号中间八位是19661130", not its first or last digits): read before the
number is blanked, never kept."""
PII = re.compile(r"(?<![\d])(?:\d{17}[\dXx]|\d{15}|1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}-?\d{7,8}|\d{7,})(?![\d])")
WIDE = str.maketrans("０１２３４５６７８９－：俺", "0123456789-:我")
"""Full-width digits, and the northern 俺 (我; Cantonese words are turned into Mandarin by `cantonese.to_mandarin`)."""
CL = r"[^，,。！!？?；;\n]"  # one character inside a clause
KIN = r"(?:老公|丈夫|老婆|妻子|前夫|前妻|男人|爸爸?|父亲|妈妈?|母亲|儿子|女儿|公公|婆婆|男朋友|对象|继父|继母|小叔子?|大伯子?|家里人|家人)"
"""The relatives and partners a resident names as the one who hurts them (domestic violence)."""
HURT_AT_ME = r"(?:往|朝)我(?:身上|头上|脸上)?(?:砸|抽|踢|扔|泼|摔)"
""""拿凳子往我身上砸", "拿皮带朝我抽": something thrown or struck at the writer."""
HURT_BY_PRONOUN = re.compile(
    rf"(?:他|她)(?:(?![不没别要想说怕]){CL}){{0,8}}?(?:动手)?(?:打我|打骂我|殴打我|虐待我)|"
    rf"(?:他|她)(?:(?![不没别要想说怕]){CL}){{0,8}}?[，,]?(?:(?![不没别要想说怕]){CL}){{0,8}}?{HURT_AT_ME}|"
    rf"(?:他|她)(?:(?![不没别要想说怕]){CL}){{0,6}}?对我(?:动手|动粗|拳打脚踢|施暴|又打又骂)")
""""他又动手打我了": violence described, not named, by a pronoun; domestic when the person it stands for is a relative
or partner (`PERSON_BEFORE`)."""
PERSON_BEFORE = re.compile(rf"{KIN}|邻居|同事|老板|领导|朋友|同学|陌生人|路人|客人|顾客|司机|保安|城管|房东|租客|对方|别人|有人|(?<!户)人家|男的|女的")
"""The people a pronoun may stand for: the last one named before it decides whose violence it is."""
A_PARTNERSHIP = re.compile(r"离婚|结婚|婚姻|分居|同居|夫妻|两口子|告诫书|人身安全保护令")
"""With nobody named before the pronoun, a marriage or partnership spoken of in the text ("…我想起诉离婚", a 告诫书
under the Anti-Domestic Violence Law) says who it is."""
PLATFORMS = r"(?:平台|滴滴|美团|饿了么|货拉拉|闪送|快狗|高德|曹操)"


def prepare(text: str) -> str:
    """Blank identifiers, turn full-width digits into ASCII, traditional characters into simplified ones, Cantonese
    into Mandarin and a cue word typed by sound back into the cue word ("居主证": `soundalike.restore`); same length,
    so positions hold."""
    text = restore(to_mandarin(to_simplified(text.translate(WIDE))))
    return PII.sub(lambda m: "＊" * len(m.group(0)), text)


def compile_pattern(pattern: str, here: str = "") -> re.Pattern:
    """Patterns are written with ¤ for "a character of the same clause", ⟨D⟩ a duration, ⟨N⟩ a number, ⟨H⟩ here,
    ⟨P⟩ a work platform and ⟨K⟩ a relative or partner."""
    return re.compile(pattern.replace("¤", CL).replace("⟨D⟩", f"(?:{DURATION})").replace("⟨N⟩", NUMBER)
                      .replace("⟨H⟩", here).replace("⟨P⟩", PLATFORMS).replace("⟨K⟩", KIN))


# --- yes/no statements -----------------------------------------------------------------------------------------
# Per fact, patterns in order; a later pattern never reads words an earlier one of the same fact has read, so the
# negated form ("没有办失业登记") is listed before the plain one ("办了失业登记").

NO = r"(?:没有|没|未|还没有?|尚未|从没|从来没有?|从未)"
BOOL_RULES: dict[str, list[tuple[str, bool]]] = {
    "residence_permit_local": [
        (rf"{NO}(?:去)?(?:办|申请|申领|领)?(?:理|过)?(?:(?:一张)?(?:有效|在有效期内?)的?)?(?:⟨H⟩的?)?居住证", False),
        (r"居住证(?:已经?|都|早就?)?(?:过期|失效|到期)|居住证¤{0,6}?(?:没|未)(?:去)?(?:续|办|申请|领)|(?:懒得|没空|没时间)(?:去)?办¤{0,4}居住证", False),
        (r"(?:办了|办好了?|办理(?:好)?了|办过|有办理?|有|持有|持着?|拿到了?|拿着|握着|领了|申领了)(?:一?张|个)?(?:⟨H⟩)?(?:办理的|办的|发的|的)?(?:有效的?)?(?:广东省)?居住证(?!的[\u4e00-\u9fff])|"
         r"已(?:经)?(?:在¤{0,8}?)?办理(?:了|好)?(?:⟨H⟩)?的?居住证",
         True),  # not "办理了居住证的虚假证据", "办了居住证的人": a permit describing something else
        (r"居住证(?:已经|也|都)?(?:办了|办好了?|办下来了|有效|在有效期|还在有效期)|居住证¤{0,6}?(?:去年|前年|今年|上个?月|上半年|年初|早就|早已|已经)¤{0,4}?(?:就|都|也)?(?:办|批)(?:下来|好)了|"  # a permit granted then: "去年就办下来了"
         r"居住证(?:是|系)?在?⟨H⟩(?:发|办)的|居住证¤{0,12}?(?:一直|还|都|仍然?|依然)(?:是)?(?:有效|在有效期)|"
         r"居住证[，,](?:现在|目前)?(?:还|仍然?|依然|都)(?:是)?(?:有效|在有效期)|"  # "有办广州嘅居住证，仲喺有效期"
         r"居住证(?:是|系)?在?⟨H⟩(?:发|办)¤{0,4}[，,]?(?:一直|每年|年年|按时)(?:都)?(?:有)?(?:去)?(?:续|签注)|"
         r"居住证(?:我|也|嘛|呢)?(?:一直|每年|年年|按时|都|也|还)*(?:有在?(?:去)?(?:续|办|签注)|在(?:续|签注))|居住证(?:我|也)?(?:一直|每年|年年)(?:都)?(?:按时|准时)?(?:去)?(?:续|签注)(?:着|了)?|"
         r"居住证(?:嘛|呢|我|也|都)?(?:是)?有(?:的|啊|呀)?(?=[，,。；;！!\s）)]|$)", True),  # "居住证一直有在续", "居住证嘛有的"
    ],
    "stable_job": [
        (r"(?:没有?|无)(?:稳定的?|正式的?|固定的?)?(?:工作|活干|班上)|无业|待业", False),
        (r"上班(?!路|途)|打工|干活|做工|务工|(?<![没无])有(?:劳动|正式)?合同|签了(?:¤{1,6}?的)?(?:劳动)?合同|合同签到(?:明年|后年|\d{4}年)|(?:在(?:(?!找|寻)¤){1,10}?|有份?|有个|找到了)(?:稳定的?|正式的?|固定的?)?工作(?!人员|顺利|单位|日|时间|场所|岗位|原因)|"
         r"(?:在|来|到)¤{1,10}?(?:做(?![了过完饭生买手检])|当(?![心时天地然初年中兵过]))", True),
    ],
    "stable_housing": [
        (r"(?:没有?|无)(?:固定的?|稳定的?)?(?:住处|住所|地方住|房子住|落脚)", False),
        (r"有(?:稳定|固定)的?(?:住所|住处)|(?:租了|买了|(?<![公廉想要购])[租买])(?:一?套|一?间|个)?(?:小|大|新|二手)?(?:房子?|单间|公寓|房间|屋|[一二两三四]房)|(?<![公廉])租(?:房|住)|(?:单位|员工)?宿舍|"
         r"(?<![没无])(?:有|住)自己的?房(?!产证)|(?<![想要])(?:买|租)的(?:房子?|单间|公寓)", True),
    ],
    "continuous_study": [
        (r"(?:没有?|不)(?:在)?(?:上学|读书|念书|就读)", False),
        (r"(?:读|上|念)(?:大学|小学|中学|初中|高中|研究生|大专|中专|技校|职校|幼儿园|书)(?!毕业)|(?:读|念)(?:大[一二三四五]|研[一二三]|高[一二三]|初[一二三])|在读|就读|连续读", True),
    ],
    "involuntary_job_loss": [
        (r"(?:拖欠|不发|欠|克扣)¤{0,8}工资[^。]{0,12}(?:解除|辞职|离职)|(?:不给|没给|不|没)我?(?:交|缴|买)(?:社保|社会保险)[^。]{0,8}(?:辞职|离职|解除)|"
         r"第三十八条|被迫(?:辞职|离职|解除|失业)|(?:逼|迫)我?(?:辞职|离职)|"
         r"(?:不是|并非|不算|又不是)(?:我)?(?:自己|本人|主动)(?:想|要|提出|愿意)?(?:辞职?|离职|走|要走|不干|不做)|"
         r"(?:根本|从来|压根儿?|并|又|从)(?:就)?(?:没|没有|未)(?:有)?(?:主动)?(?:提|说|申请|写|交)(?:出)?(?:过)?(?:要)?(?:辞职|离职|辞工)|"
         r"(?:叫|让|喊|要)我¤{0,4}?(?:明天|以后|从明天起|下周)?(?:就)?(?:不用|不要|别)(?:再)?来(?:上班|上工|了)|(?:叫|让)我(?:直接)?(?:走人|卷铺盖)", True),
        (r"被¤{0,8}?(?:裁|辞退|开除|解雇|炒|解聘|劝退)|把我¤{0,2}(?:辞|炒|开除|裁|解雇)|要?裁人|(?:公司|单位|厂子?)¤{0,2}黄了|(?:公司|单位|厂子?)¤{0,4}(?:倒了|倒掉了)|被(?:单位|公司|厂里?|老板)?解除(?:了)?(?:劳动)?(?:合同|关系)(?!通知|证明|协议)|解聘|裁员|把我们?都?(?:裁|辞退|开除|解雇|炒|遣散)|把我们?¤{0,10}?(?:都|全)?(?:裁|辞退|开除|解雇|遣散)(?:了|掉)|(?:整个|全)(?:部门|车间|团队|项目组|组|生产线|工厂|厂)¤{0,6}?(?:被)?(?:裁|解散|遣散)|(?:辞退|开除|解雇)了?我|遣散|"
         r"倒闭|破产|"
         r"(?:厂|公司|单位|店)子?¤{0,3}关门|(?:公司|单位|厂|老板)¤{0,6}裁了|下岗|(?:劳动)?(?:合同|合约)¤{0,6}?(?:到期|期满)[，,]?(?:(?!不知|不清|不确|会不会)¤){0,6}(?<!续)(?:不|没有?)(?:再)?(?:跟我|和我|给我|与我)?(?:续|再签)|(?:不|没)(?:再)?(?:续签|续约)|期满终止|"
         r"(?:公司|单位|老板|厂)[^。]{0,8}(?:说要|要求|提出)(?:和我|跟我|与我)?(?:协商)?解除|协商[^。]{0,16}(?:公司|单位|老板|厂)¤{0,3}(?:先)?提出|(?:公司|单位|老板|厂)¤{0,3}(?:主动)?提出[、，,]?[^。]{0,12}?协商(?:一致)?解除|(?:公司|单位|老板|厂|人事|领导)¤{0,4}主动找我[^。]{0,24}协商解除|"
         r"(?:单位|公司|老板|厂)(?:单方面)?(?:跟我|和我|与我)?(?:解除|终止)了?(?:我的)?(?:劳动)?合同(?!通知|证明|协议)", True),  # not 公司《解除劳动合同通知书》: a paper's title says nothing of who ended it
        (r"(?:自己|主动|本人|自愿)(?:提出)?(?:辞|离职|不干了|不想(?:干|做)了?|申请离职|走的|要走)|(?:我|本人|自己)(?:不想|不愿意?)再?续签|(?<!被)(?<!逼)(?<!迫)辞职|"
         r"(?:申请|提出|提了)离职|我辞了|主动把¤{0,6}注销", False),
    ],
    "registered_unemployed": [
        (rf"{NO}(?:去)?(?:办|做|进行)?(?:理|过)?失业登记|失业登记(?:我|也|都)*(?:还)?(?:没|未)(?:有)?(?:去)?(?:办|做)|失业登记¤{0,4}?(?:还)?(?:没|未)¤{0,8}?(?:办|做|弄|搞)|没(?:有)?登记(?:过)?失业", False),
        (r"(?:办理?|做|登记|进行)(?:了|好了|过)?失业登记|已经?失业登记|失业登记(?:我|本人|也|都|早就?|已经|去)*(?:办|做|登)(?:了|好了?|过|完了?)|失业登记已(?:经)?(?:办|做)|登记(?:了|过)?失业(?!人员)|"
         r"(?<![不否])(?:是|属于)登记失业人员|"
         r"失业登记(?:(?!没|未|不)¤){0,12}?(?:办|弄|搞|做|登记)(?:好|妥|完|下来)了?|失业登记(?:是|都是|也是)?(?:(?!没|未|不)¤){0,8}?(?:办|做|登记)的", True),
    ],
    "job_seeking": [
        (r"(?:不想|不打算|不准备|暂时不)(?:再)?(?:去)?(?:找|工作|上班)", False),
        (r"(?:(?<=没)|(?<=没有)|(?<=未)|(?<=不))找到(?:下一?|新的?)?(?:份|个|点)?(?:工作|活|工|事做|事干)|找(?!到)(?:下一?|新的?)?(?:份|个|点)?(?:工作|活|工|事做|事干)|投简历|(?<![要需追请征])求职(?!工|员)|(?:还想|也想|想|要|希望)(?:尽快)?(?:再|继续)?(?:上班|工作|打工|就业)|"
         r"换(?:个|份)?(?:行业|工作)|(?:工作|活|事做)(?:也|都|还|一直|正)*在找", True),
        # "还没找到工作" is looking; "后来找到工作就注销了" found one (seventeenth round), which says no search now
    ],
    "remaining_ui_entitlement": [
        (r"失业(?:保险)?金[^。]{0,24}?(?<![领有完])(?:没领完|未领完|还剩|还有[^。]{0,6}没领|没有领完)|失业(?:保险)?金[^。]{0,30}(?:剩下|还剩)¤{0,6}没(?:有)?领", True),  # not "领完没领完" (asked, not said)
        (r"失业(?:保险)?金[^。]{0,8}(?:领完了|已经领完|都领完|用完|用光)|(?:以前|之前|从来)(?:从来|也)?没(?:有)?失业过|第一次失业|"
         r"(?:以前|之前|从来|从|过去|此前)(?:从来|也|都|还)*(?:没|未|没有)(?:有)?(?:领|拿|申领|领取|享受)(?:取)?过¤{0,4}?(?:失业(?:保险)?金|失业(?:保险)?待遇)|"
         r"失业(?:保险)?金¤{0,6}?(?:以前|之前|从来)(?:都|也)*(?:没|未)(?:有)?(?:领|拿|申领|领取)过|第一次(?:申)?(?:领|申请)失业(?:保险)?金|"
         r"这是我?(?:出来|毕业|毕业后|参加工作)?(?:的|以后的|后的)?第一份(?:工作|工)|"  # a first job: no earlier unemployment
         r"(?:以前|之前|从来|此前|过去)(?:从来|都|也)*(?:没|未)(?:有)?(?:交|缴|买|参加)(?:过)?失业(?:保险|险)(?!金)|"  # never insured before
         r"(?:以前|之前|从来|过去|此前)[^。！!？?\n]{0,20}?[，,]\s*(?:我)?(?:也|都)(?:从来|从)?(?:没|未)(?:有)?(?:领|拿|申领|领取)(?:取)?过¤{0,4}?(?:失业(?:保险)?金|失业(?:保险)?待遇)", False),
        # "以前从来没交过社保，也没领过失业金": the 以前 of the clause before carries over the 也
    ],
    "holds_business_license": [
        (r"(?:营业)?执照(?:已经?|都|也)?注销|注销了?(?:营业)?执照|把¤{0,6}执照注销|没有?(?:营业)?执照|执照还没(?:去)?办|"
         r"(?:什么|任何)(?:营业)?执照(?:都|也)(?:没有?|无)", False),
        (r"(?:有|持有|还有)¤{0,14}?营业执照|营业执照[，,]¤{0,6}?(?:没|未)(?:有)?(?:去)?注销|个体户?营业执照|营业执照¤{0,3}没注销|执照(?:已经|也|都|早就)?(?:在¤{1,6}?)?(?:已经|也)?(?:办好|办了|办下来|齐全|有了)|个体户?执照|(?:营业)?执照¤{0,8}?(?:没|未)(?:有)?(?:去)?注销|"
         r"(?:办|领)了(?:营业)?执照|执照¤{0,6}?(?:是|写的是|用的是|登记的是|在)我(?:的)?名(?:字|下)|我名下¤{0,6}执照", True),
    ],
    "receiving_pension": [
        (rf"{NO}(?:按月)?(?:领|拿)(?:取)?(?:过)?(?:职工|城乡居民)?(?:基本)?(?:养老金|退休金|养老保险待遇)", False),
        (r"(?:领|拿)(?:取)?(?:着)?(?:职工|城乡居民)?(?:基本)?(?:养老金|退休金|养老保险待遇)", True),
    ],
    "hpf_depositor": [
        (rf"{NO}(?:交|缴|缴存|买)(?:过)?(?:住房)?公积金|公积金(?:没|没有|从来没)(?:交|缴)", False),
        (r"(?:交|缴|缴存|存)(?:着|了|过)?¤{0,4}(?:住房)?公积金|公积金[^。]{0,20}(?:在[交缴]|[交缴]着|[交缴]了|一直有?在?[交缴]|有[交缴]|缴存)", True),
    ],
    "traffic_main_responsibility": [
        (r"对方(?:才|也)?(?:是|负)?(?:全责|全部责任|主要责任|主责)|(?:我|自己|本人)(?:(?!不是|是不是|是否|不负)¤){0,8}?(?:次要责任|次责|无责|没有?责任)|"
         r"被(?:一辆|一台|辆|台)?(?P<v>[\u4e00-\u9fff]{0,3}车)(?:给)?撞[^。！!？?\n]{0,30}?(?P=v)(?:司机)?(?:负|是|要负)?(?:全责|全部责任|主要责任|主责)|"  # "被一辆货车撞了…认定书是货车全责"
         r"(?:认定|判)(?:我)?(?:无责|次要责任)|(?:认定书|认定|判|写)(?:(?!对方|不是)¤){0,4}?(?:次要责任|次责|无责)|(?<!不是)(?<!不算)(?<!不)(?:同等责任|同责(?!任))",
         False),  # equal responsibility (同等责任, 双方同责) is no main responsibility of the resident's
        (r"(?:判|认定|说|写|写的是|定)(?:的是)?我(?:负|是)?(?:主要责任|全责|全部责任|主责)|我(?:负|是|要负)(?:主要责任|全责|全部责任|主责)|我的(?:全责|主要责任)", True),
    ],
    "drunk": [
        (rf"{NO}(?:喝酒|喝醉|醉酒|饮酒)|{NO}(?:检出|检测出|查出|测出)(?:任何)?酒精|酒精(?:检测|测试|含量)?(?:结果)?(?:是|为|呈)?阴性", False),
        (r"喝醉|醉酒|喝多了|醉驾|酒醉|醉了|醉醺醺|酩酊大醉", True),
    ],
    "occupational_disease": [
        (r"(?:不是|没有?|未)(?:被)?(?:诊断|确诊|认定)?(?:为|成|是)?职业病", False),
        (r"职业病诊断|(?:诊断|确诊|鉴定|认定)(?:为|是|出|成)?¤{0,4}职业病|得了职业病|患(?:有|了)?职业病|尘肺|矽肺|职业性(?!格)¤{0,8}?(?:病|中毒|聋|皮炎|哮喘|白内障|肿瘤|癌)", True),
        # 职业病分类和目录 names every entry 职业性… (职业性噪声聋, 职业性皮炎, 职业性哮喘)
    ],
    "domestic_violence_victim": [
        (r"没有?(?:遭受|受过)?(?:家暴|家庭暴力)", False),
        (r"家暴|家庭暴力|⟨K⟩(?:[和跟、](?:他|她|我)?的?⟨K⟩)*(?:经常|总是|老是|常常|又|一直|长期|天天|动不动就?|还)*(?:打我|打骂我|殴打我|虐待我|遗弃我)|被¤{0,4}(?:虐待|遗弃)|"
         r"被⟨K⟩(?:[和跟、](?:他|她|我)?的?⟨K⟩)*(?:殴打|打骂|毒打|打)|"
         r"⟨K⟩¤{0,10}?(?<![不没别])(?:就|便|会|还)(?:会)?(?:动手)?(?:打我|打骂我|殴打我)|⟨K⟩(?:(?![不没别])¤){0,8}?对我(?:拳打脚踢|动手|施暴|又打又骂)|"
         rf"⟨K⟩(?:(?![不没别要想说怕])¤){{0,8}}?{HURT_AT_ME}|(?<![没未])(?:出|开|下|发)(?:过|了)?(?:家暴|家庭暴力)?告诫书", True),
        # a 告诫书 is what the police issue to whoever commits domestic violence (反家庭暴力法 第十六条)
    ],
    "good_samaritan_claim": [
        (r"见义勇为|(?:抓|追|制止|拦)住?(?:小偷|歹徒|坏人|抢劫|小贼|劫匪)|"
         r"(?:有人|小偷|歹徒|劫匪|坏人|贼)¤{0,3}(?:偷|抢|扒|行凶|持刀)¤{0,8}[，,]?(?:我|就|我就)?(?:冲|跑|追)?(?:上去|过去|去)?(?:拦|制止|阻止|抓|追)|(?:救|扶)了?(?:落水|溺水|跌倒|摔倒)¤{0,3}(?:人|者|老人|小孩|儿童)|救人|"
         r"把¤{0,4}?(?:掉(?:进)?(?:水|河|江|海|湖|塘)里|落水|溺水)的?(?:人|小孩子?|孩子|细路仔?|老人|小朋友|儿童)(?:给)?(?:救|捞|拉|拖|抱)(?:了)?(?:上来|起来|上岸|出来)",
         True),
    ],
    "migrant_worker": [
        (r"农民工|进城务工|外出务工|(?:是|系)(?:从)?[\u4e00-\u9fff]{2,4}?(?:农村|乡下)?(?:来|到|出来)⟨H⟩(?:打工|务工)的?|(?:从|是)?(?:农村|乡下|村里|山里)(?:出来|到城里|来|进城)[^。]{0,12}(?:打工|务工|干活|做工|上班|进厂|搬砖|(?:送|跑)(?:快递|外卖)|工地)|"
         r"从(?:老家)?[\u4e00-\u9fff]{0,6}?(?:农村|乡下|老家)?出来(?:打工|务工|进厂)|(?:^|(?<=[，,。；;！!？?\s]))(?:我|俺|咱)?(?:们|两口子|一家人?|夫妻俩?|自己)*(?:早年|很早|早就|从小|年轻时|十几岁)?(?:就|也|都|一直|是)*(?:出来|进城)(?:打工|务工)|"
         r"(?<![看探])[\u4e00-\u9fff]{2,4}来的[，,]\s*(?:在)?¤{0,8}?(?:工地|工厂|厂里)¤{0,3}(?:打工|干活|做工|扎钢筋|搬砖|砌砖|做)", True),
    ],
    "economic_hardship": [
        (r"(?:家里|家庭|经济)?条件(?:还)?(?:可以|不错|挺好|还行)|不缺钱|经济(?:上)?(?:不困难|宽裕)|(?:不|并不)(?:算|是|属于)(?:经济|家庭)?困难", False),
        (r"(?:经济|家庭|家里)条件(?:很|比较|特别|非常)?(?:困难|差|不好)|经济(?:很|比较|特别)?困难|(?:家里|家庭|生活)(?:确实|真的|实在)?(?:很|比较|特别)?困难|家里(?:很)?穷", True),
    ],
    "platform_labor_relation": [
        (r"(?:跟|和|与|同)⟨P⟩¤{0,4}(?:没有?|未|不)¤{0,3}(?:签|劳动关系|合同)|没(?:有)?(?:和|跟|与|同)⟨P⟩(?:公司|平台)?(?:签|建立)|"
         r"⟨P⟩(?:没有?|未|不)(?:跟|和|与|给)?我?(?:签|建立)", False),
        (r"(?:跟|和|与)⟨P⟩(?:签了|签订了|有)(?:劳动)?(?:合同|劳动关系)", True),
    ],
    "employer_pension": [
        (r"(?:单位|公司|餐馆|饭店|老板|厂里?|店里?|东家|雇主|学校|医院|物业|酒店|商场)(?:也)?(?:没|没有|不)(?:给我?|帮我|为我)?(?:交|缴|买)(?:过)?(?:养老保险|养老|社保)",
         False),
        (r"(?:单位|公司|老板|厂里?)(?:有|已经|一直)?(?:给我|帮我|为我)(?:交|缴|买)(?:了|着)?(?:养老保险|社保)", True),
    ],
    "employment_registration_gd": [
        (rf"{NO}(?:办|做)?(?:过)?(?:广东(?:省)?的?)?就业登记", False),
        (r"(?:办|做)(?:了|过|好了)?(?:广东(?:省)?的?)?就业登记|就业登记(?:证明)?(?:已经)?(?:办了|办好|有)|就业登记(?:证明)?(?:之前|以前|早就|已经)?(?:在¤{1,6}?)?(?:办|做)(?:过|了|好了?)|有(?:广东(?:省)?的?)?就业登记", True),
    ],
    "criminal_record_5y": [
        (rf"(?:{NO}|无)(?:受过|有过|被判过|犯过)?(?:任何)?(?:犯罪记录|刑事处罚|刑事记录|违法犯罪|犯过法|犯过罪|犯过事|坐过牢|案底|被判过?刑|判过刑)|"
         r"没犯(?:过)?(?:什么|任何)?(?:法|罪|事)|无犯罪记录|遵纪守法", False),
        (r"(?:近|最近|这)(?:五|5)年(?:内|里)?¤{0,4}(?:被判|判过|受过刑事处罚)|(?:今年|去年|前年|前(?:两|几|一两|三|四)年)[^。]{0,24}(?:被判|判了|判过|坐牢|服刑|拘役|缓刑)",
         True),
    ],
    "special_industry_frontline": [
        (r"(?:不是|不属于|并非|非|不算)(?:什么|¤{0,8}?(?:那种|这种|那类|这类|之类的?))?(?:特殊(?:技能|艰苦)?行业|特殊技能|特殊艰苦行业|特殊岗位|特殊工种)|普通¤{0,3}?(?:行业|岗位|职业|工种|工作)(?!人员|者)|"
         r"(?:不是|不属于|并非|不算|不在)(?:什么)?(?:生产)?一线(?:的)?(?:工种|岗位|工人|员工|人员|职工|从业人员)?", False),
        (r"(?:是|属于|在)(?:特殊技能|特殊艰苦行业|特殊行业|艰苦行业)", True),
    ],
    "minimum_living_allowance": [
        (r"(?:不是|没有?|未|不)(?:吃|领|享受|拿)?(?:过)?(?:[\u4e00-\u9fff]{2,5}的)?低保(?!标准|线|的标准)", False),
        (r"低保(?:户|家庭|对象)|(?:吃|领|享受|拿)(?:着)?低保(?!边缘)|(?:是|家里是|家是)低保(?!边缘)|(?:已经?|被|早就?|就|都)(?:纳入|列入|评上|评为)(?:了)?低保(?!边缘|标准|范围)|(?:纳入|列入|评上)(?:了低保|低保了)|"
         r"(?<![等要想])低保(?:已经|也|都|早就?)?(?:批下来|批了|批准了|审批通过|办下来|办好)了?(?![再才就])", True),  # the office's decision: "家庭已纳入低保", "低保批下来了"
    ],
    "low_income_household": [
        (r"(?:不是|没有?|不)(?:被认定为?)?(?:[\u4e00-\u9fff]{2,5}的)?(?:低收入|低收)(?:家庭|户)", False),
        (r"(?:低收入|低收)(?:家庭|户|对象)", True),
    ],
    "extreme_poverty_support": [
        (r"(?:不是|没有?|未)(?:被)?(?:纳入)?(?:[\u4e00-\u9fff]{2,5}的)?特困", False),
        (r"(?:纳入|列入|已经是|属于|是|享受)(?:了)?特困|特困(?:人员|户|供养人员)(?!救助供养)", True),
    ],
    "work_injury_nursing_fee": [
        (r"(?:没有?|未|不)(?:领|拿)(?:取)?(?:过)?工伤(?:保险)?的?护理费", False),
        (r"(?:领|拿)(?:取)?(?:着)?工伤(?:保险)?的?护理费|工伤(?:保险)?的?护理费¤{0,3}(?:在领|领着)", True),
    ],
    "living_at_home": [
        (r"(?:没|没有|不|不想|不愿意?|没打算|未|尚未|从未|从来没有?|并未)(?:去|住|进|入住|住进)(?:过)?(?:任何)?(?:养老院|养老机构|敬老院|福利院|护理院|老人院)", True),
        (r"(?<!想)(?<!要)(?<!准备)(?<!打算)(?:住|入住|住进|搬进|送进|进了)(?:了|到|在|进)?¤{0,8}?(?:养老院|养老机构|敬老院|福利院|护理院|老人院)"
         r"(?!附近|旁边|隔壁|对面|门口)", False),
        (r"(?<![为能想要])住(?:在|进)¤{0,8}?(?:自己|自家|的)?(?:家里|家中|屋里|老房子|老屋|祖屋|老宅|旧屋|家(?=[，,。；;！!？?\s]|$))|"
         r"(?<![为能想要])住(?![户院改])(?:在|进)?¤{0,8}?(?:自己|自家|我们?家?|他|她|儿子|女儿)的?(?:家里|家中|屋里|房子里?|家(?=[，,。；;！!？?\s]|$))|"
         r"(?:和|跟|与|同)¤{0,6}?一家人?¤{0,8}?住|"
         r"(?:和|跟|与|同)(?:儿子|女儿|子女|孩子|儿女|家人|家里人|儿孙)(?:一家)?(?:一起|一块儿?)住(?!¤{0,6}(?:养老院|养老机构|敬老院|福利院|护理院|老人院))|"
         r"(?<![回])(?:在|于)¤{0,6}?(?:自己|自家|的)?(?:家里|家中)(?:居住|住|生活|养老)|独居|在家(?:养老|生活|住)|(?:一个人|独自)(?:在家|住)", True),
    ],
    "lives_alone": [
        (r"(?:和|跟|与|同)(?:老伴儿?|我们?|我家|家里人|儿子|女儿|子女|孩子|家人|老公|老婆|丈夫|妻子|爱人|儿媳|女婿|孙子|孙女|保姆|¤{1,6}一家)(?:一家)?(?:两个人|两口子?|俩|一家人)?(?:一起|一块儿?)?(?:在¤{1,8}?)?(?:住|生活|居住|同住)|"
         r"(?:不是|并非|不)(?:一个人|独自|独)(?:住|居|生活)", False),
        (r"独居|独自(?:一人)?¤{0,6}?(?:住|生活|过日子)|(?<!任何)(?<!每)一个人(?:在¤{1,8}?)?(?:住|生活|过日子)", True),
    ],
    "disability_certificate": [
        (rf"{NO}(?:去)?(?:办|领|申请)?(?:过)?(?:残疾人?)?证|残疾人?证(?:已经?|都)?(?:过期|失效|到期)|"
         r"(?:残疾人?|(?<![^，,。；;\s]))证(?:我|也|都)*(?:还)?(?:没|未)(?:有)?(?:去)?(?:办|领|拿|申请)", False),
        (r"(?:有|(?<![支坚保维])持有?|办了|拿到了?|领了)(?:《)?(?:中华人民共和国)?(?:残疾人?)?证|残疾人?证(?:上|是|写|在有效期|[一二三四\d]级)|"
         r"(?:残疾人?|(?<![^，,。；;\s]))证(?:我|也|都|早就?|已经|早已)*(?:有(?!没|无|效期)|办(?:了|好了?|下来了?)|拿到了?|领(?:了|到了?))", True),
    ],
}
"""Only where the text says so: a fact with no statement stays unknown."""

FORM_KEYS = {"residence_permit_local": r"(?:广州|本市)?居住证", "disability_certificate": r"残疾人?证",
             "registered_unemployed": r"失业登记", "minimum_living_allowance": r"低保(?:户|家庭)?",
             "holds_business_license": r"营业执照", "receiving_pension": r"(?:养老金|退休金)"}
"""Sixteenth round: a form-like line "居住证：无（本地人不用办）", "残疾证：有" — a key of a status at the start of a line (or
after ；/，), a colon and a yes or a no: that fact, as a form gives it (ages, registrations and genders in 键：值 lines are
read by their own patterns: 年龄：六十三, 户籍：广州市). Only the values a form's box holds; "居住证：在办" is no value."""
_FORM_NO = r"(?:无|没有|没|否|未办理?|没办|未持有|过期|已过期|失效|已失效|不是)"
_FORM_YES = r"(?:有|是|已办理?|办了|已领|持有|有效)"
FORM_KEYS_NO = {"special_industry_frontline": r"(?:是否|是不是|属不属于|是否属于)?特殊(?:工种|行业|岗位)",
                "criminal_record_5y": r"(?:近五年|五年内)?(?:刑事处罚|犯罪记录|刑事记录|违法犯罪记录?)"}
"""Seventeenth round: keys whose line is read only when it says no ("刑事处罚：无", "是不是特殊工种：不是"): a yes to
"犯罪记录：有" does not say within five years, nor "特殊工种：是" which trade."""
for _fact, _key in [*FORM_KEYS.items(), *FORM_KEYS_NO.items()]:
    _line = rf"(?:^|(?<=[\n；;，,]))\s*{_key}(?:情况)?:\s*"
    _end = r"(?=[\s（(，,；;。]|$)"
    _rules = [(rf"{_line}{_FORM_NO}{_end}", False)] + ([(rf"{_line}{_FORM_YES}{_end}", True)] if _fact in FORM_KEYS else [])
    BOOL_RULES.setdefault(_fact, [])[:0] = _rules

CORRECTION = re.compile(r"(?:^|(?<=[，,。；;！!\s哦噢啊呃唔哎唉嗯额…—\-]))(?:不对|不是)(?:不对|不是)?(?=[，,。；;！!\s…—]|$)|(?:说|讲|写|记|搞|算|填|打|按|输|敲)错了?|更正|纠正|口误|改口")
""""三年零两个月，不对，…是三年零四个月", "33岁，哦不对，…是34岁": the speaker corrects what they said; the value after
the correction replaces every value of the same fact before it (for any fact), so it is no conflict."""
HYPOTHETICAL = re.compile(r"如果|假如|假设|假若|要是|(?<![\d一二两三四五六七八九十百千])万一|的话|就算|即使|哪怕|即便")
""""如果公司倒闭了", "万一被辞退": a clause that supposes; not the 万一 of an amount ("两万一千元", "三万一")."""
COUNTERFACTUAL = re.compile(r"(?:你|您|你们|就|帮我|给我)(?:就)?(?:当|当成|当作|算成|写成|填成|按)(?:我|是|成|作)|"
                            r"(?:能不能|可不可以|可以|能否)(?:算|当|写)(?:我|成|作)|(?<!被)(?:当成|当作|写成|填成|算成)")
""""你就当我是被辞退的", "能不能算我是被辞退的？": a request to treat something as so, which states nothing (the fact
said elsewhere, "我是自己辞职的", stands)."""
ABOUT_THE_RULE = re.compile(r"需要|要求|必须|最多|最高|最少|最低|才能|才可以|是不是|算不算|算吗|要不要|以上吗|以下吗|满足|条件|要\d|要[一二三四五六七八九十]")
"""With a question mark: "是不是要交满一年失业保险？" asks what the rule wants, it does not say what the resident has."""
OTHERS = re.compile(r"有人|别人|(?<!户)人家|邻居|他们|有的人")
""""村里有人是低保户": someone else's status; not "在两户人家做钟点工" (households one works for)."""
NEGATED = compile_pattern(r"(?:没有?|不是|不算|不属于|并非|非|无|未|从没|从来没有?|从未|不)[过有是]?¤{0,2}$")
"""A closed value negated just before its cue, in the same clause ("我不是骑手", "还没退休", "从没当过兵")."""
OTHER_PERSON = re.compile(r"(?:我的?|我家)?(?:朋友|同学|室友|同事|工友|老乡)(?![和跟与])")
"""A clause about someone else ("我同事是退伍军人"; a relative is often the one asked for: "我弟弟是精神残疾"), matched at
the clause's start, so "我和同学一起开网店" is still the resident."""
STUDY_TO_COME = compile_pattern(r"(?:明年|下学期|将来|以后|准备|打算|想|要|给|为了|方便|好让)¤{0,6}$")
""""孩子明年要上幼儿园", "办居住证给儿子读书用", "想办个居住证方便孩子读书": a study to come or the purpose of a
request, no study now."""
CLOSED_WISH = re.compile(r"想|打算|准备|计划|希望")
"""A wish is not a state ("想去跑外卖"), except for a value asked for (ValueSet.wanted: 请求…, 提取…)."""
A_NOT_A = re.compile(r"是不是|有没有|算不算|属不属于|是否|[是有算][不没]$")  # "是不是低保户": a question states nothing

FUNDS = (r"(?:钱|资金|本钱|本金|自有资金|自筹资金)¤{0,3}(?:不够|不足|紧|不太够|周转不过来|周转不开|短缺|困难|(?:还)?差(?!不多))|缺钱|差钱|差(?:点|一些|些)钱|"
          r"缺少?(?:资金|本钱|钱)|没钱|钱不多")
"""Money short for the business (自筹资金不足)."""
LOAN_WANTED = compile_pattern(r"(?<![没不])(?:想|要|申请|能)¤{0,6}(?:贷款|贷点款|贷|借点?钱|借款)")
LOAN_INTENT = compile_pattern(LOAN_WANTED.pattern + "|" + FUNDS)
ENTERPRISE = re.compile(r"小微|企业规模|(?:小型|微型|中型|大型)企业|我们(?:是|的)?(?:一家)?[^，,。去到找给问向跟和在]{0,8}(?:企业|公司)(?!的|上班)|我们是[^，,。去到找给问向跟和在被受要]{9,14}?(?:企业|公司)(?!的|上班|员工|职工|工人|的员工)|我[间家][细小](?:企业|公司|厂)|(?:我公司|我司|本公司)(?!的?(?:员工|职工|工人))")
""""我们是越秀区一家小型科技公司", "我间细公司喺白云区注册" (Cantonese: my small company), the formal "我公司为…注册的"
/ "我司": the speaker's enterprise (with ENTERPRISE_PROFILE: an employee's "我们公司不交公积金" names none)."""
ENTERPRISE_PROFILE = re.compile(r"小微|(?:小型|微型|中型|大型)(?:企业|公司)|注册|招|新请|伙计|员工|职工|人数|规模|\d+个?人|[一二三四五六七八九十百]+个?人")
"""An enterprise speaking of itself names its size, staff, registration or hires ("我们公司30个人"); an employee's
"我们公司不交公积金" does not."""
_FIRM = r"(?:公司|企业|厂子?|单位)"
ENTERPRISE_OWN = compile_pattern(
    rf"(?:我们|咱们?)(?:是|的)?(?:这个|这家|这间|一家|家|间)?(?:(?![去到找给问向跟和在])¤){{0,14}}?(?:公司|企业|厂)(?!的?(?:员工|职工|工人|上班|打工|做|干))|"
    rf"(?:^|(?<=[，,。；;：:\s]))(?:(?:我们|咱们?|我|本)?{_FIRM}|我司)(?:是|在|的|为)?(?:营业)?(?:执照|(?:¤{{0,12}}?(?:注册|登记)))|"
    rf"(?:(?:^|(?<=[，,。；;：:\s]))(?:公司|单位)是|客户是|老板的)(?:一家|家|间)?¤{{0,12}}?{_FIRM}|"
    rf"(?:^|(?<=[，,。；;：:\s]))(?:是)?(?:一家|家|间)?(?:小|细|小型|微型)(?:公司|企业|厂)(?=[，,。；;]|$)")
"""The speaker's own enterprise named in business words: "我们间厂", "我们是天河区注册的一家小型软件公司", "公司是白云区注册
的", "厂子营业执照是在江门注册的", "客户是一家…企业" (an accountant's), a clause "细公司" of its own; formal: "我公司为花都区注册的…", "我司在…注册"."""
ENTERPRISE_APPLIES = compile_pattern(
    rf"(?:以|用){_FIRM}的?名义¤{{0,4}}?(?:贷|申请)|{_FIRM}里?(?:能不能|可不可以|能否|可以|想|能|要)¤{{0,4}}?(?:贷|申请)")
"""The enterprise as the one asking ("以公司名义能贷吗", "公司能不能贷创业担保贷款", "想用厂的名义贷款")."""
ENTERPRISE_SAYS = compile_pattern(
    r"(?:营收|营业收入|营业额|流水|开票|销售额|产值)¤{0,8}?[\d一二两三四五六七八九十百千几]+来?多?万|社保上¤{0,2}?挂|(?:交|缴纳?|参|买)(?:了|着)?(?:社保|社会保险)的(?:员工|职工|工人|人|伙计)?(?:有|是|共)|"
    r"参保(?:的)?(?:员工|职工|人数)|社保系统里|在册(?:的)?(?:员工|职工)|在职(?:员工|职工)|(?:员工|职工)总数|"
    r"(?:个|名)(?:人|员工|职工|工人|伙计)(?:都|在|有)?(?:交|缴|买)(?:了|着|紧)?(?:社保|社会保险)")
"""What only an enterprise says of itself: its turnover as an amount (营收两千来万, 开票一年几百万 — read as no fact: the
size of an enterprise is set by its industry's thresholds, 《中小企业划型标准规定》, which a turnover alone does not
decide; "加盟费不能开票" is no turnover) or its staff as insured (社保上挂着12个人, 交社保的有30个人, 在册员工). With
ENTERPRISE_OWN or ENTERPRISE_APPLIES it makes a description an enterprise's; an employee's "公司在职员工有两百人，却拖欠
工资" names no enterprise of the speaker's, nor "以单位的名义购买了社保" one applying."""
EMPLOYEE_WRONGED = compile_pattern(r"(?:拖欠|欠|克扣|扣|不发|不给|少发)(?:了|着)?我|(?:辞退|开除|裁|炒)(?:了)?我|我(?:被|给)¤{0,6}?(?:辞退|开除|裁|炒)|(?:把|将)我(?:给)?(?:辞退|开除|裁|炒)")
"""An employee's grievance ("公司拖欠我工资", "把我辞退了"): whoever says it speaks as a worker, not for the enterprise,
however the enterprise is described."""
BUSINESS_WORDS = re.compile(r"创业|经营|开店|店|进货|周转|扩|生意|项目|开(?:了)?(?:个|家|一家)?公司|作坊|摊|执照|注册")
INJURY = re.compile(r"工伤|职业性|[矽硅]肺|受伤|伤了|[烫烧割扭撞砸压轧夹摔刺划砸]伤|[压砸轧夹切]断|骨折|摔|撞|砸|职业病|尘肺|突发|抢救|车祸|交通事故")
EMPLOYER_ABOUT = (r"(?:我们|我司|本公司|我公司|本单位|我单位)(?:公司|单位|厂|店|工地|车间|部门)?的?有?(?:一|两|几)?(?:名|位|个)"
                  r"(?:正式|新来的|老)?(?:员工|职工|工人)|(?:员工|职工|工人)[\u4e00-\u9fff]某")
"""An employer's clerk naming an employee ("我们厂一名正式工人", "我们公司一位员工", "员工王某"): someone other than the
writer, and an employee."""
EMPLOYEE_SAID = compile_pattern(r"(?:我|本人|他|她|(?:我的?|我家)?⟨K⟩|(?<=[，,]))(?:是|系)(?:这|那)?(?:一?[家间个])?¤{0,8}?(?:厂|公司|单位|工地|车间|酒店|商场|超市|医院|学校|物业)里?的?"
                                r"(?:工人|员工|职工|正式工|合同工|正式员工|正式职工|技术员|司机|保安|保洁)|"
                                r"(?:跟|和|与|同)(?:厂里?|公司|单位|老板|酒店|工地|医院|学校|物业)(?:一直|都|也)?(?:有|签了?|签订了?|签的是)"
                                r"¤{0,8}?劳动合同|(?:我|本人|他|她|(?:我的?|我家)?⟨K⟩)(?:是|系)(?:一名|一个|个)?(?:开)?(?:公交车?|地铁|环卫|校车)(?:司机|驾驶员|工人)|" + EMPLOYER_ABOUT)
""""我是五金厂的工人", "我是这家物流公司的员工", "跟厂里一直有劳动合同": an employee said of oneself (or by the labour
contract with the employer), read wherever the text tells of an injury."""
WORK_WORDS = re.compile(r"上班|下班|单位|厂|公司|工地|车间|仓库|老板|干活|工位|工作|打工|岗位|送货")
PAST = re.compile(r"以前|之前|原来|曾经|过去|早年|年轻时|当年|前几年|前些年|几年前")
THIRD_PARTY = re.compile(r"(?<![其我])他|她|同事|工友|朋友|业主|客服|主管|经理|工作人员|保安|司机|邻居")
"""Someone the clause speaks of before a job-loss cue ("他被开除了", "业主闹到物业公司后被开除的"): their job, not the
resident's (a relative asked for, "我儿子被辞退了", is not in the list)."""
JOB_LOSS = re.compile(r"停业|歇业|裁|辞退|辞职|离职|失业|倒闭|破产|遣散|解除|不续|关门|开除|解雇|不干了|辞了")


@lru_cache(maxsize=1024)
def rx(pattern: str, here: str) -> re.Pattern:
    """A reader pattern (yes/no rules, closed-value cues) compiled for the resident's city (⟨H⟩), once per city."""
    return compile_pattern(pattern, here)


ELDER = (r"(?:爷爷|奶奶|外公|外婆|姥姥|姥爷|太婆|太公|阿爷|阿嫲|阿婆|阿公|阿爸|阿妈|老爸|老妈|老豆|老母|爸爸?|妈妈?|父亲|母亲|"
         r"家父|家母|岳父|岳母|公公|婆婆|老人家?)")
"""The older relatives a resident asks for: "我爷爷八十五了" is an age without 岁 (two or three digits, or 八十五). Not a
spouse: "我老伴七十一" may be said by the applicant about someone else of the household."""
AGE_DECADE = compile_pattern(r"(?:我|本人)(?:今年|现在|已经|已|都|也)*(?P<n>[二三四五六七八九]十|[2-9]0)多岁(?!以上|以下|的)")
"""An age said by its decade, "我六十多岁了": a range (ranges.py), not a number. Only the writer's own (我, 本人 just before):
in real letters "接了80多岁的老母亲", "我的父母(七十多岁)", "老人…现在70多岁" are someone else's."""
AGE = compile_pattern(rf"(?P<sign>{MINUS})?(?P<n>⟨N⟩)周?岁(?:了|整)?(?!以上|以下|左右|多|出头|的|生日|以内|时|那年|之前|之后|前|后|起|退休)|"
                rf"今年(?:刚|已经|已)?满?(?P<sign2>{MINUS})?(?P<n2>⟨N⟩)(?:了|啦)?(?=[，,。；;！!？?\s]|$)|"
                rf"(?:年龄|年纪)(?::\s*)?(?:(?:忘了?|忘记|没|漏)(?:填|写)了?[，,]\s*)?(?:填|是|为|填了|填的是|写的是|已经|都)?(?P<sign3>{MINUS})?(?P<n3>⟨N⟩)(?![\d有零〇○一二两三四五六七八九十百])|"
                rf"(?:按|照|按照)¤{{0,12}}?算(?:起来|下来|的话)?(?:他|她|我)?(?:已经|都|是|才|只有|只)*(?P<sign11>{MINUS})?(?P<n11>⟨N⟩)(?:周?岁)?了?(?=[，,。；;！!？?\s]|$)|"
                rf"(?:我|本人|他|她|老人)(?:刚|已经|已)?满(?P<sign4>{MINUS})?(?P<n4>⟨N⟩)(?:周?岁)?了?(?=[，,。；;！!？?\s]|$)|"
                rf"(?<=[男女])(?:的|性)?[，,、\s]+(?:今年)?(?P<sign5>{MINUS})?(?P<n5>\d{{1,3}}|[一二三四五六七八九十百]{{2,4}})(?:了|啦)?(?=[，,。；;、\s]|$)|"
                rf"(?:我|本人|他|她)(?:已经)?(?P<sign6>{MINUS})?(?P<n6>⟨N⟩)(?:了|啦)(?=[，,。；;！!？?\s]|$)|"
                rf"(?<![他她])(?:我|我家|我们家)?(?:的)?{ELDER}(?:今年|现在)?(?:已经|都)?(?P<sign7>{MINUS})?"
                rf"(?P<n7>\d{{2,3}}|[一二三四五六七八九十百零]{{2,5}})(?:了|啦)?(?=[，,。；;！!？?\s]|$)|"
                rf"过(?:了|完)(?P<sign8>{MINUS})?(?P<n8>⟨N⟩)周?岁(?:的)?生日|"
                rf"(?:说|讲|记得)(?:(?:他|她|我)(?:自己)?|自己)(?:今年|已经|才|都)*(?P<sign9>{MINUS})?(?P<n9>⟨N⟩)(?:岁|了|啦)*(?=[，,。；;！!？?\s]|$)|"
                rf"(?:我|本人|他|她|{ELDER}|今年|年纪|年龄)(?:今年|已经|已|都|年已)*(?P<sign10>)(?P<n10>[二三四五六七八九]十有[一二三四五六七八九])(?:岁|了|啦)*|"
                rf"(?P<sign12>)(?P<n12>\d{{2,3}}|[一二三四五六七八九十百零]{{2,5}})(?:周?岁)?的人了")
"""An age is also said by its numerals alone after the speaker's gender ("我女的，五十六了"), in the old idiom
"七十有五" (seventy and five), which is only ever said of an age, and in an aside ("别看她59岁的人了", "我都57的人了")."""
AGE_PAIRED = compile_pattern(r"(?:^|(?<=[，,、；;]))(?:我|本人)(?:呢|自己)?(?:今年)?(?P<n>\d{2,3}|[一二三四五六七八九十百零]{2,5})(?:周?岁)?(?:了|啦)?"
                             r"(?=[，,。；;！!？?\s]|$)")
"""An age in a list of people's ages ("她今年61，我58"): the bare number after 我, read only beside another's age."""
BARE_AGE_END = re.compile(r"(?:今年|已经|都)?(?:\d{2,3}|[一二三四五六七八九十百零]{2,5})(?:周?岁)?(?:了|啦)?$")
AGE_EN = re.compile(r"\b(?P<n>\d{1,3})\s*(?:years?|yrs?)[\s-]*old\b|\baged?\s*(?P<n2>\d{1,3})\b", re.I)
YMD = r"(?:19|20)\d{2}|[一二九〇零○][〇零○一二三四五六七八九]{3}"
MD = r"\d{1,2}|[一二三四五六七八九十]{1,3}|廿[一二三四五六七八九]?|卅一?"  # 廿五 = 25 (written and Cantonese)
YY = r"(?<![\d〇零○一二三四五六七八九十])(?:[2-9]\d|[二三四五六七八九][〇零○一二三四五六七八九])"
"""A birth year said by its last two digits ("六零年五月生的", "63年3月生"): 1920–1999."""
BIRTH = re.compile(
    rf"(?:(?:出生(?:日期|于|在)?|生日(?:是)?|生于)[:：是为]?\s*)?(?:(?P<y>{YMD})\s*[年./-]|(?P<yy>{YY})\s*年)\s*(?P<mo>{MD})\s*[月./-]\s*(?P<d>{MD})\s*[日号]?"
    rf"(?=\s*(?:出生|生的|生人|生(?![效产活意病气])|出世))|(?:出生(?:日期|于|在)?|生日(?:是)?|生于)[:：是为]?\s*(?P<y2>{YMD})\s*[年./-]\s*"
    rf"(?P<mo2>{MD})\s*[月./-]\s*(?P<d2>{MD})")
GENDER = re.compile(r"(?<![儿子孙妇少女男无有个生俩])(?P<g>男|女)(?:的|性|士)?(?=[，,。；;、\s\d]|的|性|士|$|[一二三四五六七八九十]|今年)")
FESTIVAL = (r"(?P<fest>元旦|春节|(?:过完年)?(?:正月十五|元宵节?)|过完年|过年|(?<![\d一二三四五六七八九十])五一(?:劳动节|节)?|劳动节|清明节?|端午节?|中秋节?|国庆节?|冬至)"
            r"(?P<fpart>前后|左右|那阵子?|那会儿?|那几天|期间|之前|以前|之后|以后|过后|过完|前|后)?")
"""A festival a stay began at ("前年中秋前后", "今年端午节过后", "去年国庆"): its date in that year (`festivals.py`);
before or after it, within about a month (之前/之后), about it, within about half a month (前后/左右)."""
SINCE = (rf"(?:(?P<y>{YMD})年|(?P<rel>今年|去年|前年|大前年))?(?:(?P<mo>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月份?"
         rf"(?:(?P<d>[12]\d|3[01]|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]|廿[一二三四五六七八九]?|卅一?)[号日])?"
         rf"(?P<part>初|上旬|中旬|下旬|中|底|末|尾|(?:[一二三]?十)?几[号日])?|{FESTIVAL})")  # 二十几号: a day not said
"""A month something began in ("前年三月份", "今年5月29号", "七月底", "2023年2月"), or a festival (`FESTIVAL`); with no
year, the last such month or festival."""
ARRIVED_ON = compile_pattern(rf"{SINCE}(?:的时候|¤{{0,12}}?(?:开学|上学|入学|报到|生日|结婚|出生)¤{{0,2}}?(?:那天|那一天|的时候|那会儿?))?(?:才|就|刚|刚刚|我|我们|一家人?|全家|又)*(?:从[\u4e00-\u9fff]{{2,8}}?)?"
                             r"(?P<verb>来到|搬过来|过来|搬到|搬来|出来|回来|回到|考上|考进|考到|来|到)(?:的|了)?(?P<p>[\u4e00-\u9fff]{2,6})?")
"""A stay's start: "前年三月份来的广州", "七月底才从江西赣州过来", "今年二月初搬到广州荔湾", "我是今年七月份过来的", a date
named by what happened on it ("九月一号我儿子幼儿园开学那天我们全家搬到广州") — counted to
today in whole months (a month with no day: the count may be one less, which a stated length within it agrees with).
Also "今年7月初才到的" (no place: here), "前年十月出来的，一直在白云区…" (left home; the next clause places it,
`STAYED_SINCE`), "前年九月考上了番禺大学城那边的研究生" (a study begun at a place) and "九月二十几号才又回来广州" (a return
after an absence that lasted, `AWAY_FOR`: the stay counts from it)."""
ADDRESS_LINE = re.compile(r"(?:^|(?<=\n))\s*(?:现住址|现居住地|现住地|居住地址?|常住地址?|现地址|住址)\s*:\s*(?P<v>[^\n]{1,30})")
"""Seventeenth round: a form's address line "现住址：广州市天河区…" is where the resident lives now; "现住址：同上" (or 同户籍地)
is the place of the line above it (`SAME_AS_ABOVE`)."""
SAME_AS_ABOVE = re.compile(r"同上|同户籍(?:所在)?地?|与户籍地?(?:相同|一致)|见上")
AWAY_FOR = re.compile(r"回(?:了)?老家[^。！!？?\n]{0,16}?(?:一直|待|呆|住)(?:了|到)")
""""今年春节回老家照顾我妈一直待到八月底，九月二十几号才又回来广州": an absence that lasted; the return begins the stay."""
STAYED_SINCE = re.compile(r"[，,]\s*(?:我|就|都|一直|然后)*一直(?:都|就)?在(?P<p>[\u4e00-\u9fff]{2,8})")
"""Where one has been since leaving home: "前年十月出来的，一直在白云区太和镇一个五金厂做事" (出来 names no place; the
clause after it does, with 一直在)."""
MOVED_AWAY = re.compile(
    r"(?:又|已经|早就|就)?(?:回了?|回到)老家(?:了|去了|住了|待着|呆着)(?![^，,。；;！!？?\n]{0,4}(?:一趟|几天|过年|探亲|看))|"
    r"(?:又|已经|早就|就)?(?:搬走|搬离|搬出去|搬回老家|离开(?:广州|深圳|佛山|东莞|这边|这里|本市|那边|那里))了")
""""去年3月来的广州，现在已经回老家了", "三个月前到的广州，后来搬走了": the resident left the place of an earlier arrival or
stay, so that stay is not the current one (only what follows, "现在在佛山上班", is). Not a plan or a visit home
(`A_TRIP_HOME`)."""
STAY_AWAY = re.compile(r"回(?:了|到)?[^，,。；;！!？?\n]{0,6}?(?:老家|家乡|乡下|农村)|(?:在|到)(?:老家|家乡|乡下)")
""""前年回老家住了一年多": a stay at home, elsewhere, said in the clause of the length; not the stay here."""
A_TRIP_HOME = re.compile(r"想|要|打算|准备|计划|过年|春节|每年|放假|国庆|五一|清明")
A_VISIT = re.compile(r"看病|就医|住院|治病|旅游|旅行|玩|出差|开会|探亲|看望|办事|参加|考试|面试|读完")
""""去年3月来广州看病": an arrival for a visit, which begins no stay."""
INSURED_SINCE = compile_pattern(rf"(?:(?P<ins>社保|社会保险|失业保险|失业险)(?:是|我|也|都|一直)*)?从?{SINCE}(?:(?:入职|进厂|进(?:了|的)?¤{{0,4}}?(?:公司|单位|厂)|参加工作)¤{{0,8}}?)?(?:才|就|刚)?(?:开始|起)¤{{0,8}}?"
                                r"(?:交|缴|买|参保)(?:纳)?(?:了|的)?(?P<ins2>社保|社会保险|失业保险|失业险)?")
"""An insurance paid since a month ("社保是2023年2月开始在广州交的，一直没断过"), also the month one joined the employer
that began paying it ("社保是从2022年10月入职现在这家公司开始交的"): its length counted to today."""
A_TOTAL = re.compile(r"一共|总共|累计|累积|合计|共计|加起来|前后")
""""前年三月开始交的，到现在一共二十个月": a total of the months paid (or stayed), which may have gaps, so it can be fewer
than the months since the start (the date bounds it from above only)."""
INSURANCE_STOPPED = re.compile(r"(?<![没不未])(?:断了|断过|停了|停交|不交了|没交了|没再交)")
BORN_IN = re.compile(rf"(?:(?P<y>{YMD})|(?P<yy>{YY}))\s*年(?:(?P<mo>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?)?(?:初|底|末|上旬|中旬|下旬)?"
                     r"\s*(?:出生|生的|生人|出世|生(?![效产活意病气日了下完小孩宝娃病意子过]))")
"""A birth year, or year and month ("1971年6月出生", "1961年生的"): the age it gives is exact only when the month is said
and is not this month; otherwise it only checks an age stated in words (a year allows two ages)."""
BORN_IN_AFTER = re.compile(rf"出生(?:于|在|的|年份是?|(?:日期|年月|时间)?(?:上)?(?:写的|写着|显示的?|登记的|印的|填的)?(?:是|为|[:：]))\s*"
                           rf"(?:(?P<y>{YMD})|(?P<yy>{YY}))\s*年"
                           r"(?:(?P<mo>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?)?"
                           r"(?!\s*[\d〇零一二三四五六七八九十廿卅]{1,3}\s*[月日号])")  # a whole date is BIRTH's (birth_date)
""""出生于1968年", and a call record's "您是哪一年出生的？答：1968年" read as "是出生的1968年" (`spoken._ASKED`): the
year after the word, read as BORN_IN reads it; also a document's "出生日期是1970年10月", "出生年月写的是1967年2月" (an ID's
or 户口本's month, set against an age said in words: two values, asked)."""
NOT_OWN_BIRTH = re.compile(r"儿子|女儿|孩子|小孩|孙|侄|外甥")
HUKOU_AFTER = compile_pattern(
    r"(?:户口本(?:¤{0,10}?[，,])?上面?(?:写的)?|户口|户籍)(?!本(?!市|地|上))(?:所在地|地)?(?:(?:跟|和|同)(?:我|我们)?(?:老公|老婆|丈夫|妻子|爱人|家里人|家人|一家人?|全家|爸妈|父母|孩子|儿子|女儿)(?:一起|一样)?)?(?:一直|还|也|都|现在|仍然|目前|本来|刚|刚刚|已经|早就|其实|实际上|我?记得|我?觉得|我?认为|我?印象中|好像|应该)*"
    r"(?P<neg>不在|不是)?(?P<prep>是在|系在|在|是|系|落在|挂在|留在|属于|迁到了?|迁回了?|:\s*)?"
    r"(?P<p>[\u4e00-\u9fff]{2,8})")
HUKOU_BEFORE = re.compile(r"(?:户口|户籍)")
HUKOU_NATIVE_OF = re.compile(r"(?<!户)籍(?!贯)(?=[，,。；;、\s）)]|人|$)")
""""来电人：女，衡阳籍", "其系广东揭阳籍": a hotline record's 籍 (the place the household is registered); not 籍贯 (ancestry)."""
HUKOU_ANSWERED = re.compile(r"(?:户口|户籍)[^？?。，,]{0,8}?[？?]\s*(?:(?P<neg>不是|不在)的?[，,]?)?\s*(?:我的?)?(?:户口|户籍)?(?:是|在)?"
                            r"(?P<p>[\u4e00-\u9fff]{2,8})")
""""户口是广州的吗？不是，是佛山的", "你问我户口在哪？在湖南长沙": a question the resident asks and answers; the answer is the
fact, and a place only asked about is none."""
HUKOU_MOVED = compile_pattern(r"(?:说|讲|听说)(?:(?![想要准打能])¤){0,8}?(?:(?:已经|早就|早)(?:迁|转)(?:去|到|回)了?|(?:迁|转)(?:去|到|回)了)"
                              r"(?P<p>[\u4e00-\u9fff]{2,6})|(?:说|讲)(?:户口|户籍)(?:其实|应该|明明|一直)?(?:是|在)(?P<p2>[\u4e00-\u9fff]{2,6})|"
                              r"(?:说|讲)(?:其实|应该|明明|一直|早就)?(?:是|在)(?P<p3>[\u4e00-\u9fff]{2,6}?)的?(?=[，,。；;！!？?\s]|$)")
""""户口我记得是广州的，可我女儿说早几年已经迁去佛山了", "我老公讲是佛山的": a second claim about the registration named
earlier in the sentence (the place alone must end its clause: "说是在广州打工" is no claim about the registration)."""
HUKOU_KEPT = re.compile(r"(?:户口|户籍)(?:一直|还|也|都)*(?:(?:没有?|未|没有?往?这边)(?:迁|转|动|迁过来|迁出来)|[^，,。；;（(]{0,8}?(?:没有?|未)(?:迁|转|动)|(?:在|留在|挂在)(?:那边|那里|那儿|老家))")
ORIGIN = re.compile(r"(?:从|我是|本人是?|我)?(?P<p>[\u4e00-\u9fff]{2,6}?)(?:那边|老家)?(?:来的|过来的|人)(?=[，,。；;\s]|$)|老家(?:在|是)?(?P<p2>[\u4e00-\u9fff]{2,6})|"
                    r"(?:^|(?<=[，,。；;\s]))(?:我|本人)(?:是|系)?(?P<p3>(?!老家)[\u4e00-\u9fff]{2,6}?)的(?=[，,。；;\s])")
""""河南来的，户口没迁", "老家湖北荆州的，户口也还在那边", "我湖南邵阳的，户口还在老家": the registration stayed where
the resident came from."""
NO_HUKOU_THERE = ("香港特别行政区", "澳门特别行政区", "台湾省")
SELF_INTRODUCED = re.compile(r"(?:我是|本人是?|我)?(?P<p>[\u4e00-\u9fff]{2,6}?)人$|(?:我是|本人是)(?P<p2>[\u4e00-\u9fff]{2,6}?)的$")
""""安徽阜阳人，38岁，…": a description that opens by naming where the resident is from (a clause of its own)."""
PLACE_ROLES = [
    ("issuer", compile_pattern(r"(?:区|市|县|镇)?(?:的|这边|那边)?(?:办|发|签发|补办|申领|申请|领|开具)(?:理|了|的|好|过|下来)*¤{0,6}?"
                               r"(?P<what>居住证|证件?|执照|证明|登记|手续|社保卡|护照|通行证)")),
    ("status", compile_pattern(r"(?:区|市|县|镇)?(?:的|一家人?|全家|我们家)?(?:都|也)?(?:是|属于|被评为|评上了?|纳入了?)?(?:吃|领|享受|拿)?(?:着|了)?"
                               r"(?P<s>低保|特困|低收入|低收)")),
]
"""What a place is attached to, right after it in its clause, when that makes it no residence: the office that issued a
certificate or a registration ("在广州办了居住证", "在天河办的失业登记"), or the place a status is granted in
("广州的低保户", "在清远吃低保") — which is where the household is registered (`read_status_place`). An office that issued
a business licence or registration is where the business is registered; one that issued anything else is not."""
NOT_A_BUSINESS_REGISTRATION = re.compile(r"(?:失业|就业|结婚|婚姻|户口|户籍|居住)$")
HUKOU_STATUS_FACT = {"低保": "minimum_living_allowance", "特困": "extreme_poverty_support", "低收入": "low_income_household",
                     "低收": "low_income_household"}
"""Statuses granted where the household is registered: the place they are held in is the registration's."""
NATIVE = re.compile(r"(?:土生土长|地地道道|地道)的?(?P<p>[\u4e00-\u9fff]{2,4}?)人|本地人(?!口|员|才|士)")
RESIDE = compile_pattern(r"(?:住在|搬到|搬来|搬去|搬回|(?:独居|居住|生活)在|(?:住进了?|住(?![户院改在证])|(?<![家亲别工客病夫里])人在)(?![这那]))(?P<p>[\u4e00-\u9fff]{2,8})|(?:来[了到]?|(?<![看听想说得收找遇感受达做见提])到)(?P<p3>(?!当地|这边|这里)[\u4e00-\u9fff]{2,6}?)"
                   r"(?=¤{0,8}?(?:住|居住|生活|打工|上班|工作|读|上学|干活|定居|带|做(?![了过完饭生买手检])|年|月|星期|周|天))|"
                   r"(?<![现正实存好想要])在(?P<p2>(?!在)[\u4e00-\u9fff]{2,6}?)(?:街道|镇)?(?:的?家里?)?(?:住(?!证)|居住(?!证)|生活|养老|带|打工|打了|上班|工作|读|上学|干活|待|呆|跑|定居|做(?![了过完])|"
                   r"开(?:滴滴|网约车|出租|货车))|"
                   r"(?<![老娘婆夫亲回一全])(?:家|家里|屋|老屋|祖屋|老房子|老宅)(?:就|都|也|一直|还)*在(?P<p4>[\u4e00-\u9fff]{2,6})")
_RELATIVE = rf"(?:我的?|我家)?(?:⟨K⟩|{ELDER}|哥哥?|姐姐?|弟弟?|妹妹?|(?:[两三几]个)?(?:小孩|孩子|子女|儿女))(?:也|都)?"
RELATIVE_SAID = compile_pattern(rf"{_RELATIVE}(?:是|系|的)|(?:不过|但是?|可是|只是)(?:{_RELATIVE})(?:户口|户籍)")
""""我爸是湖南户口", "我老婆是广州户口的": a clause opening on a relative speaks of that relative's registration; so
does a side remark on one ("不过奶奶户口不在广州"; "我妈户口在荔湾" may be the one asked for, and is not dropped)."""
_CHILDREN = r"(?:[两三几]个)?(?:小孩|孩子|子女|儿女|娃)(?:们)?"
CHILDREN_SAID = compile_pattern(rf"(?:我的?|我家)?{_CHILDREN}(?:也|都)?(?:是|系|的)")
ASKED_FOR_CHILD = compile_pattern(rf"(?:帮|替|给|为){_CHILDREN}|{_CHILDREN}(?:也|现在)?(?:能不能|能否|可不可以|可以|能|想|要)")
""""两个小孩都是跟我落的广州户口": the children's registration, not the applicant's when another relative's is stated and
the children are not the ones asked for."""
THEIR_RELATIVE_SAID = compile_pattern(rf"(?:他|她)的?(?:(?:⟨K⟩|{ELDER}|哥哥?|姐姐?|弟弟?|妹妹?)(?:和|跟|、)?)+(?:也|都)?(?:是|系|的|户口)")
""""他爸爸是广州户口", "她爷爷奶奶都是广州户口": the registration of a relative of the person asked about (a son, a
grandchild), which is not that person's."""
ON_BEHALF = compile_pattern(rf"(?:帮|替|给|代)(?:我的?|我家)?(?:⟨K⟩|{ELDER}|哥哥?|姐姐?|弟弟?|妹妹?|老人家?|孩子|小孩)"
                            r"(?:问|咨询|打听|了解|查|申请|办)|" + EMPLOYER_ABOUT)
""""帮我爸问的", "替我父亲咨询": the one who writes is not the one the facts are about. Sixteenth round: nor is an
employer's clerk writing about an employee ("我们厂一名正式工人…", "我司…与员工王某协商一致解除"): a count word or a
名某 names someone other than the writer, so "我是我们公司的正式员工" is not such a description."""
ASKER_OPENS = re.compile(r"[\s，,]*(?:我自己|我本人|我个人|我(?=在|是|的户口|户口|今年|也|现在))")
THIRD_PERSON = compile_pattern(rf"他|她|⟨K⟩|{ELDER}|员工|职工|工人|[\u4e00-\u9fff]某")
""""我自己在深圳上班，户口也迁深圳了": when writing for someone else, a sentence that opens on the writer speaks of the
writer (until it turns to 他/她 or a relative), whose facts are not the applicant's."""
SOMEONE_ELSES = re.compile(r"儿子|女儿|子女|孩子|他|她|孙|亲戚|朋友|别人|[哥姐弟妹]")
""""住在女儿家里": someone else's home, which the registration's district does not place."""
HOME_PLACE_END = re.compile(r"(?:区|市|县)?(?:那边|这边|那里|这里|附近)?(?:[，,。；;！!？?\s]|$)")
""""屋企都喺番禺，": a home's place (RESIDE's p4) ends its clause; "家在广州有套房" owns a house, it does not say one lives there."""
RESIDE_TIME = compile_pattern(
    r"(?:(?:(?<!算下)(?<!算起)(?<!加起)(?<!看起)(?<!数下)来|到|搬到|搬来|住在|在)(?P<p>(?!这(?![边里]))[\u4e00-\u9fff]{2,6}?)¤{0,8}?|(?:住|居住|生活)了?¤{0,3}?|来了|过来|(?P<now>至今|迄今))"
    r"(?:快|近|将近|已经|刚好|刚|都|整整|有)?(?<!第)(?P<dur>⟨D⟩)")
"""The stay's length after a place come to or lived in, or after 住了 alone; not the 来 of 算下来 / 算起来 (a reckoning:
"算下来住了有三年")."""
ARRIVED = re.compile(r"(?:过来|搬过来|来这边|来这里)的?$|(?:来|到|搬来)的[\u4e00-\u9fff]{2,6}$")
""""我是今年5月29号才带着孩子过来的，到今天刚好半年": an arrival with no place of its own, counted to now."""
STAY_FILLED = compile_pattern(r"(?:居住|居住时长|居住时间|居住年限|在本市居住)(?:那一?栏|这一?栏|一栏|栏)?(?:里)?(?:我)?(?:填|写)(?:的是|了|的)?(?P<dur>⟨D⟩)")
""""居住时长那一栏我填的是-6个月": the stay as filled in on a form (an impossible value is an error, not a stay)."""
ARRIVED_AGO = compile_pattern(r"(?P<dur>⟨D⟩)(?:前|之前|以前)(?:才|刚|刚刚|就)?(?:来|到|搬到|搬来|来到)(?:的|了)?(?P<p>[\u4e00-\u9fff]{2,6})")
""""三个月前才到广州": a stay counted from an arrival so long ago."""
UNTIL_NOW = re.compile(r"(?:现在|今天|目前|如今|今)")  # "到现在…五个月": RESIDE_TIME's place slot holding a time
NOTHING_PAID = [
    (("social_insurance_years", "ui_contribution_months"), compile_pattern(rf"{NO}(?:交|缴|买)(?:过)?(?:社保|社会保险)")),
    (("ui_contribution_months",), compile_pattern(
        rf"失业(?:保险|险)(?!金)¤{{0,6}}?(?:都|也)?{NO}(?:交|缴)|{NO}(?:交|缴)(?:过)?失业(?:保险|险)(?!金)")),
]
INSURANCE_WORDS = re.compile(r"失业保险金|失业金|失业保险|失业险|社会保险|社保|公积金|养老保险|医保|房贷|房租|学费")
INSURANCE_FACT = {"失业保险": "ui_contribution_months", "失业险": "ui_contribution_months",
                   "社保": "social_insurance_years", "社会保险": "social_insurance_years"}
PAID_AGAIN = [
    compile_pattern(r"(?<![购收])(?:交|缴|买)(?:了|过|足了?|够了?|满了?)(?:刚好|整整|才|只|满)*(?P<dur>⟨D⟩)(?![\d日号]|多?的?¤{0,3}(?:房贷|房租|学费|公积金|医保|养老|失业|社保|社会保险|住房|税|物业|管理费|押金|保证金|首付|定金|电费|水费|话费))"),
    compile_pattern(r"(?:算下来|加起来|算起来|合计|算了算|算了一下|算一算|累计|累积|共计)(?:缴费|缴纳|交费|参保)?(?:一共|总共)?(?:有|是|才|只有|达)?"
                    r"(?:正好|刚好|整整|刚)?(?P<dur>⟨D⟩)"),
]
"""An insurance named in an earlier clause and its length after it: "失业保险是…开始交的，到被裁那天一共交了十四个月"."""
LENGTH_ALONE = compile_pattern(r"(?:^|(?<=[，,]))(?:刚好|正好|整整|刚刚|一共|总共|前后|足足)+(?:是|有)?(?P<dur>⟨D⟩)(?:整)?(?=[，,。；;！!？?\s]|$)")
""""失业保险是从去年11月交到今年10月，刚好整整十二个月": a clause holding only a length said exactly, after a clause that
names the insurance (read as COUNTED_TO_NOW is)."""
COUNTED_TO_NOW = compile_pattern(r"(?:到现在|至今|到今天|到目前|到如今)(?:为止)?(?:一共|总共|已经|刚好|刚刚|正好|整整|都)*(?:有|是)?(?<!第)(?P<dur>⟨D⟩)")
""""社保从来广州第二年开始交，到现在刚好五年": the insurance named in this clause or the one before, counted to now."""
SOURCE_RECORD = (r"记录|系统|显示|查询|查出来|查到|查了|查的|[上一]查|APP|App|app|小程序|网上|网站|官网|打印|清单|明细|流水|表上|证上|"
                 r"卡上|单子上?|证明|认定书|鉴定|登记的|填的|写的|上面|算下来|数下来")
"""A record, a document, a system or an official finding as the source of what follows in its clause ("社保APP上查只有
九个月", "打印出来的缴费明细上只有三年", "认定书上写的是…")."""
SOURCE_OWN = (r"(?:我|自己)(?:自己)?(?:记得|觉得|认为|印象中?|数了?一?下|算了?一?下|数|算|"
              r"(?:翻|看|对|核对|查)(?:了|过)?(?:翻|看|对|一下|下|一遍))|印象中|掰着?手指头?算")
"""The resident's own memory, count or look as the source ("我自己数了一下才五个月", "掰着手指算是五个月", "我翻了翻有
六年"): set against another source's figure (an agent's, an employer's, a record's), it is a second statement of the
same fact."""
CONTRAST = r"(?:可是|可|但是|但|不过|其实|却|实际上|实际|结果|然而|反而)"
"""The links that set a statement against the one before it ("…住满半年了，可我自己数了一下才五个月")."""
SOURCE_SAID = (r"说(?!了)|讲(?!了)|(?<!电)话|告诉我?|按¤{1,10}?算|照¤{1,10}?(?:算|说法|说的)|据|认定|评定|评的|判的|定的|登记|记的|记着|"
               r"写着|打出来|算出来|算的")
"""The grammar of attribution, whoever or whatever the source is: "<anyone> 说/讲/告诉我", "按 <X> 算", "照 <X> 的说法",
"据 <X>", "<X> 认定/评的/判的/定的", "<X> 登记/记的/写着", "<X> 打出来/算出来" (a landlord, a village committee, an HR clerk,
a payslip, a bank: the source itself is never listed)."""
SOURCE_WHERE = r"(?<=[\u4e00-\u9fffA-Za-z0-9])(?:上|里|那边|那里)(?![班学课午来去网个周次头面过了])"
"""A document or an office as the place a figure is found ("工资条上扣社保只扣了三年", "村委会那边是一年"): a source only in a
clause that a contrastive link sets against the one before ("…可工资条上…", "…其实银行对账单上…"), as 在老家那边待了三年
alone is a stay, not a source."""
RECORDED = r"(?:登记|记|写|显示|扣|签|算|查|打|评|定|判|开|交|缴|是|只有|才)"
"""What a document or an office does with a figure (工资条上扣了, 合同上签的是, 那边登记是): after a place-like source,
one of these must follow, so "但在老家那边待了三年" (a stay there) is no source."""
OTHER_LENGTH = re.compile(r"合同|执照|营业|工龄|房贷|贷款|租期|刑|工作|上班|干活|打工|干了|做了|读书|上学|试用|公积金|医保|"
                          r"养老保险|住院|病假|产假|工资(?![条单])|欠|拖")
"""A clause about another length ("劳动合同约定的是三年", "营业执照上登记是一年", "工资拖了三个月"): no restatement of the
stay or the insurance stated before it, whatever its source."""
_NOT_RESTATING = r"(?!再|还(?!是)|差|能|会|要|以后|之后|就能|就可以)"
"""A time to come or what is left ("HR讲还差两个月", "说再过两个月"), between a source and a length: no restatement."""
RESTATED = compile_pattern(rf"(?:{SOURCE_RECORD}|{SOURCE_OWN}|{SOURCE_SAID}|{CONTRAST}¤{{0,10}}?{SOURCE_WHERE}(?:¤{{0,3}}?{RECORDED}))"
                           rf"(?:{_NOT_RESTATING}¤){{0,10}}?(?:[，,](?:只有|才|也就|就|是|总共|一共|加起来)?)?"
                           r"(?:是|只有|才|有|为|显示|也是|就)?(?P<dur>⟨D⟩)"
                           r"(?:多|左右)?(?:了|啦|而已|的)?(?=[，,。；;！!？?\s]|$)")
"""A source restating a length already stated, in a clause that names no fact of its own ("印象中交了两年…记录显示只有八个
月", "中介说我住满半年了，可我自己数了一下才五个月"): the same fact again, so two different values are a conflict to ask
about, not a choice. The length ends its clause: "我觉得三个月就能找到工作" restates nothing. It may stand in a clause of
its own right after the source's ("物业的登记表上写的入住时间是今年七月，只有四个月", "单位开的证明上，只有三年"): a clause
holding nothing but a length says it of the source before it."""
LEASE_RESTATED = compile_pattern(rf"(?:(?:租房|租赁|房屋)(?:合同|协议)|租约|起租)"
                                 rf"[^。！!？?]{{0,30}}?(?:到现在|至今|到今天|只有|才|一共)(?:是|有)?(?P<dur>⟨D⟩)(?:了)?"
                                 rf"(?=[，,]¤{{0,2}}?{CONTRAST})")
"""Seventeenth round: a lease's length set against the resident's own account of the stay ("租房合同是今年7月1号签的，到
现在五个月，但其实我3月初就来广州了…算下来有九个月"): the papers' length is a second value of the stay (asked), read only
when the resident's own length follows it."""
RESTATED_UNREAD = compile_pattern(rf"{CONTRAST}¤{{0,12}}?(?:说|讲|告诉我?|(?<!电)话|记得|认为|觉得|坚持)¤{{0,24}}?"
                                  r"(?:才|就|是)(?:(?P<came>来|过来|到|出来|搬来|搬过来)|(?P<paid>开始交|开始缴|交|缴|买))的")
"""Sixteenth round: another source restating when a stay or an insurance began in words the reader cannot reckon ("我
自己记得是今年4月底来的广州，但是我表姐说我是过完端午节才来的"): the fact is disputed, so the value first stated is not
read (asked), never kept as if nobody had said otherwise."""
AGE_CORRECTED = compile_pattern(rf"(?:{CORRECTION.pattern})[^。！!？?]{{0,20}}?(?:是|满|刚满|已经|过了|刚过了?)*(?P<n>⟨N⟩)(?:周?岁)?(?:生日)?(?:了|啦)?(?=[，,。；;！!？?\s]|$)")
AGE_SAID_BARE = compile_pattern(r"(?:我|今年|年纪|年龄|岁数)(?:是|有|才|已经)?⟨N⟩(?:周?岁)?(?:了)?[，,…—\s]*(?:哦|噢|啊|呃|哎|唉|嗯)?$")
""""我六十，哦不对，上个月过了生日，六十一了", "今年五十四，哦不对，上个月刚过了五十五周岁生日": an age said, corrected to
the number after the correction (the corrected value, not a second statement)."""
CORRECTED = compile_pattern(rf"(?:{CORRECTION.pattern})[^。！!？?]{{0,20}}?(?:应该|其实|实际|实际上)?(?:是|有)(?P<dur>⟨D⟩)")
""""社保交了六年，更正一下，应该是七年": the corrected length, of the fact last stated before the correction."""
SAID_AGAIN = compile_pattern(r"(?:说|讲|记得)(?:是|只有|才|得|就|有|只)*(?:交了|缴了|交|缴)?(?P<dur>⟨D⟩)多?(?:了|啦)?(?=[，,。；;！!？?\s]|$)")
""""我妈说我交了三年失业保险，我自己记得是两年", "公司话得九个月": another speaker's length of the fact last stated, the
length ending the clause (not "他说再过两个月就…")."""
ABOUT = r"(?:差不多|大概|大约|将近|接近|快要?|不到|不足|没到|不满)?"
"""A word that makes the length after it approximate: read as a range (numerals.approximate_range), never dropped."""
DURATION_FACTS = [
    ("ui_contribution_months", compile_pattern(
        r"失业(?:保险|险)(?!金)(?:费)?(?:在[\u4e00-\u9fff]{2,6}?)?(?:单位|公司|厂里?|老板)?(?:帮我|给我|为我)?(?:也|都|就|才|一共|总共|累计|连续|已经|一直|只|刚好|刚|之前|以前|前后|先后|其实|实际上)*"
        r"(?:交满|缴满|交|缴|缴纳|买|参保)(?:了|满|过|够)?"
        r"(?:从?[\d一二三四五六七八九十]{1,3}月份?(?:到|至)[\d一二三四五六七八九十]{1,3}月份?(?:这|共|一共|总共)?)?"  # "交了1月到10月这十个月"
        rf"(?:刚好|整整|才|只|满)*{ABOUT}(?P<dur>⟨D⟩)")),
    ("ui_contribution_months", compile_pattern(r"失业(?:保险|险)(?!金)(?:累计|累积|一共|总共|已经)?(?:缴费|交费|参保)?(?:年限|时间|时长|月数|记录)?:?"
                                        r"(?:填的是|填的|写的是|写的|显示|只有|才|是|为|有)?(?:刚好|已经|已|整整)?(?:满|够)?"
                                        rf"{ABOUT}(?P<dur>⟨D⟩)")),
    ("ui_contribution_months", compile_pattern(r"失业(?:保险|险)(?!金)¤{0,4}?(?:交|缴)(?:到|满)第(?P<dur>⟨D⟩)")),
    ("ui_contribution_months", compile_pattern(r"(?:交|缴|缴纳)了?失业(?:保险|险)(?!金)费?(?:共|一共|总共)?(?P<dur>⟨D⟩)")),
    ("ui_contribution_months", compile_pattern(
        r"(?:交|缴|缴纳|买)(?:了|满|过|够)?我?(?:刚好|整整|才|只|满)*(?P<dur>⟨D⟩)多?的?失业(?:保险|险)(?!金)")),
    ("ui_contribution_months", compile_pattern(
        r"失业(?:保险|险)(?!金)(?:我|我们)?(?:也|都|一直|连续|累计|总共|一共|已经)*(?:交|缴|买)(?:足|够|满)?(?:了)?(?:成|足足)?"
        rf"{ABOUT}(?P<dur>⟨D⟩)")),
    ("ui_contribution_months", compile_pattern(
        r"(?<![\d零一二两三四五六七八九十半])(?P<dur>⟨D⟩)(?:的)失业(?:保险|险)(?!金)(?:公司|单位|厂里?|老板)?(?:也|都|一直|全)*(?:有)?(?:帮我|给我|为我)?(?:交|缴|买)(?:了|齐|足|着|的)?(?=[，,。；;！!\s]|$)")),
    ("social_insurance_years", compile_pattern(
        r"(?:社保|社会保险)(?:在[\u4e00-\u9fff]{2,6}?)?(?:一直|已经|已|也|都|刚好|才|总共|一共|连续|其实|实际|实际上|只|就)*(?:交满|缴满|交|缴|缴纳|买)?(?:了|满|够|过)?(?:刚好|整整|满)*"
        rf"{ABOUT}(?P<dur>⟨D⟩)")),
    ("social_insurance_years", compile_pattern(r"(?:交|缴|缴纳|买)(?:了|满|过)?(?P<dur>⟨D⟩)多?的?(?:社保|社会保险)")),
    ("social_insurance_years", compile_pattern(
        r"(?:社保|社会保险)(?:我|记录)?(?:查了一下|查了下|查了|算了一下|算了下|算了|看了一下|看了下)[，,]?(?:是|有|共|一共)(?P<dur>⟨D⟩)")),
    ("social_insurance_years", compile_pattern(
        r"(?:上了?|干了?|工作了?)(?P<dur>⟨D⟩)的?班?¤{0,2}(?:社保|社会保险)(?:一直|都|也)有?(?:交|缴)")),
]
RESCUE = [compile_pattern(r"抢救(?:了)?¤{0,3}?(?P<dur>⟨D⟩)"), compile_pattern(r"(?P<dur>⟨D⟩)(?:后|之后)¤{0,4}(?:去世|死亡|走了|离世)")]
UI_PLACE = compile_pattern(
    r"在(?P<p>(?!在)[\u4e00-\u9fff]{2,6}?)(?=¤{0,8}?(?:上班|工作|打工|公司|厂|单位|交|开|返聘|失业|做|干活))|"
    r"(?:公司|单位|厂)在(?P<p3>[\u4e00-\u9fff]{2,6})")
UI_EMPLOYER = compile_pattern(r"(?:这|那)?一?[家间个]¤{0,4}?(?:公司|工厂|厂|单位|酒店|餐馆|饭店|商场|超市)")
""""广州这家公司", "番禺一间制衣厂": the employer placed by the place named just before it."""
UI_PLACE_BEFORE = re.compile(r"(?:的|这边的|那边的)?(?:公司|厂子?|单位|工作)(?!日)")
OPERATE = r"开(?:吊机|吊车|塔吊|叉车|铲车|货车|泥头车|的士|出租车?|公交车?|大巴|挖机|挖掘机)"
"""Work said by the machine one drives ("在南沙码头开吊机"): a job, not a shop one opens."""
WORK_HERE = compile_pattern(r"(?:在|(?:^|(?<=\n))\s*(?:工作|工作单位|就业单位|单位)\s*:\s*(?:在)?)(?P<p>(?!在)(?:(?![找寻])[\u4e00-\u9fff]){2,6}?)(?:(?![找寻])¤){0,6}?(?:上班|打工|工作|干活|就业(?!登记|困难|创业|服务|补贴|指导|中心|局|政策|见习|援助)|做|当(?![心时天地然初年中兵过])|担任|任职|(?<![责主信担放])任(?=¤{1,6}?(?:员|师|长|经理|主管|会计|文员|职))|" + OPERATE
                            + r"|开了?(?:家|个|一家)?¤{0,4}(?:公司|店|厂|工作室))")
JOB_LENGTH = compile_pattern(r"(?:干了|做了|上了|工作了|(?<![找没])工作|上班|打工|打了|做工|干)(?:¤{0,4}?)(?P<dur>⟨D⟩)多?(?:了|的)?(?:班|工|活|嘢)?")
"""A job's length ("做了四年嘢", "在厂里干了三年")."""
INSURED_ALONG = compile_pattern(r"失业(?:保险|险)(?!金)¤{0,10}?(?:交|缴|买)|(?:交|缴|买)(?:纳)?(?:着|了)?失业(?:保险|险)(?!金)")
NOT_ALONG = re.compile(r"没|未|不|断|停|后来|才|中间|其中|部分|有时|几个月|几年|之后|以后|之前|以前|开始|去年|今年|前年|最近|刚|想|要")
""""做了四年嘢，失业保险一直是公司同我一起交的": the insurance paid along the job, in the clause next to the job's length
and with no number of its own, was paid for as long as the job; not when that clause says it began later, stopped,
covered a part, belongs to an earlier job (之前的失业保险), or is a wish."""
A_LENGTH = compile_pattern(r"⟨D⟩")
STAY_SO_FAR = compile_pattern(r"(?:已经|都|有|快|近|将近|差不多|整整|刚好|刚|大概)*(?P<dur>⟨D⟩)多?(?:了|啦)")
""""在天河一栋写字楼做清洁，一年了": a clause that is only a length, after a clause placing the resident now."""
NOT_A_WORKPLACE = re.compile(r"开(?!" + OPERATE.removeprefix("开") + r")|注册|[（(]")  # WORK_HERE read as a residence: no business, no bracket in between
DEICTIC = re.compile(r"这边|这里|我们这|当地")
""""来佛山两年多了，…也在这边上班": "here" points at the city the resident has just said they live in, when that is
another city than the one asked about."""
NOT_A_NAMED_PLACE = re.compile(r"这|那|本|当地")  # "在这里开始自己的工作" names no city
WISH = re.compile(r"想|打算|准备|计划|要")  # "想在广州开个店": a plan, not where one is
EDUCATION = re.compile(r"(?P<e>博士|硕士|本科|大专|专科|高中|初中|小学)(?:学历|文凭|(?P<grad>毕业)(?!生|会考|考试|典礼|季|照))|"
                       r"(?:学历|文化程度)(?:是|为|:)?(?P<e2>博士|硕士|本科|大专|专科|高中|初中|小学)|(?<=是)(?P<e3>博士|硕士)(?![生后])")
"""最高学历 (mapped to the vocabulary's value by its aliases: 专科 = 大专, 初中/小学 = 初中及以下); 中专/技校 are left
unread (the vocabulary has no such level). "…毕业" and "是博士"
only of a person, or as a clause of its own ("本科毕业，在天河上班"): "高中毕业都要办酒" speaks of everyone."""
PERSON = re.compile(r"我|本人|他|她|咱")
SELF_SAID = re.compile(r"(?:我|本人|他|她|咱)(?:只|也|都|就|本来|不)*(?:是|系|属于|算|一个)")
POINTS = re.compile(rf"积分(?P<gap>[^-−－负，,。；;\d]{{0,8}}?)(?P<sign>{MINUS})?(?P<n>\d{{1,5}}|[一二三四五六七八九十百千两零]{{2,8}}(?=分))(?P<fen>分)?(?!钟|\d)")
POINTS_BARE = re.compile(r"积分(?:是|有)?(?P<n>[一二三四五六七八九十百千两零]{2,8})(?=[，,。；;！!？?\s]|$)")
""""积分一百六十五": a score in Chinese numerals said right after the word, the clause ending there."""
CRIME_AGO = compile_pattern(r"(?P<n>⟨N⟩)年前[^。]{0,12}?(?:被判|判了|判过|坐过?牢|服过?刑|拘役|有期徒刑|刑事处罚)")
CRIME_IN_YEAR = re.compile(r"(?P<y>(?:19|20)\d\d)年[^。？?]{0,24}?(?:被判|判了|判过|坐过?牢|服过?刑|拘役|缓刑|有期徒刑|刑事处罚)")
""""2023年因为…被判了缓刑": a punishment in a named year, within five years of today or not."""
GRADE_SAID = re.compile(r"(?:说|讲|记得|认为)(?:的)?(?:是|有)?(?:[一二三四]|\d)级")
""""残疾证上写的是二级。但是他自己跟我说是三级": the grade again, in someone's words, a sentence after the certificate's (a
second source: a conflict, asked)."""
GRADE = re.compile(rf"(?P<sign>{MINUS})?(?P<n>\d{{1,2}}|[零一二三四五六七八九十]{{1,2}})级")
HIRED = re.compile(r"招|(?<![申邀])请(?!问|教|求)|新进")
"""An enterprise's hires ("新招了4个退役军人") are not the speaker's own group."""
KEY_GROUP_WORDS = re.compile(r"重点扶持|重点群体|退役|退伍|军人|毕业生|大学生|失业|脱贫|农民|残疾|刑满|就业困难|返乡|网络商户|贫困")
BUSINESS = compile_pattern(
    r"开(?![始心会车玩关口学放展发])(?:了)?(?:个|家|一家|一个|间)?¤{0,6}?(?:店|馆|公司|作坊|工作室|超市|摊|铺|农家乐|厂|档口|场|园|基地|健身房|民宿|诊所|餐厅|酒楼|培训班)|"
    r"搞了?(?:个|家)¤{0,6}?(?:店|作坊|厂|工作室|场|园|基地)|经营(?:着)?(?:一家|一个|个|家)?¤{0,6}?(?:公司|店|厂|工作室|作坊|超市|摊|铺|餐厅)|(?:搞|做)(?:养殖|种植)|摆了?(?:个|一个)?¤{0,2}摊|(?:我|自己)(?:的|家)店|"
    r"做网店|(?:注册|成立)了?(?:(?:一家|个|家)¤{0,10}?|¤{0,6}?)(?:公司|工作室|企业)|(?:做|搞|合伙做)了?(?:个|一个|一家|家)¤{0,8}?(?:工作室|公司|农家乐|民宿)|(?:登记|注册)了(?:一个|个)?(?:个体户|个体工商户)|"
    r"注册了?(?:一家|个|家|一个|间)?¤{0,6}?(?:店|馆|铺|档口|农家乐|厂|[鸡鸭猪牛羊鱼农]场|养殖场|种植场|合作社|诊所|民宿)|"
    r"(?:办|搞)了?(?:一家|个|家|一个|间)¤{0,6}?(?:农场|合作社|养殖场|种植场|作坊|工作室)|(?:公司|店|工作室)(?:注册|开)在|有(?:具体的?)?(?:经营)?项目")
NOT_REGISTERED = compile_pattern(
    r"(?:营业)?执照(?:还)?没(?:有)?(?:去)?(?:办|注册|登记)|还没(?:去)?(?:办|注册|登记)(?:营业)?执照|(?:没有?|未)(?:办|领)(?:营业)?执照|还没注册")
REGISTERED = compile_pattern(
    r"(?:营业)?执照(?:(?!没|未|不|想|要|准备|打算|才|能|会|将|等|快|下个|正在|还在|明)¤){0,10}?(?:办好|办了|办下来|批下来|拿到|领到|下来了|到手)|(?:营业)?执照(?:是|也|都)?在¤{1,6}?办的|(?:办|领|拿)(?:好|到)?了(?:营业)?执照|"
    r"(?:登记|注册|办)(?:了|好了?)(?:一个|个)?(?:个体户|个体工商户|合伙企业|分公司|有限公司)|"
    r"(?:已经|早就)注册(?:好|了)(?!失业)|注册(?:好|完)了|(?<![没未想要])注册了(?:一家|一个|一间|个|家|间)|(?<![没未])办(?:好|了|完)了?(?:工商)?(?:登记注册|注册登记|登记|注册)(?!失业)(?:手续)?|(?:工商|经营|营业)?(?:登记|注册)手续(?:(?!没|未|不|想|要|准备|打算|才|能)¤){0,8}?(?:办好|办完|办了|办下来)")
"""A registration said by its completion ("执照在番禺办好了", "营业执照已经办下来了"), or by the kind of business registered
("登记了个体户", "注册了个合伙企业": a licence type is a registration), not one to come ("下个月才能办下来"); NOT_REGISTERED is
tried first."""
BUSINESS_PLACE = compile_pattern(
    r"(?:公司|店|工作室|企业|执照|营业执照)(?:是|也|已经|都|早就)*(?P<strong>(?:注册|登记)在|注册地是?|在)(?P<p>[\u4e00-\u9fff]{2,6})|"
    r"(?:执照|营业执照)是(?P<p2>[\u4e00-\u9fff]{2,4}?)的|在(?P<p3>(?!在)[\u4e00-\u9fff]{2,5}?)(?:注册|开|搞|经营|办|摆|做)|"
    r"(?<![想要])在(?P<p4>(?!在)[\u4e00-\u9fff]{2,5}?)¤{1,8}?开了(?:个|家|一家|间)|"
    r"回(?P<p5>(?!老家)[\u4e00-\u9fff]{2,4}?)老家¤{0,2}?(?:搞|开|办|经营)了?(?:个|家|一家|间)|"
    r"在(?P<p6>[\u4e00-\u9fff]{2,5}?)(?:市场监管局|市场监督管理局|市监局|工商局|工商所|行政服务中心|政务服务中心)¤{0,4}?(?:登记|注册|办)")
"""p4: a shop opened at a place said at length ("在白云区嘉禾望岗那边开了家奶茶店"); p5: a business started in one's
home town, named ("回增城老家搞了个家庭农场"); p6: the registering office's area ("在从化区市场监管局登记了个体户": for a
business the office that registers it is where it is registered)."""
BUSINESS_BEFORE = re.compile(r"(?<=[\u4e00-\u9fff])(?:执照|营业执照)(?!还没|没)")
BUSINESS_AGE = compile_pattern(
    r"(?:注册|成立|开业|开张|开(?:公司|店)|(?:店|公司|工作室|厂)(?:已经)?开了|执照(?:已经)?办了)(?![之以]?前)(?:[^。交缴岁保]{0,14}?)(?:刚|已经|有|快)?(?P<dur>⟨D⟩)多?了?(?!前|的?时间)")
REGISTERED_WHEN = compile_pattern(r"(?P<last>上个?月)|(?P<this>这个月|本月)|(?P<n>⟨N⟩)个?月(?:以)?前|"
                                  r"(?P<year>今年|去年)(?P<month>⟨N⟩)月份?")
"""When a registration came through or a shop opened, said as a month before now ("个体户执照上个月已经办下来了",
"上个月…开了家奶茶店，…营业执照已经办下来了"), or as a month of this year or last ("今年5月在白云区办了营业执照"):
its age in months."""
FUNDS_SHORT = compile_pattern(FUNDS + r"|(?:资金|本钱|钱)¤{0,8}[，,](?:远远|还|根本|完全|肯定)*不够|(?:还|仍)差¤{0,3}?万(?!一)|"
                                       r"(?:设备|机器|货|材料|店面|铺面)¤{0,4}?(?:买不起|拿不下|租不起)")
""""启动资金一万出头，远远不够", "设备还差十来万买不起": the money said short in the clause after the amount, or what
it cannot buy (only once the business is spoken of: `read_own_business`)."""
NO_LOANS = compile_pattern(
    r"(?:没有?|没|无|不)(?:欠)?(?:过)?(?:任何|其他|别的|其它|什么|的)*(?:贷款|贷过款|贷|欠款)|"
    r"没(?:有)?(?:欠|借)(?:过)?(?:别的|其他|任何)?(?:的)?(?:贷款|贷|钱)|(?:什么|任何)(?:贷款|贷)(?:都|也)(?:没有?|没借|没贷)|"
    r"(?:只有|就只有|仅有|就一笔|就一个)¤{0,4}?(?:房贷|车贷|信用卡|助学贷款|住房贷款|购房贷款)(?:(?:和|、|跟|还有)(?:房贷|车贷|信用卡|助学贷款))*"
    r"(?!¤{0,4}(?:还有|以及|和)¤{0,6}贷)")
SPOUSE = re.compile(r"老婆|妻子|老公|丈夫|爱人|先生|配偶|媳妇|太太|对象")
SELF_ONLY = re.compile(r"我自己|本人|我个人|我名下|我这边")
"""本人及配偶: "我自己没贷款，不过我老婆名下有一笔经营贷" is a loan of the couple, not a contradiction."""
LOAN = compile_pattern(r"(?:借了|贷了|有(?!的))¤{0,10}?(?:贷款|经营贷|网贷|信用贷|消费贷)|经营贷|网贷|(?:一个|一笔)¤{0,4}?贷款")
EXCEPTED_LOAN = re.compile(r"房贷|住房|购房|车贷|买车|购车|助学|扶贫|信用卡|消费贷")
LOAN_HEARD = re.compile(r"听说|据说|听(?:人|别人|朋友|老乡|同事|亲戚|邻居)?(?:家)?(?:讲|说)|(?:网上|新闻|电视)(?:说|讲|看到|上)|(?:政府|国家)(?:那边|这边)?有")
""""听说有创业贷款？", "听朋友讲政府有那种创业贷款": a loan that exists (the scheme heard of), not one the resident holds."""
NOT_STAFF = re.compile(r"(?:股东|会员|业主|村民|社员|学生|客户|居民|家属|乘客|商户)(?:有|共|是|为|:)?(?:现有|共有?|一共|总共)?$")
"""People counted who are not an enterprise's staff ("股东42人", "全体商户30人")."""
STAFF = re.compile(
    rf"(?:现有|现在|目前|共有?|一共|总共)?(?:在职)?(?:(?P<noun>员工|职工|工人|伙计)(?:人数|总数)?(?:有|是|为|共|:)?)?(?P<sign>{MINUS})?"
    r"(?P<n>\d+|[零一二三四五六七八九十百千两]+|[二三四五六七八九]?十几)(?P<about>来|多)?(?P<tail>(?:个|名)?(?:员工|职工|工人|伙计|人)|名|个)整?"
    r"(?=[，,。；;、\s（(]|$|(?:都|在|也)?(?:交|缴|买|参保))")
"""Staff as counted: "在职员工60人", "社保上挂着12个人", "有40个工人交社保", "每个月交社保的伙计有18个"; said roughly ("十来个人", "二十多个", "十几个",
"差不多40人": `numerals.count_range`) a range."""
KEY_GROUP = (r"(?:重点扶持对象|重点群体|退役军人|退伍军人|应届高校毕业生|高校毕业生|大学生|毕业生|登记失业人员|失业人员|脱贫人口|农民工?|残疾人|"
             r"刑满释放人员|就业困难人员)")
HIRES = compile_pattern(
    rf"(?:招用|招聘|招收|招|聘用|雇用|雇|录用|(?<![申邀])请|(?<=新)进)(?:了|的|用的|进的|进来的|进来了)?(?:(?P<sign>[-−－负])?(?P<n>⟨N⟩)(?:个|名|位)(?P<who>¤{{1,12}})|"
    rf"(?P<who2>{KEY_GROUP}(?:(?:和|及|与|以及|、|跟){KEY_GROUP})*(?:¤(?!招)){{0,4}}?)(?P<sign2>[-−－负])?(?P<n2>⟨N⟩)(?:人|名|个|位))")
""""新招了4个退役军人", "新招用退役军人和高校毕业生共5名": the hires counted, after or before the groups they are of."""
HIRES_PARTS = compile_pattern(r"(?P<n>⟨N⟩)(?:个|名|位)(?P<who>[^\d一二两三四五六七八九十，,。；;、和及与]{1,10})")
"""The kinds of the hires just counted ("新招了4个人，其中2个退役军人、2个应届高校毕业生"): the key-group hires are the parts
that name a key group; "都是农民工" makes every hire one."""
ALL_HIRES_KEY = re.compile(r"(?:都|全|全部|全都)(?:都)?(?:是|系)(?:应届|往届)?")
NO_CONTRACT = compile_pattern(r"合同(?:还)?(?:没|没有|未)签|(?:没|没有|未)签(?:劳动)?合同")
CONTRACT_TERM = [  # 合约: Cantonese for 合同 ("合约签咗两年"); 粮 below: wages (拖粮, 出粮)
    compile_pattern(r"签(?:了|订了?)?¤{0,3}?(?P<dur>⟨D⟩)(?:以上|多)?的?(?:期限的?)?(?:试用|短期|临时|固定期限)?(?:劳动)?(?:合同|合约)"),
    compile_pattern(r"(?:合同|合约)(?:期限|期)?(?:签的|签订的)?(?:都|也|全|均|全部)?(?:只|才)?(?:签|签了|签订了?)?的?(?:是|为)?(?P<dur>⟨D⟩)(?!前)"),
    compile_pattern(r"签(?:的|订的)(?:劳动)?合同(?:期限)?(?:都|也|全|均|全部)?(?:只|才)?(?:是|为)?(?P<dur>⟨D⟩)(?!前)"),
    compile_pattern(r"(?P<dur>⟨D⟩)期?(?:以上)?的?(?:劳动)?合同"),
]
ARREARS = [
    (compile_pattern(r"(?:(?<!有)(?:没|没有|从没|从来没有?|从未|未|无)|(?<=有)没有)(?:(?!但|不过|可是|只是)¤){0,20}(?:失信|不良(?:信用)?记录|严重违法|黑名单|信用记录|记录)"), False),
    (compile_pattern(r"(?:没|没有|从没|从来没有?|从未|未|不|无)(?:拖欠|欠|欠缴|拖)(?:过)?¤{0,6}?(?:工资|社保|社会保险|人工|工钱|薪水|粮)|"
              r"信用(?:记录)?(?:一直|都|也)?(?:很|非常|挺|都)?(?:好|良好)|"
              r"(?:工资|社保)(?:和|、|跟)?(?:社保|工资)?(?:都|也)?(?:按时|正常|没有?(?:拖欠|欠)|从来?没有?(?:拖欠|欠)|从来?不(?:拖欠|欠)|不欠)|"
              r"(?:工资|社保|出粮|发工资|人工)¤{0,6}?(?:从来)?(?:没|没有|未|不)(?:拖|欠)|(?:没有?|无)(?:欠薪|欠保)|(?:没有?|无)(?:任何)?不良(?:信用)?记录|"
              r"(?:没|没有|无|未)(?:被列入|上过|进过|被列进)?(?:任何)?(?:严重违法|失信|黑名单)|(?:没有?|无)(?:欠薪|欠保|拖欠|欠缴)¤{0,6}(?:记录|情况|问题|现象)"), False),
    (compile_pattern(r"失信|严重违法|黑名单|信用记录(?:(?!没|无|良好)¤){0,4}(?:有|不良)"), True),
]
"""The first pattern is a negation with its scope: "没有欠薪、欠缴社保这些失信记录", "没有任何严重违法失信的记录" deny the
whole list up to the last record word, so a record word inside it ("失信") is not read again as a record held; "有没交社保的记录"
is a record held, not a denial."""
DECISION = compile_pattern(
    r"(?:你|你们|系统)¤{0,6}直接¤{0,4}(?:批|办|发|给|认定|分|通过|审批)|直接(?:给我)?(?:批|发|办|认定|分|通过|审批|批准)|批给我|"
    r"(?:给我|帮我)(?:批|通过|审批|批准)|(?:给我|帮我|你们?)把¤{0,8}(?:批|审批|认定)(?:下来|了)|别审|不用审|能不能批|可以批吗|"
    r"批准(?:一下|了吧|吧)")

# --- whose clause (eleventh round) -----------------------------------------------------------------------------
_SOMEONE = (rf"(?:我的?|我家|我们家)?(?:⟨K⟩|{ELDER}|老伴儿?|爱人|哥哥?|姐姐?|弟弟?|妹妹?|[表堂][哥姐弟妹]|孩子|小孩|娃娃?|儿女|子女|"
            r"孙[子女]?|外孙[子女]?|儿媳|女婿)")
_NOT_SUBJECT = "".join(f"(?<![同和跟与陪被替给向对]{w})" for w in ("", "我", "我的", "我家"))
"""A person after 同/跟/被 … is a companion or an agent ("同工友喝醉了酒", "被对方司机撞了"), not whom the clause is about."""
PERSON_NAMED = compile_pattern(
    rf"(?P<both>我(?:和|跟|同|与){_SOMEONE}(?:都|俩|两个|一起)|我们|咱们?)|"
    rf"{_NOT_SUBJECT}(?P<other>{_SOMEONE}|(?<![其])(?:他|她)(?!们))|"
    rf"{_NOT_SUBJECT}(?P<stranger>对方(?:司机)?|肇事(?:司机|者)|同事|工友|朋友|同学|室友|老乡|邻居|隔壁|楼下|楼上|对门|路人|别人|有人|(?<!户)人家)|"
    r"(?P<own>我|本人|俺)")
"""The people a clause names, in order: the last one named before a statement in its clause is whom it is about
("她今年61，我58": 61 is hers; "我老婆名下有个执照": her licence; "我和我老公都是广州户口": both; "对方司机喝醉了酒":
someone outside the family, never the one asked for)."""
SPEAKS = re.compile(r"(?:跟我|和我|同我|对我)?(?:说|讲|告诉|话)(?!话)")
"""A person who speaks ("人家讲是八个月", "同事说他…"): the source of what follows, not whom it is about."""
ASKED_FOR_SELF = compile_pattern(r"我(?:自己|本人)?(?:也|现在|这种|这样的?|这个情况)?(?:能不能|能否|可不可以|可以|能|够不够|符合|算不算)(?!帮|替|给|为|带|陪|代)|"
                                 r"(?:问问?|问下|请问)我|我(?:也)?想要?(?:领|申请|办|拿|享受)|"
                                 r"我被¤{1,8}?(?:了|掉)(?:还|现在)?(?:能不能|能否|可不可以|可以|能)(?:领|申请|办|拿|享受)")
ASKED_FOR_OTHER = compile_pattern(rf"(?:{_SOMEONE}|(?<![其])(?:他|她)(?!们))(?:老人家)?(?:也|现在|这种|这样的?)?"
                                  r"(?:能不能|能否|可不可以|可以|能|想|够不够|符合|算不算|有没有)")
"""The question says who the applicant is: "我能不能也跟着办" (the writer), "他现在去办还可以吗" (a relative)."""
KIN_GROUPS = {"father": r"爸爸?|父亲|老爸|家父|公公|岳父", "mother": r"妈妈?|母亲|老妈|家母|婆婆|岳母",
              "husband": r"老公|丈夫|男人", "wife": r"老婆|妻子|媳妇", "son": r"儿子", "daughter": r"女儿|闺女",
              "grandfather": r"爷爷|外公|姥爷|阿爷", "grandmother": r"奶奶|外婆|姥姥|阿嫲|阿婆"}
"""Seventeenth round: which relative a word names, so that "帮我爸问的…我妈也有个残疾证是四级的" tells the mother's
certificate from the father's, asked for (公公/婆婆 are a spouse's parents: the same person to the one who writes)."""


def kin_of(words: str) -> str | None:
    """The relative `words` end with ("帮我爸问" -> father), or None."""
    found = [(m.end(), group) for group, rx in KIN_GROUPS.items() for m in re.finditer(rx, words)]
    return max(found)[1] if found else None


OWN_FACTS_ONLY = frozenset({
    "age", "birth_date", "holds_business_license", "continuous_study", "education", "stable_job", "stable_job_gz",
    "employee", "residence_permit_local", "registered_unemployed", "receiving_pension", "disability_certificate",
    "disability_kind", "disability_grade", "ui_contribution_months", "social_insurance_years", "residence_city",
    "residence_months", "flexible_work_type", "migrant_worker", "drunk"})
"""Facts of one person: in a description the writer asks about themselves, a clause about someone else states none
of them for the writer ("我老公去年来了广州打工，我一直在老家带孩子": no stay of the writer's; "对方司机喝醉了酒": not the
writer drunk). Registrations have their own rule (`RELATIVE_SAID`); a home, a grievance or an injury is often the
family's or told of the one hurt, and stays."""
UNDECIDED = compile_pattern(r"(?:还是|定是|或者)[^。！!？?\n]*?(?:(?:没|未|还没)有?(?:决定|定下来|定|想好|考虑好|商量好)|"
                            r"还在(?:商量|考虑|犹豫|纠结|想)|拿不定|说不准)|"
                            r"(?:没|未|还没)有?(?:决定|定下来|想好|考虑好|商量好)[^。！!？?\n]*?(?:还是|定是)")
"""A choice not yet made ("住落去定是回家里住，到现在都未决定", "是住养老院还是留在家里，还在商量"): the living
arrangement of that sentence is not stated."""
CHOICE_FACTS = frozenset({"living_at_home", "lives_alone"})
