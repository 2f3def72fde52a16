"""Documentation is checked: the commands the README shows exist, and every setting is documented."""

from __future__ import annotations

import re

import click
from typer.main import get_command

from tests.conftest import ROOT
from zhengwu.cli import app
from zhengwu.config import Settings


def _resolve(words: list[str]) -> click.Command:
    """Follow command groups as far as the words name them; return the command reached."""
    cmd: click.Command = get_command(app)
    for word in words:
        if not isinstance(cmd, click.Group) or word not in cmd.commands:
            break
        cmd = cmd.commands[word]
    return cmd


def test_every_readme_command_exists():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = re.findall(r"^\s*(?:\.venv/bin/)?zhengwu ((?:[a-z]+ ?)+)", text, flags=re.M)
    assert len(lines) >= 8
    for line in lines:
        words = line.split()
        assert not isinstance(_resolve(words), click.Group), f"README shows a missing command: zhengwu {line}"


def test_readme_gives_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text


def test_every_setting_is_documented():
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`{name}`" not in doc and f"`{name}," not in doc
               and f", `{name}`" not in doc and f"`{name}`," not in doc]
    assert not missing, f"settings without documentation: {missing}"
