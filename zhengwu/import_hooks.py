"""Import hooks for third-party packages whose import does needless work in every process.

Two packages import a heavy module at their top only for something a `zhengwu search` or `ask` process
never does:

- jieba 0.42 imports `pkg_resources` (setuptools' deprecated resource API: about 0.2 s of CPU, eight times
  jieba's own import) only to open its data files; without it jieba opens the same files next to its module
  (jieba/_compat.py).
- bm25s imports `scipy.sparse` (about 0.2 s of CPU: scipy's array-API layer loads numpy.f2py and
  numpy.testing) for its optional scipy backend (`csc_backend="scipy"`), which zhengwu does not choose:
  its default backend, loading a saved index and scoring use numpy alone. It is imported with scipy hidden,
  then given scipy back as a proxy that imports `scipy.sparse` on first use, so a caller choosing the scipy
  backend still gets it.

The hidden module is hidden only while that one module runs, only if nothing has loaded it yet, and only
while the process runs a single thread (as a CLI command does when it imports them): another thread
importing it in that moment would get an ImportError. Any other importer gets it as usual. Installed by zhengwu/__init__.py; tests/kb/test_start_imports.py checks
the module set of a search process.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import Any


class _LazyModule:
    """Stands for a module until an attribute is read, then imports it (and reads from it)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        from importlib import import_module

        return getattr(import_module(self._name), attr)


def _bm25s_after(module: ModuleType) -> None:
    from importlib.util import find_spec  # not at the top: every zhengwu process (even --help) imports this module

    if find_spec("scipy") is not None:
        module.sp = _LazyModule("scipy.sparse")  # type: ignore[attr-defined]
        module.SCIPY_AVAILABLE = True  # type: ignore[attr-defined]


# module imported with another one hidden -> (the hidden module, what to do once it has run)
_HIDE: dict[str, tuple[str, Callable[[ModuleType], None] | None]] = {
    "jieba._compat": ("pkg_resources", None),
    "bm25s": ("scipy", _bm25s_after),
}


class _HidingFinder:
    """Finds the modules of _HIDE as the path finder does and runs each with its heavy import hidden; every
    other import is left to the other finders."""

    @staticmethod
    def find_spec(name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if name not in _HIDE:
            return None
        hidden, after = _HIDE[name]
        spec = PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            if hidden in sys.modules or threading.active_count() > 1:  # loaded already / not safe to hide
                run(module)
                return
            sys.modules[hidden] = None  # type: ignore[assignment]  # `import <hidden>` raises ImportError
            try:
                run(module)
            finally:
                if hidden in sys.modules and sys.modules[hidden] is None:
                    del sys.modules[hidden]
            if after is not None:
                after(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]  # this spec's loader object only
        return spec


def install() -> None:
    """Put the finder first on sys.meta_path (once)."""
    if not any(isinstance(f, _HidingFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _HidingFinder())
