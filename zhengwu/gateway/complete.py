"""`complete`: one governed model call as one interaction — the simple shape used by the writing features and
the `gateway chat` command (a Q&A turn, which also searches, uses `govern` directly)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from zhengwu.context import Caller
from zhengwu.gateway import labels
from zhengwu.gateway.govern import Governed, ModelReply, Outcome, govern


def complete(caller: Caller, scenario: str, messages: list[dict], *, sources: list[dict] | None = None,
             conversation_id: str | None = None, stream: bool = False, max_tokens: int | None = None,
             temperature: float | None = None) -> Any:
    """One governed model call as one interaction (the shape the governed endpoint and simple features use).

    Returns a Completion, or with stream=True an iterator of text deltas whose last item is the Completion.
    Raises NoModel when no generative backend is configured, Refused by policy, BackendError on failure.
    """
    last_user = next((m.get("content", "") for m in reversed(messages)
                      if isinstance(m, dict) and m.get("role", "user") == "user"), "")
    g = govern(caller, scenario, input=last_user if isinstance(last_user, str) else "",
               conversation_id=conversation_id)
    params = {k: v for k, v in (("max_tokens", max_tokens), ("temperature", temperature)) if v is not None}
    if not stream:
        with g:
            reply = g.chat(messages, sources=sources, **params)
            return _completion(g, reply, g.finish(sources=sources, action="complete"))
    it = g.chat_stream(messages, sources=sources, **params)  # policy errors raised here, at once

    def run() -> Iterator[Any]:
        head = g.label_parts()[0]  # the label at the start (prepend): sent with the first text
        with g:
            for item in it:
                if isinstance(item, ModelReply):
                    if head:
                        yield head
                    yield _completion(g, item, g.finish(sources=sources, action="complete"))
                else:
                    yield head + item
                    head = ""
    return run()


@dataclass
class Completion:
    """A labelled, audited model answer (the result of `complete`)."""

    text: str
    label: str
    aigc: dict
    backend: str
    model: str
    audit_id: int
    checks: list[str] = field(default_factory=list)
    scenario: str = ""
    produce_id: str = ""
    review_required: bool = False
    usage: dict = field(default_factory=dict)
    conversation_id: str | None = None
    visible_label: str = "append"  # the scenario's placement of the label in the text (labels.PLACEMENTS)

    def labelled_text(self, lang: str = "zh") -> str:
        """The text with the visible label where the scenario puts it."""
        return labels.label_text(self.text, lang, self.visible_label)

    def to_dict(self) -> dict:
        return {"text": self.text, "ai_label": self.label, "label": self.label, "AIGC": self.aigc["AIGC"],
                "backend": self.backend, "model": self.model, "audit_id": self.audit_id, "checks": self.checks,
                "scenario": self.scenario, "produce_id": self.produce_id, "review_required": self.review_required,
                "usage": self.usage, "conversation_id": self.conversation_id, "visible_label": self.visible_label}


def _completion(g: Governed, reply: ModelReply, out: Outcome) -> Completion:
    return Completion(text=reply.text, label=out.label, aigc=out.aigc, backend=reply.backend, model=reply.model,
                      audit_id=out.audit_id, checks=out.checks, scenario=g.scenario, produce_id=out.produce_id,
                      review_required=out.review_required, usage=reply.usage, conversation_id=g.conversation_id,
                      visible_label=out.visible_label)
