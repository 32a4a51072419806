"""Retries, error classification and timeouts, through the real SDKs against the fake LLM."""

import time

import pytest

from codeflash_engine.domain.llm import Prompt
from codeflash_engine.llm import (
    CallContext,
    LLMContextLengthError,
    LLMNotConfiguredError,
    LLMPermanentError,
    LLMTimeoutError,
    LLMTransientError,
)
from codeflash_engine.testing.fake_llm import FakeLLM

from .conftest import MakeClient

PROMPT = Prompt(system="sys", user="user")
CONTEXT = CallContext(trace_id="t", call_type="optimize")
ALL_PROVIDERS = ["openai", "azure", "anthropic", "bedrock"]


@pytest.mark.parametrize("provider", ALL_PROVIDERS)
async def test_429_with_retry_after_then_success(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM, provider: str
) -> None:
    codeflash_fake_llm.fail(429, times=2, retry_after_ms=10)
    client = make_llm_client(provider, CODEFLASH_LLM_MAX_RETRIES=2)

    started = time.perf_counter()
    result = await client.call(PROMPT, CONTEXT)

    assert result.text
    assert len(codeflash_fake_llm.requests) == 3
    # The SDK waited the 10 ms the server asked for, not its default backoff of 0.5 s and more.
    assert time.perf_counter() - started < 0.4


@pytest.mark.parametrize("provider", ALL_PROVIDERS)
async def test_400_is_permanent_and_never_retried(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM, provider: str
) -> None:
    codeflash_fake_llm.fail(400, message="Unsupported parameter: 'foo'")
    client = make_llm_client(provider, CODEFLASH_LLM_MAX_RETRIES=3)

    with pytest.raises(LLMPermanentError) as caught:
        await client.call(PROMPT, CONTEXT)

    assert len(codeflash_fake_llm.requests) == 1
    assert caught.value.status_code == 502 and not caught.value.transient
    assert caught.value.upstream_status == 400
    assert "Unsupported parameter" in caught.value.message


@pytest.mark.parametrize("provider", ["azure", "bedrock"])
async def test_context_length_is_its_own_permanent_error(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM, provider: str
) -> None:
    codeflash_fake_llm.fail(400, message="prompt is too long: 250000 tokens > 200000 maximum")
    client = make_llm_client(provider)

    with pytest.raises(LLMContextLengthError):
        await client.call(PROMPT, CONTEXT)
    assert len(codeflash_fake_llm.requests) == 1


@pytest.mark.parametrize("status", [500, 503, 529])
async def test_exhausted_server_errors_are_transient_503(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM, status: int
) -> None:
    codeflash_fake_llm.fail(status, retry_after_ms=1)
    client = make_llm_client("anthropic", CODEFLASH_LLM_MAX_RETRIES=2)

    with pytest.raises(LLMTransientError) as caught:
        await client.call(PROMPT, CONTEXT)

    assert len(codeflash_fake_llm.requests) == 3
    assert caught.value.status_code == 503 and caught.value.transient


async def test_timeout_is_504(make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM) -> None:
    codeflash_fake_llm.hang()
    client = make_llm_client("azure", CODEFLASH_LLM_TIMEOUT=0.3, CODEFLASH_LLM_MAX_RETRIES=0)

    started = time.perf_counter()
    with pytest.raises(LLMTimeoutError) as caught:
        await client.call(PROMPT, CONTEXT)

    assert 0.3 <= time.perf_counter() - started < 1.5
    assert caught.value.status_code == 504


async def test_timeout_is_retried_then_succeeds(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.hang(times=1)
    client = make_llm_client("bedrock", CODEFLASH_LLM_TIMEOUT=0.3, CODEFLASH_LLM_MAX_RETRIES=1)

    assert (await client.call(PROMPT, CONTEXT)).text
    assert len(codeflash_fake_llm.requests) == 2


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
async def test_connection_reset_is_transient(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM, provider: str
) -> None:
    codeflash_fake_llm.reset_connection()
    client = make_llm_client(provider, CODEFLASH_LLM_MAX_RETRIES=0)

    with pytest.raises(LLMTransientError) as caught:
        await client.call(PROMPT, CONTEXT)
    assert caught.value.kind == "transient"


@pytest.mark.parametrize("provider", ["azure", "bedrock"])
async def test_malformed_json_is_transient(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM, provider: str
) -> None:
    codeflash_fake_llm.malformed()
    client = make_llm_client(provider, CODEFLASH_LLM_MAX_RETRIES=0)

    with pytest.raises(LLMTransientError):
        await client.call(PROMPT, CONTEXT)


async def test_retries_are_configured_per_call_type(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.fail(429, retry_after_ms=1)
    client = make_llm_client(
        "openai", CODEFLASH_LLM_MAX_RETRIES=2, CODEFLASH_LLM_MAX_RETRIES_BY_CALL_TYPE="rank=0"
    )

    with pytest.raises(LLMTransientError) as caught:
        await client.call(PROMPT, CallContext(trace_id="t", call_type="rank"))
    assert len(codeflash_fake_llm.requests) == 1
    assert caught.value.kind == "rate_limited"

    with pytest.raises(LLMTransientError):
        await client.call(PROMPT, CONTEXT)
    assert len(codeflash_fake_llm.requests) == 1 + 3


async def test_no_provider_configured_is_503(make_llm_client: MakeClient) -> None:
    client = make_llm_client()

    with pytest.raises(LLMNotConfiguredError) as caught:
        await client.call(PROMPT, CONTEXT)
    assert caught.value.status_code == 503
    assert caught.value.message.startswith("no LLM provider configured: set ")
