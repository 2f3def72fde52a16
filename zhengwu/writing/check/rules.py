"""The rule registry: every check the 公文 checker runs, in one table, with the rule ids it reports.

Why one table: a reader sees every rule at a glance, their ids are stable (the REST API, the CLI and the
benchmark report them), and the order here is the order of the report. Rule ids are grouped by prefix:
number., date., title., heading., attachment., cc. (elements in reading order), qingshi., baogao. (per 文种),
proofread., sensitive. (words), blank_note, page., mark., body., signature., banji. (DOCX layout). A rule is a small function `rule(ctx)` that
yields `Violation`s; most report one id, a few that walk several elements in one pass (dates, headings,
words) report the ids listed with them, so the report keeps reading order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from zhengwu.writing.check import rules_head as head
from zhengwu.writing.check import rules_layout as layout
from zhengwu.writing.check import rules_tail as tail
from zhengwu.writing.check import rules_text as text
from zhengwu.writing.check.context import Context
from zhengwu.writing.check.model import Violation


@dataclass(frozen=True)
class Rule:
    ids: tuple[str, ...]  # "proofread.*": a family of ids, one per finding kind
    check: Callable[[Context], Iterable[Violation]]
    docx_only: bool = False  # needs formatting or page setup, which a plain text does not have

    @property
    def group(self) -> str:
        return self.ids[0].split(".")[0]


RULES: tuple[Rule, ...] = (
    Rule(("number.brackets",), text.number_brackets),
    Rule(("number.leading_zero",), text.number_leading_zero),
    Rule(("number.di",), text.number_di),
    Rule(("number.year",), text.number_year),
    Rule(("date.chinese", "date.padded"), text.dates),
    Rule(("title.punctuation",), text.title_punctuation),
    Rule(("heading.order", "heading.font"), text.headings),
    Rule(("attachment.punctuation",), text.attachment_punctuation),
    Rule(("qingshi.recipients",), text.qingshi_recipients),
    Rule(("qingshi.matters",), text.qingshi_matters),
    Rule(("qingshi.signer",), text.qingshi_signer),
    Rule(("baogao.request",), text.baogao_request),
    Rule(("cc.full_stop",), text.cc_full_stop),
    Rule(("proofread.*", "sensitive.*"), text.words),
    Rule(("blank_note",), tail.blank_note),
    Rule(("number.copy", "mark.secrecy", "mark.urgency"), head.flags),
    Rule(("page.size",), layout.page_size, docx_only=True),
    Rule(("page.margins",), layout.page_margins, docx_only=True),
    Rule(("page.grid",), layout.page_grid, docx_only=True),
    Rule(("page.number.missing", "page.number.font", "page.number.size", "page.number.dash",
          "page.number.position"), tail.page_number, docx_only=True),
    Rule(("mark.color",), head.mark_color, docx_only=True),
    Rule(("mark.font",), head.mark_font, docx_only=True),
    Rule(("mark.position",), head.mark_position, docx_only=True),
    Rule(("mark.double_line",), head.letter_lines, docx_only=True),
    Rule(("number.font", "number.size"), head.number_font, docx_only=True),
    Rule(("number.signer_font",), head.number_signer_font, docx_only=True),
    Rule(("title.font",), layout.title_font, docx_only=True),
    Rule(("title.size",), layout.title_size, docx_only=True),
    Rule(("title.align",), layout.title_align, docx_only=True),
    Rule(("body.font",), layout.body_font, docx_only=True),
    Rule(("body.size",), layout.body_size, docx_only=True),
    Rule(("body.color",), layout.body_color, docx_only=True),
    Rule(("signature.font",), tail.signature_font, docx_only=True),
    Rule(("signature.date_layout",), tail.signature_date_layout, docx_only=True),
    Rule(("signature.seal_space",), tail.signature_seal_space, docx_only=True),
    Rule(("attachment.font",), tail.attachment_font, docx_only=True),
    Rule(("banji.size", "banji.font"), tail.banji_format, docx_only=True),
    Rule(("banji.lines",), tail.banji_lines, docx_only=True),
)


def rule_ids() -> list[str]:
    """Every rule id the checker can report (families as "proofread.*")."""
    return [i for r in RULES for i in r.ids]


def run_rules(ctx: Context, rules: Iterable[Rule] = RULES) -> list[Violation]:
    """The findings of every applicable rule, in table order."""
    out: list[Violation] = []
    for rule in rules:
        if rule.docx_only and not ctx.formatted:
            continue
        out.extend(rule.check(ctx))
    return out
