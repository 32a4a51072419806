"""At start-up an unreachable database is waited for, with backoff, then refused with a clear error."""

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import structlog

from codeflash_engine.db import DatabaseUnavailableError, open_database
from codeflash_engine.db.settings import DatabaseSettings


def database_settings_for(url: str, data_dir: Path) -> DatabaseSettings:
    return DatabaseSettings(DATABASE_URL=url, CODEFLASH_DATA_DIR=data_dir, CODEFLASH_DB_CONNECT_TIMEOUT_S=2)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()


@contextlib.asynccontextmanager
async def tcp_forwarder(port: int, unix_socket: str) -> AsyncIterator[None]:
    """Listen on 127.0.0.1:port and forward each connection to PostgreSQL's unix socket."""

    async def forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_unix_connection(unix_socket)
        await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))

    server = await asyncio.start_server(forward, "127.0.0.1", port)
    try:
        yield
    finally:
        server.close()


def _tcp_url(database_url: str, port: int) -> tuple[str, str]:
    parts = urlsplit(database_url)
    socket_dir = parse_qs(parts.query)["host"][0]
    return f"postgresql://{parts.username}@127.0.0.1:{port}{parts.path}", f"{socket_dir}/.s.PGSQL.5432"


async def test_a_database_that_comes_up_during_the_wait_is_used(database_url: str, tmp_path: Path) -> None:
    port = _free_port()
    url, unix_socket = _tcp_url(database_url, port)
    settings = database_settings_for(url, tmp_path)

    async def bring_up_later() -> None:
        await asyncio.sleep(0.8)
        async with tcp_forwarder(port, unix_socket):
            await asyncio.sleep(10)

    helper = asyncio.create_task(bring_up_later())
    try:
        with structlog.testing.capture_logs() as logs:
            async with open_database(settings, wait_s=10) as database, database.connection() as conn:
                assert await conn.fetchval("SELECT count(*) FROM codeflash_schema_migrations") >= 1
    finally:
        helper.cancel()
    retries = [entry for entry in logs if entry["event"] == "database not reachable yet; retrying"]
    assert retries, "the first attempts must have failed and been retried"
    assert all("password" not in str(entry) for entry in retries)


async def test_an_unreachable_database_is_refused_after_the_wait(tmp_path: Path) -> None:
    settings = database_settings_for(f"postgresql://nobody@127.0.0.1:{_free_port()}/none", tmp_path)
    with pytest.raises(DatabaseUnavailableError, match=r"after \d+ attempts in 1 s"):
        async with open_database(settings, wait_s=1):
            pass


async def test_without_a_wait_it_fails_at_once(tmp_path: Path) -> None:
    settings = database_settings_for(f"postgresql://nobody@127.0.0.1:{_free_port()}/none", tmp_path)
    with pytest.raises(DatabaseUnavailableError, match="after 1 attempt in 0 s"):
        async with open_database(settings, wait_s=0):
            pass
