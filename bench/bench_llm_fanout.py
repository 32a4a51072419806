"""LLM fan-out benchmark (issue 4): ``uv run python bench/bench_llm_fanout.py``.

Runs the fake LLM as a separate process (so its threads do not share the GIL with the client) and
measures, through the real SDKs and ``LLMClient``:

1. fan-out of 5 calls (Azure + Bedrock paths, model distribution) against 1 s latency:
   wall time / slowest single call (goal <= 1.05);
2. the service's own overhead per call: ``LLMClient.call`` time minus a bare HTTP round trip of the
   same request to the same zero-latency fake, median over interleaved runs (goal <= 2 ms), and the
   engine layer's share of it (``LLMClient.call`` minus the SDK adapter's call alone).
"""

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

import httpx

from codeflash_engine.domain.llm import Prompt
from codeflash_engine.llm import CallContext, Family, LLMClient, LLMRequest, LLMSettings
from codeflash_engine.observability.logging import configure_logging
from codeflash_engine.observability.metrics import MetricsObserver
from codeflash_engine.observability.recorder import Record, Recorder
from codeflash_engine.settings import HTTPSettings

FANOUT_GOAL = 1.05
OVERHEAD_GOAL_MS = 2.0
ROUNDS = 5
OVERHEAD_CALLS = 200
PROMPT = Prompt(
    system="You make Python code faster." * 20, user="def f(xs):\n    return sum(x * x for x in xs)\n" * 20
)
CONTEXT = CallContext(trace_id="bench", call_type="optimize")


def start_fake(latency: float, reply: str | None = None) -> tuple[subprocess.Popen[str], str]:
    reply_args = [] if reply is None else ["--reply", reply]
    process = subprocess.Popen(
        [sys.executable, "-m", "codeflash_engine.testing.fake_llm", "--latency", str(latency), *reply_args],
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


class DiscardSink:
    """Stands in for PostgreSQL: the bench measures the request path, which only queues records."""

    async def write(self, records: Sequence[Record]) -> None:
        del records


def production_client(url: str) -> tuple[LLMClient, Recorder]:
    """The client as the app builds it: metrics and the recorder observe every call."""
    recorder = Recorder(DiscardSink())
    recorder.start()
    client = LLMClient.from_settings(settings_for(url), observers=[MetricsObserver(), recorder])
    return client, recorder


async def fanout_ratio(url: str) -> list[tuple[float, float]]:
    client, recorder = production_client(url)
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
        await recorder.aclose()


async def overhead(url: str, family: Family) -> tuple[list[float], list[float]]:
    client, recorder = production_client(url)
    wire_model = "gpt-5-mini" if family is Family.OPENAI else "anthropic.claude-sonnet-5-5"
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
    provider = client._providers[family]  # the SDK adapter alone, to split engine from SDK time
    service, engine = [], []
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
            started = time.perf_counter()
            await provider.complete(
                model=wire_model,
                prompt=PROMPT,
                max_output_tokens=16384,
                temperature=None,
                timeout_seconds=120,
                max_retries=0,
            )
            sdk = time.perf_counter() - started
            service.append((ours - bare) * 1000)
            engine.append((ours - sdk) * 1000)
    await client.aclose()
    await recorder.aclose()
    return service, engine


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
    for name, (service, engine) in (("azure", azure), ("bedrock", bedrock)):
        median = statistics.median(service)
        p90 = statistics.quantiles(service, n=10)[-1]
        print(
            f"  {name:8s} median {median:.2f} ms  p90 {p90:.2f} ms"
            f"  (goal median <= {OVERHEAD_GOAL_MS} ms: {median / OVERHEAD_GOAL_MS:.2f} of goal)"
            f"  of which engine layer (LLMClient.call - SDK call) median {statistics.median(engine):.2f} ms"
        )


if __name__ == "__main__":
    main()
