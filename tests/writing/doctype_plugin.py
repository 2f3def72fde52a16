"""A deployment's plugin for the tests: adds the 倡议书 and a 规定 of its own to the 文种 registry."""

from __future__ import annotations

from zhengwu.hookspecs import hookimpl
from zhengwu.writing.doctypes import DOWN, DocType


@hookimpl
def register_doctypes(register) -> None:  # noqa: ANN001
    register(DocType("倡议书", DOWN, "发出倡议", "calling on the public", aliases=("proposal",),
                     required=frozenset({"signature"}), opening="现发出如下倡议：", closing="让我们共同行动起来！"))
    # Replaces the built-in 批复 (a later registration under the same name wins).
    register(DocType("批复", DOWN, "答复下级机关请示事项", "replying to a lower body's request",
                     opening="经研究，现批复如下：", closing="特此批复。"))
