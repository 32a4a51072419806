"""The pipeline's LLMGateway over LLMClient: replies, failures and status codes."""

import pytest

from codeflash_engine.domain.llm import Prompt
from codeflash_engine.pipeline.llm_gateway import ClientGateway
from codeflash_engine.pipeline.ports import CallInfo, LLMUnavailableError
from codeflash_engine.testing.fake_llm import FakeLLM

from .conftest import MakeClient

PROMPT = Prompt(system="sys", user="user")
CALL = CallInfo(trace_id="t-gw", call_type="optimize", endpoint="/ai/optimize")


async def test_fan_out_spreads_over_both_families(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.fail(400, times=1)
    gateway = ClientGateway(make_llm_client("azure", "bedrock", CODEFLASH_LLM_MAX_RETRIES=0))

    result = await gateway.fan_out(PROMPT, count=4, call=CALL)

    assert len(result.replies) == 3
    [failure] = result.failures
    assert failure.startswith("permanent: ")
    apis = sorted(request.api for request in codeflash_fake_llm.requests)
    assert apis == ["azure", "azure", "bedrock", "bedrock"]


@pytest.mark.parametrize(("status", "expected"), [(400, 502), (429, 503)])
async def test_every_call_failing_raises_with_the_right_status(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM, status: int, expected: int
) -> None:
    codeflash_fake_llm.fail(status, retry_after_ms=1)
    gateway = ClientGateway(make_llm_client("openai", CODEFLASH_LLM_MAX_RETRIES=0))

    with pytest.raises(LLMUnavailableError) as caught:
        await gateway.fan_out(PROMPT, count=2, call=CALL)
    assert caught.value.status_code == expected

    with pytest.raises(LLMUnavailableError) as caught:
        await gateway.complete(PROMPT, call=CALL)
    assert caught.value.status_code == expected


async def test_complete_returns_the_reply(make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM) -> None:
    codeflash_fake_llm.reply("ranked")
    gateway = ClientGateway(make_llm_client("anthropic"))

    reply = await gateway.complete(PROMPT, call=CALL)

    assert (reply.text, reply.model) == ("ranked", "claude-sonnet-5-5")
