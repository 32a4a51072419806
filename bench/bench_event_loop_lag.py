"""Event-loop lag while the Python plugin postprocesses (issue 6).

Run: uv run python bench/bench_event_loop_lag.py

Eight ``/ai/optimize`` requests run at once through the real app (embedded PostgreSQL, the fake LLM
in its own process answering every call with a full ~370-line candidate module), each with
``n_candidates=5``, so 40 candidates of a ~350-line module are validated and postprocessed per
round. A monitor task on the app's event loop sleeps 5 ms at a time and records how late it wakes:
that lateness is what every other request on the loop would wait. Hooks run in worker processes
(the default); the same run with ``CODEFLASH_PLUGIN_ISOLATION=thread`` is the baseline that shows
what the process pool buys. Goal: p99 lag <= 20 ms with process isolation.
"""

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager
from bench_llm_fanout import settings_for, start_fake
from bench_python_postprocess import PATH, candidate_module, original_module

from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.http.app import create_app
from codeflash_engine.settings import HTTPSettings, PluginSettings, Settings
from codeflash_engine.testing.keys import issue_test_key

CONCURRENT = 8
ROUNDS = 3
TICK = 0.005
GOAL_P99_MS = 20.0


async def monitor(lags: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(TICK)
        lags.append(time.perf_counter() - started - TICK)


async def measure(isolation: str, fake_url: str, data_dir: Path) -> tuple[list[float], list[float]]:
    settings = Settings(
        http=HTTPSettings(CODEFLASH_LOG_LEVEL="WARNING"),  # type: ignore[call-arg]
        plugins=PluginSettings(CODEFLASH_PLUGIN_ISOLATION=isolation),  # type: ignore[call-arg]
        database=DatabaseSettings(CODEFLASH_DATA_DIR=data_dir),  # type: ignore[call-arg]
        llm=settings_for(fake_url),
    )
    app = create_app(settings)
    body = {
        "source_code": f"```python:{PATH}\n{original_module()}\n```",
        "trace_id": "bench-loop-lag",
        "language": "python",
        "language_version": "3.11.4",
        "n_candidates": 5,
    }
    async with LifespanManager(app) as lifespan:
        key = await issue_test_key(app.state.resources)
        transport = httpx.ASGITransport(app=lifespan.app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://bench",
            headers={"Authorization": f"Bearer {key}"},
            timeout=300,
        ) as client:
            warm = await client.post("/ai/optimize", json=body)  # starts the hook workers
            assert warm.status_code == 200, warm.text
            lags: list[float] = []
            walls: list[float] = []
            for _ in range(ROUNDS):
                stop = asyncio.Event()
                watcher = asyncio.create_task(monitor(lags, stop))
                started = time.perf_counter()
                responses = await asyncio.gather(
                    *(client.post("/ai/optimize", json=body) for _ in range(CONCURRENT))
                )
                walls.append(time.perf_counter() - started)
                stop.set()
                await watcher
                assert all(response.status_code == 200 for response in responses), responses[0].text
                assert all(response.json()["optimizations"] for response in responses)
    return lags, walls


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main() -> None:
    reply = f"Binned by arithmetic instead of a scan.\n```python:{PATH}\n{candidate_module(1)}\n```"
    process, url = start_fake(0.0, reply=reply)
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            for isolation in ("process", "thread"):
                lags, walls = await measure(isolation, url, Path(data_dir))
                p99 = percentile(lags, 0.99) * 1000
                verdict = (
                    f"p99 / goal {GOAL_P99_MS:g} ms = {p99 / GOAL_P99_MS:.2f}"
                    if isolation == "process"
                    else "baseline"
                )
                wall = statistics.median(walls)
                print(
                    f"hooks in {isolation} isolation: loop lag p50 {statistics.median(lags) * 1000:.1f} ms, "
                    f"p99 {p99:.1f} ms, max {max(lags) * 1000:.1f} ms ({verdict}); "
                    f"{CONCURRENT} requests x 5 candidates in {wall:.2f} s (median of {ROUNDS} rounds)"
                )
    finally:
        process.terminate()
        process.wait()


if __name__ == "__main__":
    asyncio.run(main())
