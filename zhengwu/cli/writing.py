"""CLI commands of the writing module (registered on zhengwu.cli.app.app)."""

from zhengwu.cli.app import app, eval_app  # noqa: F401
