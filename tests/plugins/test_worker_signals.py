"""Hook workers outlive the stop signals that reach the whole process group, and not their server.

A signal sent to the process group (systemd's ``KillMode=control-group``, Ctrl-C) reaches the hook
workers too. They ignore SIGINT and SIGTERM, from the moment they start, so the requests the server
drains can still run their hooks; ``close`` stops them, and they exit by themselves when the
server process dies without closing them.
"""

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil

from codeflash_engine.domain import SourceFile, TaskRequest
from codeflash_engine.domain.tasks import Task
from codeflash_engine.plugins import load_plugin_host
from codeflash_engine.plugins.isolation import HookRunner
from codeflash_engine.testing.settings import harness_plugin_settings

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _hook_workers(process: psutil.Process) -> set[int]:
    return {child.pid for child in process.children() if "spawn_main" in " ".join(child.cmdline())}


def _new_hook_workers(known: set[int]) -> set[int]:
    return _hook_workers(psutil.Process()) - known


async def test_workers_ignore_stop_signals_from_their_start_and_exit_at_close() -> None:
    settings = harness_plugin_settings(isolation="process", workers=1, load_plugins=("python",))
    known = _hook_workers(psutil.Process())  # of other tests' apps, if any are still open
    runner = HookRunner(load_plugin_host(settings), settings)
    try:
        warming = asyncio.create_task(runner.warm_up())
        sent = 0
        while not warming.done():  # signals while the worker starts, before its initializer runs
            for pid in _new_hook_workers(known):
                for signum in STOP_SIGNALS:
                    os.kill(pid, signum)
                    sent += 1
            await asyncio.sleep(0.01)
        assert sent > 0
        (worker,) = _new_hook_workers(known)
        for signum in STOP_SIGNALS:
            os.kill(worker, signum)

        request = TaskRequest(
            task=Task.OPTIMIZE,
            language="python",
            trace_id="signals",
            files=(SourceFile(path="m.py", code="def f():\n    return 1\n"),),
        )
        assert await runner.call("python", "validate", request=request, files=request.files) == []
        assert _new_hook_workers(known) == {worker}, "the worker survived every signal"
    finally:
        runner.close()
    assert not psutil.pid_exists(worker) or not _alive(psutil.Process(worker))


def test_workers_exit_when_their_server_process_is_killed() -> None:
    server = textwrap.dedent(
        """
        import asyncio
        from codeflash_engine.plugins import load_plugin_host
        from codeflash_engine.plugins.isolation import HookRunner
        from codeflash_engine.testing.settings import harness_plugin_settings

        async def main():
            settings = harness_plugin_settings(isolation="process", workers=1, load_plugins=("python",))
            # Kept in a variable: a pool that is garbage-collected stops its workers.
            runner = HookRunner(load_plugin_host(settings), settings)
            await runner.warm_up()
            print("ready", flush=True)
            await asyncio.sleep(3600)

        asyncio.run(main())
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", server], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        while process.stdout.readline().strip() != "ready":
            assert process.poll() is None, "the server script failed"
        workers = [psutil.Process(pid) for pid in _hook_workers(psutil.Process(process.pid))]
        assert len(workers) == 1
    finally:
        process.kill()
        process.wait()
    deadline = time.monotonic() + 10
    try:
        while any(_alive(worker) for worker in workers):
            assert time.monotonic() < deadline, "a hook worker outlived its server"
            time.sleep(0.05)
    finally:
        for worker in filter(_alive, workers):
            worker.kill()


def _alive(process: psutil.Process) -> bool:
    # An orphan is reparented to init, which may take a moment to reap it.
    return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
