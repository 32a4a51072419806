"""Hook worker processes start with the app, not on the first requests."""

import asyncio

import psutil

from codeflash_engine.domain import SourceFile, TaskRequest
from codeflash_engine.domain.tasks import Task
from codeflash_engine.plugins import load_plugin_host
from codeflash_engine.plugins.isolation import HookRunner
from codeflash_engine.testing.settings import harness_plugin_settings

WORKERS = 2


def _hook_workers() -> set[int]:
    # ``spawn`` children of this process: the pool's workers (and its resource tracker, which
    # does not import the plugins and is not counted here).
    children = psutil.Process().children()
    return {child.pid for child in children if "spawn_main" in " ".join(child.cmdline())}


async def test_warm_up_starts_every_worker_before_the_first_hook_call() -> None:
    settings = harness_plugin_settings(isolation="process", workers=WORKERS, load_plugins=("python",))
    runner = HookRunner(load_plugin_host(settings), settings)
    try:
        assert _hook_workers() == set()
        await runner.warm_up()
        for _ in range(100):  # the last worker may still be importing the plugins
            if len(_hook_workers()) == WORKERS:
                break
            await asyncio.sleep(0.1)
        started = _hook_workers()
        assert len(started) == WORKERS

        request = TaskRequest(
            task=Task.OPTIMIZE,
            language="python",
            trace_id="warm-up",
            files=(SourceFile(path="m.py", code="def f():\n    return 1\n"),),
        )
        calls = [runner.call("python", "validate", request=request, files=request.files) for _ in range(4)]
        assert await asyncio.gather(*calls) == [[]] * 4
        assert _hook_workers() == started, "hook calls ran on the warmed-up workers, none was started"
    finally:
        runner.close()


async def test_warm_up_does_nothing_with_hooks_in_threads() -> None:
    settings = harness_plugin_settings(isolation="thread", workers=WORKERS, load_plugins=("python",))
    runner = HookRunner(load_plugin_host(settings), settings)
    try:
        await runner.warm_up()
        assert _hook_workers() == set()
    finally:
        runner.close()
