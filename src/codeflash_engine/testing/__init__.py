"""Test utilities for the engine and for plugin authors (install ``codeflash-engine[testing]``).

The fixtures live in ``codeflash_engine.testing.pytest_plugin`` and load automatically; the names
below are imported on first use, so importing this package (which the pytest plugin does) costs
nothing and imports none of the engine::

    from codeflash_engine.testing import LanguagePluginContract, assert_plugin_installed
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

try:
    import pytest
except ImportError:  # pragma: no cover - pytest comes with the testing extra
    pass
else:
    # pytest rewrites asserts only in test modules and pytest11 plugins; the contract's tests and
    # the helpers' asserts live here, so ask for them too (before they are first imported).
    pytest.register_assert_rewrite("codeflash_engine.testing.contract", "codeflash_engine.testing.installed")

if TYPE_CHECKING:
    from codeflash_engine.testing.contract import LanguagePluginContract
    from codeflash_engine.testing.hosts import make_plugin_host, registered
    from codeflash_engine.testing.installed import assert_plugin_installed
    from codeflash_engine.testing.recorder import HookCall, HookRecorder
    from codeflash_engine.testing.settings import env_free, harness_plugin_settings, harness_settings

_EXPORTS = {
    "HookCall": "codeflash_engine.testing.recorder",
    "HookRecorder": "codeflash_engine.testing.recorder",
    "LanguagePluginContract": "codeflash_engine.testing.contract",
    "assert_plugin_installed": "codeflash_engine.testing.installed",
    "env_free": "codeflash_engine.testing.settings",
    "harness_plugin_settings": "codeflash_engine.testing.settings",
    "harness_settings": "codeflash_engine.testing.settings",
    "make_plugin_host": "codeflash_engine.testing.hosts",
    "registered": "codeflash_engine.testing.hosts",
}

__all__ = [
    "HookCall",
    "HookRecorder",
    "LanguagePluginContract",
    "assert_plugin_installed",
    "env_free",
    "harness_plugin_settings",
    "harness_settings",
    "make_plugin_host",
    "registered",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
