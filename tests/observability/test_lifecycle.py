"""LLM clients live and die with the app: several apps in one process, several uvicorn workers."""

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

from .conftest import MakeApp

EXPLAIN = {"trace_id": "t-life", "source_code": "def f(): ...", "optimized_code": "def f(): 1"}


def test_apps_created_and_torn_down_repeatedly(make_app: MakeApp, codeflash_fake_llm: FakeLLM) -> None:
    for _ in range(3):
        client = make_app("azure", "bedrock")
        assert client.post("/ai/explain", json=EXPLAIN).status_code == 200
        client.__exit__(None, None, None)  # shutdown closes this app's SDK clients
    assert len(codeflash_fake_llm.requests) == 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
async def test_several_uvicorn_workers(
    codeflash_fake_llm: FakeLLM, database: Database, database_url: str, stable_tmp_path: Path
) -> None:
    key = (await issue_key(database, "workers@example.com", "free", None, AuthSettings())).key
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in PROVIDER_ENV_VARS}
    env |= codeflash_fake_llm.env("azure", "bedrock") | {
        "CODEFLASH_LOAD_PLUGINS": "",
        "DATABASE_URL": database_url,
        "CODEFLASH_DATA_DIR": str(stable_tmp_path),
    }
    command = [sys.executable, "-c", "from codeflash_engine.cli.main import main; main()"]
    server = await asyncio.create_subprocess_exec(
        *command,
        "serve",
        "--port",
        str(port),
        "--workers",
        "2",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if (await client.get("/healthcheck")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "server did not start"
                await asyncio.sleep(0.1)
            headers = {"Authorization": f"Bearer {key}"}
            responses = [await client.post("/ai/explain", json=EXPLAIN, headers=headers) for _ in range(6)]
        assert [r.status_code for r in responses] == [200] * 6
    finally:
        server.terminate()
        await asyncio.wait_for(server.wait(), 30)
    assert len(codeflash_fake_llm.requests) == 6
