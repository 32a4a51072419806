"""Fire-and-forget recording of LLM calls, pipeline errors and ``/ai/*`` requests with their candidates.

``submit`` never blocks and never raises: records go into a bounded queue that one background task
writes to a ``RecordSink`` (PostgreSQL in production) in batches. When the queue is full a record is
dropped and counted; when the sink fails (database down) the batch is kept and retried with
backoff; ``aclose`` drains what is queued before shutdown.
"""

import asyncio
import contextlib
import traceback
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

import attrs
import structlog
from attrs import field, frozen

from codeflash_engine.llm.client import LLMCallEvent
from codeflash_engine.observability import metrics
from codeflash_engine.observability.context import CandidateOutcome, RequestFacts

logger = structlog.get_logger(__name__)


@frozen
class LLMCallRecord:
    """One row of ``llm_calls``. ``prompt``/``reply`` are ``None`` under privacy mode."""

    trace_id: str
    call_type: str
    model: str
    provider: str
    status: str
    latency_ms: float
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_read_tokens: int = 0
    cached_write_tokens: int = 0
    cost_usd: Decimal = Decimal(0)
    error: str | None = None
    prompt: Mapping[str, str] | None = None
    reply: str | None = None
    call_sequence: int | None = None
    experiment_metadata: Mapping[str, Any] | None = None
    endpoint: str | None = None
    user_id: str | None = None
    organization_id: str | None = None
    created_at: datetime = field(factory=lambda: datetime.now(UTC))


@frozen
class ErrorRecord:
    """One row of ``optimization_errors``."""

    trace_id: str
    error_type: str
    message: str
    severity: str = "error"
    stack_trace: str | None = None
    created_at: datetime = field(factory=lambda: datetime.now(UTC))


@frozen
class RequestRecord:
    """One row of ``requests`` and the ``candidates`` rows of what it produced, kept or dropped."""

    trace_id: str
    request_id: str
    endpoint: str
    status: int
    latency_ms: float
    language: str | None = None
    user_id: str | None = None
    organization_id: str | None = None
    candidates: tuple[CandidateOutcome, ...] = ()
    created_at: datetime = field(factory=lambda: datetime.now(UTC))


Record = LLMCallRecord | ErrorRecord | RequestRecord


def request_record(
    facts: RequestFacts, *, trace_id: str, request_id: str, endpoint: str, status: int, latency_ms: float
) -> RequestRecord:
    """The ``requests`` row of an answered request; no candidate code under privacy mode."""
    candidates = tuple(
        attrs.evolve(outcome, code=None) if facts.privacy_mode else outcome for outcome in facts.candidates
    )
    return RequestRecord(
        trace_id=trace_id,
        request_id=request_id,
        endpoint=endpoint,
        status=status,
        latency_ms=latency_ms,
        language=facts.language,
        user_id=facts.user_id,
        organization_id=facts.organization_id,
        candidates=candidates,
    )


class RecordSink(Protocol):
    """Where records go. ``write`` raises when it could not store the batch (it is then retried)."""

    async def write(self, records: Sequence[Record]) -> None: ...


def llm_call_record(event: LLMCallEvent) -> LLMCallRecord:
    """The ``llm_calls`` row for one call; no prompt or reply text under privacy mode."""
    context = event.context
    keep_text = not context.privacy_mode
    result = event.result
    prompt = event.request.prompt
    common: dict[str, Any] = {
        "trace_id": context.trace_id,
        "call_type": context.call_type,
        "provider": event.provider.value,
        "latency_ms": event.latency_ms,
        "prompt": {"system": prompt.system, "user": prompt.user} if keep_text else None,
        "call_sequence": context.call_sequence,
        "experiment_metadata": context.experiment_metadata,
        "endpoint": context.endpoint,
        "user_id": context.user_id,
        "organization_id": context.organization_id,
    }
    if result is None:
        error = event.error
        return LLMCallRecord(
            model=event.model,
            status=error.kind if error else "error",
            error=error.message if error else None,
            **common,
        )
    usage = result.usage
    return LLMCallRecord(
        model=result.model,
        status="truncated" if result.truncated else "ok",
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        cached_read_tokens=usage.cached_read_tokens,
        cached_write_tokens=usage.cached_write_tokens,
        cost_usd=result.cost_usd,
        reply=result.text if keep_text else None,
        **common,
    )


class Recorder:
    """The background writer. Create it in the lifespan, ``start()`` it, ``aclose()`` at shutdown.

    It is also an ``LLMClient`` observer: every call becomes an ``llm_calls`` record.
    """

    def __init__(
        self,
        sink: RecordSink,
        *,
        queue_size: int = 10_000,
        batch_size: int = 200,
        retry_initial_seconds: float = 0.5,
        retry_max_seconds: float = 30.0,
        drain_timeout_seconds: float = 10.0,
    ) -> None:
        self._sink = sink
        self._queue: asyncio.Queue[Record] = asyncio.Queue(maxsize=queue_size)
        self._batch_size = batch_size
        self._retry_initial = retry_initial_seconds
        self._retry_max = retry_max_seconds
        self._drain_timeout = drain_timeout_seconds
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self.dropped = 0
        self.written = 0

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    def start(self) -> None:
        """Start the writer task on the running loop."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="codeflash-recorder")

    def submit(self, record: Record) -> bool:
        """Queue ``record``; ``False`` when it was dropped (queue full, or shutting down)."""
        if self._closed:
            self._drop("recorder is closed")
            return False
        try:
            self._queue.put_nowait(record)
        except asyncio.QueueFull:
            self._drop("recording queue is full")
            return False
        metrics.RECORDER_QUEUE.set(self._queue.qsize())
        return True

    def on_llm_call(self, event: LLMCallEvent) -> None:
        self.submit(llm_call_record(event))

    def record_error(
        self,
        trace_id: str,
        error_type: str,
        message: str,
        *,
        severity: str = "error",
        exc: BaseException | None = None,
    ) -> bool:
        """Queue an ``optimization_errors`` row; ``exc`` supplies the stack trace."""
        stack = "".join(traceback.format_exception(exc)) if exc is not None else None
        metrics.ERRORS.labels(error_type).inc()
        return self.submit(ErrorRecord(trace_id, error_type, message, severity=severity, stack_trace=stack))

    def _drop(self, reason: str) -> None:
        self.dropped += 1
        metrics.RECORDS_DROPPED.inc()
        # One line per power of two keeps a flood of drops from flooding the log too.
        if self.dropped & (self.dropped - 1) == 0:
            logger.warning("record dropped", reason=reason, dropped_total=self.dropped)

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self._batch_size and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            await self._write_with_retry(batch)
            for _ in batch:
                self._queue.task_done()
            metrics.RECORDER_QUEUE.set(self._queue.qsize())

    async def _write_with_retry(self, batch: list[Record]) -> None:
        delay = self._retry_initial
        while True:
            try:
                await self._sink.write(batch)
            except Exception as exc:
                logger.warning(
                    "recording failed; retrying", records=len(batch), retry_in_s=delay, error=repr(exc)
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._retry_max)
            else:
                self.written += len(batch)
                return

    async def flush(self) -> None:
        """Wait until every record submitted so far has been written (the recorder must be started;
        for tests, which read what an app recorded right after a request)."""
        await self._queue.join()

    async def aclose(self) -> None:
        """Stop accepting records and write what is queued (up to the drain timeout)."""
        self._closed = True
        task = self._task
        if task is None:
            return
        try:
            await asyncio.wait_for(self._queue.join(), timeout=self._drain_timeout)
        except TimeoutError:
            lost = self._queue.qsize()
            self.dropped += lost
            metrics.RECORDS_DROPPED.inc(lost)
            logger.error("recorder could not drain before shutdown", lost=lost)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        self._task = None
