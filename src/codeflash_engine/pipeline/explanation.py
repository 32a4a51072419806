"""``/ai/explain``: the summary shown with an accepted optimization."""

from typing import Any

from codeflash_engine.pipeline.ports import CallInfo, LLMGateway
from codeflash_engine.pipeline.prompt_templates import engine_prompt

EXPLAIN_FIELDS = (
    "source_code",
    "optimized_code",
    "original_explanation",
    "original_code_runtime",
    "optimized_code_runtime",
    "speedup",
    "acceptance_reason",
    "original_line_profiler_results",
    "optimized_line_profiler_results",
    "annotated_tests",
    "dependency_code",
    "function_references",
)


def _throughput_section(details: dict[str, Any]) -> str:
    lines = [
        f"{label}: {details[key]}"
        for key, label in (
            ("original_throughput", "original throughput"),
            ("optimized_throughput", "optimized throughput"),
            ("throughput_improvement", "throughput improvement"),
            ("original_concurrency_ratio", "original concurrency ratio"),
            ("optimized_concurrency_ratio", "optimized concurrency ratio"),
            ("concurrency_improvement", "concurrency improvement"),
        )
        if details.get(key) not in (None, "")
    ]
    return "\n".join(lines) + "\n" if lines else ""


async def explain(llm: LLMGateway, details: dict[str, Any], *, call: CallInfo) -> str:
    fields = {name: details.get(name) or "(none)" for name in EXPLAIN_FIELDS}
    prompt = engine_prompt("explain", **fields, throughput_section=_throughput_section(details))
    reply = await llm.complete(prompt, call=call)
    return reply.text.strip()
