"""The database goes away while a request is in flight and comes back: the request still succeeds,
and its recorded LLM call is written once the database returns, nothing acknowledged is lost."""

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from asgi_lifespan import LifespanManager

from codeflash_engine.db import Database
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.http.app import create_app
from codeflash_engine.llm import LLMSettings
from codeflash_engine.settings import Settings
from codeflash_engine.testing.fake_llm import FakeLLM
from codeflash_engine.testing.keys import issue_test_key

if TYPE_CHECKING:
    from tests.conftest import PostgresProxy

EXPLAIN = {
    "trace_id": "outage-1",
    "source_code": "# file: a.py\ndef f():\n    return sum(range(10))\n",
    "optimized_code": "# file: a.py\ndef f():\n    return 45\n",
}


async def test_recording_catches_up_after_an_outage(
    postgres_proxy: "PostgresProxy",
    engine_settings: Settings,
    codeflash_fake_llm: FakeLLM,
    database: Database,
    tmp_path: Path,
) -> None:
    await postgres_proxy.restore()
    settings = engine_settings.model_copy(
        update={
            "database": DatabaseSettings(
                DATABASE_URL=postgres_proxy.url, CODEFLASH_DATA_DIR=tmp_path, CODEFLASH_DB_CONNECT_TIMEOUT_S=1
            ),
            "llm": LLMSettings(_env_file=None, **codeflash_fake_llm.env("azure")),  # type: ignore[call-arg]
        }
    )
    codeflash_fake_llm.latency = 1.0
    app = create_app(settings)
    async with LifespanManager(app) as lifespan:
        key = await issue_test_key(app.state.resources)
        transport = httpx.ASGITransport(app=lifespan.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://service", headers={"Authorization": f"Bearer {key}"}
        ) as client:
            in_flight = asyncio.create_task(client.post("/ai/explain", json=EXPLAIN))
            while not codeflash_fake_llm.requests:  # authenticated and counted: now in the LLM call
                assert not in_flight.done(), in_flight.result().text
                await asyncio.sleep(0.02)
            await postgres_proxy.cut()
            response = await in_flight
            assert response.status_code == 200, response.text

            # While the database is away the recorder keeps the row and retries.
            await asyncio.sleep(1.5)
            async with database.connection() as conn:
                assert await conn.fetchval("SELECT count(*) FROM llm_calls WHERE trace_id = 'outage-1'") == 0
            await postgres_proxy.restore()
    # Shutdown drained the recorder into the restored database.

    async with database.connection() as conn:
        row = await conn.fetchrow("SELECT status, reply FROM llm_calls WHERE trace_id = 'outage-1'")
    assert row is not None
    assert row["status"] == "ok" and row["reply"]
