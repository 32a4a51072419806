"""Server-Timing buckets: overlapping spans count their union, not their sum."""

import asyncio
import re

from codeflash_engine.observability.timing import current_timings, start_request_timings, timed


async def test_parallel_spans_count_wall_time() -> None:
    timings = start_request_timings()

    async def call() -> None:
        with timed("llm"):
            await asyncio.sleep(0.05)

    await asyncio.gather(*(call() for _ in range(5)))
    values = dict(re.findall(r"(\w+);dur=([\d.]+)", timings.header_value()))
    assert 50 <= float(values["llm"]) < 150  # five parallel 50 ms calls: ~50 ms, not 250
    assert float(values["db"]) == 0.0


def test_timed_outside_a_request_is_a_no_op() -> None:
    assert current_timings() is None
    with timed("db"):
        pass
