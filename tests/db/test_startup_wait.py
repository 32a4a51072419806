"""At start-up an unreachable database is waited for, with backoff, then refused with a clear error."""

import asyncio
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import structlog

from codeflash_engine.db import DatabaseUnavailableError, open_database
from codeflash_engine.db.settings import DatabaseSettings

if TYPE_CHECKING:
    from tests.conftest import PostgresProxy


def database_settings_for(url: str, data_dir: Path) -> DatabaseSettings:
    return DatabaseSettings(DATABASE_URL=url, CODEFLASH_DATA_DIR=data_dir, CODEFLASH_DB_CONNECT_TIMEOUT_S=2)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_database_that_comes_up_during_the_wait_is_used(
    postgres_proxy: "PostgresProxy", tmp_path: Path
) -> None:
    settings = database_settings_for(postgres_proxy.url, tmp_path)

    async def bring_up_later() -> None:
        await asyncio.sleep(0.8)
        await postgres_proxy.restore()

    helper = asyncio.create_task(bring_up_later())
    with structlog.testing.capture_logs() as logs:
        async with open_database(settings, wait_s=10) as database, database.connection() as conn:
            assert await conn.fetchval("SELECT count(*) FROM codeflash_schema_migrations") >= 1
    await helper
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
