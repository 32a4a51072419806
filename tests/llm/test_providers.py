"""Each provider path through its real SDK against the fake LLM."""

from decimal import Decimal

import pytest

from codeflash_engine.domain.llm import Prompt
from codeflash_engine.llm import CallContext, Family, LLMRequest, Provider, TokenUsage
from codeflash_engine.testing.fake_llm import FakeLLM, FakeUsage, Reply

from .conftest import MakeClient

PROMPT = Prompt(system="You optimize Python.", user="def f(): return sum(range(10))")
CONTEXT = CallContext(trace_id="trace-1", call_type="optimize")


async def test_openai_path(make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM) -> None:
    codeflash_fake_llm.reply("faster code")
    client = make_llm_client("openai")

    result = await client.call(PROMPT, CONTEXT)

    assert (result.text, result.model, result.provider) == ("faster code", "gpt-5-mini", Provider.OPENAI)
    assert result.usage.completion_tokens > 0 and result.cost_usd > 0
    [request] = codeflash_fake_llm.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer fake-openai-key"
    assert request.body["messages"] == [
        {"role": "system", "content": PROMPT.system},
        {"role": "user", "content": PROMPT.user},
    ]


async def test_azure_deployment_path(make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM) -> None:
    client = make_llm_client("azure", AZURE_OPENAI_API_VERSION="2024-10-21")

    result = await client.call(PROMPT, CONTEXT)

    assert result.provider is Provider.AZURE
    [request] = codeflash_fake_llm.requests
    assert request.api == "azure"
    assert request.path == "/openai/deployments/gpt-5-mini/chat/completions"
    assert request.query == {"api-version": "2024-10-21"}
    assert request.headers["api-key"] == "fake-azure-key"


async def test_anthropic_path(make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM) -> None:
    codeflash_fake_llm.reply("claude says hi")
    client = make_llm_client("anthropic")

    result = await client.call(LLMRequest(PROMPT, family=Family.CLAUDE), CONTEXT)

    assert (result.text, result.provider) == ("claude says hi", Provider.ANTHROPIC)
    [request] = codeflash_fake_llm.requests
    assert request.path == "/v1/messages"
    assert "fake-anthropic-key" in (
        request.headers.get("x-api-key", "") + request.headers.get("authorization", "")
    ), request.headers
    assert request.model == "claude-sonnet-5-5"
    assert request.system == PROMPT.system
    assert request.user == PROMPT.user


async def test_bedrock_path_is_sigv4_signed(make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM) -> None:
    client = make_llm_client("bedrock")

    result = await client.call(LLMRequest(PROMPT, family=Family.CLAUDE), CONTEXT)

    assert result.provider is Provider.BEDROCK
    [request] = codeflash_fake_llm.requests
    assert request.path == "/model/anthropic.claude-sonnet-5-5/invoke"
    assert request.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKEFAKE/")
    assert "/us-east-1/bedrock/aws4_request" in request.headers["authorization"]
    assert "anthropic_version" in request.body
    assert "model" not in request.body


@pytest.mark.parametrize(
    ("provider", "family", "expected"),
    [
        # gpt-5-mini: 1000 x 0.25 + 2000 x 0.025 + 500 x 2.00 (cache writes are not billed apart)
        ("azure", Family.OPENAI, Decimal("0.0013")),
        # claude-sonnet-5-5: 1000 x 2 + 2000 x 0.20 + 300 x 2.50 + 500 x 10
        ("bedrock", Family.CLAUDE, Decimal("0.00815")),
    ],
)
async def test_cost_with_cached_tokens_from_the_wire(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM, provider: str, family: Family, expected: Decimal
) -> None:
    cached_write = 300 if family is Family.CLAUDE else 0
    usage = FakeUsage(
        prompt_tokens=1000, completion_tokens=500, cached_read_tokens=2000, cached_write_tokens=cached_write
    )
    codeflash_fake_llm.on(respond=Reply("ok", usage=usage))
    client = make_llm_client(provider)

    result = await client.call(LLMRequest(PROMPT, family=family), CONTEXT)

    assert result.usage == TokenUsage(1000, 500, 2000, cached_write)
    assert result.cost_usd == expected


@pytest.mark.parametrize(
    ("provider", "model", "sent"),
    [
        # Sonnet 5 and later, and OpenAI's reasoning models, answer 400 to a non-default temperature.
        ("anthropic", "claude-sonnet-5-5", False),
        ("bedrock", "claude-opus-5-5", False),
        ("openai", "gpt-5-mini", False),
        ("anthropic", "claude-haiku-4-5", True),
        ("azure", "gpt-4.1", True),
        # A Bedrock inference profile is the model it wraps, and goes on the wire as configured.
        ("bedrock", "us.anthropic.claude-sonnet-5-5", False),
        # Nothing is known about a model missing from the registry: the request goes as asked.
        ("openai", "my-local-model", True),
    ],
)
async def test_sampling_parameters_reach_only_models_that_accept_them(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM, provider: str, model: str, sent: bool
) -> None:
    client = make_llm_client(provider, CODEFLASH_LLM_CLAUDE_MODEL=model, CODEFLASH_LLM_OPENAI_MODEL=model)

    await client.call(LLMRequest(PROMPT, temperature=0.2), CONTEXT)

    [request] = codeflash_fake_llm.requests
    assert ("temperature" in request.body) is sent, request.body
    assert model in (request.model or request.path)


@pytest.mark.parametrize(("provider", "reason"), [("openai", "length"), ("anthropic", "max_tokens")])
async def test_truncated_reply_is_flagged(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM, provider: str, reason: str
) -> None:
    codeflash_fake_llm.truncated("def f(")
    client = make_llm_client(provider)

    result = await client.call(PROMPT, CONTEXT)

    assert (result.text, result.truncated, result.finish_reason) == ("def f(", True, reason)


@pytest.mark.parametrize("provider", ["azure", "bedrock"])
async def test_empty_reply(make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM, provider: str) -> None:
    codeflash_fake_llm.empty()
    client = make_llm_client(provider)

    result = await client.call(PROMPT, CONTEXT)

    assert result.text == ""
    assert result.to_reply().text == ""


async def test_client_survives_several_event_loops(make_llm_settings, codeflash_fake_llm: FakeLLM) -> None:  # type: ignore[no-untyped-def]
    """The app lifespan creates and closes a client per app; doing that repeatedly must work."""
    from codeflash_engine.llm import LLMClient

    for _ in range(3):
        client = LLMClient.from_settings(make_llm_settings("azure", "bedrock"))
        assert (await client.call(PROMPT, CONTEXT)).text
        await client.aclose()
