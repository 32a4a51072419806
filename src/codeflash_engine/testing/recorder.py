"""Record every hook call a plugin manager makes, as pytester's ``HookRecorder`` does for pytest."""

import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

import pluggy
from attrs import frozen


@frozen
class HookCall:
    """One call of a hook.

    ``plugins`` name the implementations the call could run, in the order pluggy tries them (for a
    ``firstresult`` hook the answer comes from the first that returns something), as
    ``PluginRecord.name`` does: the distribution, the module for a plugin registered in-process, or
    the ``name=`` given to ``codeflash_register``. ``result`` is what the caller got (a list for
    collect-all hooks); ``error`` the exception it raised instead. ``duration`` is in seconds.
    """

    hook: str
    plugins: tuple[str, ...]
    kwargs: Mapping[str, Any]
    result: Any
    error: BaseException | None
    duration: float

    @property
    def plugin(self) -> str | None:
        """The first implementation tried: the owner, when no generic plugin implements the hook."""
        return self.plugins[0] if self.plugins else None


class HookRecorder:
    """Collects ``HookCall`` records from every manager it is attached to, until ``close()``.

    Thread-safe: the engine runs hooks in worker threads.
    """

    def __init__(self) -> None:
        self._calls: list[HookCall] = []
        self._lock = threading.Lock()
        self._started = threading.local()
        self._undo: list[Any] = []

    def attach(self, manager: pluggy.PluginManager) -> None:
        self._undo.append(manager.add_hookcall_monitoring(self._before, self._after))

    def close(self) -> None:
        while self._undo:
            self._undo.pop()()

    def _before(
        self, hook_name: str, hook_impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, Any]
    ) -> None:
        # A stack, not a single slot: a hook implementation may itself call another hook.
        stack: list[float] = self._started.__dict__.setdefault("stack", [])
        stack.append(time.perf_counter())

    def _after(
        self,
        outcome: pluggy.Result[Any],
        hook_name: str,
        hook_impls: Sequence[pluggy.HookImpl],
        kwargs: Mapping[str, Any],
    ) -> None:
        duration = time.perf_counter() - self._started.stack.pop()
        call = HookCall(
            hook=hook_name,
            # pluggy calls the last registered implementation first
            # The loader registers plugins as "<record name>:<entry point>"; report the record name.
            plugins=tuple(impl.plugin_name.partition(":")[0] for impl in reversed(hook_impls)),
            kwargs=dict(kwargs),
            result=None if outcome.exception is not None else outcome.get_result(),
            error=outcome.exception,
            duration=duration,
        )
        with self._lock:
            self._calls.append(call)

    @property
    def calls(self) -> tuple[HookCall, ...]:
        with self._lock:
            return tuple(self._calls)

    def getcalls(self, hook: str) -> list[HookCall]:
        """The calls of ``hook``, oldest first."""
        return [call for call in self.calls if call.hook == hook]

    def assert_called(self, hook: str, **kwargs: Any) -> HookCall:
        """The last call of ``hook`` whose arguments include ``kwargs`` (compared with ``==``, or
        by attribute for the ``request`` argument: ``language="python"``, ``task=Task.TESTGEN``)."""
        for call in reversed(self.getcalls(hook)):
            if all(_matches(call.kwargs, key, value) for key, value in kwargs.items()):
                return call
        seen = [dict(call.kwargs) for call in self.getcalls(hook)]
        raise AssertionError(f"no call of {hook} matching {kwargs!r}; calls of {hook}: {seen!r}")

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()


def _matches(kwargs: Mapping[str, Any], key: str, value: Any) -> bool:
    if key in kwargs:
        return bool(kwargs[key] == value)
    request = kwargs.get("request")
    return request is not None and hasattr(request, key) and bool(getattr(request, key) == value)
