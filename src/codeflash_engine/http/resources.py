"""The long-lived resources the app owns, created in the lifespan and closed at shutdown."""

from contextlib import AsyncExitStack

from attrs import frozen

from codeflash_engine.plugins import PluginHost, load_plugin_host
from codeflash_engine.settings import Settings


@frozen
class AppResources:
    """Everything a request handler may use; one instance per app, on ``app.state.resources``."""

    settings: Settings
    plugins: PluginHost


async def open_resources(settings: Settings, stack: AsyncExitStack) -> AppResources:
    """Open every resource in dependency order; ``stack`` closes them in reverse at shutdown."""
    del stack  # nothing to close yet; the database and LLM clients register their cleanup on it
    plugins = load_plugin_host(settings.plugins)
    return AppResources(settings=settings, plugins=plugins)
