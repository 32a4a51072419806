"""Generating code candidates: optimize, line-profiler, JIT, refinement, repair, adaptive."""

import asyncio
import uuid
from collections.abc import Sequence

import structlog
from attrs import frozen

from codeflash_engine.domain import Candidate, DroppedCandidate, ExtractedCode, Prompt, TaskRequest
from codeflash_engine.observability.timing import timed
from codeflash_engine.pipeline.ports import Admission, CallInfo, LLMGateway, LLMUnavailableError
from codeflash_engine.plugins.isolation import HookRunner

logger = structlog.get_logger(__name__)


@frozen
class CandidateBatch:
    kept: tuple[Candidate, ...]
    dropped: tuple[DroppedCandidate, ...]


async def generate_candidates(
    runner: HookRunner,
    llm: LLMGateway,
    request: TaskRequest,
    *,
    count: int,
    call: CallInfo,
    parent_id: str | None = None,
    admit: Admission | None = None,
) -> CandidateBatch:
    """Fan ``count`` LLM calls out on the plugin's prompt and return the postprocessed candidates.

    ``admit`` is awaited between the prompt and the first LLM call; whatever it raises ends the
    request there. Raises ``LLMUnavailableError`` when every call failed; zero surviving candidates
    is a valid result.
    """
    prompt: Prompt = await runner.call(request.language, "build_context", request=request)
    if admit is not None:
        await admit()
    fan_out = await llm.fan_out(prompt, count=count, call=call)
    if not fan_out.replies:
        reasons = "; ".join(sorted(set(fan_out.failures))) or "no reply"
        raise LLMUnavailableError(f"every LLM call failed: {reasons}")
    candidates: list[Candidate] = []
    dropped: list[DroppedCandidate] = []
    with timed("postprocess"):
        extractions: list[ExtractedCode] = await asyncio.gather(
            *(
                runner.call(request.language, "extract_code", request=request, reply=reply)
                for reply in fan_out.replies
            )
        )
    for reply, extracted in zip(fan_out.replies, extractions, strict=True):
        candidate_id = str(uuid.uuid4())
        if not extracted.files:
            reason = "; ".join(extracted.problems) or "no code in the reply"
            dropped.append(DroppedCandidate(candidate_id, "extract", reason))
            continue
        candidates.append(
            Candidate(
                candidate_id=candidate_id,
                files=extracted.files,
                explanation=extracted.explanation,
                model=reply.model,
                parent_id=parent_id,
            )
        )
    result = await postprocess(runner, request, candidates)
    all_dropped = (*dropped, *result.dropped)
    for drop in all_dropped:
        logger.info(
            "candidate dropped",
            trace_id=request.trace_id,
            candidate=drop.candidate_id,
            step=drop.step,
            reason=drop.reason,
        )
    return CandidateBatch(kept=result.kept[:count], dropped=all_dropped)


async def _postprocess_call(
    runner: HookRunner, request: TaskRequest, candidates: Sequence[Candidate]
) -> CandidateBatch:
    result = await runner.call(request.language, "postprocess", request=request, candidates=tuple(candidates))
    return CandidateBatch(kept=result.kept, dropped=result.dropped)


async def postprocess(
    runner: HookRunner, request: TaskRequest, candidates: Sequence[Candidate]
) -> CandidateBatch:
    """The plugin's ``postprocess`` over ``candidates``.

    With several hook workers, each candidate is first postprocessed on its own, in parallel, then
    the survivors together, so the plugin can drop duplicates across candidates. ``postprocess`` is
    idempotent, so the second pass only finds what needs all candidates at once, and cheaply: the
    expensive cleaning is already done.
    """
    if not candidates:
        return CandidateBatch(kept=(), dropped=())
    with timed("postprocess"):
        if len(candidates) < 2 or not runner.parallel:
            return await _postprocess_call(runner, request, candidates)
        singles = await asyncio.gather(*(_postprocess_call(runner, request, (one,)) for one in candidates))
        survivors = [kept for single in singles for kept in single.kept]
        early = tuple(drop for single in singles for drop in single.dropped)
        if len(survivors) < 2:
            return CandidateBatch(kept=tuple(survivors), dropped=early)
        final = await _postprocess_call(runner, request, survivors)
        return CandidateBatch(kept=final.kept, dropped=(*early, *final.dropped))
