"""Finding, loading, listing and calling language plugins."""

from codeflash_engine.plugins.errors import (
    PluginHookError,
    PluginReturnedNothingError,
    RequiredPluginError,
    UnknownLanguageError,
)
from codeflash_engine.plugins.facade import LanguageHooks
from codeflash_engine.plugins.host import PluginHost, load_plugin_host
from codeflash_engine.plugins.records import PluginRecord, PluginStatus

__all__ = [
    "LanguageHooks",
    "PluginHookError",
    "PluginHost",
    "PluginRecord",
    "PluginReturnedNothingError",
    "PluginStatus",
    "RequiredPluginError",
    "UnknownLanguageError",
    "load_plugin_host",
]
