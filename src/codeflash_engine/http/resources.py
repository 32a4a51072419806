"""The long-lived resources the app owns, created in the lifespan and closed at shutdown."""

import asyncio
from contextlib import AsyncExitStack

from attrs import frozen

from codeflash_engine.auth.gate import AccessGate
from codeflash_engine.db import Database
from codeflash_engine.http.health_probe import HealthProbe
from codeflash_engine.http.storage import NoDatabase, memory_storage, open_database_storage
from codeflash_engine.llm import CallObserver, LLMClient, llm_readiness, log_readiness
from codeflash_engine.observability.features import FeatureStore
from codeflash_engine.observability.integrations import PostHogObserver, flush_sentry, init_sentry
from codeflash_engine.observability.logging import register_secrets
from codeflash_engine.observability.memory import InMemoryRecords
from codeflash_engine.observability.metrics import MetricsObserver
from codeflash_engine.observability.recorder import Recorder
from codeflash_engine.observability.retention import Pruner
from codeflash_engine.pipeline.llm_gateway import ClientGateway
from codeflash_engine.pipeline.ports import LLMGateway
from codeflash_engine.pipeline.replay import ReplayingGateway
from codeflash_engine.plugins import PluginHost, load_plugin_host
from codeflash_engine.plugins.isolation import HookRunner
from codeflash_engine.settings import Settings


@frozen
class AppOptions:
    """What ``create_app`` takes besides settings, from code only: in-process plugins and the
    no-database mode, for tests and plugin authors."""

    extra_plugins: tuple[object, ...] = ()
    load_entry_points: bool = True
    no_database: NoDatabase | None = None


@frozen
class AppResources:
    """Everything a request handler may use; one instance per app, on ``app.state.resources``.

    ``llm`` always exists; without a configured provider its calls answer 503, after the plugin
    had its say, so a language that is not implemented still answers 501.

    Handlers go through the ports (``gate``, ``features``, ``recorder``, ``llm``); ``database`` is
    the pool, for tests that issue keys or read rows. An app built with ``NoDatabase`` has no
    ``database`` and keeps what it would have stored in ``recorded`` instead.
    """

    settings: Settings
    plugins: PluginHost
    hooks: HookRunner
    llm: LLMGateway
    recorder: Recorder
    gate: AccessGate
    features: FeatureStore
    database_probe: HealthProbe
    database: Database | None
    recorded: InMemoryRecords | None


async def open_resources(settings: Settings, stack: AsyncExitStack, options: AppOptions) -> AppResources:
    """Open every resource in dependency order; ``stack`` closes them in reverse at shutdown."""
    plugins = load_plugin_host(
        settings.plugins, options.extra_plugins, entry_points=options.load_entry_points
    )
    storage = (
        memory_storage(options.no_database)
        if options.no_database is not None
        else await open_database_storage(settings, stack)
    )
    hooks = HookRunner(plugins, settings.plugins)
    stack.callback(hooks.close)
    # In the background: start-up (and readiness) does not wait for it, the first requests mostly do not.
    warming = asyncio.create_task(hooks.warm_up(), name="warm up hook workers")
    stack.callback(warming.cancel)
    register_secrets((*settings.llm.secret_values(), *settings.observability.secret_values()))
    if init_sentry(settings.observability, settings.http.environment):
        stack.callback(flush_sentry)
    # Registered after the database, so at shutdown it drains into a still-open pool.
    recorder = Recorder(
        storage.records,
        queue_size=settings.observability.recording_queue_size,
        drain_timeout_seconds=settings.observability.recording_drain_timeout_seconds,
    )
    recorder.start()
    stack.push_async_callback(recorder.aclose)
    if storage.database is not None and settings.observability.retention_days > 0:
        pruner = Pruner(storage.database, settings.observability.retention_days)
        pruner.start()
        stack.push_async_callback(pruner.aclose)
    observers: list[CallObserver] = [MetricsObserver(), recorder]
    if settings.observability.posthog_api_key is not None:
        posthog = PostHogObserver(settings.observability)
        stack.callback(posthog.close)
        observers.append(posthog)
    # One client per app (per lifespan, so per uvicorn worker): its connection pools belong to this
    # event loop and are closed with it.
    client = LLMClient.from_settings(settings.llm, observers=observers)
    stack.push_async_callback(client.aclose)
    log_readiness(llm_readiness(settings.llm, client.registry))
    return AppResources(
        settings=settings,
        plugins=plugins,
        hooks=hooks,
        llm=ReplayingGateway(ClientGateway(client), storage.replies),
        recorder=recorder,
        gate=storage.gate,
        features=storage.features,
        database_probe=storage.probe,
        database=storage.database,
        recorded=storage.recorded,
    )
