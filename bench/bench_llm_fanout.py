"""LLM fan-out benchmark (issue 4): ``uv run python bench/bench_llm_fanout.py``.

Runs the fake LLM as a separate process (so its threads do not share the GIL with the client) and
measures, through the real SDKs and ``LLMClient``:

1. fan-out of 5 calls (Azure + Bedrock paths, model distribution) against 1 s latency:
   wall time / slowest single call (goal <= 1.05);
2. the service's own overhead per call: ``LLMClient.call`` time minus a bare HTTP round trip of the
   same request to the same zero-latency fake, median over interleaved runs (goal <= 2 ms).
"""

import asyncio
import json
import statistics
import subprocess
import sys
import time

import httpx

from codeflash_engine.domain.llm import Prompt
from codeflash_engine.llm import CallContext, Family, LLMClient, LLMRequest, LLMSettings
from codeflash_engine.observability.logging import configure_logging
from codeflash_engine.settings import HTTPSettings

FANOUT_GOAL = 1.05
OVERHEAD_GOAL_MS = 2.0
ROUNDS = 5
OVERHEAD_CALLS = 200
PROMPT = Prompt(
    system="You make Python code faster." * 20, user="def f(xs):\n    return sum(x * x for x in xs)\n" * 20
)
CONTEXT = CallContext(trace_id="bench", call_type="optimize")


def start_fake(latency: float) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "codeflash_engine.testing.fake_llm", "--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("FAKE_LLM_URL="):
        process.kill()
        raise RuntimeError(f"fake LLM did not start: {line!r}")
    return process, line.removeprefix("FAKE_LLM_URL=")


def settings_for(url: str) -> LLMSettings:
    return LLMSettings(  # type: ignore[call-arg]
        _env_file=None,
        AZURE_OPENAI_API_KEY="bench-key",
        AZURE_OPENAI_ENDPOINT=url,
        AWS_ACCESS_KEY_ID="AKIABENCHBENCHBENCH0",
        AWS_SECRET_ACCESS_KEY="bench-secret",
        AWS_REGION="us-east-1",
        ANTHROPIC_BEDROCK_BASE_URL=url,
        CODEFLASH_LLM_MAX_RETRIES=0,
    )


async def fanout_ratio(url: str) -> list[tuple[float, float]]:
    client = LLMClient.from_settings(settings_for(url))
    try:
        await client.fan_out(client.plan(PROMPT, 2), CONTEXT)  # warm the connection pools
        rounds = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            result = await client.fan_out(client.plan(PROMPT, 5), CONTEXT)
            wall = time.perf_counter() - started
            assert len(result.successes) == 5, result.failures
            slowest = max(r.latency_ms for r in result.successes) / 1000
            rounds.append((wall, slowest))
        return rounds
    finally:
        await client.aclose()


async def overhead(url: str, family: Family) -> list[float]:
    client = LLMClient.from_settings(settings_for(url))
    wire_model = "gpt-5-mini" if family is Family.OPENAI else "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    if family is Family.OPENAI:
        raw_url = f"{url}/openai/deployments/{wire_model}/chat/completions?api-version=2025-04-01-preview"
        payload = {
            "model": wire_model,
            "messages": [
                {"role": "system", "content": PROMPT.system},
                {"role": "user", "content": PROMPT.user},
            ],
            "max_completion_tokens": 16384,
        }
    else:
        raw_url = f"{url}/model/{wire_model}/invoke"
        payload = {
            "system": PROMPT.system,
            "messages": [{"role": "user", "content": PROMPT.user}],
            "max_tokens": 16384,
            "anthropic_version": "bedrock-2023-05-31",
        }
    body = json.dumps(payload).encode()
    request = LLMRequest(PROMPT, family=family)
    differences = []
    async with httpx.AsyncClient() as raw:
        for _ in range(10):  # warm-up
            await client.call(request, CONTEXT)
            await raw.post(raw_url, content=body, headers={"content-type": "application/json"})
        for _ in range(OVERHEAD_CALLS):
            started = time.perf_counter()
            await client.call(request, CONTEXT)
            ours = time.perf_counter() - started
            started = time.perf_counter()
            (await raw.post(raw_url, content=body, headers={"content-type": "application/json"})).json()
            bare = time.perf_counter() - started
            differences.append((ours - bare) * 1000)
    await client.aclose()
    return differences


def main() -> None:
    # Production logging (JSON, INFO: one line per LLM call) to stderr, as the service runs;
    # send stderr elsewhere to read only the figures.
    configure_logging(HTTPSettings(CODEFLASH_ENV="production"))  # type: ignore[call-arg]
    slow, slow_url = start_fake(1.0)
    fast, fast_url = start_fake(0.0)
    try:
        rounds = asyncio.run(fanout_ratio(slow_url))
        azure = asyncio.run(overhead(fast_url, Family.OPENAI))
        bedrock = asyncio.run(overhead(fast_url, Family.CLAUDE))
    finally:
        for process in (slow, fast):
            process.terminate()
            process.wait(timeout=10)

    ratios = [wall / slowest for wall, slowest in rounds]
    ratio = statistics.median(ratios)
    print(f"fan-out of 5 calls, 1 s fake latency, {ROUNDS} rounds (Azure + Bedrock paths)")
    for wall, slowest in rounds:
        print(
            f"  wall {wall * 1000:7.1f} ms   slowest call {slowest * 1000:7.1f} ms"
            f"   ratio {wall / slowest:.4f}"
        )
    print(f"  median wall/slowest: {ratio:.4f}  (goal <= {FANOUT_GOAL}: {ratio / FANOUT_GOAL:.3f} of goal)")
    print(f"service overhead per call (LLMClient.call - bare HTTP round trip), {OVERHEAD_CALLS} calls each")
    for name, samples in (("azure", azure), ("bedrock", bedrock)):
        median = statistics.median(samples)
        p90 = statistics.quantiles(samples, n=10)[-1]
        print(
            f"  {name:8s} median {median:.2f} ms  p90 {p90:.2f} ms"
            f"  (goal median <= {OVERHEAD_GOAL_MS} ms: {median / OVERHEAD_GOAL_MS:.2f} of goal)"
        )


if __name__ == "__main__":
    main()
