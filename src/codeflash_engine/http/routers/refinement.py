"""Candidates derived from earlier ones: refinement, code repair and adaptive optimization."""

import asyncio
import re

from fastapi import APIRouter, Body, Depends

from codeflash_engine.domain import Task
from codeflash_engine.http.auth_deps import CurrentUser, require_auth
from codeflash_engine.http.deps import LLM, Hooks, Plugins
from codeflash_engine.http.errors import APIError
from codeflash_engine.http.mapping import (
    call_info,
    code_files,
    language_of,
    rendered_candidates,
    task_request,
)
from codeflash_engine.http.schemas.common import CandidateOut
from codeflash_engine.http.schemas.refinement import (
    AdaptiveCandidate,
    AdaptiveOptimizeRequest,
    CodeRepairRequest,
    RefinementItem,
    RefinementResponse,
)
from codeflash_engine.pipeline.candidates import CandidateBatch, generate_candidates
from codeflash_engine.pipeline.ports import LLMUnavailableError

router = APIRouter(prefix="/ai", tags=["refinement"], dependencies=[Depends(require_auth)])

_GAIN = re.compile(r"(-?\d+(?:\.\d+)?)\s*%")

MAX_REFINEMENT_ITEMS = 10


async def _refine_one(
    item: RefinementItem, plugins: Plugins, hooks: Hooks, llm: LLM, user: CurrentUser
) -> CandidateBatch:
    language = language_of(item.language, plugins)
    request = task_request(
        Task.REFINE,
        item,
        language=language,
        files=code_files(item.original_source_code, "original_source_code"),
        dependency_code=item.read_only_dependency_code,
        language_version=item.language_version,
    )
    call = call_info(item, user, call_type="refine", endpoint="/ai/refinement")
    return await generate_candidates(hooks, llm, request, count=1, call=call, parent_id=item.optimization_id)


@router.post("/refinement")
async def refinement(
    plugins: Plugins,
    hooks: Hooks,
    llm: LLM,
    user: CurrentUser,
    items: list[RefinementItem] = Body(max_length=MAX_REFINEMENT_ITEMS),  # noqa: B008 - FastAPI's idiom
) -> RefinementResponse:
    """One refined candidate per item at most; items whose LLM calls all failed contribute nothing."""
    outcomes = await asyncio.gather(
        *(_refine_one(item, plugins, hooks, llm, user) for item in items), return_exceptions=True
    )
    refined: list[CandidateOut] = []
    failures = []
    for item, outcome in zip(items, outcomes, strict=True):
        if isinstance(outcome, LLMUnavailableError):
            failures.append(outcome)
            continue
        if isinstance(outcome, BaseException):
            raise outcome
        tag = plugins.for_language(language_of(item.language, plugins)).language.tag
        refined.extend(rendered_candidates(outcome.kept[:1], tag))
    if items and len(failures) == len(items):
        raise failures[0]
    return RefinementResponse(refinements=refined)


def _best_candidate_id(candidates: list[AdaptiveCandidate]) -> str:
    """The new candidate builds on the fastest earlier one (the client only accepts parents it knows)."""

    def gain(candidate: AdaptiveCandidate) -> float:
        match = _GAIN.search(candidate.speedup or "")
        return float(match.group(1)) if match else float("-inf")

    return max(reversed(candidates), key=gain).optimization_id


def _single(batch: CandidateBatch, tag: str, what: str) -> CandidateOut:
    rendered = rendered_candidates(batch.kept[:1], tag)
    if not rendered:
        reasons = "; ".join(drop.reason for drop in batch.dropped) or "no usable code"
        raise APIError(502, f"the LLM produced no valid {what}: {reasons}")
    return rendered[0]


@router.post("/code_repair")
async def code_repair(
    body: CodeRepairRequest, plugins: Plugins, hooks: Hooks, llm: LLM, user: CurrentUser
) -> CandidateOut:
    language = language_of(body.language, plugins)
    request = task_request(
        Task.CODE_REPAIR,
        body,
        language=language,
        files=code_files(body.original_source_code, "original_source_code"),
        language_version=body.language_version,
    )
    call = call_info(body, user, call_type="code_repair", endpoint="/ai/code_repair")
    batch = await generate_candidates(hooks, llm, request, count=1, call=call, parent_id=body.optimization_id)
    return _single(batch, plugins.for_language(language).language.tag, "repair")


@router.post("/adaptive_optimize")
async def adaptive_optimize(
    body: AdaptiveOptimizeRequest, plugins: Plugins, hooks: Hooks, llm: LLM, user: CurrentUser
) -> CandidateOut:
    language = language_of(body.language, plugins, markdown=body.original_source_code)
    request = task_request(
        Task.ADAPTIVE_OPTIMIZE,
        body,
        language=language,
        files=code_files(body.original_source_code, "original_source_code"),
        language_version=body.language_version,
    )
    call = call_info(body, user, call_type="adaptive_optimize", endpoint="/ai/adaptive_optimize")
    parent = _best_candidate_id(body.candidates)
    batch = await generate_candidates(hooks, llm, request, count=1, call=call, parent_id=parent)
    return _single(batch, plugins.for_language(language).language.tag, "candidate")
