"""Every LLM fault, end to end: the HTTP answer, the partial result, and what is recorded.

``/ai/optimize`` with ``n_candidates=2`` fans out one Azure and one Bedrock call to the fake LLM
(no SDK retries here; ``tests/llm/test_retries.py`` covers retries and ``Retry-After``). When one
call fails the other's candidate is returned (the best partial result); when both fail the answer
is the fault's 502/503/504. Either way each call is an ``llm_calls`` row with its status and a
request that failed is an ``optimization_errors`` row.
"""

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import pytest

from codeflash_engine.testing.fake_llm import FakeLLM

from .conftest import Service

LLM_OVERRIDES = {"CODEFLASH_LLM_TIMEOUT": 0.5}
SOURCE = "def f(x):\n    return x + 1\n"

Fault = Callable[[FakeLLM, int | None], Any]
FAULTS: dict[str, tuple[Fault, int, str]] = {
    # name: (script the fault `times` times, status when every call has it, recorded call status)
    "429-retry-after": (lambda f, n: f.fail(429, times=n, retry_after=1), 503, "rate_limited"),
    "500": (lambda f, n: f.fail(500, times=n), 503, "transient"),
    "529-overloaded": (lambda f, n: f.fail(529, times=n, message="Overloaded"), 503, "transient"),
    "timeout": (lambda f, n: f.hang(times=n, seconds=5), 504, "timeout"),
    "connection-reset": (lambda f, n: f.reset_connection(times=n), 503, "transient"),
    "malformed-json": (lambda f, n: f.malformed(times=n), 503, "transient"),
}


async def _rows(service: Service, trace_id: str) -> tuple[list[str], list[str]]:
    async with service.app.state.resources.database.connection() as conn:
        calls = await conn.fetch("SELECT status FROM llm_calls WHERE trace_id = $1", trace_id)
        errors = await conn.fetch("SELECT error_type FROM optimization_errors WHERE trace_id = $1", trace_id)
    return sorted(r["status"] for r in calls), [r["error_type"] for r in errors]


def recorded(service: Service, trace_id: str, calls: int, errors: int) -> tuple[list[str], list[str]]:
    """The rows of ``trace_id`` once the background recorder wrote the expected number."""
    assert service.client.portal is not None
    found: tuple[list[str], list[str]] = ([], [])
    for _ in range(200):
        found = service.client.portal.call(_rows, service, trace_id)
        if len(found[0]) >= calls and len(found[1]) >= errors:
            break
        service.client.portal.call(asyncio.sleep, 0.05)
    return found


def optimize(service: Service, trace_id: str) -> Any:
    body = {"trace_id": trace_id, "source_code": SOURCE, "n_candidates": 2}
    return service.client.post("/ai/optimize", json=body)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_every_call_failing_is_a_clear_gateway_error_and_recorded(
    service: Service, fresh_fake: FakeLLM, fault: str
) -> None:
    script, status, kind = FAULTS[fault]
    script(fresh_fake, None)
    trace_id = f"all-fail-{fault}"

    response = optimize(service, trace_id)

    assert response.status_code == status, response.text
    message = response.json()["error"]
    assert "azure" in message or "bedrock" in message, message  # names the provider that failed
    calls, errors = recorded(service, trace_id, calls=2, errors=1)
    assert calls == [kind, kind]
    assert errors == ["llm_unavailable"]


@pytest.mark.parametrize("fault", list(FAULTS))
def test_one_call_failing_still_returns_the_other_candidate(
    service: Service, fresh_fake: FakeLLM, fault: str
) -> None:
    script, _, kind = FAULTS[fault]
    script(fresh_fake, 1)
    trace_id = f"one-fails-{fault}"

    response = optimize(service, trace_id)

    assert response.status_code == 200, response.text
    [candidate] = response.json()["optimizations"]
    assert "return x * 2" in candidate["source_code"]
    calls, errors = recorded(service, trace_id, calls=2, errors=0)
    assert calls == sorted([kind, "ok"])
    assert errors == []


def test_empty_and_truncated_replies_give_no_candidate_but_a_200(
    service: Service, fresh_fake: FakeLLM
) -> None:
    fresh_fake.empty(times=1)
    fresh_fake.truncated("```python\ndef f(x):\n    return x +", times=1)
    trace_id = "empty-and-truncated"

    response = optimize(service, trace_id)

    assert response.status_code == 200, response.text
    assert response.json() == {"optimizations": []}
    calls, _ = recorded(service, trace_id, calls=2, errors=0)
    assert calls == ["ok", "truncated"]


def test_single_call_endpoints_map_faults_too(service: Service, fresh_fake: FakeLLM) -> None:
    body = {"trace_id": "explain-fault", "source_code": SOURCE, "optimized_code": SOURCE}
    statuses = []
    for fault, (script, _, _) in FAULTS.items():
        fresh_fake.clear()
        script(fresh_fake, None)
        response = service.client.post("/ai/explain", json=body)
        statuses.append((fault, response.status_code, bool(response.json().get("error"))))
    assert statuses == [(fault, FAULTS[fault][1], True) for fault in FAULTS]


def test_every_fanned_out_call_logs_the_request_trace_id(
    service: Service, fresh_fake: FakeLLM, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    trace_id = "fan-out-log-trace"

    assert optimize(service, trace_id).status_code == 200

    calls = [r.msg for r in caplog.records if isinstance(r.msg, dict) and r.msg.get("event") == "llm call"]
    assert len(calls) == 2
    assert [call["trace_id"] for call in calls] == [trace_id, trace_id]
