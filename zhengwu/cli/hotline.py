"""`zhengwu hotline ...` and the hotline benchmarks under `zhengwu eval ...`."""

from __future__ import annotations

from zhengwu.cli.app import eval_app, hotline_app  # noqa: F401
