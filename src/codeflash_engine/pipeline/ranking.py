"""``/ai/rank``: order correct candidates, best first."""

import re
from collections.abc import Sequence

import structlog

from codeflash_engine.pipeline.ports import CallInfo, LLMGateway, LLMUnavailableError
from codeflash_engine.pipeline.prompt_templates import engine_prompt

logger = structlog.get_logger(__name__)

_RANKING_LINE = re.compile(r"RANKING:\s*([\d,\s]+)", re.IGNORECASE)


def parse_ranking(text: str, count: int) -> list[int] | None:
    """The ranking the reply states, when it is a permutation of ``0..count-1``."""
    match = _RANKING_LINE.search(text)
    if match is None:
        return None
    ranking = [int(part) for part in re.findall(r"\d+", match.group(1))]
    return ranking if sorted(ranking) == list(range(count)) else None


def rank_by_speedup(speedups: Sequence[float | None]) -> list[int]:
    return sorted(range(len(speedups)), key=lambda index: -(speedups[index] or 0.0))


def _describe(diffs: Sequence[str], speedups: Sequence[float | None]) -> str:
    parts = []
    for index, (diff, speedup) in enumerate(zip(diffs, speedups, strict=True)):
        measured = f"{speedup:.2f}x" if speedup is not None else "unknown"
        parts.append(f'<candidate index="{index}" speedup="{measured}">\n{diff}\n</candidate>')
    return "\n\n".join(parts)


async def rank_candidates(
    llm: LLMGateway,
    diffs: Sequence[str],
    speedups: Sequence[float | None],
    function_references: str,
    *,
    call: CallInfo,
) -> list[int]:
    """Always a permutation of the candidates: the LLM's when usable, else by measured speedup."""
    if len(diffs) == 1:
        return [0]
    prompt = engine_prompt(
        "rank", candidates=_describe(diffs, speedups), function_references=function_references or "(none)"
    )
    try:
        reply = await llm.complete(prompt, call=call)
    except LLMUnavailableError as exc:
        logger.warning("ranking by speedup: the LLM is unavailable", trace_id=call.trace_id, error=str(exc))
        return rank_by_speedup(speedups)
    ranking = parse_ranking(reply.text, len(diffs))
    if ranking is None:
        logger.warning("ranking by speedup: the LLM's ranking was unusable", trace_id=call.trace_id)
        return rank_by_speedup(speedups)
    return ranking
