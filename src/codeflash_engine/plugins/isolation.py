"""Run pipeline hooks off the event loop, in worker processes by default.

Hooks parse untrusted code with native parsers (libcst, tree-sitter); deep nesting or a huge input
can crash or hang them. In a worker process a crash kills the worker, not the server: the pool is
replaced and the request gets a clear error. Each worker loads the plugins itself, from the same
settings, so only picklable attrs values cross the process boundary.
"""

import asyncio
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from enum import StrEnum
from functools import partial
from typing import Any

import structlog

from codeflash_engine.plugins.errors import PluginHookError
from codeflash_engine.plugins.host import PluginHost, load_plugin_host
from codeflash_engine.settings import PluginSettings

logger = structlog.get_logger(__name__)

_worker_host: PluginHost | None = None


class Isolation(StrEnum):
    PROCESS = "process"
    THREAD = "thread"


def _init_worker(settings: PluginSettings) -> None:
    global _worker_host  # noqa: PLW0603 - one host per worker process, built once by the initializer
    _worker_host = load_plugin_host(settings)


def _call_in_worker(language: str, hook: str, kwargs: dict[str, Any]) -> Any:
    assert _worker_host is not None, "worker initializer did not run"
    return getattr(_worker_host.for_language(language), hook)(**kwargs)


def _worker_ready() -> None:
    assert _worker_host is not None, "worker initializer did not run"


def _call_in_thread(host: PluginHost, language: str, hook: str, kwargs: dict[str, Any]) -> Any:
    return getattr(host.for_language(language), hook)(**kwargs)


class HookRunner:
    """Awaitable access to ``LanguageHooks`` methods: ``await runner.call("python", "validate", ...)``."""

    def __init__(self, host: PluginHost, settings: PluginSettings) -> None:
        self.host = host
        self.settings = settings
        self.isolation = Isolation.THREAD if host.in_process else Isolation(settings.isolation)
        self.workers = settings.workers or max(1, min(4, os.cpu_count() or 1))
        self.timeout = settings.hook_timeout_seconds
        self._executor = self._new_executor()

    def _new_executor(self) -> Executor:
        if self.isolation is Isolation.THREAD:
            return ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="codeflash-hooks")
        # spawn, not fork: the server process has threads (event loop helpers, DB pool) that fork would copy
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self.settings,),
        )

    @property
    def parallel(self) -> bool:
        """Whether hook calls made at once really run at once (separate processes, not the GIL)."""
        return self.isolation is Isolation.PROCESS and self.workers > 1

    async def warm_up(self) -> None:
        """Start every worker process and load the plugins in it now, not on the first requests.

        A worker starts on first use and costs about half a second (a Python interpreter, then the
        plugins and their parsers imported); without this, the first requests after a deploy pay
        it. One call per worker submitted at once makes the pool start them all. Failures are only
        logged: the request that next uses the pool replaces it and reports the plugin's error.
        """
        if self.isolation is not Isolation.PROCESS:
            return
        loop = asyncio.get_running_loop()
        executor = self._executor
        started = loop.time()
        try:
            await asyncio.gather(
                *(loop.run_in_executor(executor, _worker_ready) for _ in range(self.workers))
            )
        except Exception as exc:  # a warm-up failure must not stop the service
            logger.warning("hook workers failed to start", error=f"{type(exc).__name__}: {exc}")
            return
        logger.info("hook workers started", workers=self.workers, seconds=round(loop.time() - started, 3))

    async def call(self, language: str, hook: str, **kwargs: Any) -> Any:
        language = self.host.canonical_language(language)
        loop = asyncio.get_running_loop()
        executor = self._executor
        owner = self.host.for_language(language).owner.name
        if self.isolation is Isolation.THREAD:
            # A thread cannot be killed: on timeout the request is answered and the pool replaced,
            # the stuck thread finishes (or not) on its own.
            target = partial(_call_in_thread, self.host, language, hook, kwargs)
        else:
            target = partial(_call_in_worker, language, hook, kwargs)
        future = loop.run_in_executor(executor, target)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except BrokenProcessPool as exc:
            self._replace(executor, kill=False)
            raise PluginHookError(owner, hook, "the worker process crashed while running this hook") from exc
        except TimeoutError as exc:
            self._replace(executor, kill=True)
            raise PluginHookError(owner, hook, f"did not finish within {self.timeout:g} s") from exc

    def _replace(self, old: Executor, *, kill: bool) -> None:
        if self._executor is old:
            logger.error("replacing the hook worker pool", reason="hung worker" if kill else "dead worker")
            self._executor = self._new_executor()
        if kill and isinstance(old, ProcessPoolExecutor):
            # A hung worker never returns; the executor has no public way to stop it before 3.14.
            for process in list(getattr(old, "_processes", {}).values()):
                process.kill()
        old.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
