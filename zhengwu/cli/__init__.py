"""Command line: `zhengwu ...`. Errors are printed in Chinese and English, never as a stack trace.

The command modules import what a command needs inside the command: `zhengwu --help` and a script calling
`zhengwu search` 1,000 times do not pay for jieba, numpy, SQLAlchemy or the gateway at start-up.
"""

from __future__ import annotations

import sys

from zhengwu.cli.app import app, eval_app
from zhengwu.errors import ZhengwuError

# Each import registers its commands on `app` / `eval_app`.
from zhengwu.cli import kb as _kb  # noqa: E402,F401
from zhengwu.cli import search as _search  # noqa: E402,F401
from zhengwu.cli import pii as _pii  # noqa: E402,F401
from zhengwu.cli import gateway as _gateway  # noqa: E402,F401
from zhengwu.cli import qa as _qa  # noqa: E402,F401
from zhengwu.cli import writing as _writing  # noqa: E402,F401
from zhengwu.cli import office as _office  # noqa: E402,F401
from zhengwu.cli import server as _server  # noqa: E402,F401
from zhengwu.cli import identity as _identity  # noqa: E402,F401
from zhengwu.cli import hotline as _hotline  # noqa: E402,F401
from zhengwu.cli import safety as _safety  # noqa: E402,F401
from zhengwu.cli import match as _match  # noqa: E402,F401

from zhengwu.plugins import register_commands  # noqa: E402

# a deployment's plugins add their commands through the register_commands hook
register_commands(app)

__all__ = ["app", "eval_app", "main"]


def _index_progress(label: str):  # noqa: ANN202 - the progress_bar context manager
    """A stale search index is rebuilt in the foreground, with a bar when a person is watching (stderr)."""
    from zhengwu.cli.progress import progress_bar

    return progress_bar(label, enabled=sys.stderr.isatty())


def main() -> None:
    from zhengwu.kb import index_files

    index_files.foreground_progress = _index_progress
    try:
        app()
    except ZhengwuError as exc:
        print(f"错误：{exc.zh}\nError: {exc.en}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        sys.exit(130)
