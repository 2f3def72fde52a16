"""The plugin manager: built-ins and a deployment's plugins register through the hooks in `hookspecs.py`.

Why a registry of registries: every extension point used to be its own list (backends in one dict, parsers
in three places, recognisers in two); now each is collected from the same hook call, so an installed
package, a module named in settings or zhengwu itself all extend the product the same way.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any

import pluggy

from zhengwu import hookspecs
from zhengwu.config import get_settings
from zhengwu.errors import ZhengwuError

# zhengwu's own implementations, registered exactly as a deployment's plugins are.
BUILTIN = (
    "zhengwu.gateway.backends",
    "zhengwu.gateway.embeddings",
    "zhengwu.gateway.pii.registry",
    "zhengwu.gateway.checks",
    "zhengwu.gateway.safety",
    "zhengwu.kb.parsers",
    "zhengwu.writing.doctypes",
)

_lock = threading.RLock()
_pm: pluggy.PluginManager | None = None
_pm_key: tuple = ()
_cache_clearers: list[Callable[[], None]] = []


def settings_key() -> tuple:
    """The settings that decide what is registered: a registry built from hooks is rebuilt when they change."""
    s = get_settings()
    return tuple(s.plugins), tuple(s.pii_recognizers_yaml)


def _load(pm: pluggy.PluginManager, module_name: str, *, builtin: bool) -> None:
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if builtin:
            raise
        raise ZhengwuError("plugin_missing", f"无法加载插件 {module_name}：{exc}",
                           f"Cannot load the plugin {module_name}: {exc}") from exc
    if not pm.is_registered(module):
        pm.register(module, name=module_name)


def get_plugin_manager() -> pluggy.PluginManager:
    """The process's plugin manager: built-ins, entry points in group "zhengwu", then settings.plugins."""
    global _pm, _pm_key
    key = settings_key()
    with _lock:
        if _pm is None or key != _pm_key:
            reset_plugins()
            pm = pluggy.PluginManager("zhengwu")
            pm.add_hookspecs(hookspecs)
            _pm, _pm_key = pm, key  # set first: a built-in module may ask for the manager while it is imported
            try:
                for name in BUILTIN:
                    _load(pm, name, builtin=True)
                pm.load_setuptools_entrypoints("zhengwu")
                for name in get_settings().plugins:
                    _load(pm, name, builtin=False)
            except BaseException:
                _pm = None
                raise
        return _pm


def register_commands(cli: Any) -> None:
    """Let a deployment's plugins (entry points, settings.plugins) add their CLI commands.

    A manager of its own, without the built-ins: none of them adds commands, and importing them (the whole
    gateway) would cost every `zhengwu` invocation about a second.
    """
    pm = pluggy.PluginManager("zhengwu")
    pm.add_hookspecs(hookspecs)
    pm.load_setuptools_entrypoints("zhengwu")
    for name in get_settings().plugins:
        _load(pm, name, builtin=False)
    pm.hook.register_commands(cli=cli)


def reset_plugins() -> None:
    """Forget the manager and every registry built from it (tests; a settings change does it by itself)."""
    global _pm
    with _lock:
        _pm = None
        for fn in _cache_clearers:
            fn()


def on_reset(fn: Callable[[], None]) -> Callable[[], None]:
    """Registries built from hooks register their cache-clearing function here."""
    _cache_clearers.append(fn)
    return fn


def collect(hook_name: str) -> list[tuple[Any, ...]]:
    """Call a `register_*` hook and return what each `register(...)` call received, in registration order
    (built-ins first, so a plugin's registration under the same name comes later and wins)."""
    pm = get_plugin_manager()
    got: list[tuple[Any, ...]] = []

    def register(*args: Any) -> None:
        got.append(args)

    # get_hookimpls() lists implementations in registration order (pluggy *calls* them last-first), so
    # iterating it as is puts the built-ins first and a plugin's registration later, where it wins
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        impl.function(register=register)
    return got


def hook_names() -> list[str]:
    """The names of all hooks (for the documentation test)."""
    return sorted(n for n, fn in vars(hookspecs).items() if callable(fn) and hasattr(fn, "zhengwu_spec"))
