"""Server-Timing, X-Trace-Id, /metrics, status mapping and log redaction, through the real app."""

import re
import uuid

import pytest

from codeflash_engine.testing.fake_llm import FakeLLM

from .conftest import MakeApp

TRACE_ID = "0f8e2a4c-1111-4222-8333-444455556666"
EXPLAIN = {
    "trace_id": TRACE_ID,
    "source_code": "# file: a.py\ndef f():\n    return sum(range(10))\n",
    "optimized_code": "# file: a.py\ndef f():\n    return 45\n",
    "speedup": "682%",
    "original_explanation": "constant folding",
}


def timings(header: str) -> dict[str, float]:
    return {name: float(ms) for name, ms in re.findall(r"(\w+);dur=([\d.]+)", header)}


def test_every_response_has_server_timing_and_ids(make_app: MakeApp) -> None:
    client = make_app()

    response = client.get("/healthcheck")

    assert set(timings(response.headers["server-timing"])) == {"llm", "postprocess", "db", "total"}
    uuid.UUID(response.headers["x-trace-id"])
    assert response.headers["x-request-id"]


def test_incoming_ids_are_echoed(make_app: MakeApp) -> None:
    client = make_app()

    response = client.get("/healthcheck", headers={"X-Trace-Id": "abc-123", "X-Request-Id": "req-9"})

    assert (response.headers["x-trace-id"], response.headers["x-request-id"]) == ("abc-123", "req-9")


def test_llm_time_and_the_body_trace_id_reach_the_headers(
    make_app: MakeApp, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.latency = 0.05
    codeflash_fake_llm.reply("It folds the sum into a constant.")
    client = make_app("azure", "bedrock")

    response = client.post("/ai/explain", json=EXPLAIN)

    assert response.status_code == 200, response.text
    assert response.headers["x-trace-id"] == TRACE_ID
    spent = timings(response.headers["server-timing"])
    assert 50 <= spent["llm"] <= spent["total"]
    assert 0 < spent["db"] < spent["total"]  # the API key check


@pytest.mark.parametrize(("status", "expected"), [(400, 502), (429, 503), (500, 503)])
def test_llm_errors_map_to_gateway_statuses(
    make_app: MakeApp, codeflash_fake_llm: FakeLLM, status: int, expected: int
) -> None:
    codeflash_fake_llm.fail(status, retry_after_ms=1)
    client = make_app("azure", CODEFLASH_LLM_MAX_RETRIES=1)

    response = client.post("/ai/explain", json=EXPLAIN)

    assert response.status_code == expected
    assert response.json()["error"]


def test_timeout_maps_to_504(make_app: MakeApp, codeflash_fake_llm: FakeLLM) -> None:
    codeflash_fake_llm.hang()
    client = make_app("bedrock", CODEFLASH_LLM_TIMEOUT=0.2, CODEFLASH_LLM_MAX_RETRIES=0)

    assert client.post("/ai/explain", json=EXPLAIN).status_code == 504


def test_no_provider_is_503_with_instructions(make_app: MakeApp) -> None:
    response = make_app().post("/ai/explain", json=EXPLAIN)

    assert response.status_code == 503
    assert response.json()["error"].startswith("no LLM provider configured: set ")


def test_metrics_endpoint_counts_requests_and_llm_calls(
    make_app: MakeApp, codeflash_fake_llm: FakeLLM
) -> None:
    client = make_app("azure")
    assert client.post("/ai/explain", json=EXPLAIN).status_code == 200

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert re.search(
        r'codeflash_http_requests_total\{method="POST",route="/ai/explain",status="200"\} [1-9]', text
    )
    assert re.search(
        r'codeflash_llm_calls_total\{call_type="explain",model="gpt-5-mini",provider="azure",status="ok"\}',
        text,
    )
    assert 'codeflash_llm_tokens_total{kind="prompt",model="gpt-5-mini",provider="azure"}' in text
    assert "codeflash_llm_cost_usd_total" in text


def test_keys_are_never_logged(
    make_app: MakeApp, codeflash_fake_llm: FakeLLM, capfd: pytest.CaptureFixture[str]
) -> None:
    # DEBUG makes the SDKs log their requests too; a key must not appear in any of it.
    client = make_app("azure", "anthropic", log_level="DEBUG")
    codeflash_fake_llm.fail(401, message="Incorrect API key provided: fake-azure-key", times=1)
    client.post("/ai/explain", json=EXPLAIN)
    client.post("/ai/explain", json=EXPLAIN)
    import structlog

    structlog.get_logger("test").info(
        "configured", azure_api_key="fake-azure-key", note="x fake-anthropic-key"
    )

    err = capfd.readouterr().err
    [llm_line, *_] = [line for line in err.splitlines() if "llm call" in line]
    assert f"trace_id={TRACE_ID}" in llm_line and "request_id=" in llm_line
    assert "fake-azure-key" not in err
    assert "fake-anthropic-key" not in err
    assert "[redacted]" in err
