"""What the office-writing functions share: prompt files, the one door to a model, and the audit record.

Every model call is one interaction through the governed door (``zhengwu.gateway.govern``); when no generative
model is configured ``try_complete`` says so (None) and the caller takes its rule-based path, which ``audit()``
records as a governed interaction without a model. Either way exactly one audit record.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jieba

from zhengwu.context import Caller
from zhengwu.gateway import Governed, govern

PROMPTS = Path(__file__).parent / "prompts"
log = logging.getLogger("zhengwu.writing")


@lru_cache(maxsize=None)
def load_prompt(step: str) -> str:
    """The prompt text of one step (``prompts/<step>.txt``), versioned with the code."""
    return (PROMPTS / f"{step}.txt").read_text(encoding="utf-8")


def fill(template: str, **values: object) -> str:
    """Replace ``{name}`` placeholders (only known names; other braces, e.g. JSON examples, stay)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)


@dataclass
class ModelAnswer:
    """A model's checked, labelled answer and the provenance an office result shows."""

    text: str
    backend: str
    model: str
    audit_id: int
    checks: list[str]


def try_complete(caller: Caller, scenario: str, messages: list[dict], *, use_model: bool | None = None,
                 sources: list[dict] | None = None) -> ModelAnswer | None:
    """The model's answer as one governed interaction, or None when no model is configured (or use_model is
    False: the caller takes its rule-based path, which `audit()` records). Refusals and blocked requests
    propagate: they are the user's answer."""
    if use_model is False or not Governed.generative():
        return None
    last_user = next((m.get("content", "") for m in reversed(messages) if m.get("role", "user") == "user"), "")
    with govern(caller, scenario, input=last_user) as g:
        reply = g.chat(messages, sources=sources)
        out = g.finish(sources=sources, action="complete")
    return ModelAnswer(reply.text, reply.backend, reply.model, out.audit_id, out.checks)


def lcut(text: str) -> list[str]:
    """jieba words (its start-up chatter on stderr silenced: CLI output stays clean)."""
    jieba.setLogLevel(logging.WARNING)
    return jieba.lcut(text)


def generative_available() -> bool:
    try:
        return Governed.generative()
    except Exception:  # noqa: BLE001 - a broken backend config means "not available" for the UI
        return False


def audit(caller: Caller, scenario: str, action: str, *, input_text: str | None = None,
          output_text: str | None = None, extra: dict | None = None) -> int | None:
    """One governed record for a rule-based call (the gateway records model calls itself). No model sees the
    text, so the decision rules do not apply: summarising a decision is not making one."""
    with govern(caller, scenario, input=input_text, decisions="off") as g:
        return g.finish(action=action, output=output_text, extra={"backend": "rules", **(extra or {})}).audit_id


def parse_json_reply(text: str) -> Any | None:
    """The first JSON object or array in a model reply (models like to wrap it in ``` fences)."""
    if not text:
        return None
    m = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    candidate = m.group(1) if m else text
    for opener, closer in (("{", "}"), ("[", "]")):
        start, end = candidate.find(opener), candidate.rfind(closer)
        if start != -1 and end > start:
            try:
                return json.loads(candidate[start:end + 1])
            except json.JSONDecodeError:
                continue
    return None


def completion_info(c: ModelAnswer) -> dict:
    """The labelling and provenance fields of a model's answer."""
    return {"backend": c.backend, "model": c.model, "audit_id": c.audit_id, "checks": list(c.checks)}
