"""``/ai/optimize`` end to end: the service as a real single-worker process, the fake LLM in another.

Run: uv run python bench/bench_optimize.py [--rounds 10] [--seconds 20]

1. Fake LLM latency 1 s: ``/ai/optimize`` with ``n_candidates=5`` on a ~350-line module (every LLM
   reply is the whole file back, helpers re-formatted, the target rewritten; five distinct variants),
   one request at a time. Reports wall time / 1 s (goal <= 1.15) and the service's own overhead from
   ``Server-Timing``: ``total - llm`` (goal <= 150 ms; it includes postprocessing and the database).
2. Fake LLM latency 0: requests per second with 16 concurrent clients.

The service runs with production logging (``CODEFLASH_ENV=production``, JSON lines at INFO) on an
embedded PostgreSQL in a temporary directory; the API key is an enterprise key from the keys CLI.
"""

import argparse
import asyncio
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from bench_python_postprocess import PATH, candidate_module, original_module

from codeflash_engine.testing.fake_llm import FakeLLM, Reply
from codeflash_engine.testing.service import ServiceProcess

WALL_GOAL = 1.15
OVERHEAD_GOAL_MS = 150.0
CONCURRENCY = 16
N_CANDIDATES = 5
_TIMING = re.compile(r"(\w+);dur=([\d.]+)")


def serve_fake(latency: float) -> None:
    """The fake LLM process: five distinct candidates in turn (for as many requests as a run sends)."""
    variants = [
        Reply(f"Bin by index.\n\n```python:{PATH}\n{candidate_module(i + 1)}\n```\n") for i in range(5)
    ]
    with FakeLLM(latency=latency) as fake:
        fake.on(None, respond=variants * 40_000)
        print(f"FAKE_LLM_URL={fake.url}", flush=True)
        sys.stdin.read()  # until the parent closes our stdin


@contextmanager
def fake_process(latency: float) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve-fake", str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    line = process.stdout.readline().strip()
    try:
        if not line.startswith("FAKE_LLM_URL="):
            raise RuntimeError(f"the fake LLM did not start: {line!r}")
        yield line.removeprefix("FAKE_LLM_URL=")
    finally:
        process.stdin.close()
        process.wait(timeout=10)


def provider_env(url: str) -> dict[str, str]:
    """Azure OpenAI and Anthropic-on-Bedrock, both on the fake (what ``FakeLLM.env()`` gives)."""
    return {
        "AZURE_OPENAI_API_KEY": "fake-azure-key",
        "AZURE_OPENAI_ENDPOINT": url,
        "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE",
        "AWS_SECRET_ACCESS_KEY": "fake-aws-secret",
        "AWS_REGION": "us-east-1",
        "ANTHROPIC_BEDROCK_BASE_URL": url,
    }


@contextmanager
def service(fake_url: str, data_dir: Path, isolation: str | None) -> Iterator[tuple[str, str]]:
    env = {
        **({"CODEFLASH_PLUGIN_ISOLATION": isolation} if isolation else {}),
        **provider_env(fake_url),
        "CODEFLASH_DATA_DIR": str(data_dir),
        "CODEFLASH_ENV": "production",
        "RATE_LIMIT_MAX": "10000000",
    }
    with ServiceProcess(env=env, log_path=data_dir / "service.log") as process:
        yield process.url, process.create_key("bench@example.com")


def body(trace: str) -> dict[str, object]:
    return {
        "source_code": f"```python:{PATH}\n{original_module().strip()}\n```",
        "dependency_code": "",
        "trace_id": trace,
        "language": "python",
        "language_version": "3.11.7",
        "codeflash_version": "0.20.6",
        "n_candidates": N_CANDIDATES,
        "call_sequence": 1,
        "is_async": False,
    }


def timings(header: str) -> dict[str, float]:
    return {name: float(value) for name, value in _TIMING.findall(header)}


def latency_run(url: str, key: str, rounds: int) -> None:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    walls, overheads, post, dbs, kept = [], [], [], [], []
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        for index in range(rounds + 1):
            started = time.perf_counter()
            response = client.post("/ai/optimize", content=json.dumps(body(f"bench-{index}")))
            wall = time.perf_counter() - started
            response.raise_for_status()
            if index == 0:  # warm-up: first imports, first connections
                continue
            parts = timings(response.headers["server-timing"])
            walls.append(wall)
            overheads.append(parts["total"] - parts["llm"])
            post.append(parts.get("postprocess", 0.0))
            dbs.append(parts.get("db", 0.0))
            kept.append(len(response.json()["optimizations"]))
    wall_ratio = statistics.median(walls) / 1.0
    overhead = statistics.median(overheads)
    print(
        f"latency 1 s, n_candidates={N_CANDIDATES}, {rounds} sequential requests "
        f"({sum(kept)} candidates kept):"
    )
    print(
        f"  wall median {statistics.median(walls) * 1000:.0f} ms (min {min(walls) * 1000:.0f}, "
        f"max {max(walls) * 1000:.0f}); wall / 1 s = {wall_ratio:.3f} (goal <= {WALL_GOAL}, "
        f"{wall_ratio / WALL_GOAL:.2f} of goal)"
    )
    print(
        f"  overhead (Server-Timing total - llm) median {overhead:.1f} ms, max {max(overheads):.1f} ms "
        f"(goal <= {OVERHEAD_GOAL_MS:.0f} ms, {overhead / OVERHEAD_GOAL_MS:.2f} of goal); "
        f"of which postprocess median {statistics.median(post):.1f} ms, db {statistics.median(dbs):.1f} ms"
    )


async def throughput_run(url: str, key: str, seconds: float) -> None:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    payload = json.dumps(body("bench-rps"))
    done: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120, limits=limits) as client:
        for _ in range(2):  # warm-up
            (await client.post("/ai/optimize", content=payload)).raise_for_status()
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal failures
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.post("/ai/optimize", content=payload)
                if response.status_code == 200:
                    done.append(time.perf_counter() - started)
                else:
                    failures += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - started
    print(f"latency 0, {CONCURRENCY} concurrent clients for {elapsed:.1f} s, n_candidates={N_CANDIDATES}:")
    print(
        f"  {len(done) / elapsed:.1f} requests/s ({len(done)} ok, {failures} failed); "
        f"latency median {statistics.median(done) * 1000:.0f} ms, p90 "
        f"{statistics.quantiles(done, n=10)[-1] * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10, help="sequential requests at 1 s latency")
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of the throughput run")
    parser.add_argument(
        "--isolation",
        choices=["process", "thread"],
        default=None,
        help="plugin hooks (default: the service's)",
    )
    parser.add_argument("--serve-fake", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fake is not None:
        serve_fake(args.serve_fake)
        return
    isolation = args.isolation or "process (default)"
    print(
        f"module: {len(original_module().splitlines())} lines; service: 1 worker, production logging, "
        f"plugin hooks isolation {isolation}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-optimize-") as tmp:
        data_dir = Path(tmp)
        with fake_process(1.0) as fake_url, service(fake_url, data_dir, args.isolation) as (url, key):
            latency_run(url, key, args.rounds)
        with fake_process(0.0) as fake_url, service(fake_url, data_dir, args.isolation) as (url, key):
            asyncio.run(throughput_run(url, key, args.seconds))


if __name__ == "__main__":
    main()
