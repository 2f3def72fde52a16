"""Every extension point of zhengwu, on one page (in the manner of simonw/llm's hookspecs.py).

A plugin is a module or package with functions decorated by `zhengwu.hookspecs.hookimpl` and named like the
specs below. zhengwu's own backends, embedders, recognisers, parsers, 文种 and output checks register through
these same hooks (see `zhengwu.plugins.BUILTIN`). A deployment adds its own without editing zhengwu:
- an installed package with an entry point in the group "zhengwu" (`[project.entry-points.zhengwu]`), or
- a module named in the setting `plugins` (env ZHENGWU_PLUGINS='["mydept.zhengwu_plugin"]', a JSON list), or
- for PII only, a YAML file of patterns named in the setting `pii_recognizers_yaml` (no code at all).

Each `register_*` hook receives a `register` callable; call it once per thing you add. A later registration
under the same name replaces an earlier one, so a plugin may override a built-in.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("zhengwu")
hookimpl = pluggy.HookimplMarker("zhengwu")


@hookspec
def register_backends(register: Any) -> None:
    """Generative model backends: `register(name, factory)`; `factory(settings)` returns an object with
    `name`, `model`, `chat(messages, **params) -> ChatResult` and `stream(messages, **params)` (yields text
    deltas, then the ChatResult). Chosen by the setting `llm_backend`. Reached only through `gateway.govern`."""


@hookspec
def register_embedders(register: Any) -> None:
    """Embedding models: `register(name, factory)`; `factory(settings)` returns an object with `name`, `dim`,
    `embed_passages(texts) -> ndarray` and `embed_query(text) -> ndarray` (L2-normalised float32). Chosen by the
    setting `embedder`. Reached only through `gateway.govern`."""


@hookspec
def register_recognizers(register: Any) -> None:
    """PII recognisers: `register(recognizer)` with a `zhengwu.gateway.pii.PatternRecognizer` (named patterns,
    base score, context words, `validate_result` / `invalidate_result`) or any object with `entity`, `name`
    and `analyze(text) -> list[Finding]`. They run in every masking step of the gateway."""


@hookspec
def register_parsers(register: Any) -> None:
    """Document parsers for ingestion: `register(suffixes, source_type, parse[, count])`; `parse(path) -> Parsed`
    (`zhengwu.kb.parsers`), or for a file of many documents (JSONL) an iterator of them with `count(path) -> int`.
    `suffixes` is a tuple such as (".ofd",); a later registration for a suffix replaces the earlier one.
    See docs/plugins.md."""


@hookspec
def register_doctypes(register: Any) -> None:
    """公文 文种: `register(doctype)` with a `zhengwu.writing.doctypes.DocType` (name, aliases, required and
    forbidden elements, layout). Drafting, rendering, checking, metadata extraction and the pages read them."""


@hookspec
def register_output_checks(register: Any) -> None:
    """Checks run on every model output inside the gateway: `register(name, check)`;
    `check(text, call) -> list[str]` returns findings (empty: nothing found). A finding that starts with
    "block:" replaces the output with the refusal text. `call` is the `gateway.ModelCall` being served."""


@hookspec
def before_model_call(call: Any) -> Any:
    """Called by the gateway before any model (chat or embedding) sees anything, after masking.

    `call` is the `gateway.ModelCall` (caller, scenario, kind "chat" | "embedding", masked messages or texts).
    Return False or a string (the reason, shown to the user) to block the call; None or True lets it pass.
    Use it for trust verification, quotas, extra logging or policy checks."""


@hookspec
def register_commands(cli: Any) -> None:
    """Add commands to the `zhengwu` command line: `cli` is the root typer.Typer app."""
