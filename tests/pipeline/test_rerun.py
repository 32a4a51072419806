"""``rerun_trace_id`` replays the replies recorded for an earlier trace instead of calling the LLM."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from codeflash_engine.http.app import create_app
from codeflash_engine.settings import Settings
from codeflash_engine.testing.fake_llm import FakeLLM
from codeflash_engine.testing.keys import issue_test_key

ORIGINAL = (
    "def total(values):\n    result = 0\n    for value in values:\n        result += value\n    return result"
)
FIRST_REPLY = "Use the builtin.\n```python:pkg/m.py\ndef total(values):\n    return sum(values)\n```"
LATER_REPLY = (
    "Use math.fsum.\n```python:pkg/m.py\nimport math\n\n\n"
    "def total(values):\n    return math.fsum(values)\n```"
)


@pytest.fixture
def codeflash_entry_points() -> bool:
    return True


@contextmanager
def running(settings: Settings) -> Iterator[TestClient]:
    """One app lifetime; leaving it drains the recorder, so its LLM calls are stored."""
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.portal is not None
        client.headers["Authorization"] = f"Bearer {client.portal.call(issue_test_key, app.state.resources)}"
        yield client


def optimize(client: TestClient, trace_id: str, rerun: str | None = None) -> list[str]:
    body = {
        "source_code": f"```python:pkg/m.py\n{ORIGINAL}\n```",
        "trace_id": trace_id,
        "language": "python",
        "n_candidates": 1,
        "call_sequence": 1,
        "rerun_trace_id": rerun,
    }
    response = client.post("/ai/optimize", json=body)
    assert response.status_code == 200, response.text
    return [candidate["source_code"] for candidate in response.json()["optimizations"]]


def test_a_rerun_gets_the_recorded_replies_without_calling_the_llm(
    codeflash_settings: Settings, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.reply(FIRST_REPLY, times=1)
    with running(codeflash_settings) as client:
        [first] = optimize(client, "trace-original")
    calls_so_far = len(codeflash_fake_llm.requests)

    codeflash_fake_llm.reply(LATER_REPLY)
    with running(codeflash_settings) as client:
        [replayed] = optimize(client, "trace-rerun", rerun="trace-original")
        [fresh] = optimize(client, "trace-fresh")

    assert "return sum(values)" in first
    assert replayed == first
    assert "math.fsum" in fresh
    assert len(codeflash_fake_llm.requests) == calls_so_far + 1


def test_a_rerun_of_an_unknown_trace_asks_the_llm(
    codeflash_settings: Settings, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.reply(FIRST_REPLY)
    with running(codeflash_settings) as client:
        [candidate] = optimize(client, "trace-new", rerun="trace-that-never-ran")
    assert "return sum(values)" in candidate
    assert len(codeflash_fake_llm.requests) == 1
