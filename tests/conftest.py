"""Shared fixtures: one embedded PostgreSQL per test session, a fresh database per test.

``postgres_server``     the session's pgserver handle (data in a temporary directory, deleted after).
``empty_database_url``  a DSN to a new, empty database, dropped after the test.
``database_url``        a DSN to a new database with every migration applied (cloned from a template,
                        so it costs one ``CREATE DATABASE``), dropped after the test.
``module_database_url`` the same, shared by one test module (for a service process the module starts).
``engine_settings``     ``Settings`` pointing at ``database_url``, no plugins loaded, quick pool.
``database``            an open ``Database`` (the pool the app uses) on ``database_url``.
``stable_tmp_path``     a temporary directory that concurrent pytest runs do not prune.
``postgres_proxy``      a TCP proxy in front of ``database_url`` that a test can cut and restore, to
                        take the database away from a running service and give it back, or stall
                        and resume, to make it stop answering without closing anything.
"""

import asyncio
import contextlib
import shutil
import socket
import tempfile
import uuid
import warnings
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import pytest

from codeflash_engine.db import Database, open_database
from codeflash_engine.db.connect import run_migrations
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.settings import PluginSettings, Settings

with warnings.catch_warnings():
    # pgserver warns at import when XDG_RUNTIME_DIR is unset, and copes.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from pgserver.postgres_server import PostgresServer, get_server

T = TypeVar("T")
TEMPLATE_DATABASE = "codeflash_template"


def run_in_thread(make_coroutine: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion outside the test's event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, make_coroutine()).result()


def database_settings_for(url: str, data_dir: Path) -> DatabaseSettings:
    return DatabaseSettings(
        DATABASE_URL=url,
        CODEFLASH_DATA_DIR=data_dir,
        CODEFLASH_DB_POOL_MIN_SIZE=1,
        CODEFLASH_DB_POOL_MAX_SIZE=10,
        CODEFLASH_DB_CONNECT_TIMEOUT_S=5,
    )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    # Not under pytest's basetemp: a concurrent pytest run on the machine prunes old basetemps,
    # which would delete the server's data directory while this session still uses it.
    parent = Path(tempfile.mkdtemp(prefix="codeflash-engine-tests-"))
    server = get_server(parent / "pgdata", cleanup_mode="delete")
    server.psql(f"CREATE DATABASE {TEMPLATE_DATABASE};")
    template_url = server.get_uri(TEMPLATE_DATABASE)
    run_in_thread(
        lambda: run_migrations(template_url, database_settings_for(template_url, Path(server.pgdata)))
    )
    yield server
    server.cleanup()
    shutil.rmtree(parent, ignore_errors=True)


def _fresh_database(server: PostgresServer, template: str) -> Iterator[str]:
    name = f"test_{uuid.uuid4().hex[:16]}"
    server.psql(f"CREATE DATABASE {name} TEMPLATE {template};")
    yield server.get_uri(name)
    server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")


@pytest.fixture
def stable_tmp_path() -> Iterator[Path]:
    """A temporary directory outside pytest's basetemp, for data a server must keep during the test."""
    path = Path(tempfile.mkdtemp(prefix="codeflash-engine-test-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def empty_database_url(postgres_server: PostgresServer) -> Iterator[str]:
    yield from _fresh_database(postgres_server, "template0")


@pytest.fixture
def database_url(postgres_server: PostgresServer) -> Iterator[str]:
    yield from _fresh_database(postgres_server, TEMPLATE_DATABASE)


@pytest.fixture(scope="module")
def module_database_url(postgres_server: PostgresServer) -> Iterator[str]:
    yield from _fresh_database(postgres_server, TEMPLATE_DATABASE)


@pytest.fixture
def engine_settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database=database_settings_for(database_url, tmp_path / "data"),
        plugins=PluginSettings(CODEFLASH_LOAD_PLUGINS=()),
    )


@pytest.fixture
async def database(engine_settings: Settings) -> AsyncIterator[Database]:
    async with open_database(engine_settings.database) as db:
        yield db


class PostgresProxy:
    """Forwards 127.0.0.1:<port> to the session server's unix socket, until ``cut``.

    ``cut`` stops accepting and drops every open connection (what a database outage looks like to
    a pool); ``restore`` accepts again. ``stall`` keeps every connection open but forwards nothing
    (what a network that drops packets, or a server that stopped responding, looks like: no error,
    no answer); ``resume`` forwards what was held and everything after. ``url`` is
    ``database_url`` reached through the proxy.
    """

    def __init__(self, database_url: str) -> None:
        parts = urlsplit(database_url)
        self.unix_socket = f"{parse_qs(parts.query)['host'][0]}/.s.PGSQL.5432"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"postgresql://{parts.username}@127.0.0.1:{self.port}{parts.path}"
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._flowing = asyncio.Event()
        self._flowing.set()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                await self._flowing.wait()
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_unix_connection(self.unix_socket)
        self._writers |= {writer, upstream_writer}
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))

    async def restore(self) -> None:
        self._server = await asyncio.start_server(self._forward, "127.0.0.1", self.port)

    def stall(self) -> None:
        self._flowing.clear()

    def resume(self) -> None:
        self._flowing.set()

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in self._writers:
            writer.close()
        self._writers.clear()


@pytest.fixture
async def postgres_proxy(database_url: str) -> AsyncIterator[PostgresProxy]:
    proxy = PostgresProxy(database_url)
    yield proxy
    proxy.resume()
    await proxy.cut()
