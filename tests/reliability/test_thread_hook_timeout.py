"""In-process plugins run their hooks in threads; a hanging one is bounded by the hook timeout too."""

import threading

import pytest

from codeflash_engine.domain import LanguageInfo
from codeflash_engine.hookspecs import PLUGIN_API_VERSION, hookimpl
from codeflash_engine.plugins.errors import PluginHookError
from codeflash_engine.plugins.isolation import HookRunner, Isolation
from codeflash_engine.testing.hosts import make_plugin_host
from codeflash_engine.testing.settings import harness_plugin_settings

RELEASE = threading.Event()


class Hanging:
    @hookimpl
    def codeflash_language_info(self) -> list[LanguageInfo]:
        return [LanguageInfo(name="hanging", api_version=PLUGIN_API_VERSION)]

    @hookimpl
    def build_context(self, request: object) -> None:
        RELEASE.wait(30)  # released at the end of the test, so the thread does not outlive it


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
