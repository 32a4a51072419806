"""Three instances behind HAProxy, on one PostgreSQL behind PgBouncer in transaction mode, started
from the files in ``deploy/`` (see ``stack.py``), under concurrent load and faults.

The embedded PostgreSQL of the test session holds a new, empty database owned by ``codeflash``; the
three instances start together and migrate it through PgBouncer. API keys are issued with
``codeflash-engine keys create`` through PgBouncer too. Then, through the balancer:

1. exactness: the rate limit and the quota hold exactly across the instances, every LLM call is
   recorded exactly once, and round robin spreads the requests;
2. one instance SIGKILLed mid-load: the others keep serving, only requests in flight on it fail
   (HAProxy's JSON 502, never a 500), and every acknowledged request's LLM call is recorded;
3. PgBouncer restarted mid-load: every answer is a 200 or a 503, never a 500, and the instances
   recover without being restarted.

Skipped, saying which, when pgbouncer or haproxy (Debian packages of the same names) is missing.
"""

import asyncio
import itertools
import re
import shutil
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from attrs import define, field

from codeflash_engine.auth.accounts import issue_key
from codeflash_engine.auth.settings import AuthSettings
from codeflash_engine.db import open_database
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.observability.settings import ObservabilitySettings
from codeflash_engine.settings import HTTPSettings
from codeflash_engine.testing.fake_llm import FakeLLM, Reply
from codeflash_engine.testing.service import engine_command
from codeflash_engine.testing.settings import env_free
from tests.multi_instance.stack import (
    SYSTEMD_UNIT,
    UNIT_INSTALL_PATH,
    HAProxy,
    Instance,
    PgBouncer,
    SystemdUnit,
    create_database,
    haproxy_binary,
    pgbouncer_binary,
    tail,
)

pytestmark = pytest.mark.multi_instance

RATE_LIMIT = 20
FREE_QUOTA = 10
CLIENTS = 9
LLM_REPLY = "Faster:\n```python\ndef f(x):\n    return x * 2\n```\n"
OPTIMIZE_SOURCE = "def f(x):\n    return x + 1\n"


def explain(trace_id: str) -> dict[str, Any]:
    return {
        "trace_id": trace_id,
        "source_code": "# file: a.py\ndef f():\n    return sum(range(10))\n",
        "optimized_code": "# file: a.py\ndef f():\n    return 45\n",
    }


@define
class Deployment:
    pgbouncer: PgBouncer
    instances: list[Instance]
    haproxy: HAProxy
    fake: FakeLLM
    direct_url: str  # the database itself, as its superuser, for the assertions
    keys_made: Iterator[int] = field(factory=itertools.count)

    async def keys(self, count: int) -> list[str]:
        """Enterprise keys issued through PgBouncer (what ``keys create`` does, without a process each)."""
        settings = env_free(DatabaseSettings, url=self.pgbouncer.url, migrate_on_startup=False)
        async with open_database(settings, wait_s=0) as database:
            return [
                (await issue_key(database, f"load-{next(self.keys_made)}@example.com", "enterprise", None,
                                 AuthSettings())).key
                for _ in range(count)
            ]  # fmt: skip

    async def fetchval(self, sql: str, *args: Any) -> Any:
        conn = await asyncpg.connect(self.direct_url)
        try:
            return await conn.fetchval(sql, *args)
        finally:
            await conn.close()


def require(binary: str | None, package: str) -> None:
    if binary is None:
        pytest.skip(
            f"{package} is not installed (Debian package {package}): the multi-instance deployment test "
            "(PgBouncer in transaction mode, HAProxy, three instances from deploy/) is skipped"
        )


def keys_create(env_file: Path, unit: SystemdUnit, tier: str) -> str:
    """``codeflash-engine keys create`` with the instances' environment, through PgBouncer."""
    done = subprocess.run(
        [*engine_command(), "keys", "create", "--email", f"cli-{tier}@example.com", "--tier", tier],
        env={"PATH": "/usr/bin:/bin", **unit.environment(env_file)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def deployment(postgres_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    require(pgbouncer_binary(), "pgbouncer")
    require(haproxy_binary(), "haproxy")
    name = f"multi_{uuid.uuid4().hex[:12]}"
    create_database(postgres_server.psql, name)
    workdir = tmp_path_factory.mktemp("deployment")
    pgbouncer = PgBouncer(postgres_server.get_uri(name), password=uuid.uuid4().hex)
    fake = FakeLLM(default=Reply(LLM_REPLY)).start()
    unit = SystemdUnit()
    env_file = workdir / "env"
    settings = {
        "DATABASE_URL": pgbouncer.url,
        "CODEFLASH_DATA_DIR": str(workdir / "data"),
        "CODEFLASH_LOAD_PLUGINS": "python",
        "CODEFLASH_PLUGIN_ISOLATION": "thread",
        "CODEFLASH_DB_POOL_MAX_SIZE": "5",
        "CODEFLASH_DB_CONNECT_TIMEOUT_S": "2",
        "CODEFLASH_LLM_MAX_RETRIES": "0",
        "RATE_LIMIT_MAX": str(RATE_LIMIT),
        "RATE_LIMIT_WINDOW_MS": "600000",
        "CODEFLASH_QUOTA_FREE": str(FREE_QUOTA),
        **fake.env("azure", "bedrock"),
    }
    env_file.write_text("".join(f"{key}={value}\n" for key, value in settings.items()))
    instances = [Instance(unit, env_file, workdir) for _ in range(3)]
    haproxy = HAProxy(instances, workdir)
    try:
        pgbouncer.start()
        for instance in instances:  # together: they migrate the empty database at the same time
            instance.start()
        for instance in instances:
            instance.wait_ready()
        haproxy.start()
        yield Deployment(pgbouncer, instances, haproxy, fake, postgres_server.get_uri(name))
    finally:
        haproxy.stop()
        for instance in instances:
            instance.stop()
        pgbouncer.remove()
        fake.stop()
        postgres_server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")


def test_the_systemd_unit_stops_by_group_and_outlasts_a_drain(tmp_path: Path) -> None:
    unit = SystemdUnit()
    assert unit.one("KillMode") == "control-group"
    assert unit.one("KillSignal") == "SIGTERM"
    # systemd's SIGKILL must not come before the longest request and the recorder's drain.
    request_s = HTTPSettings.model_fields["request_timeout_s"].default
    drain_s = ObservabilitySettings.model_fields["recording_drain_timeout_seconds"].default
    assert int(unit.one("TimeoutStopSec")) >= request_s + drain_s
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip(
            "systemd-analyze is not installed (Debian package systemd): the unit's syntax is not verified"
        )
    rendered = tmp_path / SYSTEMD_UNIT.name.replace("@", "@8001")
    rendered.write_text(SYSTEMD_UNIT.read_text().replace(UNIT_INSTALL_PATH, engine_command()[0]))
    done = subprocess.run(
        [analyze, "verify", "--man=no", str(rendered)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


@define
class Outcome:
    status: int
    trace_id: str
    done_at: float
    body: str


# A request in flight on a killed instance: HAProxy answers 502, or, when it came on a reused client
# connection, closes that connection without an answer (HAProxy's way of letting the client retry
# as after a keep-alive race; the codeflash client reports it as a connection error).
DISCONNECTED = 0


async def call(client: httpx.AsyncClient, path: str, body: dict[str, Any], key: str) -> Outcome:
    try:
        response = await client.post(path, json=body, headers={"Authorization": f"Bearer {key}"})
    except httpx.RemoteProtocolError as exc:
        return Outcome(DISCONNECTED, body["trace_id"], time.monotonic(), repr(exc))
    return Outcome(response.status_code, body["trace_id"], time.monotonic(), response.text)


async def load(
    client: httpx.AsyncClient, keys: list[str], prefix: str, stop: asyncio.Event, outcomes: list[Outcome]
) -> None:
    """One client per key, each sending /ai/explain back to back until ``stop``."""

    async def one_client(number: int, key: str) -> None:
        for sequence in itertools.count():
            if stop.is_set():
                return
            outcomes.append(await call(client, "/ai/explain", explain(f"{prefix}-{number}-{sequence}"), key))

    await asyncio.gather(*(one_client(number, key) for number, key in enumerate(keys)))


async def recorded_per_trace(deployment: Deployment, prefix: str) -> dict[str, int]:
    conn = await asyncpg.connect(deployment.direct_url)
    try:
        rows = await conn.fetch(
            "SELECT trace_id, count(*) AS calls FROM llm_calls WHERE trace_id LIKE $1 GROUP BY trace_id",
            f"{prefix}-%",
        )
    finally:
        await conn.close()
    return {row["trace_id"]: row["calls"] for row in rows}


async def wait_until_recorded(deployment: Deployment, traces: set[str], prefix: str) -> dict[str, int]:
    deadline = time.monotonic() + 15
    while True:
        recorded = await recorded_per_trace(deployment, prefix)
        if traces <= recorded.keys() or time.monotonic() > deadline:
            return recorded
        await asyncio.sleep(0.2)


def balancer(deployment: Deployment) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=deployment.haproxy.url,
        timeout=60,
        limits=httpx.Limits(max_connections=64),
        trust_env=False,
    )


@pytest.mark.slow
async def test_rate_limit_quota_and_recording_are_exact_across_instances(deployment: Deployment) -> None:
    unit = SystemdUnit()
    env_file = deployment.instances[0].env_file
    limited = await asyncio.to_thread(keys_create, env_file, unit, "enterprise")
    free = await asyncio.to_thread(keys_create, env_file, unit, "free")
    deployment.fake.latency = 0.3
    calls_before = len(deployment.fake.requests)
    async with balancer(deployment) as client:
        explains, optimizations = await asyncio.gather(
            asyncio.gather(
                *(call(client, "/ai/explain", explain(f"exact-{n}"), limited) for n in range(2 * RATE_LIMIT))
            ),
            asyncio.gather(
                *(
                    call(
                        client,
                        "/ai/optimize",
                        {"trace_id": f"quota-{n}", "source_code": OPTIMIZE_SOURCE, "n_candidates": 1},
                        free,
                    )
                    for n in range(2 * FREE_QUOTA)
                )
            ),
        )
    assert Counter(o.status for o in explains) == {200: RATE_LIMIT, 429: RATE_LIMIT}, explains
    assert Counter(o.status for o in optimizations) == {200: FREE_QUOTA, 403: FREE_QUOTA}, optimizations
    assert await deployment.fetchval("SELECT max(optimizations_used) FROM subscriptions") == FREE_QUOTA

    served = {o.trace_id for o in explains if o.status == 200}
    recorded = await wait_until_recorded(deployment, served, "exact")
    assert recorded == dict.fromkeys(served, 1)
    # The optimizations are recorded by their own instances' recorders, on their own schedule.
    optimized = {o.trace_id for o in optimizations if o.status == 200}
    assert optimized <= (await wait_until_recorded(deployment, optimized, "quota")).keys()
    calls = len(deployment.fake.requests) - calls_before
    total = await deployment.fetchval(
        "SELECT count(*) FROM llm_calls WHERE trace_id LIKE 'exact-%' OR trace_id LIKE 'quota-%'"
    )
    assert total == calls, f"{calls} LLM calls made, {total} recorded"

    # Round robin: every instance served a share (HAProxy logs the server of each request).
    per_server = Counter(re.findall(r"engine/(engine\d)", deployment.haproxy.log.read_text()))
    assert len(per_server) == 3 and min(per_server.values()) >= 10, per_server


@pytest.mark.slow
async def test_an_instance_killed_mid_load_loses_nothing_acknowledged(deployment: Deployment) -> None:
    keys = await deployment.keys(CLIENTS)
    deployment.fake.latency = 1.0
    victim = deployment.instances[1]
    outcomes: list[Outcome] = []
    stop = asyncio.Event()
    async with balancer(deployment) as client:
        running = asyncio.create_task(load(client, keys, "kill", stop, outcomes))
        # Kill between two waves of answers: every request is then waiting on the fake LLM, and
        # whatever was acknowledged was acknowledged at least 0.4 s before.
        while len(outcomes) < CLIENTS:
            assert not running.done()
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.4)
        killed_at = time.monotonic()
        victim.kill()
        await asyncio.sleep(3.5)
        stop.set()
        await running

    statuses = Counter(o.status for o in outcomes)
    assert set(statuses) <= {200, 502, DISCONNECTED}, outcomes
    # Only what was in flight on the killed instance failed (a POST that reached it is not retried).
    failed = [o for o in outcomes if o.status != 200]
    assert len(failed) <= CLIENTS // 3 + 1, statuses
    assert all('"error"' in o.body for o in failed if o.status == 502)
    after = [o for o in outcomes if o.done_at > killed_at + 1.5]
    assert len(after) >= CLIENTS and all(o.status == 200 for o in after), statuses

    acknowledged = {o.trace_id for o in outcomes if o.status == 200}
    recorded = await wait_until_recorded(deployment, acknowledged, "kill")
    assert {trace: recorded.get(trace, 0) for trace in acknowledged} == dict.fromkeys(acknowledged, 1)


@pytest.mark.slow
async def test_pgbouncer_restarted_mid_load_gives_503s_or_successes_and_instances_recover(
    deployment: Deployment,
) -> None:
    keys = await deployment.keys(CLIENTS)
    deployment.fake.latency = 0.3
    outcomes: list[Outcome] = []
    stop = asyncio.Event()
    async with balancer(deployment) as client:
        running = asyncio.create_task(load(client, keys, "bounce", stop, outcomes))
        while len(outcomes) < CLIENTS:
            assert not running.done()
            await asyncio.sleep(0.02)
        await asyncio.to_thread(deployment.pgbouncer.restart, 0.5)
        restarted_at = time.monotonic()
        await asyncio.sleep(4)
        stop.set()
        await running

        statuses = Counter(o.status for o in outcomes)
        assert set(statuses) <= {200, 503}, [o for o in outcomes if o.status not in (200, 503)]
        recovered = [o for o in outcomes if o.done_at > restarted_at + 2]
        assert recovered and all(o.status == 200 for o in recovered), statuses
        for instance in deployment.instances:
            if instance.running:
                health = (await client.get(f"http://{instance.address}/healthcheck")).json()
                assert health["database"] == "ok", tail(instance.log)

    # At least once: a batch whose commit was cut before its acknowledgement arrived is written again.
    acknowledged = {o.trace_id for o in outcomes if o.status == 200}
    recorded = await wait_until_recorded(deployment, acknowledged, "bounce")
    assert acknowledged <= recorded.keys()
