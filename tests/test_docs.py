"""Documentation is checked (in the manner of datasette's documentation tests): every command and option of
the live command tree is in docs/cli.md, every setting in docs/configuration.md, every hook in
docs/plugins.md, and the commands the README shows exist."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command

from tests.conftest import ROOT
from zhengwu.cli import app
from zhengwu.config import Settings
from zhengwu.plugins import hook_names

DOCS = ROOT / "docs"


def _commands(cmd=None, path=()):  # noqa: ANN001, ANN202
    """(path, command) for every leaf command of the live typer tree."""
    cmd = cmd or get_command(app)
    if hasattr(cmd, "commands"):
        for name, sub in sorted(cmd.commands.items()):
            yield from _commands(sub, path + (name,))
    else:
        yield path, cmd


COMMANDS = list(_commands())
OPTIONS = [(path, opt) for path, cmd in COMMANDS for p in cmd.params if type(p).__name__.endswith("Option")
           for opt in p.opts if opt != "--help"]


def _section(text: str, path: tuple[str, ...]) -> str:
    """The part of docs/cli.md under the command's heading, up to the next heading."""
    m = re.search(rf"^### `zhengwu {re.escape(' '.join(path))}`\s*$(.*?)(?=^### |\Z)", text, re.M | re.S)
    return m.group(1) if m else ""


def test_the_tree_is_walked():
    assert len(COMMANDS) >= 40 and any(p == ("eval", "qa") for p, _ in COMMANDS)


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p))
def test_every_command_is_documented(path):
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert re.search(rf"^### `zhengwu {re.escape(' '.join(path))}`\s*$", text, re.M), \
        f"docs/cli.md has no section for `zhengwu {' '.join(path)}`"


@pytest.mark.parametrize("path,option", OPTIONS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else v)
def test_every_option_is_documented(path, option):
    section = _section((DOCS / "cli.md").read_text(encoding="utf-8"), path)
    assert f"`{option}`" in section, f"`zhengwu {' '.join(path)}`: option {option} is not in docs/cli.md"


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_is_documented(name):
    doc = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert re.search(rf"`{name}`|`{name},|, `{name}`", doc), f"setting {name} is not in docs/configuration.md"


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_is_documented(hook):
    assert f"`{hook}`" in (DOCS / "plugins.md").read_text(encoding="utf-8")


def test_every_readme_command_exists():
    blocks = "\n".join(re.findall(r"```(?:bash|sh)?\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S))
    lines = re.findall(r"^\s*(?:\.venv/bin/)?zhengwu ((?:[a-z]+ ?)+)", blocks, flags=re.M)
    assert len(lines) >= 8
    known = {" ".join(p) for p, _ in COMMANDS}
    for line in lines:
        words = line.split()
        assert any(" ".join(words[:n]) in known for n in range(1, len(words) + 1)), \
            f"README shows a missing command: zhengwu {line}"


def test_readme_gives_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
