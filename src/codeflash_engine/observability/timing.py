"""Per-request wall-clock buckets for the ``Server-Timing`` header.

The middleware puts a ``RequestTimings`` in a context variable; code anywhere below it wraps work
in ``timed("llm")`` / ``timed("db")`` / ``timed("postprocess")``. Overlapping spans of one bucket
(a fan-out's parallel calls) count their union, so ``llm`` is the wall time spent waiting on
models, never more than ``total``.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

BUCKETS = ("llm", "postprocess", "db")


class RequestTimings:
    """Accumulates milliseconds per bucket for one request (single event loop, no locking)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self._totals: dict[str, float] = dict.fromkeys(BUCKETS, 0.0)
        self._active: dict[str, int] = {}
        self._opened_at: dict[str, float] = {}

    def enter(self, bucket: str) -> None:
        depth = self._active.get(bucket, 0)
        if depth == 0:
            self._opened_at[bucket] = time.perf_counter()
        self._active[bucket] = depth + 1

    def exit(self, bucket: str) -> None:
        depth = self._active[bucket] - 1
        self._active[bucket] = depth
        if depth == 0:
            elapsed = time.perf_counter() - self._opened_at.pop(bucket)
            self._totals[bucket] = self._totals.get(bucket, 0.0) + elapsed * 1000

    def header_value(self) -> str:
        total = (time.perf_counter() - self.started) * 1000
        parts = [f"{name};dur={ms:.1f}" for name, ms in self._totals.items()]
        return ", ".join([*parts, f"total;dur={total:.1f}"])


_current: ContextVar[RequestTimings | None] = ContextVar("codeflash_request_timings", default=None)


def current_timings() -> RequestTimings | None:
    return _current.get()


def start_request_timings() -> RequestTimings:
    timings = RequestTimings()
    _current.set(timings)
    return timings


@contextmanager
def timed(bucket: str) -> Iterator[None]:
    """Count the enclosed wall time into ``bucket`` of the current request (no-op outside one)."""
    timings = _current.get()
    if timings is None:
        yield
        return
    timings.enter(bucket)
    try:
        yield
    finally:
        timings.exit(bucket)
