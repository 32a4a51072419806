"""Generating regression tests (testgen and testgen repair)."""

from attrs import frozen

from codeflash_engine.domain import Candidate, TaskRequest
from codeflash_engine.pipeline.candidates import generate_candidates
from codeflash_engine.pipeline.ports import CallInfo, LLMGateway, LLMUnavailableError
from codeflash_engine.plugins.isolation import HookRunner

ATTEMPTS = 2
"""A test file the plugin rejects is usually a one-off (a truncated reply); one more call fixes most."""


@frozen
class GeneratedTests:
    generated_tests: str
    raw_generated_tests: str
    instrumented_behavior_tests: str
    instrumented_perf_tests: str


def _as_tests(candidate: Candidate) -> GeneratedTests:
    generated = candidate.files[0].code
    artifacts = candidate.artifacts
    # Plugins whose client instruments locally (JS, Java) return no instrumented variants; the
    # client still reads all three keys, so they carry the validated tests.
    return GeneratedTests(
        generated_tests=generated,
        raw_generated_tests=artifacts.get("raw_generated_tests", generated),
        instrumented_behavior_tests=artifacts.get("instrumented_behavior_tests", generated),
        instrumented_perf_tests=artifacts.get("instrumented_perf_tests", generated),
    )


async def generate_tests(
    runner: HookRunner, llm: LLMGateway, request: TaskRequest, *, call: CallInfo
) -> GeneratedTests:
    reasons: list[str] = []
    for _ in range(ATTEMPTS):
        batch = await generate_candidates(runner, llm, request, count=1, call=call)
        if batch.kept:
            return _as_tests(batch.kept[0])
        reasons.extend(drop.reason for drop in batch.dropped)
    raise LLMUnavailableError("the LLM produced no usable tests: " + ("; ".join(reasons) or "no code"))
