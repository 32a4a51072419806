# ruff: noqa: ASYNC220 - processes are started (blocking, briefly) before any load runs
"""Load benchmark: several uvicorn workers against the fake LLM, with 100+ concurrent clients.

    uv run python bench/load/run.py [--workers 2] [--clients 120] [--scale 1.0] 2>/dev/null

Everything runs on this machine over loopback: an embedded PostgreSQL (pgserver, temporary), the
fake LLM as its own process (1-5 s per reply), ``codeflash-engine serve --workers N`` and, as the
framework's ceiling, a bare FastAPI app under the same uvicorn. Phases, in one run:

1. ``/healthcheck``: the bare app vs the service, same clients, same request count (rps, latency).
2. ``/ai/explain`` (no code postprocessing) and ``/ai/optimize`` (extraction + Python
   postprocessing in hook workers) at ``--clients`` concurrency: throughput, latency, and the
   service's own overhead per request from ``Server-Timing`` (``total - llm``), while a probe
   times ``/healthcheck`` every 50 ms (an upper bound of event-loop lag in the workers).
3. Rate limit and quota across workers: one key, 3x its limit in concurrent requests, must see
   exactly the limit succeed; a free key with a quota of 50 hit by 120 concurrent optimizations.
4. RSS of every worker after warm-up and at the end.

``--scale`` multiplies the request counts (1.0 takes about three minutes on 2 cores).
"""

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import psutil

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from pgserver.postgres_server import get_server

from codeflash_engine.auth.accounts import issue_key
from codeflash_engine.auth.settings import AuthSettings
from codeflash_engine.db import open_database
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.testing.fake_llm import PROVIDER_ENV_VARS
from codeflash_engine.testing.settings import env_free

HERE = Path(__file__).parent
SOURCE = "def f(x):\n    total = 0\n    for i in range(x):\n        total += i\n    return total\n"
REPLY = "Use the closed form.\n```python\ndef f(x):\n    return x * (x - 1) // 2\n```\n"
RATE_LIMIT = 200


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def summary(values: list[float]) -> str:
    return " / ".join(f"{percentile(values, q):.1f}" for q in (50, 95, 99))


def timings(header: str) -> dict[str, float]:
    return {name: float(ms) for name, ms in re.findall(r"(\w+);dur=([\d.]+)", header)}


async def wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient(trust_env=False) as client:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"{url} exited with {process.returncode}")
            try:
                if (await client.get(f"{url}/healthcheck")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(url)


Request = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


def make_client(url: str, clients: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    return httpx.AsyncClient(base_url=url, limits=limits, timeout=120, trust_env=False)


async def drive(
    client: httpx.AsyncClient, clients: int, total: int, send: Request
) -> tuple[list[httpx.Response], list[float], float]:
    """``total`` requests from ``clients`` concurrent clients over ``client``'s kept-alive
    connections (as a load balancer keeps them); responses, latencies (ms), wall time (s). Clients
    start 5 ms apart, so a cold run does not open every connection in the same instant."""
    responses: list[httpx.Response] = []
    latencies: list[float] = []
    counter = iter(range(total))

    async def worker(number: int) -> None:
        await asyncio.sleep(number * 0.005)
        for index in counter:
            started = time.perf_counter()
            response = await send(client, index)
            latencies.append((time.perf_counter() - started) * 1000)
            responses.append(response)

    started = time.perf_counter()
    await asyncio.gather(*(worker(number) for number in range(clients)))
    return responses, latencies, time.perf_counter() - started


async def probe(url: str, stop: asyncio.Event, samples: list[float]) -> None:
    async with httpx.AsyncClient(base_url=url, trust_env=False) as client:
        while not stop.is_set():
            started = time.perf_counter()
            await client.get("/healthcheck")
            samples.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.05)


def worker_rss(server: subprocess.Popen[bytes]) -> list[float]:
    """RSS (MiB) of each uvicorn worker (the server's children that are not hook workers)."""
    parent = psutil.Process(server.pid)
    rss = []
    for child in parent.children(recursive=True):
        try:
            cmdline = " ".join(child.cmdline())
            # Direct children only (hook workers are the workers' children), minus multiprocessing's
            # resource tracker.
            if child.parent().pid == parent.pid and "resource_tracker" not in cmdline:
                rss.append(child.memory_info().rss / 2**20)
        except psutil.Error:
            continue
    return sorted(rss)


def run_cli(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "-c", "from codeflash_engine.cli.main import main; main()", *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


async def issue_keys(url: str, data_dir: Path, count: int) -> tuple[list[str], str, str]:
    """``count`` enterprise keys for the load, one for the rate-limit check, one free (quota) key."""
    settings = env_free(AuthSettings, quota_free=50)
    database_settings = env_free(DatabaseSettings, DATABASE_URL=url, CODEFLASH_DATA_DIR=data_dir)
    async with open_database(database_settings) as database:
        keys = [
            (await issue_key(database, f"load{i}@example.com", "enterprise", None, settings)).key
            for i in range(count)
        ]
        limited = (await issue_key(database, "limited@example.com", "enterprise", None, settings)).key
        quota = (await issue_key(database, "quota@example.com", "free", None, settings)).key
    return keys, limited, quota


async def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=120)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    scaled = lambda n: max(args.clients, int(n * args.scale))  # noqa: E731

    scratch = Path(tempfile.mkdtemp(prefix="codeflash-load-"))
    processes: list[subprocess.Popen[bytes]] = []
    postgres = get_server(scratch / "pgdata", cleanup_mode="delete")
    try:
        postgres.psql("CREATE DATABASE bench;")
        fake = subprocess.Popen(
            [sys.executable, "-m", "codeflash_engine.testing.fake_llm", "--port", "0", "--reply", REPLY,
             "--latency", "1", "--latency-jitter", "4"],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        processes.append(fake)
        assert fake.stdout is not None
        fake_url = fake.stdout.readline().decode().strip().removeprefix("FAKE_LLM_URL=")
        env = {k: v for k, v in os.environ.items() if k not in PROVIDER_ENV_VARS} | {
            "AZURE_OPENAI_API_KEY": "fake-azure-key",
            "AZURE_OPENAI_ENDPOINT": fake_url,
            "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE",
            "AWS_SECRET_ACCESS_KEY": "fake-aws-secret",
            "AWS_REGION": "us-east-1",
            "ANTHROPIC_BEDROCK_BASE_URL": fake_url,
            "DATABASE_URL": postgres.get_uri("bench"),
            "CODEFLASH_DATA_DIR": str(scratch / "data"),
            "CODEFLASH_ENV": "production",
            "CODEFLASH_LOG_LEVEL": "WARNING",
            "CODEFLASH_LOAD_PLUGINS": "codeflash-lang-python",
            "CODEFLASH_PLUGIN_WORKERS": "1",
            "CODEFLASH_LLM_MAX_RETRIES": "0",
            "RATE_LIMIT_MAX": str(RATE_LIMIT),
            "CODEFLASH_QUOTA_FREE": "50",
            "PROMETHEUS_MULTIPROC_DIR": str(scratch / "prom"),
        }
        (scratch / "prom").mkdir()
        run_cli(env, "db", "migrate")
        keys, limited_key, quota_key = await issue_keys(env["DATABASE_URL"], scratch / "data", args.clients)

        service_port, bare_port = free_port(), free_port()
        service = subprocess.Popen(
            [sys.executable, "-c", "from codeflash_engine.cli.main import main; main()", "serve",
             "--port", str(service_port), "--workers", str(args.workers)],
            env=env, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        bare = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "bare_app:app", "--app-dir", str(HERE),
             "--port", str(bare_port), "--workers", str(args.workers),
             "--log-level", "warning", "--no-access-log"],
            env=env, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        processes += [service, bare]
        service_url, bare_url = f"http://127.0.0.1:{service_port}", f"http://127.0.0.1:{bare_port}"
        await asyncio.gather(wait_healthy(service_url, service), wait_healthy(bare_url, bare))
        results: dict[str, Any] = {
            "machine": f"{psutil.cpu_count()} CPUs ({platform.machine()}), "
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB",
            "workers": args.workers,
            "clients": args.clients,
        }

        async def healthcheck(client: httpx.AsyncClient, _: int) -> httpx.Response:
            return await client.get("/healthcheck")

        service_client = make_client(service_url, args.clients)
        bare_client = make_client(bare_url, args.clients)

        async def ai_request(client: httpx.AsyncClient, index: int, endpoint: str) -> httpx.Response:
            body = {"trace_id": f"load-{endpoint}-{index}", "source_code": SOURCE,
                    "optimized_code": SOURCE, "n_candidates": 2}  # fmt: skip
            headers = {"Authorization": f"Bearer {keys[index % len(keys)]}"}
            return await client.post(endpoint, json=body, headers=headers)

        # Warm-up (connections opened, every code path run), then RSS after it.
        await drive(service_client, args.clients, scaled(1000), healthcheck)
        await drive(bare_client, args.clients, scaled(1000), healthcheck)
        for endpoint in ("/ai/explain", "/ai/optimize"):
            await drive(service_client, args.clients, args.clients, partial(ai_request, endpoint=endpoint))
        rss = {"after_warm_up": worker_rss(service)}

        # 1. /healthcheck against the bare app, twice each, interleaved; best of two.
        health_total = scaled(4000)
        rps: dict[str, list[float]] = {"bare": [], "service": []}
        latency: dict[str, list[float]] = {}
        for _ in range(2):
            for name, target in (("bare", bare_client), ("service", service_client)):
                responses, latencies, wall = await drive(target, args.clients, health_total, healthcheck)
                assert all(r.status_code == 200 for r in responses)
                rps[name].append(len(responses) / wall)
                latency[name] = latencies
        results["healthcheck"] = {
            "requests_per_run": health_total,
            "bare_rps": max(rps["bare"]),
            "service_rps": max(rps["service"]),
            "ratio": max(rps["service"]) / max(rps["bare"]),
            "bare_latency_ms_p50_p95_p99": summary(latency["bare"]),
            "service_latency_ms_p50_p95_p99": summary(latency["service"]),
        }

        # 2. /ai/explain and /ai/optimize at full concurrency, with the loop-lag probe.
        for endpoint, count in (("/ai/explain", scaled(1200)), ("/ai/optimize", scaled(600))):
            ai = partial(ai_request, endpoint=endpoint)
            stop, lag = asyncio.Event(), []
            probe_task = asyncio.create_task(probe(service_url, stop, lag))
            responses, latencies, wall = await drive(service_client, args.clients, count, ai)
            stop.set()
            await probe_task
            statuses = Counter(r.status_code for r in responses)
            spans = [timings(r.headers["server-timing"]) for r in responses if r.status_code == 200]
            overhead = [s["total"] - s["llm"] for s in spans]
            llm = [s["llm"] for s in spans]
            results[endpoint] = {
                "requests": count,
                "statuses": dict(statuses),
                "rps": len(responses) / wall,
                "latency_ms_p50_p95_p99": summary(latencies),
                "llm_ms_p50_p95_p99": summary(llm),
                "overhead_ms_p50_p95_p99": summary(overhead),
                "postprocess_ms_p50_p95_p99": summary([s["postprocess"] for s in spans]),
                "db_ms_p50_p95_p99": summary([s["db"] for s in spans]),
                "healthcheck_probe_ms_p50_p99_max": f"{percentile(lag, 50):.1f} / {percentile(lag, 99):.1f}"
                f" / {max(lag):.1f}",
            }
            rss[f"after {endpoint}"] = worker_rss(service)

        # 3. Exact rate limit and quota across workers.
        async def limited(client: httpx.AsyncClient, index: int) -> httpx.Response:
            return await client.post(
                "/ai/log_features", json={"trace_id": f"rl-{index}"},
                headers={"Authorization": f"Bearer {limited_key}"},
            )  # fmt: skip

        responses, _, _ = await drive(service_client, args.clients, 3 * RATE_LIMIT, limited)
        results["rate_limit"] = {"limit": RATE_LIMIT, "sent": 3 * RATE_LIMIT,
                                 "statuses": dict(Counter(r.status_code for r in responses))}  # fmt: skip

        async def quota(client: httpx.AsyncClient, index: int) -> httpx.Response:
            body = {"trace_id": f"quota-{index}", "source_code": SOURCE, "n_candidates": 1}
            return await client.post(
                "/ai/optimize", json=body, headers={"Authorization": f"Bearer {quota_key}"}
            )

        responses, _, _ = await drive(service_client, args.clients, 120, quota)
        results["quota"] = {
            "quota": 50,
            "sent": 120,
            "statuses": dict(Counter(r.status_code for r in responses)),
        }

        # 4. RSS after everything.
        rss["at_end"] = worker_rss(service)
        results["rss_mib_per_worker"] = {
            phase: [round(x, 1) for x in values] for phase, values in rss.items()
        }
        results["rss_growth_after_warm_up_pct"] = [
            round(100 * (end - warm) / warm, 1)
            for warm, end in zip(rss["after_warm_up"], rss["at_end"], strict=False)
        ]
        await service_client.aclose()
        await bare_client.aclose()
        served = (
            scaled(1000)
            + 2 * args.clients
            + 2 * health_total
            + scaled(1200)
            + scaled(600)
            + 3 * RATE_LIMIT
            + 120
        )
        results["requests_to_the_service"] = served
        print(json.dumps(results, indent=2))
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        postgres.cleanup()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
