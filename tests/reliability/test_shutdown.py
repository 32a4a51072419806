"""Stopping a real ``codeflash-engine serve`` under load: every accepted request completes.

A real ``serve`` process (two uvicorn workers) on the test database.

- SIGTERM to the main process only, 40 ``/ai/explain`` requests in flight (the fake LLM answering
  after 1.5 s): all 40 get a 200 and every LLM call is an ``llm_calls`` row once the process exited.
- SIGTERM or SIGINT to the whole process group (systemd's ``KillMode=control-group``, a terminal's
  Ctrl-C), 10 ``/ai/optimize`` requests in flight (the LLM held for 3 s, so every request still
  needs its hook workers after the signal): all 10 get a 200 and are recorded, and the whole tree
  (supervisor, uvicorn workers, hook workers) exits within the drain bound.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from codeflash_engine.auth.accounts import issue_key
from codeflash_engine.auth.settings import AuthSettings
from codeflash_engine.db import Database
from codeflash_engine.testing.fake_llm import PROVIDER_ENV_VARS, FakeLLM, Reply
from codeflash_engine.testing.service import free_port

from .conftest import LLM_REPLY

IN_FLIGHT = 40
GROUP_IN_FLIGHT = 10
GROUP_LLM_LATENCY_S = 3.0
REQUEST_TIMEOUT_S = 30
RECORDING_DRAIN_TIMEOUT_S = 5


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


def serve_env(fake: FakeLLM, database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROVIDER_ENV_VARS}
    return (
        env
        | fake.env("azure", "bedrock")
        | {
            "DATABASE_URL": database_url,
            "CODEFLASH_DATA_DIR": str(data_dir),
            "CODEFLASH_LLM_MAX_RETRIES": "0",
            "RATE_LIMIT_MAX": "1000",
        }
        | extra
    )


@asynccontextmanager
async def serve(env: dict[str, str], port: int) -> AsyncIterator[asyncio.subprocess.Process]:
    """``codeflash-engine serve --workers 2`` in a session (and process group) of its own: the test
    can signal the group without signalling pytest, and a failed test kills every process of it
    (uvicorn's workers outlive a supervisor killed alone)."""
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "from codeflash_engine.cli.main import main; main()",
        "serve", "--port", str(port), "--workers", "2",
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        yield server
    finally:
        if group_alive(server.pid):
            os.killpg(server.pid, signal.SIGKILL)
        await server.wait()


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


async def group_ends(pgid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not group_alive(pgid):
            return True
        await asyncio.sleep(0.05)
    return not group_alive(pgid)


async def recorded_calls(database: Database, prefix: str) -> int:
    async with database.connection() as conn:
        count = await conn.fetchval("SELECT count(*) FROM llm_calls WHERE trace_id LIKE $1", f"{prefix}%")
    return int(count)


@pytest.mark.slow
async def test_sigterm_drains_in_flight_requests_and_the_recording_queue(
    codeflash_fake_llm: FakeLLM, database: Database, database_url: str, stable_tmp_path: Path
) -> None:
    codeflash_fake_llm.latency = 1.5
    key = (await issue_key(database, "drain@example.com", "enterprise", None, AuthSettings())).key
    port = free_port()
    env = serve_env(
        codeflash_fake_llm, database_url, stable_tmp_path,
        CODEFLASH_LOAD_PLUGINS="",
        # The kernel may hand most connections to one worker; none may wait behind its LLM semaphore.
        CODEFLASH_LLM_MAX_CONCURRENCY=str(2 * IN_FLIGHT),
    )  # fmt: skip
    limits = httpx.Limits(max_connections=IN_FLIGHT)
    headers = {"Authorization": f"Bearer {key}"}
    async with (
        serve(env, port) as server,
        httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", timeout=60, limits=limits, trust_env=False
        ) as client,
    ):
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

    assert await recorded_calls(database, "drain-") == IN_FLIGHT


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_signal_to_the_whole_process_group_drains_every_request_and_every_process(
    signum: signal.Signals,
    codeflash_fake_llm: FakeLLM,
    database: Database,
    database_url: str,
    stable_tmp_path: Path,
) -> None:
    codeflash_fake_llm.default = Reply(LLM_REPLY)
    codeflash_fake_llm.latency = GROUP_LLM_LATENCY_S
    key = (await issue_key(database, "group@example.com", "enterprise", None, AuthSettings())).key
    port = free_port()
    env = serve_env(
        codeflash_fake_llm, database_url, stable_tmp_path,
        CODEFLASH_LOAD_PLUGINS="python",
        # One per uvicorn worker (default: one per core): each costs a second or two of start-up.
        CODEFLASH_PLUGIN_WORKERS="1",
        CODEFLASH_REQUEST_TIMEOUT_S=str(REQUEST_TIMEOUT_S),
        CODEFLASH_RECORDING_DRAIN_TIMEOUT=str(RECORDING_DRAIN_TIMEOUT_S),
    )  # fmt: skip
    headers = {"Authorization": f"Bearer {key}"}
    prefix = f"group-{signum.name}-"
    # n_candidates 2: one Azure and one Bedrock call per request.
    llm_calls = 2 * GROUP_IN_FLIGHT
    async with (
        serve(env, port) as server,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60, trust_env=False) as client,
    ):
        await wait_healthy(client, server)
        requests = [
            asyncio.create_task(
                client.post(
                    "/ai/optimize",
                    json={
                        "trace_id": f"{prefix}{i}",
                        "source_code": "def f(x):\n    return x + 1\n",
                        "n_candidates": 2,
                    },
                    headers=headers,
                )
            )
            for i in range(GROUP_IN_FLIGHT)
        ]
        while len(codeflash_fake_llm.requests) < llm_calls:  # past build_context, held by the LLM
            assert not any(task.done() for task in requests), [t.result().text for t in requests if t.done()]
            await asyncio.sleep(0.02)
        os.killpg(server.pid, signum)
        responses = await asyncio.gather(*requests)
        assert [(r.status_code, r.json().get("error")) for r in responses] == [(200, None)] * GROUP_IN_FLIGHT
        await asyncio.wait_for(server.wait(), REQUEST_TIMEOUT_S + RECORDING_DRAIN_TIMEOUT_S)
        # The hook workers, and multiprocessing's resource tracker, end after the server.
        assert await group_ends(server.pid, seconds=10), "a process of the service outlived it"
        assert server.returncode == 0

    assert await recorded_calls(database, prefix) == llm_calls
