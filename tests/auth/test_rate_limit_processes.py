"""The rate limit is exact across processes: two uvicorn servers share one database."""

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from codeflash_engine.auth.accounts import issue_key
from codeflash_engine.db import Database
from codeflash_engine.settings import Settings
from tests.auth import protected_app

STARTUP_TIMEOUT_S = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/healthcheck", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not become healthy")


@pytest.fixture
def two_servers(database_url: str, tmp_path: Path) -> Iterator[list[str]]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CODEFLASH_DATA_DIR": str(tmp_path),
        "CODEFLASH_LOAD_PLUGINS": "",
        "RATE_LIMIT_MAX": "20",
        "RATE_LIMIT_WINDOW_MS": "60000",
        "CODEFLASH_LOG_LEVEL": "WARNING",
    }
    urls, processes = [], []
    for _ in range(2):
        port = free_port()
        command = [
            sys.executable, "-m", "uvicorn", "--factory", "protected_app:create_app_from_env",
            "--app-dir", str(Path(protected_app.__file__).parent),
            "--port", str(port), "--log-level", "warning",
        ]  # fmt: skip
        processes.append(subprocess.Popen(command, env=env))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, process in zip(urls, processes, strict=True):
            wait_until_healthy(url, process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


@pytest.mark.slow
async def test_60_concurrent_requests_to_two_processes_give_exactly_20_successes(
    two_servers: list[str], database: Database, engine_settings: Settings
) -> None:
    issued = await issue_key(database, "load@example.com", "pro", None, engine_settings.auth)
    headers = {"Authorization": f"Bearer {issued.key}"}
    limits = httpx.Limits(max_connections=100)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        responses = await asyncio.gather(
            *(client.get(f"{two_servers[i % 2]}/ai/test-whoami", headers=headers) for i in range(60))
        )
    statuses = [response.status_code for response in responses]
    assert statuses.count(200) == 20
    assert statuses.count(429) == 40
    # Each process answered half of the requests.
    for server in two_servers:
        served = [r.status_code for r in responses if str(r.url).startswith(server)]
        assert len(served) == 30
    async with database.connection() as conn:
        assert await conn.fetchval("SELECT request_count FROM rate_limit_windows") == 60
