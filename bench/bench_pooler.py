# ruff: noqa: ASYNC220, ASYNC240 - processes and files are set up between the timed phases
"""Many instances on one PostgreSQL: what PgBouncer in transaction mode costs, and what three serve.

    uv run python bench/bench_pooler.py [--clients 30] [--seconds 8] [--admissions 300] [--no-load]

Everything on loopback: an embedded PostgreSQL (temporary), PgBouncer and HAProxy started from
``deploy/`` exactly as ``tests/multi_instance`` does, instances started from the systemd unit, and
the fake LLM as its own process answering after 1 s.

1. The database work of one ``/ai/optimize`` (admission: key and rate limit; then the quota), back
   to back on a pool of one connection, per request in µs: on a pool opened as main opened it
   (statement cache, timeout as a startup parameter, asyncpg's reset query), and now with
   ``CODEFLASH_DB_POOLER=none`` (statement cache), ``transaction`` on a direct connection (no
   cache) and ``transaction`` through PgBouncer. The ratio is to main's figure.
2. Load: ``--clients`` closed-loop clients on ``/ai/explain`` through HAProxy for ``--seconds``, for
   one and three instances, each direct (``CODEFLASH_DB_POOLER=none``) and through PgBouncer:
   requests per second, client latency, the service's overhead (``Server-Timing`` total - llm) and
   its database time, p50/p99, and the most server connections in use at once (PgBouncer's
   ``SHOW POOLS`` sv_active, and PostgreSQL's own count of the role's active backends).

The machine's load (``uptime``) is printed before and after: the figures mean little on a busy one.
"""

import argparse
import asyncio
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from collections import Counter
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import asyncpg
import httpx

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from pgserver.postgres_server import get_server

from codeflash_engine.auth.accounts import issue_key
from codeflash_engine.auth.service import admit, consume_optimization
from codeflash_engine.auth.settings import AuthSettings
from codeflash_engine.db import Database, open_database
from codeflash_engine.db.connect import command_timeout_s
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.observability.logging import configure_logging
from codeflash_engine.settings import HTTPSettings
from codeflash_engine.testing.settings import env_free

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the deployment helpers of the tests
from tests.multi_instance.stack import (
    DATABASE_USER,
    HAProxy,
    Instance,
    PgBouncer,
    SystemdUnit,
    create_database,
)

REPLY = "Use the closed form.\n```python\ndef f(x):\n    return x * (x - 1) // 2\n```\n"
ROUNDS = 5
EXPLAIN = {
    "source_code": "# file: a.py\ndef f():\n    return sum(range(10))\n",
    "optimized_code": "# file: a.py\ndef f():\n    return 45\n",
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def timings(header: str) -> dict[str, float]:
    return {name: float(ms) for name, ms in re.findall(r"(\w+);dur=([\d.]+)", header)}


def settings_for(url: str, scratch: Path, **values: Any) -> DatabaseSettings:
    return env_free(DatabaseSettings, url=url, data_dir=scratch / "data", migrate_on_startup=False, **values)


# --- part 1: the statement cache -------------------------------------------------------------------


async def main_branch_admissions(url: str, settings: DatabaseSettings, key: str, n: int) -> float:
    """The same loop on a pool opened the way main opened it: statement cache, the statement
    timeout as a startup parameter, asyncpg's reset query on every release."""
    pool = await asyncpg.create_pool(
        url,
        min_size=1,
        max_size=1,
        command_timeout=command_timeout_s(settings),
        server_settings={"statement_timeout": str(settings.statement_timeout_ms)},
    )
    database = Database(
        pool=pool,
        description="main",
        embedded=False,
        acquire_timeout_s=settings.connect_timeout_s,
        statement_timeout_ms=settings.statement_timeout_ms,
    )
    try:
        return await timed_admissions(database, key, n)
    finally:
        await pool.close()


async def timed_admissions(database: Database, key: str, n: int) -> float:
    auth = env_free(AuthSettings, rate_limit_max=10**9)
    started = time.perf_counter()
    for _ in range(n):
        admitted = await admit(database, key, auth)
        await consume_optimization(database, admitted.user)
    return (time.perf_counter() - started) / n * 1e6


async def admissions(settings: DatabaseSettings, key: str, n: int) -> float:
    async with open_database(settings.model_copy(update={"pool_max_size": 1}), wait_s=0) as database:
        return await timed_admissions(database, key, n)


async def statement_cache(direct_url: str, bouncer_url: str, scratch: Path, n: int) -> dict[str, Any]:
    direct = settings_for(direct_url, scratch)
    async with open_database(direct, wait_s=0) as database:
        issued = await issue_key(database, "cache@example.com", "enterprise", None, AuthSettings())
    runs = {
        "main: statement cache, startup timeout, reset query": lambda: main_branch_admissions(
            direct_url, direct, issued.key, n
        ),
        "direct, CODEFLASH_DB_POOLER=none (cache)": lambda: admissions(
            direct.model_copy(update={"pooler": "none"}), issued.key, n
        ),
        "direct, CODEFLASH_DB_POOLER=transaction (no cache)": lambda: admissions(
            direct.model_copy(update={"pooler": "transaction"}), issued.key, n
        ),
        "PgBouncer, CODEFLASH_DB_POOLER=transaction": lambda: admissions(
            settings_for(bouncer_url, scratch), issued.key, n
        ),
    }
    for run in runs.values():
        await run()  # warm: connections, the server's caches
    # Rounds interleave the variants, and each figure is the median of its rounds, so a burst of
    # another process on the machine does not land on one variant only.
    rounds: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(ROUNDS):
        for name, run in runs.items():
            rounds[name].append(await run())
    figures = {name: statistics.median(values) for name, values in rounds.items()}
    baseline = next(iter(figures.values()))
    return {
        name: {"us_per_request": round(us), "ratio_to_main": round(us / baseline, 2)}
        for name, us in figures.items()
    }


# --- part 2: load through the balancer ------------------------------------------------------------


class Peak:
    """The most server connections in use at once, sampled every 100 ms while load runs."""

    def __init__(self, superuser_url: str, bouncer: PgBouncer | None) -> None:
        self.superuser_url, self.bouncer = superuser_url, bouncer
        self.backends_active = 0
        self.backends_open = 0
        self.sv_active = 0
        self.cl_waiting = 0

    async def sample(self, stop: asyncio.Event) -> None:
        conn = await asyncpg.connect(self.superuser_url)
        try:
            while not stop.is_set():
                row = await conn.fetchrow(
                    "SELECT count(*) AS open, count(*) FILTER (WHERE state <> 'idle') AS active "
                    "FROM pg_stat_activity WHERE usename = $1",
                    DATABASE_USER,
                )
                self.backends_open = max(self.backends_open, row["open"])
                self.backends_active = max(self.backends_active, row["active"])
                if self.bouncer is not None:
                    pools = await asyncio.to_thread(self.bouncer.show_pools)
                    for pool in pools:
                        if pool["user"] == DATABASE_USER:
                            self.sv_active = max(self.sv_active, int(pool["sv_active"]))
                            self.cl_waiting = max(self.cl_waiting, int(pool["cl_waiting"]))
                await asyncio.sleep(0.1)
        finally:
            await conn.close()


async def run_load(url: str, keys: list[str], seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    spans: list[dict[str, float]] = []
    statuses: Counter[int] = Counter()
    deadline = time.monotonic() + seconds

    async def client_loop(client: httpx.AsyncClient, key: str) -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            response = await client.post(
                "/ai/explain",
                json={"trace_id": uuid.uuid4().hex, **EXPLAIN},
                headers={"Authorization": f"Bearer {key}"},
            )
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[response.status_code] += 1
            if response.status_code == 200:
                spans.append(timings(response.headers.get("server-timing", "")))

    limits = httpx.Limits(max_connections=len(keys) + 10, max_keepalive_connections=len(keys) + 10)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits, trust_env=False) as client:
        started = time.monotonic()
        await asyncio.gather(*(client_loop(client, key) for key in keys))
        wall = time.monotonic() - started
    overhead = [s["total"] - s.get("llm", 0.0) for s in spans if "total" in s]
    db = [s.get("db", 0.0) for s in spans]
    return {
        "requests": sum(statuses.values()),
        "statuses": dict(statuses),
        "rps": round(sum(statuses.values()) / wall, 1),
        "latency_ms_p50_p99": [round(percentile(latencies, q), 1) for q in (50, 99)],
        "overhead_ms_p50_p99": [round(percentile(overhead, q), 1) for q in (50, 99)],
        "db_ms_p50_p99": [round(percentile(db, q), 1) for q in (50, 99)],
    }


async def load_case(
    *,
    instances_count: int,
    database_url: str,
    pooler: str,
    superuser_url: str,
    bouncer: PgBouncer | None,
    fake_env: dict[str, str],
    keys: list[str],
    seconds: float,
    scratch: Path,
) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(dir=scratch))
    env_file = workdir / "env"
    settings = {
        "DATABASE_URL": database_url,
        "CODEFLASH_DB_POOLER": pooler,
        "CODEFLASH_DATA_DIR": str(workdir / "data"),
        "CODEFLASH_LOAD_PLUGINS": "",
        "CODEFLASH_LOG_LEVEL": "WARNING",
        "CODEFLASH_DB_MIGRATE_ON_STARTUP": "false",
        "CODEFLASH_LLM_MAX_RETRIES": "0",
        "CODEFLASH_LLM_MAX_CONCURRENCY": "256",
        "RATE_LIMIT_MAX": "1000000",
        **fake_env,
    }
    env_file.write_text("".join(f"{name}={value}\n" for name, value in settings.items()))
    unit = SystemdUnit()
    instances = [Instance(unit, env_file, workdir) for _ in range(instances_count)]
    balanced = [instances[n % instances_count] for n in range(3)]  # the config names three servers
    haproxy = HAProxy(balanced, workdir)
    try:
        for instance in instances:
            instance.start()
        for instance in instances:
            instance.wait_ready()
        haproxy.start()
        await run_load(haproxy.url, keys[:10], 2)  # warm-up: pools, LLM connections
        peak = Peak(superuser_url, bouncer)
        stop = asyncio.Event()
        sampler = asyncio.create_task(peak.sample(stop))
        result = await run_load(haproxy.url, keys, seconds)
        stop.set()
        await sampler
    finally:
        haproxy.stop()
        for instance in instances:
            instance.stop()
    result["peak_server_connections"] = {
        "postgres_backends_open": peak.backends_open,
        "postgres_backends_active": peak.backends_active,
        **(
            {"pgbouncer_sv_active": peak.sv_active, "pgbouncer_cl_waiting": peak.cl_waiting}
            if bouncer
            else {}
        ),
    }
    return result


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--admissions", type=int, default=300)
    parser.add_argument("--no-load", action="store_true", help="part 1 only")
    args = parser.parse_args()
    # Only problems, and on stderr: stdout is the report.
    configure_logging(env_free(HTTPSettings, log_level="WARNING"))
    print(f"load before: {uptime()}", file=sys.stderr)
    report: dict[str, Any] = {"load_before": uptime(), "clients": args.clients, "seconds": args.seconds}

    scratch = Path(tempfile.mkdtemp(prefix="codeflash-bench-pooler-"))
    scratch.chmod(0o755)
    postgres = get_server(scratch / "pgdata", cleanup_mode="delete")
    async with AsyncExitStack() as stack:
        stack.callback(postgres.cleanup)
        create_database(postgres.psql, "bench")
        superuser_url = postgres.get_uri("bench")
        query = superuser_url.split("?", 1)[1]
        direct_url = f"postgresql://{DATABASE_USER}@/bench?{query}"
        bouncer = PgBouncer(superuser_url, password=uuid.uuid4().hex).start()
        stack.callback(bouncer.remove)
        async with open_database(settings_for(bouncer.url, scratch), migrate=True, wait_s=0):
            pass

        fake = subprocess.Popen(
            [sys.executable, "-m", "codeflash_engine.testing.fake_llm", "--port", "0", "--reply", REPLY,
             "--latency", "1"],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        stack.callback(fake.terminate)
        assert fake.stdout is not None
        fake_url = fake.stdout.readline().decode().strip().removeprefix("FAKE_LLM_URL=")
        fake_env = {
            "AZURE_OPENAI_API_KEY": "fake-azure-key",
            "AZURE_OPENAI_ENDPOINT": fake_url,
            "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE",
            "AWS_SECRET_ACCESS_KEY": "fake-aws-secret",
            "AWS_REGION": "us-east-1",
            "ANTHROPIC_BEDROCK_BASE_URL": fake_url,
        }

        report["statement_cache"] = await statement_cache(direct_url, bouncer.url, scratch, args.admissions)
        print(json.dumps(report["statement_cache"], indent=2), file=sys.stderr)

        async with open_database(settings_for(direct_url, scratch), wait_s=0) as database:
            keys = [
                (await issue_key(database, f"load-{n}@example.com", "enterprise", None, AuthSettings())).key
                for n in range(args.clients)
            ]
        cases = {}
        for instances_count in () if args.no_load else (1, 3):
            for name, url, pooler, through in (
                ("direct", direct_url, "none", None),
                ("pgbouncer", bouncer.url, "transaction", bouncer),
            ):
                label = f"{instances_count} instance{'s' if instances_count > 1 else ''}, {name}"
                # A fresh PgBouncer holds no server connections yet, which would otherwise count as the
                # role's in PostgreSQL (it keeps idle ones for server_idle_timeout).
                await asyncio.to_thread(bouncer.restart)
                cases[label] = await load_case(
                    instances_count=instances_count,
                    database_url=url,
                    pooler=pooler,
                    superuser_url=superuser_url,
                    bouncer=through,
                    fake_env=fake_env,
                    keys=keys,
                    seconds=args.seconds,
                    scratch=scratch,
                )
                print(label, json.dumps(cases[label]), file=sys.stderr)
        report["load"] = cases
    shutil.rmtree(scratch, ignore_errors=True)
    report["load_after"] = uptime()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
