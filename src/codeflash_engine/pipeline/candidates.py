"""Generating code candidates: optimize, line-profiler, JIT, refinement, repair, adaptive."""

import asyncio
import uuid
from collections.abc import Sequence

import structlog
from attrs import frozen

from codeflash_engine.domain import Candidate, DroppedCandidate, ExtractedCode, Prompt, TaskRequest
from codeflash_engine.observability.context import CandidateOutcome, note_candidates
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
    models: dict[str, str | None] = {}
    with timed("postprocess"):
        extractions: list[ExtractedCode] = await asyncio.gather(
            *(
                runner.call(request.language, "extract_code", request=request, reply=reply)
                for reply in fan_out.replies
            )
        )
    for reply, extracted in zip(fan_out.replies, extractions, strict=True):
        candidate_id = str(uuid.uuid4())
        models[candidate_id] = reply.model
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
    over_count = tuple(
        DroppedCandidate(extra.candidate_id, "limit", f"beyond the {count} candidate(s) asked for")
        for extra in result.kept[count:]
    )
    all_dropped = (*dropped, *result.dropped, *over_count)
    for drop in all_dropped:
        logger.info(
            "candidate dropped",
            trace_id=request.trace_id,
            candidate=drop.candidate_id,
            step=drop.step,
            reason=drop.reason,
        )
    kept = result.kept[:count]
    _note_outcomes(kept, all_dropped, candidates, models, privacy_mode=call.privacy_mode)
    return CandidateBatch(kept=kept, dropped=all_dropped)


def _code_text(candidate: Candidate) -> str:
    return "\n".join(f"# {file.path}\n{file.code}" if file.path else file.code for file in candidate.files)


def _note_outcomes(
    kept: Sequence[Candidate],
    dropped: Sequence[DroppedCandidate],
    extracted: Sequence[Candidate],
    models: dict[str, str | None],
    *,
    privacy_mode: bool,
) -> None:
    """Hand every candidate, kept or dropped, to the request's record (written in the background).
    Postprocessing keeps candidate ids, so a dropped one finds its model and extracted code by id."""
    by_id = {candidate.candidate_id: candidate for candidate in extracted}

    def code_of(candidate: Candidate | None) -> str | None:
        return None if privacy_mode or candidate is None else _code_text(candidate)

    outcomes = [
        CandidateOutcome(candidate.candidate_id, candidate.model, kept=True, code=code_of(candidate))
        for candidate in kept
    ]
    outcomes += [
        CandidateOutcome(
            drop.candidate_id,
            models.get(drop.candidate_id),
            kept=False,
            step=drop.step,
            reason=drop.reason,
            code=code_of(by_id.get(drop.candidate_id)),
        )
        for drop in dropped
    ]
    note_candidates(outcomes)


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
