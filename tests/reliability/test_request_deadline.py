"""``CODEFLASH_REQUEST_TIMEOUT_S``: a request that is still waiting at its deadline answers
``504 {"error"}`` within the deadline plus a small margin, and what it was waiting for is stopped.

Real parts: the fake LLM over HTTP (hanging longer than the deadline, while the LLM timeout is
longer still), the installed ``cf-test-crashing`` plugin whose ``build_context`` hangs in a hook
worker process (hook timeout longer than the deadline), and a table lock in the real PostgreSQL
(statement timeout longer than the deadline). Each time: no task is left behind, the timeout is
recorded (``optimization_errors`` ``request_timeout``, the cut-off LLM calls as ``cancelled``) and
counted, and the service keeps serving, the hook worker pool included.
"""

import asyncio
import multiprocessing
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from codeflash_engine.db import Database
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.settings import HTTPSettings, Settings
from codeflash_engine.testing.fake_llm import FakeLLM, Reply
from codeflash_engine.testing.fake_llm.settings import fake_llm_settings
from codeflash_engine.testing.settings import env_free, harness_plugin_settings

from .conftest import LLM_REPLY, running_app

DEADLINE_S = 2.0
# What a request may overrun its deadline by, on two shared cores (measured: a few milliseconds).
MARGIN_S = 0.75
HOOK_TIMEOUT_S = 8.0
SOURCE = "def f(x):\n    return x + 1\n"


@pytest.fixture
def fake(codeflash_fake_llm: FakeLLM) -> FakeLLM:
    codeflash_fake_llm.default = Reply(LLM_REPLY)
    return codeflash_fake_llm


@pytest.fixture
def settings(
    faulty_plugins: Path, monkeypatch: pytest.MonkeyPatch, engine_settings: Settings, fake: FakeLLM
) -> Iterator[Settings]:
    """The deadline well below the LLM timeout (30 s) and the hook timeout; one hook worker process."""
    monkeypatch.syspath_prepend(str(faulty_plugins))  # spawned hook workers inherit it
    yield engine_settings.model_copy(
        update={
            "http": env_free(HTTPSettings, CODEFLASH_REQUEST_TIMEOUT_S=DEADLINE_S),
            "plugins": harness_plugin_settings(
                isolation="process", workers=1, hook_timeout_seconds=HOOK_TIMEOUT_S
            ),
            "llm": fake_llm_settings(fake, CODEFLASH_LLM_TIMEOUT=30, CODEFLASH_LLM_MAX_RETRIES=0),
        }
    )
    for name in [module for module in sys.modules if module.startswith("cf_test_")]:
        del sys.modules[name]


async def optimize(
    client: httpx.AsyncClient, trace_id: str, *, language: str = "python", source: str = SOURCE
) -> tuple[httpx.Response, float]:
    body = {"trace_id": trace_id, "source_code": source, "language": language, "n_candidates": 2}
    started = time.perf_counter()
    response = await client.post("/ai/optimize", json=body)
    return response, time.perf_counter() - started


def assert_deadline_answer(
    response: httpx.Response, elapsed: float, trace_id: str, record_property: Any
) -> None:
    assert response.status_code == 504, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "error": f"request timed out: not finished within the service's {DEADLINE_S:g} s deadline; "
        "its LLM and plugin calls were stopped"
    }
    assert response.headers["x-trace-id"] == trace_id
    overshoot = elapsed - DEADLINE_S
    record_property("deadline_overshoot_s", round(overshoot, 4))
    assert 0 <= overshoot < MARGIN_S, f"answered after {elapsed:.3f} s"


async def timeouts_counted(client: httpx.AsyncClient) -> float:
    text = (await client.get("/metrics")).text
    match = re.search(r'^codeflash_errors_total\{error_type="request_timeout"\} (\S+)$', text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def assert_no_task_left(before: set[asyncio.Task[Any]]) -> None:
    # Polled briefly: a connection the recorder's background write is releasing to the pool is a
    # task for a moment; what the request left running (a 30 s LLM call, a hook) would stay.
    for _ in range(50):
        left = asyncio.all_tasks() - before - {asyncio.current_task()}
        if not left:
            return
        await asyncio.sleep(0.02)
    assert not left, left


async def recorded(database: Database, trace_id: str) -> tuple[list[str], list[asyncpg.Record]]:
    async with database.connection() as conn:
        calls = await conn.fetch("SELECT status FROM llm_calls WHERE trace_id = $1", trace_id)
        errors = await conn.fetch("SELECT * FROM optimization_errors WHERE trace_id = $1", trace_id)
    return sorted(row["status"] for row in calls), list(errors)


async def test_llm_calls_hanging_past_the_deadline_end_in_a_504_and_are_cancelled(
    settings: Settings, fake: FakeLLM, database: Database, record_property: Any
) -> None:
    async with running_app(settings) as (_, client):
        warm, _ = await optimize(client, "deadline-warm-up")  # both SDK clients are set up
        assert warm.status_code == 200, warm.text
        counted = await timeouts_counted(client)
        fake.clear()
        fake.hang(seconds=30, times=2)  # both calls of the fan-out; the LLM timeout is 30 s
        tasks = asyncio.all_tasks()

        response, elapsed = await optimize(client, "deadline-llm")

        assert_deadline_answer(response, elapsed, "deadline-llm", record_property)
        assert len(fake.requests) == 2
        await assert_no_task_left(tasks)
        assert await timeouts_counted(client) == counted + 1

        after, _ = await optimize(client, "deadline-llm-after")  # the fake answers again
        assert after.status_code == 200, after.text
        assert after.json()["optimizations"]
    # The lifespan's end drained the recorder.

    calls, [error] = await recorded(database, "deadline-llm")
    assert calls == ["cancelled", "cancelled"]
    assert error["error_type"] == "request_timeout" and "timed out" in error["message"]
    assert "CancelledError" in error["stack_trace"]


async def test_a_fan_out_near_the_deadline_answers_with_the_candidates_that_arrived(
    settings: Settings, fake: FakeLLM, database: Database
) -> None:
    async with running_app(settings) as (_, client):
        warm, _ = await optimize(client, "partial-warm-up")
        assert warm.status_code == 200, warm.text
        fake.clear()
        fake.reply(LLM_REPLY, times=1)
        fake.hang(seconds=30)  # the fan-out's other call; the LLM timeout is 30 s
        tasks = asyncio.all_tasks()

        response, elapsed = await optimize(client, "partial")

        # The best partial result, in time: the fan-out stopped waiting for the hanging call at the
        # deadline minus what it keeps for postprocessing (its 1 s floor here).
        assert response.status_code == 200, response.text
        [candidate] = response.json()["optimizations"]
        assert "return x * 2" in candidate["source_code"]
        assert DEADLINE_S - 1.0 <= elapsed < DEADLINE_S, f"answered after {elapsed:.3f} s"
        assert len(fake.requests) == 2
        await assert_no_task_left(tasks)  # the hanging call was cancelled, not left running

    calls, errors = await recorded(database, "partial")
    assert calls == ["cancelled", "ok"]
    assert errors == []


async def test_a_hook_hanging_past_the_deadline_ends_in_a_504_and_the_pool_recovers_at_once(
    settings: Settings, database: Database, record_property: Any
) -> None:
    children_before = {child.pid for child in multiprocessing.active_children()}
    async with running_app(settings) as (app, client):
        hooks = app.state.resources.hooks
        worker = {child.pid for child in multiprocessing.active_children()} - children_before
        assert len(worker) == 1  # the pool's one worker; it will hang
        tasks = asyncio.all_tasks()

        response, elapsed = await optimize(client, "deadline-hook", language="crashing", source="hang")

        assert_deadline_answer(response, elapsed, "deadline-hook", record_property)
        await assert_no_task_left(tasks)
        assert hooks.retired_pools == 1  # the hung worker's pool, until its hook timeout

        # New hook calls went to a fresh pool at once: no waiting for the hung worker to be killed.
        after, elapsed_after = await optimize(client, "deadline-hook-after")
        assert after.status_code == 200, after.text
        assert elapsed + elapsed_after < HOOK_TIMEOUT_S

        # At the hook timeout the abandoned hook's worker is killed.
        for _ in range(int(HOOK_TIMEOUT_S * 10) + 50):
            if not hooks.retired_pools:
                break
            await asyncio.sleep(0.1)
        assert not hooks.retired_pools
        assert not worker & {child.pid for child in multiprocessing.active_children()}

    _, [error] = await recorded(database, "deadline-hook")
    assert error["error_type"] == "request_timeout"
    assert "isolation.py" in error["stack_trace"]  # where it was waiting: the hook


async def test_a_query_stuck_behind_a_lock_past_the_deadline_ends_in_a_504(
    settings: Settings, database_url: str, tmp_path: Path, record_property: Any
) -> None:
    # The statement timeout (30 s) would end it much later; the deadline ends it first.
    slow_statements = env_free(
        DatabaseSettings,
        DATABASE_URL=database_url,
        CODEFLASH_DATA_DIR=tmp_path,
        CODEFLASH_DB_STATEMENT_TIMEOUT_MS=30_000,
    )
    async with running_app(settings.model_copy(update={"database": slow_statements})) as (_, client):
        locker = await asyncpg.connect(database_url)
        try:
            async with locker.transaction():
                await locker.execute("LOCK TABLE rate_limit_windows IN ACCESS EXCLUSIVE MODE")
                response, elapsed = await optimize(client, "deadline-db")
            assert response.status_code == 504, response.text
            overshoot = elapsed - DEADLINE_S
            record_property("deadline_overshoot_s", round(overshoot, 4))
            assert 0 <= overshoot < MARGIN_S, f"answered after {elapsed:.3f} s"
        finally:
            await locker.close()

        # The cancelled query did not spoil its pooled connection.
        for index in range(3):
            after, _ = await optimize(client, f"deadline-db-after-{index}")
            assert after.status_code == 200, after.text
