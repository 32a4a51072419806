"""A slow database, for real: another session holds a table lock, so the service's queries wait in
PostgreSQL, or the TCP proxy in front of it stops forwarding, so they get no answer at all.

Every authenticated request then ends in bounded time with a clear 503 ``{"error"}`` and
``Retry-After`` (fail closed: nobody is authenticated, counted or charged without the database),
never a 500 and never a hang; once the database is fast again requests succeed. The recorder's
writes time out the same way and are retried: nothing is lost or written twice.
"""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest

from codeflash_engine.db import Database, open_database
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.observability.db_sink import DatabaseSink
from codeflash_engine.observability.recorder import ErrorRecord, LLMCallRecord, Record, Recorder
from codeflash_engine.settings import Settings
from codeflash_engine.testing.fake_llm import FakeLLM, Reply
from codeflash_engine.testing.fake_llm.settings import fake_llm_settings
from codeflash_engine.testing.settings import env_free, harness_plugin_settings

from .conftest import LLM_REPLY, running_app

if TYPE_CHECKING:
    from tests.conftest import PostgresProxy

STATEMENT_TIMEOUT_MS = 500
# Generous for two shared cores; what matters is "about the timeout", not "whenever the lock goes".
SLACK_S = 2.5

EXPLAIN = {
    "trace_id": "slow-db",
    "source_code": "# file: a.py\ndef f():\n    return sum(range(10))\n",
    "optimized_code": "# file: a.py\ndef f():\n    return 45\n",
}
OPTIMIZE = {"trace_id": "slow-db", "source_code": "def f(x):\n    return x + 1\n", "n_candidates": 1}


def database_settings(url: str, data_dir: Path, **values: Any) -> DatabaseSettings:
    defaults = {
        "CODEFLASH_DB_STATEMENT_TIMEOUT_MS": STATEMENT_TIMEOUT_MS,
        "CODEFLASH_DB_CONNECT_TIMEOUT_S": 1.0,
    }
    return env_free(DatabaseSettings, DATABASE_URL=url, CODEFLASH_DATA_DIR=data_dir, **(defaults | values))


@pytest.fixture
def fake(codeflash_fake_llm: FakeLLM) -> FakeLLM:
    codeflash_fake_llm.default = Reply(LLM_REPLY)
    return codeflash_fake_llm


def service_settings(engine_settings: Settings, fake: FakeLLM, database: DatabaseSettings) -> Settings:
    return engine_settings.model_copy(
        update={
            "database": database,
            "plugins": harness_plugin_settings(load_plugins=("python",)),
            "llm": fake_llm_settings(fake, "azure", CODEFLASH_LLM_MAX_RETRIES=0),
        }
    )


@asynccontextmanager
async def table_locked(database_url: str, table: str) -> AsyncIterator[None]:
    """Another session holds ``ACCESS EXCLUSIVE`` on ``table`` (as a long migration or a
    ``VACUUM FULL`` would): every query touching it waits until the block ends."""
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction():
            await conn.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            yield
    finally:
        await conn.close()


async def timed_post(client: httpx.AsyncClient, path: str, body: Any) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = await client.post(path, json=body)
    return response, time.perf_counter() - started


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert "database unavailable" in response.json()["error"]
    assert response.headers["retry-after"] == "5"


LOCKED = {
    "cf_api_keys": ("/ai/explain", EXPLAIN),  # the key lookup waits
    "rate_limit_windows": ("/ai/explain", EXPLAIN),  # the rate-limit upsert waits
    "subscriptions": ("/ai/optimize", OPTIMIZE),  # the quota update waits
}


@pytest.mark.parametrize("table", list(LOCKED))
async def test_a_query_stuck_behind_a_lock_is_a_503_at_the_statement_timeout(
    engine_settings: Settings, fake: FakeLLM, database_url: str, tmp_path: Path, table: str
) -> None:
    path, body = LOCKED[table]
    settings = service_settings(engine_settings, fake, database_settings(database_url, tmp_path))
    async with running_app(settings) as (_, client):
        async with table_locked(database_url, table):
            response, elapsed = await timed_post(client, path, body)
            assert_unavailable(response)
            assert STATEMENT_TIMEOUT_MS / 1000 * 0.9 <= elapsed < STATEMENT_TIMEOUT_MS / 1000 + SLACK_S
            assert not fake.requests  # failed closed: nothing ran without the check

        response, _ = await timed_post(client, path, body)
        assert response.status_code == 200, response.text


async def test_a_server_lock_timeout_is_a_503_too(
    engine_settings: Settings, fake: FakeLLM, database_url: str, tmp_path: Path
) -> None:
    # The operator's database gives up on lock waits before the statement timeout would.
    name = urlsplit(database_url).path.lstrip("/")
    admin = await asyncpg.connect(database_url)
    try:
        await admin.execute(f"ALTER DATABASE {name} SET lock_timeout = '200ms'")
    finally:
        await admin.close()
    slow_statements = database_settings(database_url, tmp_path, CODEFLASH_DB_STATEMENT_TIMEOUT_MS=30_000)
    async with running_app(service_settings(engine_settings, fake, slow_statements)) as (_, client):
        async with table_locked(database_url, "cf_api_keys"):
            response, elapsed = await timed_post(client, "/ai/explain", EXPLAIN)
            assert_unavailable(response)  # LockNotAvailableError, not a 500
            assert elapsed < 0.2 + SLACK_S

        response, _ = await timed_post(client, "/ai/explain", EXPLAIN)
        assert response.status_code == 200, response.text


async def test_every_pooled_connection_busy_is_a_503_after_the_acquire_timeout(
    engine_settings: Settings, fake: FakeLLM, database_url: str, tmp_path: Path
) -> None:
    # CODEFLASH_DB_CONNECT_TIMEOUT_S (1 s here) bounds the wait for a free pooled connection.
    small_pool = database_settings(database_url, tmp_path, CODEFLASH_DB_POOL_MAX_SIZE=2)
    async with running_app(service_settings(engine_settings, fake, small_pool)) as (app, client):
        pool = app.state.resources.database.pool
        held = [await pool.acquire() for _ in range(2)]
        try:
            response, elapsed = await timed_post(client, "/ai/explain", EXPLAIN)
            assert_unavailable(response)
            assert 0.9 <= elapsed < 1 + SLACK_S
        finally:
            for conn in held:
                await pool.release(conn)

        response, _ = await timed_post(client, "/ai/explain", EXPLAIN)
        assert response.status_code == 200, response.text


async def test_a_database_that_stops_answering_is_a_503_not_a_hang(
    postgres_proxy: "PostgresProxy", engine_settings: Settings, fake: FakeLLM, tmp_path: Path
) -> None:
    # No lock, no error: the bytes just stop (a network dropping packets). The server-side statement
    # timeout cannot help; the client's command timeout (statement timeout + connect timeout) does.
    await postgres_proxy.restore()
    settings = service_settings(engine_settings, fake, database_settings(postgres_proxy.url, tmp_path))
    async with running_app(settings) as (_, client):
        postgres_proxy.stall()
        response, elapsed = await timed_post(client, "/ai/explain", EXPLAIN)
        assert_unavailable(response)
        assert elapsed < STATEMENT_TIMEOUT_MS / 1000 + 1 + SLACK_S
        postgres_proxy.resume()

        for _ in range(20):  # the stalled connection is thrown away; the next ones work
            response, _ = await timed_post(client, "/ai/explain", EXPLAIN)
            if response.status_code == 200:
                break
        assert response.status_code == 200, response.text


def call_record(trace_id: str) -> LLMCallRecord:
    return LLMCallRecord(
        trace_id=trace_id,
        call_type="optimize",
        model="gpt-5-mini",
        provider="azure",
        status="ok",
        latency_ms=1.0,
    )


async def counts(database: Database, prefix: str) -> tuple[int, int]:
    async with database.connection() as conn:
        calls = await conn.fetchval("SELECT count(*) FROM llm_calls WHERE trace_id LIKE $1", f"{prefix}%")
        errors = await conn.fetchval(
            "SELECT count(*) FROM optimization_errors WHERE trace_id LIKE $1", f"{prefix}%"
        )
    return calls, errors


class CountingSink:
    """The real ``DatabaseSink``, counting the writes that failed."""

    def __init__(self, inner: DatabaseSink) -> None:
        self.inner = inner
        self.failures: list[BaseException] = []
        self._failed = asyncio.Condition()

    async def write(self, records: list[Record]) -> None:
        try:
            await self.inner.write(records)
        except Exception as exc:
            async with self._failed:
                self.failures.append(exc)
                self._failed.notify_all()
            raise

    async def failed(self, times: int) -> None:
        """Return once ``times`` writes have failed."""
        async with self._failed:
            await self._failed.wait_for(lambda: len(self.failures) >= times)


async def test_a_batch_that_times_out_half_way_is_retried_whole_and_written_once(
    engine_settings: Settings, database: Database, database_url: str, tmp_path: Path
) -> None:
    """The batch's ``llm_calls`` rows go in, then its ``optimization_errors`` row waits on the lock
    until the statement timeout: that is not a bad row to skip but a slow database, so the batch
    rolls back (its first rows too) and is retried until the table is free."""
    settings = database_settings(database_url, tmp_path)
    async with open_service_database(settings) as slow:
        sink = CountingSink(DatabaseSink(slow))
        recorder = Recorder(sink, retry_initial_seconds=0.2, retry_max_seconds=0.2)
        async with table_locked(database_url, "optimization_errors"):
            recorder.start()
            for index in range(3):
                recorder.submit(call_record(f"slow-batch-{index}"))
            recorder.submit(ErrorRecord("slow-batch-err", "llm_unavailable", "azure timed out"))
            await sink.failed(times=2)  # a retry timed out too
            async with database.connection() as conn:  # the batch's first rows were rolled back
                assert await conn.fetchval("SELECT count(*) FROM llm_calls") == 0
        await recorder.aclose()

    assert await counts(database, "slow-batch") == (3, 1)
    assert sink.inner.rejected == 0 and recorder.dropped == 0
    assert all("QueryCanceledError" in str(exc) for exc in sink.failures), sink.failures


async def test_recording_into_a_database_that_stops_answering_catches_up(
    postgres_proxy: "PostgresProxy", database: Database, tmp_path: Path
) -> None:
    await postgres_proxy.restore()
    async with open_service_database(database_settings(postgres_proxy.url, tmp_path)) as stalled:
        sink = CountingSink(DatabaseSink(stalled))
        recorder = Recorder(sink, retry_initial_seconds=0.2, retry_max_seconds=0.5, drain_timeout_seconds=30)
        recorder.start()
        postgres_proxy.stall()
        for index in range(5):
            recorder.submit(call_record(f"stalled-{index}"))
        await sink.failed(times=1)  # the write timed out instead of waiting forever
        postgres_proxy.resume()
        await recorder.aclose()

    assert await counts(database, "stalled-") == (5, 0)
    assert sink.inner.rejected == 0 and recorder.dropped == 0


@asynccontextmanager
async def open_service_database(settings: DatabaseSettings) -> AsyncIterator[Database]:
    async with open_database(settings, migrate=False) as database:
        yield database
