"""CLI commands of the office area (registered on zhengwu.cli.app)."""

from zhengwu.cli.app import app, eval_app  # noqa: F401
