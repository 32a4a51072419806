"""The long-lived resources the app owns, created in the lifespan and closed at shutdown."""

from contextlib import AsyncExitStack

from attrs import frozen

from codeflash_engine.db import Database, open_database
from codeflash_engine.plugins import PluginHost, load_plugin_host
from codeflash_engine.settings import Settings


@frozen
class AppResources:
    """Everything a request handler may use; one instance per app, on ``app.state.resources``."""

    settings: Settings
    plugins: PluginHost
    database: Database


async def open_resources(settings: Settings, stack: AsyncExitStack) -> AppResources:
    """Open every resource in dependency order; ``stack`` closes them in reverse at shutdown."""
    plugins = load_plugin_host(settings.plugins)
    database = await stack.enter_async_context(open_database(settings.database))
    return AppResources(settings=settings, plugins=plugins, database=database)
