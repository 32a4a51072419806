"""Engine-level LLM tasks: rank, explain, optimization review and workflow generation."""

from fastapi import APIRouter, Depends

from codeflash_engine.http.auth_deps import CurrentUser, require_auth
from codeflash_engine.http.deps import LLM
from codeflash_engine.http.mapping import call_info
from codeflash_engine.http.schemas.insights import (
    ExplainRequest,
    ExplainResponse,
    OptimizationReviewRequest,
    OptimizationReviewResponse,
    RankRequest,
    RankResponse,
    WorkflowGenRequest,
    WorkflowGenResponse,
)
from codeflash_engine.pipeline.explanation import explain
from codeflash_engine.pipeline.ranking import rank_candidates
from codeflash_engine.pipeline.review import review_optimization
from codeflash_engine.pipeline.workflow import generate_workflow_steps

router = APIRouter(prefix="/ai", tags=["insights"], dependencies=[Depends(require_auth)])


@router.post("/rank")
async def rank(body: RankRequest, llm: LLM, user: CurrentUser) -> RankResponse:
    call = call_info(body, user, call_type="rank", endpoint="/ai/rank")
    ranking = await rank_candidates(llm, body.diffs, body.speedups, body.function_references or "", call=call)
    return RankResponse(ranking=ranking)


@router.post("/explain")
async def explain_optimization(body: ExplainRequest, llm: LLM, user: CurrentUser) -> ExplainResponse:
    call = call_info(body, user, call_type="explain", endpoint="/ai/explain")
    return ExplainResponse(explanation=await explain(llm, body.model_dump(), call=call))


@router.post("/optimization_review")
async def optimization_review(
    body: OptimizationReviewRequest, llm: LLM, user: CurrentUser
) -> OptimizationReviewResponse:
    call = call_info(body, user, call_type="optimization_review", endpoint="/ai/optimization_review")
    review = await review_optimization(llm, body.model_dump(), call=call)
    return OptimizationReviewResponse(review=review.review, review_explanation=review.explanation)  # type: ignore[arg-type]


@router.post("/workflow-gen")
async def workflow_gen(body: WorkflowGenRequest, llm: LLM, user: CurrentUser) -> WorkflowGenResponse:
    call = call_info(body, user, call_type="workflow_gen", endpoint="/ai/workflow-gen")
    steps = await generate_workflow_steps(
        llm, body.repo_files, body.directory_structure, body.codeflash_config, call=call
    )
    return WorkflowGenResponse(workflow_steps=steps)
