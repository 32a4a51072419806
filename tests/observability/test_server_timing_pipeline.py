"""A real /ai/optimize through the Python plugin fills every Server-Timing bucket."""

import re
import uuid
from collections.abc import Sequence

import httpx
import pytest
from codeflash_lang_python import plugin

from codeflash_engine.testing.fake_llm import FakeLLM

SOURCE = (
    "def sum_of_squares(numbers):\n"
    "    total = 0\n"
    "    for n in numbers:\n"
    "        total += n ** 2\n"
    "    return total\n"
)
OPTIMIZED = "def sum_of_squares(numbers):\n    return sum(n * n for n in numbers)\n"


@pytest.fixture
def codeflash_plugins() -> Sequence[object]:
    return (plugin,)


async def test_optimize_reports_llm_db_and_postprocess_time(
    codeflash_client: httpx.AsyncClient, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.latency = 0.02
    codeflash_fake_llm.reply(f"Faster:\n```python:pkg/squares.py\n{OPTIMIZED}```\n")
    trace_id = str(uuid.uuid4())

    response = await codeflash_client.post(
        "/ai/optimize",
        json={
            "trace_id": trace_id,
            "language": "python",
            "source_code": f"```python:pkg/squares.py\n{SOURCE}```",
            "n_candidates": 2,
        },
    )

    assert response.status_code == 200, response.text
    assert response.headers["x-trace-id"] == trace_id
    spent = {k: float(v) for k, v in re.findall(r"(\w+);dur=([\d.]+)", response.headers["server-timing"])}
    assert spent["llm"] >= 20 and spent["db"] > 0 and spent["postprocess"] > 0
    assert spent["llm"] + spent["postprocess"] <= spent["total"]
