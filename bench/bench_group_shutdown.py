# ruff: noqa: ASYNC110, ASYNC220, ASYNC221 - processes are started, stopped and polled (briefly) by the clock
"""Drain time when the whole process group gets the stop signal (issue 14).

    uv run python bench/bench_group_shutdown.py [--rounds 3] [--in-flight 10] [--latency 3] 2>/dev/null

Everything on this machine over loopback: an embedded PostgreSQL (pgserver, temporary), the fake
LLM holding every reply ``--latency`` seconds, and ``codeflash-engine serve --workers 2`` (default
hook isolation: worker processes) in a session of its own. Each round sends ``--in-flight``
``/ai/optimize`` requests, waits until the fake LLM holds every one of their calls, then signals
the process group (``kill -TERM -- -<pgid>``, as systemd's ``KillMode=control-group`` does; then
SIGINT, as Ctrl-C does) and times, from the signal: the last response, the exit of the main process,
and the end of the last process of the group. The baseline is the LLM hold still left when the
signal is sent (the requests cannot finish sooner); the ratio is the exit time over it.
"""

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import httpx

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from pgserver.postgres_server import get_server

from codeflash_engine.auth.accounts import issue_key
from codeflash_engine.auth.settings import AuthSettings
from codeflash_engine.db import open_database
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.testing.fake_llm import PROVIDER_ENV_VARS, FakeLLM, Reply
from codeflash_engine.testing.service import free_port
from codeflash_engine.testing.settings import env_free

SOURCE = "def f(x):\n    total = 0\n    for i in range(x):\n        total += i\n    return total\n"
REPLY = "Use the closed form.\n```python\ndef f(x):\n    return x * (x - 1) // 2\n```\n"


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


async def wait_healthy(client: httpx.AsyncClient, server: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        assert server.poll() is None, "the server exited during start-up"
        try:
            if (await client.get("/healthcheck")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise TimeoutError("the server did not start")


async def one_round(
    env: dict[str, str], key: str, fake: FakeLLM, signum: signal.Signals, in_flight: int
) -> dict[str, float]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from codeflash_engine.cli.main import main; main()",
         "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", timeout=120, trust_env=False
        ) as client:
            await wait_healthy(client, server)
            fake.clear()
            headers = {"Authorization": f"Bearer {key}"}
            body = {"source_code": SOURCE, "n_candidates": 2}
            requests = [
                asyncio.create_task(
                    client.post("/ai/optimize", json=body | {"trace_id": f"bench-{i}"}, headers=headers)
                )
                for i in range(in_flight)
            ]
            while len(fake.requests) < 2 * in_flight:
                assert not any(task.done() for task in requests), "a request ended before the signal"
                await asyncio.sleep(0.01)
            last_call_arrived = time.monotonic()
            os.killpg(server.pid, signum)
            signalled = time.monotonic()
            statuses = [response.status_code for response in await asyncio.gather(*requests)]
            answered = time.monotonic()
        assert statuses == [200] * in_flight, statuses
        while server.poll() is None:
            await asyncio.sleep(0.01)
        exited = time.monotonic()
        while group_alive(server.pid):
            await asyncio.sleep(0.01)
        group_gone = time.monotonic()
    finally:
        if group_alive(server.pid):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    return {
        "baseline": max(0.0, fake.latency - (signalled - last_call_arrived)),
        "answered": answered - signalled,
        "exited": exited - signalled,
        "group": group_gone - signalled,
        "exit code": float(server.returncode),
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--in-flight", type=int, default=10)
    parser.add_argument("--latency", type=float, default=3.0)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="codeflash-group-shutdown-"))
    postgres = get_server(scratch / "pgdata", cleanup_mode="delete")
    postgres.psql("CREATE DATABASE bench;")
    url = postgres.get_uri("bench")
    with FakeLLM(default=Reply(REPLY), latency=args.latency) as fake:
        env = (
            {k: v for k, v in os.environ.items() if k not in PROVIDER_ENV_VARS}
            | fake.env("azure", "bedrock")
            | {
                "DATABASE_URL": url,
                "CODEFLASH_DATA_DIR": str(scratch / "data"),
                "CODEFLASH_LOG_LEVEL": "WARNING",
                "CODEFLASH_LOAD_PLUGINS": "python",
                "CODEFLASH_LLM_MAX_RETRIES": "0",
                "RATE_LIMIT_MAX": "100000",
            }
        )
        subprocess.run(
            [sys.executable, "-c", "from codeflash_engine.cli.main import main; main()", "db", "migrate"],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        database_settings = env_free(DatabaseSettings, DATABASE_URL=url, CODEFLASH_DATA_DIR=scratch / "data")
        async with open_database(database_settings) as database:
            key = (await issue_key(database, "bench@example.com", "enterprise", None, AuthSettings())).key
        print(f"{args.in_flight} /ai/optimize in flight, LLM held {args.latency:g} s, serve --workers 2")
        print("seconds from the signal")
        print("signal   round  baseline  last answer  main exit  group gone  exit/baseline  exit code")
        for signum in (signal.SIGTERM, signal.SIGINT):
            exits = []
            for index in range(args.rounds):
                r = await one_round(env, key, fake, signum, args.in_flight)
                exits.append(r["exited"] / r["baseline"] if r["baseline"] else float("inf"))
                print(
                    f"{signum.name:8} {index + 1:5}  {r['baseline']:8.2f}  {r['answered']:11.2f}"
                    f"  {r['exited']:9.2f}  {r['group']:10.2f}  {exits[-1]:13.2f}  {r['exit code']:9.0f}"
                )
            print(f"{signum.name:8} median exit/baseline {statistics.median(exits):.2f}")


if __name__ == "__main__":
    asyncio.run(main())
