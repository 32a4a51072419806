"""Run pipeline hooks off the event loop, in worker processes by default.

Hooks parse untrusted code with native parsers (libcst, tree-sitter); deep nesting or a huge input
can crash or hang them. In a worker process a crash kills the worker, not the server: the pool is
replaced and the request gets a clear error. Each worker loads the plugins itself, from the same
settings, so only picklable attrs values cross the process boundary.

A request can also be cancelled while its hook runs (its deadline, ``CODEFLASH_REQUEST_TIMEOUT_S``,
expired). A running hook cannot be interrupted, so the runner moves new calls to a fresh pool at
once, lets the old pool finish what it is running, and kills it if the abandoned hook is still
running when its hook timeout would have ended. Calls that were queued on a pool being replaced
never ran; they run on the new one.

A pool breaks when one of its workers dies (the OOM killer, a signal, a crash). A call that finds
the pool broken when it submits never ran: it runs on a fresh pool. A call the pool had already
taken is not retried (it may be the one that killed the worker, and would kill the next pool too):
it fails with ``PluginHookError``, a 502.

Shutdown: a signal sent to the whole process group (systemd's ``KillMode=control-group``, Ctrl-C in
a terminal) reaches the workers too. They ignore SIGINT and SIGTERM, so the requests the server is
draining can still run their hooks; ``close`` stops them after the drain, and a worker whose server
died without closing it exits by itself.
"""

import asyncio
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from enum import StrEnum
from functools import partial
from multiprocessing.process import BaseProcess
from typing import Any

import structlog

from codeflash_engine.observability.metrics import HOOK_POOLS_REPLACED
from codeflash_engine.plugins.errors import PluginHookError
from codeflash_engine.plugins.host import PluginHost, load_plugin_host
from codeflash_engine.settings import PluginSettings

logger = structlog.get_logger(__name__)

_worker_host: PluginHost | None = None

# The signals that stop the server; a hook worker outlives them (see the module docstring).
_STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})
# At shutdown idle workers exit at once; one still busy after this is killed.
_CLOSE_GRACE_S = 5.0


class Isolation(StrEnum):
    PROCESS = "process"
    THREAD = "thread"


def _init_worker(settings: PluginSettings) -> None:
    global _worker_host  # noqa: PLW0603 - one host per worker process, built once by the initializer
    _ignore_stop_signals()
    _exit_with_parent()
    _worker_host = load_plugin_host(settings)


def _ignore_stop_signals() -> None:
    # The worker was started with these signals blocked (``_stop_signals_blocked``), so one sent
    # while it started is still pending: ignoring a signal discards it, then unblocking is safe.
    for signum in _STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


def _exit_with_parent() -> None:
    """A worker that ignores SIGTERM would outlive a server killed without closing its pool."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent,), name="exit-with-server", daemon=True).start()


def _exit_when_gone(parent: BaseProcess) -> None:
    parent.join()  # returns when the parent process has ended
    os._exit(1)


@contextmanager
def _stop_signals_blocked() -> Iterator[None]:
    """Block SIGINT and SIGTERM in this thread meanwhile.

    A pool starts its workers from ``submit``, in the submitting thread, and a spawned process
    inherits that thread's signal mask: a group signal arriving while a worker starts stays pending
    until the worker ignores it, instead of killing the worker before its initializer runs. The
    server's own handlers still run: the kernel hands the signal to another thread, or to this one
    when the mask is restored.
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


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
        self._retired: dict[Executor, _RetiredPool] = {}

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
                *(asyncio.wrap_future(self._submit(executor, _worker_ready)) for _ in range(self.workers))
            )
        except Exception as exc:  # a warm-up failure must not stop the service
            logger.warning("hook workers failed to start", error=f"{type(exc).__name__}: {exc}")
            return
        logger.info("hook workers started", workers=self.workers, seconds=round(loop.time() - started, 3))

    async def call(self, language: str, hook: str, **kwargs: Any) -> Any:
        language = self.host.canonical_language(language)
        owner = self.host.for_language(language).owner.name
        if self.isolation is Isolation.THREAD:
            # A thread cannot be killed: on timeout the request is answered and the pool replaced,
            # the stuck thread finishes (or not) on its own.
            target = partial(_call_in_thread, self.host, language, hook, kwargs)
        else:
            target = partial(_call_in_worker, language, hook, kwargs)
        for attempt in (1, 2):
            executor = self._executor
            try:
                future = self._submit(executor, target)
            except BrokenProcessPool as exc:
                # A worker died before this call (killed, or crashed by another call): it never ran.
                self._replace(executor, reason="worker_died")
                if attempt == 2:
                    raise PluginHookError(owner, hook, "the fresh worker pool broke too") from exc
                continue
            try:
                return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
            except BrokenProcessPool as exc:
                self._replace(executor, reason="worker_died")
                message = "the worker process crashed while this hook was queued or running"
                raise PluginHookError(owner, hook, message) from exc
            except TimeoutError as exc:
                self._replace(executor, reason="hook_timeout")
                raise PluginHookError(owner, hook, f"did not finish within {self.timeout:g} s") from exc
            except asyncio.CancelledError:
                if _cancelling():
                    # This request is being cancelled: stop its hook if it has not started.
                    if not (future.cancel() or future.done()):
                        self._abandon(executor, future)
                    raise
                # Only the call was cancelled, while queued: its pool was replaced (another hook
                # hung or crashed). It never ran, so it runs on the new pool.
                if attempt == 2:
                    raise PluginHookError(owner, hook, "the worker pool was replaced twice") from None
        raise AssertionError("unreachable")

    def _submit(self, executor: Executor, target: Callable[[], Any]) -> Future[Any]:
        if self.isolation is Isolation.THREAD:
            return executor.submit(target)
        with _stop_signals_blocked():
            return executor.submit(target)

    def _replace(self, old: Executor, *, reason: str) -> None:
        processes = _processes(old)
        if self._executor is old:
            # -9 is SIGKILL, usually the OOM killer; a positive code, a native crash calling exit.
            exit_codes = [process.exitcode for process in processes if process.exitcode is not None]
            logger.error("replacing the hook worker pool", reason=reason, worker_exit_codes=exit_codes)
            HOOK_POOLS_REPLACED.labels(reason).inc()
            self._executor = self._new_executor()
        # A hung worker, or the survivors of a broken pool: they ignore the SIGTERM the pool sends.
        _kill(processes)
        old.shutdown(wait=False, cancel_futures=True)

    def _abandon(self, old: Executor, running: Future[Any]) -> None:
        """A cancelled request left ``running`` in ``old``: new calls go to a fresh pool now; ``old``
        finishes what it runs and is killed if ``running`` outlives the hook timeout."""
        if self._executor is old:
            logger.warning("a cancelled request left its hook running; new hook calls go to a fresh pool")
            HOOK_POOLS_REPLACED.labels("hook_abandoned").inc()
            self._executor = self._new_executor()
        retired = self._retired.get(old)
        if retired is None:
            retired = self._retired[old] = _RetiredPool(_processes(old))  # before shutdown forgets them
            old.shutdown(wait=False, cancel_futures=True)
        retired.waiting += 1
        retired.timers.append(asyncio.get_running_loop().call_later(self.timeout, self._reap, old, running))

    def _reap(self, old: Executor, running: Future[Any]) -> None:
        retired = self._retired.get(old)
        if retired is None:  # already killed
            return
        retired.waiting -= 1
        if not running.done():
            logger.error(
                "an abandoned hook is still running after the hook timeout; killing its workers",
                timeout_s=self.timeout,
            )
            retired.stop()
            del self._retired[old]
        elif retired.waiting == 0:
            del self._retired[old]

    @property
    def retired_pools(self) -> int:
        """Old pools still finishing hooks that cancelled requests left behind."""
        return len(self._retired)

    def close(self) -> None:
        """Stop every worker; the lifespan calls it after the server has drained its requests."""
        for retired in self._retired.values():
            retired.stop()
        self._retired.clear()
        processes = _processes(self._executor)
        if not processes:
            self._executor.shutdown(wait=True, cancel_futures=True)
            return
        self._executor.shutdown(wait=False, cancel_futures=True)
        # Idle workers exit at once. Killed: one still running a hook of a request the server gave
        # up on, and the survivors of a pool that broke while idle (they ignore SIGTERM).
        deadline = time.monotonic() + _CLOSE_GRACE_S
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
        _kill(processes)
        for process in processes:
            process.join()


class _RetiredPool:
    """A pool replaced because a cancelled request left a hook running in it, until that ends."""

    def __init__(self, processes: list[Any]) -> None:
        self.processes = processes
        self.timers: list[asyncio.TimerHandle] = []
        self.waiting = 0  # abandoned hooks whose hook timeout has not ended yet

    def stop(self) -> None:
        for timer in self.timers:
            timer.cancel()
        _kill(self.processes)


def _cancelling() -> bool:
    """Whether the current task is being cancelled (as opposed to an awaited future being cancelled)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def _processes(executor: Executor) -> list[Any]:
    if not isinstance(executor, ProcessPoolExecutor):
        return []
    # The executor has no public way to stop a hung worker before 3.14.
    return list((getattr(executor, "_processes", None) or {}).values())


def _kill(processes: list[Any]) -> None:
    for process in processes:
        if process.is_alive():
            process.kill()
