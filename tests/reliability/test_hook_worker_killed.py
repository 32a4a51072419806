"""A hook worker killed mid-request (the OOM killer, a stray ``kill -9``) never makes a 500.

The app with hooks in one worker process (so the test knows which process runs what), the Python
plugin and the faulty ``cf-test-crashing`` plugin installed.

- Killed while idle: four Python ``/ai/optimize`` requests are waiting on the fake LLM (their
  ``build_context`` done, extraction and postprocessing still to come). Each then finds the pool
  broken when it submits its next hook, which has not started: the hook runs on a fresh pool and
  every request gets its 200 (this used to be a 500: ``BrokenProcessPool`` from ``submit``).
- Killed inside a hook: a ``crashing`` request is in its hanging ``build_context``. That hook had
  started, so it is not retried: a 502 ``{"error"}``, recorded as an ``optimization_errors`` row.

Each replacement is counted in ``codeflash_hook_pools_replaced_total{reason="worker_died"}``.
"""

import asyncio
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from prometheus_client import REGISTRY

from codeflash_engine.settings import Settings
from codeflash_engine.testing.fake_llm import FakeLLM, Reply
from codeflash_engine.testing.fake_llm.settings import fake_llm_settings
from codeflash_engine.testing.settings import harness_plugin_settings

from .conftest import LLM_REPLY, running_app

WAITING = 4
SOURCE = "def f(x):\n    return x + 1\n"


def spawned_children() -> set[int]:
    """This process's children started by multiprocessing's spawn: hook workers."""
    return {child.pid for child in psutil.Process().children() if "spawn_main" in " ".join(child.cmdline())}


def replaced_pools() -> float:
    return REGISTRY.get_sample_value("codeflash_hook_pools_replaced_total", {"reason": "worker_died"}) or 0.0


@pytest.fixture
def crashing_plugin_path(faulty_plugins: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Spawned workers inherit sys.path, so they find the distributions too.
    monkeypatch.syspath_prepend(str(faulty_plugins))
    yield
    for name in [module for module in sys.modules if module.startswith("cf_test_")]:
        del sys.modules[name]


@pytest.mark.usefixtures("crashing_plugin_path")
async def test_a_hook_worker_killed_mid_request_is_never_a_500(
    engine_settings: Settings, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.default = Reply(LLM_REPLY)
    codeflash_fake_llm.latency = 2.0
    settings = engine_settings.model_copy(
        update={
            "plugins": harness_plugin_settings(isolation="process", workers=1, hook_timeout_seconds=60),
            "llm": fake_llm_settings(codeflash_fake_llm, CODEFLASH_LLM_MAX_RETRIES=0),
        }
    )
    known = spawned_children()
    replaced_before = replaced_pools()
    async with running_app(settings) as (app, client):
        (idle_worker,) = spawned_children() - known
        waiting = [
            asyncio.create_task(
                client.post(
                    "/ai/optimize",
                    json={"trace_id": f"killed-worker-{i}", "source_code": SOURCE, "n_candidates": 2},
                )
            )
            for i in range(WAITING)
        ]
        while len(codeflash_fake_llm.requests) < 2 * WAITING:  # past build_context, held by the LLM
            assert not any(task.done() for task in waiting)
            await asyncio.sleep(0.02)
        os.kill(idle_worker, signal.SIGKILL)
        answers = await asyncio.gather(*waiting)
        assert [(r.status_code, r.json().get("error")) for r in answers] == [(200, None)] * WAITING
        assert replaced_pools() == replaced_before + 1

        (busy_worker,) = spawned_children() - known - {idle_worker}
        hanging = asyncio.create_task(
            client.post(
                "/ai/optimize",
                json={"trace_id": "killed-worker-hanging", "source_code": "hang", "language": "crashing"},
            )
        )
        await asyncio.sleep(0.5)  # its build_context is sleeping in the worker (queued would end the same)
        os.kill(busy_worker, signal.SIGKILL)
        killed = await hanging
        assert killed.status_code == 502, killed.text
        assert "worker process crashed" in killed.json()["error"]
        assert replaced_pools() == replaced_before + 2

        database = app.state.resources.database
        for _ in range(100):  # the recorder writes in the background
            async with database.connection() as conn:
                errors = await conn.fetch(
                    "SELECT error_type FROM optimization_errors WHERE trace_id = 'killed-worker-hanging'"
                )
            if errors:
                break
            await asyncio.sleep(0.05)
        assert [row["error_type"] for row in errors] == ["plugin_hook_error"]
