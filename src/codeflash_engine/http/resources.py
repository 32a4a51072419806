"""The long-lived resources the app owns, created in the lifespan and closed at shutdown."""

from contextlib import AsyncExitStack

from attrs import frozen

from codeflash_engine.db import Database, open_database
from codeflash_engine.pipeline.ports import LLMGateway
from codeflash_engine.plugins import PluginHost, load_plugin_host
from codeflash_engine.plugins.isolation import HookRunner
from codeflash_engine.settings import Settings


@frozen
class AppOptions:
    """What ``create_app`` takes besides settings: in-process plugins, for tests and plugin authors."""

    extra_plugins: tuple[object, ...] = ()
    load_entry_points: bool = True


@frozen
class AppResources:
    """Everything a request handler may use; one instance per app, on ``app.state.resources``.

    ``llm`` is ``None`` when no provider is configured: endpoints that need one answer 503.
    """

    settings: Settings
    plugins: PluginHost
    database: Database
    hooks: HookRunner
    llm: LLMGateway | None


async def open_resources(settings: Settings, stack: AsyncExitStack, options: AppOptions) -> AppResources:
    """Open every resource in dependency order; ``stack`` closes them in reverse at shutdown."""
    plugins = load_plugin_host(
        settings.plugins, options.extra_plugins, entry_points=options.load_entry_points
    )
    database = await stack.enter_async_context(open_database(settings.database))
    hooks = HookRunner(plugins, settings.plugins)
    stack.callback(hooks.close)
    return AppResources(settings=settings, plugins=plugins, database=database, hooks=hooks, llm=None)
