"""The pytest plugin installed with codeflash-engine (entry point ``pytest11``).

It defines fixtures only: no autouse fixtures and no import-time side effects, so having the engine
installed changes nothing in another project's test run until a test asks for a ``codeflash_`` fixture.
Engine modules are imported inside the fixtures for the same reason (and so coverage of a plugin's
own tests is not skewed by engine imports at collection time).

Choose what a test runs by overriding fixtures, the pytest way: ``codeflash_plugins`` (the plugin
objects to register, default none), ``codeflash_entry_points`` (also load installed plugins, default
no), ``codeflash_use_database`` (default yes; no runs the app without PostgreSQL),
``codeflash_plugin_settings`` and ``codeflash_settings``.
"""

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import httpx
    import pluggy
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from codeflash_engine.db.settings import DatabaseSettings
    from codeflash_engine.plugins import PluginHost
    from codeflash_engine.settings import PluginSettings, Settings
    from codeflash_engine.testing.database import EmbeddedPostgres
    from codeflash_engine.testing.fake_llm import FakeLLM
    from codeflash_engine.testing.recorder import HookRecorder

try:
    from pytest_asyncio import fixture as async_fixture
except ImportError:  # the engine is installed without its ``testing`` extra
    async_fixture = pytest.fixture  # type: ignore[assignment]

BASE_URL = "http://codeflash-engine.test"


@pytest.fixture
def codeflash_plugins() -> Sequence[object]:
    """The plugin objects (modules or instances) the host and the app register; override it."""
    return ()


@pytest.fixture
def codeflash_entry_points() -> bool:
    """Whether the host and the app also load installed plugins (entry points); override it."""
    return False


@pytest.fixture
def codeflash_use_database() -> bool:
    """Whether the app gets a fresh embedded PostgreSQL (default) or none; override it.

    Without one nothing is started or connected: the clients send ``NO_DATABASE_API_KEY``, the only
    key the app accepts (no rate limit, no quota), and what it would have stored is kept in
    ``app.state.resources.recorded``.
    """
    return True


@pytest.fixture
def codeflash_plugin_settings() -> "PluginSettings":
    """Plugin settings from defaults only (never the environment): strict loading, hooks in threads."""
    from codeflash_engine.testing.settings import harness_plugin_settings

    return harness_plugin_settings()


@pytest.fixture(scope="session")
def codeflash_postgres() -> "Iterator[EmbeddedPostgres]":
    """One embedded PostgreSQL for the session (started on first use), with a migrated template."""
    from codeflash_engine.testing.database import embedded_postgres

    with embedded_postgres() as postgres:
        yield postgres


@pytest.fixture
def codeflash_database(codeflash_postgres: "EmbeddedPostgres") -> "Iterator[DatabaseSettings]":
    """Settings of a fresh, migrated database for this test only (dropped afterwards)."""
    with codeflash_postgres.database() as settings:
        yield settings


@pytest.fixture
def codeflash_settings(
    codeflash_plugin_settings: "PluginSettings",
    codeflash_use_database: bool,
    codeflash_fake_llm: "FakeLLM",
    request: pytest.FixtureRequest,
) -> "Settings":
    """Service settings from defaults only (never the environment or ``.env``), with
    ``codeflash_plugin_settings``, ``codeflash_database`` (only if ``codeflash_use_database``) and
    the LLM providers on ``codeflash_fake_llm`` (Azure and Bedrock paths). Override it, starting
    from ``codeflash_engine.testing.harness_settings(...)``."""
    from codeflash_engine.testing.fake_llm.settings import fake_llm_settings
    from codeflash_engine.testing.settings import harness_settings

    llm = fake_llm_settings(codeflash_fake_llm)
    if not codeflash_use_database:
        # Asked for by name only here, so a test without a database never starts PostgreSQL.
        return harness_settings(plugins=codeflash_plugin_settings, llm=llm)
    database: DatabaseSettings = request.getfixturevalue("codeflash_database")
    return harness_settings(plugins=codeflash_plugin_settings, database=database, llm=llm)


@pytest.fixture
def codeflash_hook_recorder() -> "Iterator[HookRecorder]":
    """Records every hook call of ``codeflash_host`` and of the app behind ``codeflash_client`` /
    ``codeflash_sync_client``: ``getcalls("validate")``, ``assert_called("build_context", task=...)``."""
    from codeflash_engine.testing.recorder import HookRecorder

    recorder = HookRecorder()
    yield recorder
    recorder.close()


@pytest.fixture
def codeflash_host(
    codeflash_plugins: Sequence[object],
    codeflash_entry_points: bool,
    codeflash_plugin_settings: "PluginSettings",
    codeflash_hook_recorder: "HookRecorder",
) -> "PluginHost":
    """A fresh ``PluginHost`` with ``codeflash_plugins``; ``codeflash_host.for_language("x")`` gives
    the facade the pipeline calls."""
    from codeflash_engine.testing.hosts import make_plugin_host

    host = make_plugin_host(
        *codeflash_plugins, entry_points=codeflash_entry_points, settings=codeflash_plugin_settings
    )
    codeflash_hook_recorder.attach(host.manager)
    return host


@pytest.fixture
def codeflash_pm(codeflash_host: "PluginHost") -> "pluggy.PluginManager":
    """The pluggy manager of ``codeflash_host``."""
    return codeflash_host.manager


@pytest.fixture
def codeflash_register(codeflash_pm: "pluggy.PluginManager") -> Iterator[Callable[..., Any]]:
    """``codeflash_register(plugin, name=None)`` registers a generic plugin on ``codeflash_pm`` for
    this test only (it is unregistered at teardown) and returns it."""
    from codeflash_engine.testing.hosts import registered

    with ExitStack() as stack:

        def register(plugin: object, name: str | None = None) -> object:
            return stack.enter_context(registered(codeflash_pm, plugin, name))

        yield register


@pytest.fixture
def codeflash_app(
    codeflash_settings: "Settings",
    codeflash_plugins: Sequence[object],
    codeflash_entry_points: bool,
    codeflash_use_database: bool,
) -> "FastAPI":
    """The service with ``codeflash_settings`` and ``codeflash_plugins``, not started (use
    ``codeflash_client`` or ``codeflash_sync_client`` to run its lifespan); without a database
    if ``codeflash_use_database`` says so."""
    from codeflash_engine.http.app import create_app
    from codeflash_engine.http.storage import NoDatabase
    from codeflash_engine.testing.keys import NO_DATABASE_API_KEY

    return create_app(
        codeflash_settings,
        plugins=tuple(codeflash_plugins),
        load_entry_points=codeflash_entry_points,
        no_database=None if codeflash_use_database else NoDatabase(api_keys=(NO_DATABASE_API_KEY,)),
    )


@async_fixture
async def codeflash_client(
    codeflash_app: "FastAPI", codeflash_hook_recorder: "HookRecorder", codeflash_use_database: bool
) -> "AsyncIterator[httpx.AsyncClient]":
    """An ``httpx.AsyncClient`` over ``codeflash_app`` in-process, with the lifespan run around it,
    sending a valid API key (an unlimited-tier key issued in the test's database, or
    ``NO_DATABASE_API_KEY`` without one)."""
    try:
        from asgi_lifespan import LifespanManager
    except ImportError as exc:  # pragma: no cover - depends on how the engine was installed
        pytest.fail(
            f"codeflash_client needs the testing extra: pip install 'codeflash-engine[testing]' ({exc})"
        )
    import httpx

    from codeflash_engine.testing.keys import NO_DATABASE_API_KEY, issue_test_key

    async with LifespanManager(codeflash_app) as lifespan:
        resources = codeflash_app.state.resources
        codeflash_hook_recorder.attach(resources.plugins.manager)
        key = await issue_test_key(resources) if codeflash_use_database else NO_DATABASE_API_KEY
        transport = httpx.ASGITransport(app=lifespan.app)
        async with httpx.AsyncClient(
            transport=transport, base_url=BASE_URL, headers={"Authorization": f"Bearer {key}"}
        ) as client:
            yield client


@pytest.fixture
def codeflash_sync_client(
    codeflash_app: "FastAPI", codeflash_hook_recorder: "HookRecorder", codeflash_use_database: bool
) -> "Iterator[TestClient]":
    """FastAPI's ``TestClient`` over ``codeflash_app``, lifespan run, for synchronous tests; it sends
    a valid API key like ``codeflash_client``."""
    from fastapi.testclient import TestClient

    from codeflash_engine.testing.keys import NO_DATABASE_API_KEY, issue_test_key

    with TestClient(codeflash_app, base_url=BASE_URL) as client:
        resources = codeflash_app.state.resources
        codeflash_hook_recorder.attach(resources.plugins.manager)
        assert client.portal is not None, "TestClient runs its portal inside the with block"
        key = client.portal.call(issue_test_key, resources) if codeflash_use_database else NO_DATABASE_API_KEY
        client.headers["Authorization"] = f"Bearer {key}"
        yield client


@pytest.fixture
def codeflash_fake_llm() -> "Iterator[FakeLLM]":
    """A started ``FakeLLM`` on 127.0.0.1 (a free port), stopped after the test.

    Script it (``reply``, ``fail``, ``hang`` ...), point clients at its ``*_base_url`` properties or
    the service at ``codeflash_fake_llm.env(...)``, and assert on ``codeflash_fake_llm.requests``.
    """
    # Imported here so a project that never asks for this fixture never imports the server.
    from codeflash_engine.testing.fake_llm import FakeLLM

    with FakeLLM() as fake:
        yield fake
