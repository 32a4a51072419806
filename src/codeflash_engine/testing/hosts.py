"""Plugin hosts for tests: only the plugins a test names, unless it asks for the installed ones."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import pluggy

from codeflash_engine.plugins import PluginHost, load_plugin_host
from codeflash_engine.settings import PluginSettings
from codeflash_engine.testing.settings import harness_plugin_settings

PluginT = TypeVar("PluginT")


def make_plugin_host(
    *plugins: object, entry_points: bool = False, settings: PluginSettings | None = None
) -> PluginHost:
    """A fresh host with ``plugins`` registered in-process.

    Installed plugins (entry points) are ignored unless ``entry_points`` is true, so a test sees the
    same plugins on every machine. ``settings`` defaults to ``harness_plugin_settings()`` (strict:
    a plugin that fails to load raises instead of being recorded as ``failed``).
    """
    return load_plugin_host(settings or harness_plugin_settings(), plugins, entry_points=entry_points)


@contextmanager
def registered(manager: pluggy.PluginManager, plugin: PluginT, name: str | None = None) -> Iterator[PluginT]:
    """Register a *generic* plugin (one that declares no language) for the duration of a ``with``.

    Its pipeline hooks then run for every language, beside the owner's: an extra validator, a
    prompt wrapper, an observer. A language plugin must be given to ``make_plugin_host`` instead,
    because the host decides at load time which plugins own which language.
    """
    if getattr(plugin, "codeflash_language_info", None) is not None:
        raise ValueError(
            "registered() takes generic plugins only; pass a language plugin to make_plugin_host() "
            "or the codeflash_plugins fixture"
        )
    manager.register(plugin, name=name)
    try:
        # pluggy accepts a misspelt hook name silently; the engine's loader refuses it, so do we.
        unknown = sorted(
            caller.name for caller in manager.get_hookcallers(plugin) or [] if not caller.has_spec()
        )
        if unknown:
            raise ValueError(f"plugin implements unknown hooks: {', '.join(unknown)}")
        yield plugin
    finally:
        manager.unregister(plugin)
