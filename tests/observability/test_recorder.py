"""The background recorder against an in-memory sink (no database needed)."""

import asyncio
import time
from decimal import Decimal

from codeflash_engine.domain.llm import Prompt
from codeflash_engine.llm import CallContext, LLMRequest, LLMResult, LLMTransientError, Provider, TokenUsage
from codeflash_engine.llm.client import LLMCallEvent
from codeflash_engine.observability.recorder import ErrorRecord, LLMCallRecord, Recorder, llm_call_record

from .conftest import MemorySink

PROMPT = Prompt(system="secret system prompt", user="def proprietary(): ...")


def event(*, privacy: bool = False, failed: bool = False) -> LLMCallEvent:
    context = CallContext(trace_id="t-1", call_type="optimize", endpoint="/ai/optimize", privacy_mode=privacy)
    if failed:
        error = LLMTransientError("busy", upstream_status=429)
        return LLMCallEvent(context, LLMRequest(PROMPT), Provider.AZURE, "gpt-5-mini", 12.0, error=error)
    result = LLMResult(
        text="def proprietary(): return 1",
        model="gpt-5-mini",
        provider=Provider.AZURE,
        usage=TokenUsage(10, 5, 2, 0),
        cost_usd=Decimal("0.0001"),
        latency_ms=12.0,
    )
    return LLMCallEvent(context, LLMRequest(PROMPT), Provider.AZURE, "gpt-5-mini", 12.0, result=result)


def test_a_call_record_carries_usage_cost_and_text() -> None:
    record = llm_call_record(event())
    assert (record.status, record.prompt_tokens, record.cached_read_tokens) == ("ok", 10, 2)
    assert record.cost_usd == Decimal("0.0001")
    assert record.prompt == {"system": PROMPT.system, "user": PROMPT.user}
    assert record.reply == "def proprietary(): return 1"


def test_privacy_mode_keeps_no_code() -> None:
    for record in (llm_call_record(event(privacy=True)), llm_call_record(event(privacy=True, failed=True))):
        assert record.prompt is None and record.reply is None
        assert "proprietary" not in repr(record)


def test_a_failed_call_records_its_error_kind() -> None:
    record = llm_call_record(event(failed=True))
    assert (record.status, record.error) == ("rate_limited", "busy")


async def test_records_reach_the_sink(memory_sink: MemorySink) -> None:
    recorder = Recorder(memory_sink)
    recorder.start()
    recorder.on_llm_call(event())
    assert recorder.record_error("t-1", "postprocess", "boom", exc=ValueError("bad"))
    await recorder.aclose()

    call, error = memory_sink.records
    assert isinstance(call, LLMCallRecord) and isinstance(error, ErrorRecord)
    assert error.stack_trace is not None and "ValueError: bad" in error.stack_trace


async def test_a_full_queue_drops_and_counts_without_blocking(memory_sink: MemorySink) -> None:
    recorder = Recorder(memory_sink, queue_size=3)  # not started: nothing leaves the queue
    started = time.perf_counter()
    accepted = [recorder.submit(llm_call_record(event())) for _ in range(5)]
    assert time.perf_counter() - started < 0.05
    assert accepted == [True, True, True, False, False]
    assert recorder.dropped == 2


async def test_a_down_database_is_retried_and_nothing_is_lost(memory_sink: MemorySink) -> None:
    memory_sink.failures_left = 3
    recorder = Recorder(memory_sink, retry_initial_seconds=0.01)
    recorder.start()
    for _ in range(10):
        recorder.on_llm_call(event())
    await recorder.aclose()

    assert memory_sink.attempts >= 4
    assert len(memory_sink.records) == 10 and recorder.dropped == 0


async def test_shutdown_drains_everything_queued(memory_sink: MemorySink) -> None:
    memory_sink.delay = 0.01  # a slow database: most records are still queued at shutdown
    recorder = Recorder(memory_sink, batch_size=10)
    recorder.start()
    for _ in range(200):
        recorder.on_llm_call(event())
    await asyncio.sleep(0)
    assert recorder.pending > 0

    await recorder.aclose()

    assert len(memory_sink.records) == 200
    assert recorder.pending == 0 and recorder.dropped == 0
    assert not recorder.submit(llm_call_record(event()))  # closed: refused, counted
    assert recorder.dropped == 1


async def test_flush_waits_for_what_was_submitted_and_keeps_the_recorder_open(
    memory_sink: MemorySink,
) -> None:
    memory_sink.delay = 0.01
    recorder = Recorder(memory_sink, batch_size=10)
    recorder.start()
    for _ in range(30):
        recorder.on_llm_call(event())
    await recorder.flush()
    assert len(memory_sink.records) == 30 and recorder.pending == 0
    assert recorder.submit(llm_call_record(event()))
    await recorder.aclose()
    assert len(memory_sink.records) == 31


async def test_drain_gives_up_after_its_timeout(memory_sink: MemorySink) -> None:
    memory_sink.failures_left = 10**6
    recorder = Recorder(memory_sink, retry_initial_seconds=0.01, drain_timeout_seconds=0.1)
    recorder.start()
    recorder.on_llm_call(event())
    await recorder.aclose()
    assert memory_sink.records == []
