"""zhengwu (政务): a governed, self-hosted LLM platform for government bodies."""

from zhengwu import import_hooks as _import_hooks

__version__ = "0.1.0"

_import_hooks.install()  # jieba without pkg_resources (zhengwu/import_hooks.py)
