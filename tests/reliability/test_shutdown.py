"""SIGTERM under load: every accepted request completes, then the recording queue is drained.

A real ``codeflash-engine serve`` process (two uvicorn workers) on the test database, the fake LLM
answering after 1.5 s. 40 requests are in flight (the fake has received their LLM calls) when the
server gets SIGTERM; all 40 must get a 200, and every LLM call must be an ``llm_calls`` row once
the process has exited.
"""

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from codeflash_engine.auth.accounts import issue_key
from codeflash_engine.auth.settings import AuthSettings
from codeflash_engine.db import Database
from codeflash_engine.testing.fake_llm import PROVIDER_ENV_VARS, FakeLLM

IN_FLIGHT = 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_healthy(client: httpx.AsyncClient, server: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.returncode is None, "the server exited during start-up"
        try:
            if (await client.get("/healthcheck")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise TimeoutError("the server did not start")


@pytest.mark.slow
async def test_sigterm_drains_in_flight_requests_and_the_recording_queue(
    codeflash_fake_llm: FakeLLM, database: Database, database_url: str, stable_tmp_path: Path
) -> None:
    codeflash_fake_llm.latency = 1.5
    key = (await issue_key(database, "drain@example.com", "enterprise", None, AuthSettings())).key
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in PROVIDER_ENV_VARS}
    env |= codeflash_fake_llm.env("azure", "bedrock") | {
        "CODEFLASH_LOAD_PLUGINS": "",
        "DATABASE_URL": database_url,
        "CODEFLASH_DATA_DIR": str(stable_tmp_path),
        "CODEFLASH_LLM_MAX_RETRIES": "0",
        # The kernel may hand most connections to one worker; none may wait behind its LLM semaphore.
        "CODEFLASH_LLM_MAX_CONCURRENCY": str(2 * IN_FLIGHT),
        "RATE_LIMIT_MAX": "1000",
    }
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "from codeflash_engine.cli.main import main; main()",
        "serve", "--port", str(port), "--workers", "2",
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    limits = httpx.Limits(max_connections=IN_FLIGHT)
    headers = {"Authorization": f"Bearer {key}"}
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", timeout=60, limits=limits, trust_env=False
        ) as client:
            await wait_healthy(client, server)
            requests = [
                asyncio.create_task(
                    client.post(
                        "/ai/explain",
                        json={
                            "trace_id": f"drain-{i}",
                            "source_code": "def f(): ...",
                            "optimized_code": "def f(): 1",
                        },
                        headers=headers,
                    )
                )
                for i in range(IN_FLIGHT)
            ]
            while len(codeflash_fake_llm.requests) < IN_FLIGHT:  # every request is past auth, in the LLM
                assert not any(task.done() for task in requests)
                await asyncio.sleep(0.02)
            server.terminate()
            responses = await asyncio.gather(*requests)
        assert [r.status_code for r in responses] == [200] * IN_FLIGHT
        assert await asyncio.wait_for(server.wait(), 60) == 0
    finally:
        if server.returncode is None:
            server.kill()
            await server.wait()

    async with database.connection() as conn:
        recorded = await conn.fetchval("SELECT count(*) FROM llm_calls WHERE trace_id LIKE 'drain-%'")
    assert recorded == IN_FLIGHT
