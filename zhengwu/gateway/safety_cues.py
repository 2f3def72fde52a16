"""Co-occurrence cues for the content safety screen: a harmful object *and* a request for it, near each other.

Why: the TC260-003 lexicon lists phrases ("c4炸药", "如何割腕"), and the test banks rarely use them verbatim
(48 keyword hits of 4,181 should-refuse rows). What generalises is the combination — a harm object (炸药, 冰毒,
勒索软件, 身份证号) next to a request or intent cue (怎么/如何/教我/配方/哪里买/不被发现) — while either alone is
ordinary: "如何办理居住证" and "《刑法》关于毒品犯罪的规定" must be answered. A protective or legal framing
(防范, 识别, 举报, 法律责任, 以下哪项) cancels a pair, as a question about how to resist a harm is legitimate.

Five families, each a pair of word lists (kind × cue) within a window of characters:
- `harm`: a criminal or dangerous object / act × a request for the means (A.1);
- `incite`: hatred, conflict, extremism … × spreading or stirring it up (宣扬, 煽动, 制造, 加剧) (A.1);
- `discrimination`: a group of people × a generalising or demeaning predicate (A.2);
- `self_harm`: suicide or self-injury × a method (A.4);
- `privacy`: another person's identifying data × getting hold of it (A.4).

The pairs are features of the classifier (`cue_tokens`), not rules: the `harm` pair alone fires on about a
fifth of the should-refuse rows but also on 1.3 % of the should-answer rows. Only pairs: an object word alone
(诈骗, 传销) as a feature made the model flag more citizens' complaints, which name the harm they report.
"""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick_rs

WINDOW = 16  # characters between the end of one word and the start of the other

HARM = (
    # weapons, explosives, poisons
    "炸药 炸弹 爆炸物 爆炸装置 雷管 手榴弹 燃烧弹 燃烧瓶 土炸弹 枪支 手枪 步枪 猎枪 仿真枪 枪械 子弹 弹药 管制刀具 "
    "生化武器 化学武器 生物武器 核武器 脏弹 毒气 沙林 神经毒剂 毒药 剧毒 氰化物 砒霜 投毒 下毒 致命武器 新型武器 "
    # drugs
    "毒品 冰毒 海洛因 大麻 可卡因 摇头丸 k粉 氯胺酮 芬太尼 鸦片 麻古 迷药 迷奸 迷幻药 致幻剂 制毒 贩毒 吸毒 "
    # cyber
    "病毒 木马 后门 勒索软件 恶意软件 恶意代码 钓鱼网站 钓鱼邮件 撞库 盗号 ddos 僵尸网络 入侵 黑进 破解 越权访问 "
    "窃取数据 窃取 盗取 篡改数据 "
    # crime
    "诈骗 骗取 骗钱 洗钱 走私 贩卖人口 拐卖 绑架 抢劫 盗窃 偷窃 偷东西 入室 闯入 撬锁 纵火 谋杀 杀人 杀死 杀掉 弄死 "
    "勒索 敲诈 行贿 贿赂 逃税 偷税 漏税 假币 伪造 假证 赌博 赌场 传销 非法集资 套现 高利贷 暴力催收 偷拍 窃听 "
    "恐怖袭击 恐袭 袭击 爆炸 极端主义 恐怖主义 恐怖组织 圣战 暴乱 骚乱 分裂国家 颠覆 推翻政府 煽动 色情 淫秽 卖淫 "
    "嫖娼 裸照 报复 虐待 殴打 伤害他人 霸凌 欺凌 威胁 恐吓 跟踪 操纵选举 舞弊 作弊 代考 盗版 侵权 假冒 仿冒 "
    "商业机密 商业秘密 操纵股价 内幕交易 虚假信息 谣言 散布 冲突 仇恨 侮辱 羞辱 辱骂 炸毁 烧毁 破坏 瘫痪 谋害 "
    "毒害 攻击 暴力 恶意 邪教 蛊惑 挑拨 负面舆论 极端 激进 宣扬 对立"
).split()

INTENT = (
    "怎么 怎样 如何 教我 教教我 告诉我 方法 办法 步骤 技巧 策略 手段 途径 方式 配方 制作 制造 合成 提炼 自制 "
    "哪里买 哪里能买 哪里可以买 在哪买 在哪里买 购买渠道 渠道 设计一 编写 写一个 写一段 写一篇 帮我 给我 建议 "
    "最有效 计划 策划 实施 利用 不被发现 避免被发现 不被察觉 逃避 躲避 不留痕迹 销毁证据 避开 绕过 悄悄 偷偷 "
    "神不知鬼不觉 能否 可以吗 有没有办法 有什么办法 怎么做 该怎么 应该怎么 最佳方式 最好的方法 最佳方法 好办法 "
    "怎样才能 让更多人 推动 加剧 升级 扩大"
).split()

PROTECT = (
    "防范 预防 防止 防御 防护 识别 举报 打击 惩治 处罚 法律责任 刑事责任 罪名 量刑 认定 构成 危害性 后果 应对 远离 "
    "受害 被骗 报警 自救 保护 戒毒 禁毒 警惕 是否违法 违法吗 合法吗 犯法吗 检测 查杀 "
    "修复 清除 安全意识 安全教育 科普 历史 电影 小说中 游戏中 怎么办 规定 条例 《 不得 禁止 严禁"
).split()

# a question that quotes a text and asks what kind of content it is (risk-identification exams)
JUDGING = "请判断 是否属于 是否展现 是否表现 是否存在 属于哪 以下哪 下列 哪一项 哪项 选项".split()

GROUPS = (
    "少数民族 汉族人 回族 维吾尔族 藏族 蒙古族 壮族 苗族 彝族 满族 朝鲜族 哈萨克族 黑人 白人 黄种人 犹太人 阿拉伯人 "
    "穆斯林 伊斯兰教 基督徒 基督教 天主教 佛教徒 信教的 无神论者 异教徒 日本人 韩国人 印度人 美国人 俄罗斯人 非洲人 "
    "外国人 河南人 东北人 上海人 北京人 广东人 安徽人 山东人 新疆人 西藏人 农村人 乡下人 外地人 城里人 女人 女性 女生 "
    "女司机 女博士 男人 男性 同性恋 跨性别 变性人 老年人 老人 年轻人 00后 90后 残疾人 残障人士 盲人 聋哑人 精神病人 "
    "抑郁症患者 艾滋病 乙肝 农民工 农民 保安 外卖员 快递员 清洁工 保姆 穷人 富人 低学历 单亲 离异 胖子 矮个子"
).split()

DEMEAN = (
    "天生 都是 全是 都很 都爱 都会 总是 就是 低人一等 劣等 低劣 愚蠢 懒惰 肮脏 不配 不应该被允许 不应该享有 素质低 "
    "素质差 贪婪 狡猾 野蛮 落后 危险分子 骗子 小偷 罪犯 歧视 排斥 拒绝录用 不要招 不招 种族主义 优越 更聪明 "
    "更优秀 更好 更差 不如 一无是处 垃圾 滚出 赶出 隔离 为什么那么 为什么这么"
).split()

SELF_HARM = "自杀 自残 自伤 割腕 轻生 结束生命 结束自己的生命 跳楼 上吊 服毒 安眠药 了结自己 不想活".split()

METHOD = "方法 怎么 如何 最快 无痛 不痛 哪种 多少片 多少粒 致死 致命 哪里 步骤 能不能 会不会 有用吗 可以吗".split()

SELF_PROTECT = "预防 干预 热线 求助 帮助他 劝 识别 心理咨询 心理援助 防止 阻止 救助 关爱".split()

PERSONAL_DATA = (
    "身份证号 身份证号码 手机号 电话号码 住址 家庭住址 住在哪 个人信息 隐私 行踪 开房记录 通话记录 聊天记录 定位 "
    "银行卡号 密码 病历 私生活 照片"
).split()

ACQUIRE = (
    "查到 查出 查询 查找 找到 获取 获得 告诉我 弄到 出售 买卖 购买 偷看 泄露 公开 曝光 人肉 追踪 监控 偷拍 窃取"
).split()

INCITE = "宣扬 煽动 鼓吹 散布 传播 挑起 激化 制造 加剧 引发 挑拨 蛊惑 鼓动 号召 宣传 推广 让更多人".split()

INCITE_OBJECT = (
    "仇恨 对立 冲突 分裂 极端 暴力 恐怖 战争 动荡 骚乱 矛盾 敌意 种族主义 歧视 恐慌 谣言 负面舆论 圣战 颠覆 不满 "
    "紧张局势 优越论"
).split()

# (family, first list, second list, cancelling list)
FAMILIES = (
    ("harm", HARM, INTENT, PROTECT + JUDGING),
    ("incite", INCITE_OBJECT, INCITE, PROTECT + JUDGING),
    ("discrimination", GROUPS, DEMEAN, PROTECT + JUDGING),
    ("self_harm", SELF_HARM, METHOD, SELF_PROTECT + JUDGING),
    ("privacy", PERSONAL_DATA, ACQUIRE, PROTECT + JUDGING),
)

# Multiple-choice option lines ("A. …", "B、…"): the options of a risk-identification exam question often quote a
# harmful act ("购买大量化学物品制作爆炸装置") that the question asks to recognise, not to commit.
_OPTION_LINE = re.compile(r"^\s*[A-Ha-h]\s*[\.．、:：)）]\s*.*$", re.M)


def strip_options(text: str) -> str:
    """`text` without its multiple-choice option lines (the question stem is what is asked)."""
    return _OPTION_LINE.sub("", text).strip() or text


@lru_cache(maxsize=1)
def _automaton() -> tuple[ahocorasick_rs.AhoCorasick, list[list[str]]]:
    """One automaton for every cue word; each pattern knows its `<family>:<role>` keys."""
    roles: dict[str, list[str]] = {}
    for fam, first, second, cancel in FAMILIES:
        for role, words in (("a", first), ("b", second), ("x", cancel)):
            for w in words:
                roles.setdefault(w, []).append(f"{fam}:{role}")
    words = sorted(roles)
    return ahocorasick_rs.AhoCorasick(words), [roles[w] for w in words]


def cue_hits(text: str) -> dict[str, list[tuple[int, int]]]:
    """Spans of each `<family>:<role>` cue (role a = object, b = request/predicate, x = cancelling)."""
    ac, keys = _automaton()
    out: dict[str, list[tuple[int, int]]] = {}
    for i, start, end in ac.find_matches_as_indexes(text.lower(), overlapping=True):
        for key in keys[i]:
            out.setdefault(key, []).append((start, end))
    return out


def _near(a: list[tuple[int, int]], b: list[tuple[int, int]], window: int = WINDOW) -> bool:
    return any(max(s1, s2) - min(e1, e2) <= window and (s1, e1) != (s2, e2) for s1, e1 in a for s2, e2 in b)


def cue_tokens(text: str) -> list[str]:
    """Named features for the classifier: each family paired (`harm:pair`) or paired but cancelled
    (`harm:pair:cancelled`), and whether the text is a multiple-choice question (`mcq`)."""
    stem = strip_options(text)
    hits = cue_hits(stem)
    toks = []
    for fam, *_ in FAMILIES:
        a, b = hits.get(f"{fam}:a"), hits.get(f"{fam}:b")
        if a and b and _near(a, b):
            toks.append(f"{fam}:pair" + (":cancelled" if f"{fam}:x" in hits else ""))
    if stem != text.strip():
        toks.append("mcq")
    return toks



def pairs(text: str) -> set[str]:
    """The families whose two words occur within WINDOW characters, and no cancelling word in the text."""
    return {t.split(":")[0] for t in cue_tokens(text) if t.endswith(":pair")}
