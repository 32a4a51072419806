"""Fan-out over the configured models: partial success and wall time."""

import asyncio

import pytest

from codeflash_engine.domain.llm import Prompt
from codeflash_engine.llm import (
    CallContext,
    Family,
    FanOutResult,
    LLMFailure,
    LLMPermanentError,
    LLMRequest,
    LLMTimeoutError,
    LLMTransientError,
    Provider,
    raise_if_all_failed,
)
from codeflash_engine.testing.fake_llm import FakeLLM

from .conftest import MakeClient

CONTEXT = CallContext(trace_id="t", call_type="optimize")


def prompt(user: str) -> Prompt:
    return Prompt(system="sys", user=user)


async def test_partial_success_keeps_every_success(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.fail(400, when="poison")
    codeflash_fake_llm.reply("good", when="fine")
    client = make_llm_client("azure", "bedrock")
    requests = [
        LLMRequest(prompt("fine 1"), family=Family.OPENAI),
        LLMRequest(prompt("poison"), family=Family.CLAUDE),
        LLMRequest(prompt("fine 2"), family=Family.CLAUDE),
    ]

    result = await client.fan_out(requests, CONTEXT)

    assert [r.text for r in result.successes] == ["good", "good"]
    assert [r.provider for r in result.successes] == [Provider.AZURE, Provider.BEDROCK]
    [failure] = result.failures
    assert failure.request is requests[1]
    assert isinstance(failure.error, LLMPermanentError)
    raise_if_all_failed(result)  # some succeeded: nothing raised


async def test_the_calls_of_a_fan_out_run_at_the_same_time(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM
) -> None:
    # Every answer takes 2 s: if the five calls were made one after another, the fake would have
    # seen one request when the first answer is due, not five.
    codeflash_fake_llm.latency = 2.0
    client = make_llm_client("azure", "bedrock")
    fan_out = asyncio.create_task(client.fan_out(client.plan(prompt("x"), 5), CONTEXT))
    for _ in range(150):
        if len(codeflash_fake_llm.requests) == 5 or fan_out.done():
            break
        await asyncio.sleep(0.01)
    assert len(codeflash_fake_llm.requests) == 5
    assert not fan_out.done()
    result = await fan_out
    assert len(result.successes) == 5


async def test_stop_waiting_at_returns_what_arrived_and_reports_the_rest_as_timeouts(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.reply("quick", when="quick")
    codeflash_fake_llm.hang(seconds=30)
    client = make_llm_client("azure", "bedrock")
    requests = [LLMRequest(prompt("slow")), LLMRequest(prompt("quick")), LLMRequest(prompt("slow too"))]
    loop = asyncio.get_running_loop()
    started = loop.time()

    result = await client.fan_out(requests, CONTEXT, stop_waiting_at=started + 0.5)

    assert 0.5 <= loop.time() - started < 5
    assert [r.text for r in result.successes] == ["quick"]
    assert [f.request for f in result.failures] == [requests[0], requests[2]]
    assert all(isinstance(f.error, LLMTimeoutError) for f in result.failures)


async def test_stop_waiting_at_keeps_waiting_while_nothing_arrived(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.reply("late", delay=1.0)
    client = make_llm_client("azure", "bedrock")
    loop = asyncio.get_running_loop()

    result = await client.fan_out(
        [LLMRequest(prompt("a")), LLMRequest(prompt("b"))], CONTEXT, stop_waiting_at=loop.time() + 0.2
    )

    assert [r.text for r in result.successes] == ["late", "late"]
    assert result.failures == ()


async def test_a_cancelled_fan_out_cancels_its_calls(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.hang(seconds=30)
    client = make_llm_client("azure", "bedrock")
    before = asyncio.all_tasks()
    fan_out = asyncio.create_task(
        client.fan_out(
            client.plan(prompt("x"), 3), CONTEXT, stop_waiting_at=asyncio.get_running_loop().time()
        )
    )
    for _ in range(300):
        if len(codeflash_fake_llm.requests) == 3:
            break
        await asyncio.sleep(0.01)
    fan_out.cancel()
    with pytest.raises(asyncio.CancelledError):
        await fan_out
    assert asyncio.all_tasks() - before - {asyncio.current_task()} == set()


async def test_an_empty_fan_out_is_an_empty_result(make_llm_client: MakeClient) -> None:
    result = await make_llm_client("azure").fan_out([], CONTEXT, stop_waiting_at=0.0)
    assert result == FanOutResult(successes=(), failures=())


async def test_plan_follows_the_distribution(make_llm_client: MakeClient) -> None:
    both = make_llm_client("azure", "bedrock", CODEFLASH_LLM_DISTRIBUTION="openai=3,claude=2")
    assert both.distribute(5) == [Family.OPENAI, Family.CLAUDE] * 2 + [Family.OPENAI]
    assert sorted(both.distribute(4)).count(Family.OPENAI) == 2  # 2.4 / 1.6 rounds to 2 / 2

    only_claude = make_llm_client("anthropic")
    assert only_claude.distribute(3) == [Family.CLAUDE] * 3


async def test_a_family_that_is_not_configured_falls_back(
    make_llm_client: MakeClient, codeflash_fake_llm: FakeLLM
) -> None:
    client = make_llm_client("azure")

    result = await client.call(LLMRequest(prompt("x"), family=Family.CLAUDE), CONTEXT)

    assert (result.provider, result.model) == (Provider.AZURE, "gpt-5-mini")


def test_raise_if_all_failed_prefers_the_permanent_error() -> None:
    transient = LLMTransientError("busy", upstream_status=429)
    permanent = LLMPermanentError("bad request", upstream_status=400)
    request = LLMRequest(prompt("x"))
    result = FanOutResult(
        successes=(), failures=(LLMFailure(request, transient), LLMFailure(request, permanent))
    )

    with pytest.raises(LLMPermanentError):
        raise_if_all_failed(result)
