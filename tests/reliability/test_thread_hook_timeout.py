"""In-process plugins run their hooks in threads; a hanging one is bounded by the hook timeout too.

A request cancelled while its hook runs (its deadline expired) leaves the hook running, since a
thread cannot be stopped: new calls go to a fresh pool at once, and a call that was queued behind
the hanging hook runs there instead of failing or waiting.
"""

import asyncio
import threading

import pytest

from codeflash_engine.domain import LanguageInfo, Prompt
from codeflash_engine.hookspecs import PLUGIN_API_VERSION, hookimpl
from codeflash_engine.plugins.errors import PluginHookError
from codeflash_engine.plugins.isolation import HookRunner, Isolation
from codeflash_engine.testing.hosts import make_plugin_host
from codeflash_engine.testing.settings import harness_plugin_settings

RELEASE = threading.Event()
QUICK = Prompt(system="", user="quick")


class Hanging:
    @hookimpl
    def codeflash_language_info(self) -> list[LanguageInfo]:
        return [LanguageInfo(name="hanging", api_version=PLUGIN_API_VERSION)]

    @hookimpl
    def build_context(self, request: object) -> Prompt:
        if request != "quick":
            RELEASE.wait(30)  # released at the end of the test, so the thread does not outlive it
        return QUICK


async def test_a_hanging_hook_in_a_thread_fails_after_the_timeout() -> None:
    settings = harness_plugin_settings(hook_timeout_seconds=0.3)
    runner = HookRunner(make_plugin_host(Hanging(), settings=settings), settings)
    assert runner.isolation is Isolation.THREAD
    try:
        with pytest.raises(PluginHookError, match=r"did not finish within 0.3 s") as raised:
            await runner.call("hanging", "build_context", request=None)
        assert raised.value.hook == "build_context"
    finally:
        RELEASE.set()
        runner.close()
    RELEASE.clear()


async def test_a_cancelled_request_leaves_the_pool_serving_and_moves_queued_calls() -> None:
    settings = harness_plugin_settings(hook_timeout_seconds=0.5, workers=1)
    runner = HookRunner(make_plugin_host(Hanging(), settings=settings), settings)
    try:
        hanging = asyncio.create_task(runner.call("hanging", "build_context", request=None))
        await asyncio.sleep(0.05)  # the one worker thread is now stuck in the hook
        queued = asyncio.create_task(runner.call("hanging", "build_context", request="quick"))
        await asyncio.sleep(0.05)
        assert not queued.done()

        hanging.cancel()  # as the request deadline does
        with pytest.raises(asyncio.CancelledError):
            await hanging
        # The queued call never ran on the stuck pool: it runs on the new one, at once.
        assert await asyncio.wait_for(queued, 0.3) == QUICK
        assert await asyncio.wait_for(runner.call("hanging", "build_context", request="quick"), 0.3) == QUICK
        assert runner.retired_pools == 1

        await asyncio.sleep(0.6)  # past the hook timeout: the old pool is let go
        assert runner.retired_pools == 0
    finally:
        RELEASE.set()
        runner.close()
    RELEASE.clear()


async def test_a_call_cancelled_before_its_hook_started_leaves_nothing_behind() -> None:
    settings = harness_plugin_settings(hook_timeout_seconds=5, workers=1)
    runner = HookRunner(make_plugin_host(Hanging(), settings=settings), settings)
    try:
        hanging = asyncio.create_task(runner.call("hanging", "build_context", request=None))
        await asyncio.sleep(0.05)
        queued = asyncio.create_task(runner.call("hanging", "build_context", request="quick"))
        await asyncio.sleep(0.05)
        queued.cancel()  # its request ended while the call waited for a worker
        with pytest.raises(asyncio.CancelledError):
            await queued
        assert runner.retired_pools == 0 and not hanging.done()  # nothing to abandon
        hanging.cancel()
        with pytest.raises(asyncio.CancelledError):
            await hanging
        assert runner.retired_pools == 1
    finally:
        RELEASE.set()
        runner.close()
    RELEASE.clear()
