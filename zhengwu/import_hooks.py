"""Import hooks for third-party packages whose import does needless work in every process.

jieba 0.42 imports `pkg_resources` (setuptools' deprecated resource API: about 0.2 s of CPU, eight times
jieba's own import) only to open its data files; when `pkg_resources` cannot be imported it opens the same
files next to its module (jieba/_compat.py). Every `zhengwu search` and `ask` process imports jieba, so
jieba._compat is run with `pkg_resources` hidden. Nothing else changes: a module that imports
`pkg_resources` itself, before or after, gets it. Installed by zhengwu/__init__.py.
"""

from __future__ import annotations

import sys
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import Any


class _JiebaCompatFinder:
    """Finds jieba._compat as the path finder does and runs it with `pkg_resources` hidden (unless some
    module has loaded it already); every other import is left to the other finders."""

    @staticmethod
    def find_spec(name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if name != "jieba._compat":
            return None
        spec = PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            if "pkg_resources" in sys.modules:
                run(module)
                return
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import pkg_resources` -> ImportError
            try:
                run(module)
            finally:
                if "pkg_resources" in sys.modules and sys.modules["pkg_resources"] is None:
                    del sys.modules["pkg_resources"]

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]  # this spec's loader object only
        return spec


def install() -> None:
    """Put the finder first on sys.meta_path (once)."""
    if not any(isinstance(f, _JiebaCompatFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _JiebaCompatFinder())
