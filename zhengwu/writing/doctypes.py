"""The one registry of 文种: what each type of document is, how it is laid out and drafted.

Why one registry: drafting, rendering, checking, metadata extraction and the office page each used to keep
their own list, and they disagreed (a 纪要 could not be drafted without a 主送机关 although it has none).
Now each `DocType` says everything those parts need, and every part looks it up here.

The 15 文种 of the 《党政机关公文处理工作条例》 (第八条), plus the 新闻稿 (drafted the same way but not a 公文),
are registered by this module through the `register_doctypes` hook, exactly as a deployment's plugin adds
its own (a later registration under the same name replaces an earlier one). Sources: standards.md §1.2–1.3
(GB/T 9704-2012 §7, §10; 条例 第八、九条) and common 公文写作 practice for the opening and closing formulas.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from zhengwu import plugins
from zhengwu.errors import ZhengwuError
from zhengwu.hookspecs import hookimpl

# 发文字号: 机关代字〔YYYY〕N号 (standards.md §1.3). 命令（令） use a 令号 "第N号" instead.
NUMBER_RE = re.compile(r"^[\u4e00-\u9fa5A-Za-z]+〔\d{4}〕[1-9]\d*号$")
ORDER_NUMBER_RE = re.compile(r"^第[1-9]\d*号$")
DATE_RE = re.compile(r"^\d{4}年([1-9]|1[0-2])月([1-9]|[12]\d|3[01])日$")

UP, DOWN, ACROSS, ANY = "上行文", "下行文", "平行文", "不限"

# 版头 formats of GB/T 9704 (§7 文件格式, §10.1 信函格式, §10.2 命令格式, §10.3 纪要格式).
LAYOUTS = {"file": "文件格式", "letter": "信函格式", "order": "命令格式", "minutes": "纪要格式"}

# Elements a 文种 may require or forbid (names of SPEC fields, plus "seal" for the 印章).
ELEMENTS = {"recipients": ("主送机关", "recipients"), "number": ("发文字号", "document number"),
            "signer": ("签发人", "signer"), "signature": ("发文机关署名", "signature"), "seal": ("印章", "seal"),
            "printer": ("印发机关和印发日期", "printer and print date")}

# A 请示 ends with one of these request formulas (common practice; the checker accepts any of them).
QINGSHI_CLOSINGS = ("妥否，请批示", "当否，请批示", "妥否，请批复", "当否，请批复", "以上请示当否，请批示",
                    "请批示", "请批复", "请审批", "请予批准", "请予审批", "请审示", "请核准", "请予批复")

_STANDARD = frozenset({"recipients", "number", "signature"})


@dataclass(frozen=True)
class DocType:
    """How one 文种 is laid out, what it must (not) contain and how a draft of it opens and closes.

    `required` and `forbidden` name elements of `ELEMENTS`. `gongwen` is False for types drafted like a 公文
    but not rendered in the GB/T 9704 format (the 新闻稿). `opening`/`closing` are the drafting skeleton's
    set phrases; `closings` are the closing formulas the checker accepts (a 请示's request formulas).
    """

    name: str
    direction: str = ANY
    purpose_zh: str = ""
    purpose_en: str = ""
    aliases: tuple[str, ...] = ()
    required: frozenset[str] = _STANDARD
    forbidden: frozenset[str] = frozenset()
    layout: str = "file"  # a key of LAYOUTS
    one_recipient: bool = False
    closings: tuple[str, ...] = ()
    opening: str = ""
    closing: str = ""
    closing_alternatives: tuple[str, ...] = ()
    register: str = "规范、准确、简明"  # the 语体 a model is asked to keep
    gongwen: bool = True

    def __post_init__(self) -> None:
        unknown = (set(self.required) | set(self.forbidden)) - set(ELEMENTS)
        if unknown or self.layout not in LAYOUTS or not self.name.strip():
            raise ZhengwuError("bad_doctype", f"文种定义有误：{self.name}（{sorted(unknown) or self.layout}）",
                               f"Invalid document type definition: {self.name} ({sorted(unknown) or self.layout})")

    @property
    def recipients_required(self) -> bool:
        return "recipients" in self.required

    @property
    def number_required(self) -> bool:
        return "number" in self.required

    @property
    def signer_required(self) -> bool:
        return "signer" in self.required

    @property
    def signature_required(self) -> bool:
        return "signature" in self.required

    @property
    def sealed(self) -> bool:
        return "seal" not in self.forbidden

    def mark(self, issuer: str) -> str:
        """The 发文机关标志 text of this layout."""
        if self.layout == "order":
            return issuer if issuer.endswith(("令", "命令")) else issuer + "令"
        if self.layout == "minutes":
            return issuer if issuer.endswith("纪要") else issuer + "纪要"
        if self.layout == "letter":
            return issuer
        return issuer + "文件"


def _builtins() -> tuple[DocType, ...]:
    """The built-in types, in the order of everyday use (the office page lists them so)."""
    up = frozenset({"recipients", "number", "signature", "signer"})
    no_recipients = frozenset({"number", "signature"})
    published = frozenset({"signature"})
    return (
        DocType("通知", DOWN, "发布、传达要求下级机关执行和有关单位周知或者执行的事项", "matters to carry out or know",
                aliases=("notice",), opening="现将有关事项通知如下：", closing="特此通知。",
                closing_alternatives=("请认真贯彻执行。", "请结合实际认真贯彻落实。"),
                register="下行文，要求明确具体，便于执行"),
        DocType("请示", UP, "向上级机关请求指示、批准", "asking a higher body for instructions or approval",
                aliases=("request",), required=up, one_recipient=True, closings=QINGSHI_CLOSINGS,
                opening="现将有关情况请示如下：", closing="妥否，请批示。", closing_alternatives=("以上请示当否，请批示。",),
                register="上行文，语气谦敬，一文一事，只主送一个上级机关"),
        DocType("报告", UP, "向上级机关汇报工作、反映情况，回复上级机关的询问", "reporting to a higher body",
                aliases=("report",), required=up, one_recipient=True, opening="现将有关情况报告如下：",
                closing="特此报告。", closing_alternatives=("以上报告，请审阅。",), register="上行文，陈述情况，不夹带请示事项"),
        DocType("函", ACROSS, "不相隶属机关之间商洽工作、询问和答复问题、请求批准和答复审批事项",
                "between bodies without a reporting line", aliases=("复函", "letter"), layout="letter",
                forbidden=frozenset({"printer"}), opening="现就有关事项函告如下：", closing="特此函告。",
                closing_alternatives=("请予函复。", "请研究函复。"), register="平行文，语气平和得体"),
        DocType("批复", DOWN, "答复下级机关请示事项", "replying to a lower body's request", aliases=("reply",),
                opening="经研究，现批复如下：", closing="此复。", register="下行文，针对请示逐项答复，态度明确"),
        DocType("意见", ANY, "对重要问题提出见解和处理办法", "views and approaches on important issues",
                aliases=("opinion",), opening="现提出如下意见：", closing="请结合实际认真贯彻落实。"),
        DocType("通报", DOWN, "表彰先进、批评错误、传达重要精神和告知重要情况", "commend, criticise, convey, inform",
                aliases=("circular",), opening="现将有关情况通报如下：", closing="特此通报。"),
        DocType("决定", DOWN, "对重要事项作出决策和部署、奖惩有关单位和人员", "decisions, arrangements, rewards, penalties",
                aliases=("decision",), opening="经研究，决定如下：", closing="特此决定。"),
        DocType("纪要", ANY, "记载会议主要情况和议定事项", "recording a meeting's proceedings and agreed matters",
                aliases=("会议纪要", "minutes"), required=frozenset(), forbidden=frozenset({"seal"}),
                layout="minutes", opening="现将会议主要精神纪要如下："),
        DocType("公告", DOWN, "向国内外宣布重要事项或者法定事项", "announcing important or statutory matters",
                aliases=("announcement",), required=published, opening="现将有关事项公告如下：", closing="特此公告。"),
        DocType("通告", DOWN, "在一定范围内公布应当遵守或者周知的事项", "matters to be observed or known in a scope",
                aliases=("public_notice",), required=published, opening="现将有关事项通告如下：", closing="特此通告。"),
        DocType("议案", UP, "各级人民政府按照法律程序向同级人民代表大会或者其常务委员会提请审议事项",
                "submitting matters to the people's congress", aliases=("motion",), one_recipient=True,
                opening="现提出如下议案：", closing="请审议。"),
        DocType("决议", DOWN, "会议讨论通过的重大决策事项", "decisions adopted by a meeting", aliases=("resolution",),
                required=no_recipients, opening="会议决议如下："),
        DocType("命令", DOWN, "公布行政法规和规章、宣布施行重大强制性措施等", "promulgating regulations, compulsory measures",
                aliases=("命令（令）", "命令(令)", "令", "order"), required=no_recipients, layout="order",
                opening="现命令如下：", closing="此令。"),
        DocType("公报", DOWN, "公布重要决定或者重大事项", "publishing important decisions or major matters",
                aliases=("communique",), required=published, opening="现公报如下：", closing="特此公报。"),
        # Not a 公文 文种, but drafted the same way: a headline, a lead and a closing line.
        DocType("新闻稿", ANY, "发布新闻", "press release", aliases=("press", "press_release"), required=frozenset(),
                forbidden=frozenset({"number", "seal", "printer"}), closing="（完）", gongwen=False,
                register="新闻体，导语概括何时何地何人何事，正文按重要性递减"),
    )


@hookimpl
def register_doctypes(register) -> None:  # noqa: ANN001 - the hook's register callable
    """zhengwu's own 文种, registered like any plugin's."""
    for doctype in _builtins():
        register(doctype)


# ------------------------------------------------------------------------------------------------ registry

_lock = threading.Lock()


@dataclass(frozen=True)
class _Registry:
    types: dict[str, DocType]
    aliases: dict[str, str]  # every spelling (name, alias, lower-cased alias) → name
    suffixes: list[tuple[str, str]] = field(default_factory=list)  # title endings, longest first


_cache: _Registry | None = None


@plugins.on_reset
def clear_cache() -> None:
    """Forget the registry (after plugins change)."""
    global _cache
    _cache = None


def _build() -> _Registry:
    types: dict[str, DocType] = {}
    for args in plugins.collect("register_doctypes"):
        doctype = args[0] if args else None
        if not isinstance(doctype, DocType):
            raise ZhengwuError("bad_doctype", f"插件注册的文种不是 DocType：{doctype!r}",
                               f"A plugin registered a document type that is not a DocType: {doctype!r}")
        types.pop(doctype.name, None)  # a replacement takes the place of the last registration
        types[doctype.name] = doctype
    aliases: dict[str, str] = {}
    for doctype in types.values():
        for alias in doctype.aliases:
            aliases[alias] = aliases[alias.lower()] = doctype.name
    for name in types:  # a name always means its own type, whatever alias another type declares
        aliases[name] = name
    # Title endings: names and Chinese aliases of two or more characters (复函 → 函, 会议纪要 → 纪要).
    suffixes: dict[str, str] = {}
    for t in types.values():
        if t.gongwen:
            suffixes[t.name] = t.name
            for alias in t.aliases:
                if len(alias) >= 2 and re.fullmatch(r"[\u4e00-\u9fa5]+", alias):
                    suffixes.setdefault(alias, t.name)
    return _Registry(types, aliases, sorted(suffixes.items(), key=lambda p: len(p[0]), reverse=True))


def _registry() -> _Registry:
    global _cache
    cached = _cache
    if cached is not None:
        return cached
    with _lock:
        if _cache is None:
            _cache = _build()
        return _cache


def all_doctypes() -> dict[str, DocType]:
    """Every registered type by name (built-ins first, then plugins), including non-公文 such as 新闻稿."""
    return dict(_registry().types)


def gongwen_names() -> list[str]:
    """The names of the registered 公文 文种 (rendered in the GB/T 9704 format)."""
    return [t.name for t in _registry().types.values() if t.gongwen]


def find_doctype(name: str) -> DocType | None:
    """The type a user's spelling means (name or alias, any case), or None."""
    reg = _registry()
    t = (name or "").strip()
    canonical = reg.aliases.get(t) or reg.aliases.get(t.lower())
    return reg.types.get(canonical) if canonical else None


def get_doctype(name: str) -> DocType:
    """Like `find_doctype`, but an unknown type is a user error (ZhengwuError bad_doc_type)."""
    doctype = find_doctype(name)
    if doctype is None:
        known = "、".join(_registry().types)
        raise ZhengwuError("bad_doc_type", f"不支持的文种：{name}（可用：{known}）。",
                           f"Unsupported document type: {name}.")
    return doctype


def normalise_type(name: str) -> str | None:
    """The canonical 公文 文种 for a user's spelling, or None when it is not a registered 公文 文种."""
    doctype = find_doctype(name)
    return doctype.name if doctype is not None and doctype.gongwen else None


def title_suffixes() -> list[tuple[str, str]]:
    """(suffix, 文种) pairs a 公文 title may end with, longest first."""
    return list(_registry().suffixes)


def type_from_title(title: str) -> str | None:
    """The 文种 a title ends with (…的通知 → 通知, …的复函 → 函, …令 → 命令), or None."""
    t = re.sub(r"[（(][^）)]*[）)]$", "", (title or "").strip())
    for suffix, name in _registry().suffixes:
        if t.endswith(suffix):
            return name
    return None

