"""First-pass candidates: ``/ai/optimize``, ``/ai/optimize-line-profiler`` and ``/ai/rewrite_jit``."""

from fastapi import APIRouter, Depends

from codeflash_engine.domain import Task
from codeflash_engine.http.auth_deps import CurrentUser, UsageCharge, require_auth
from codeflash_engine.http.deps import LLM, Hooks, Plugins
from codeflash_engine.http.errors import APIError
from codeflash_engine.http.mapping import (
    call_info,
    code_files,
    language_of,
    rendered_candidates,
    task_request,
)
from codeflash_engine.http.schemas.optimize import LineProfilerRequest, OptimizeRequest, OptimizeResponse
from codeflash_engine.pipeline.candidates import generate_candidates
from codeflash_engine.pipeline.ports import Admission

router = APIRouter(prefix="/ai", tags=["optimize"], dependencies=[Depends(require_auth)])


async def _optimize(
    task: Task,
    endpoint: str,
    body: OptimizeRequest,
    *,
    plugins: Plugins,
    hooks: Hooks,
    llm: LLM,
    user: CurrentUser,
    charge: Admission | None = None,
) -> OptimizeResponse:
    language = language_of(body.language, plugins)
    request = task_request(
        task,
        body,
        language=language,
        files=code_files(body.source_code, "source_code"),
        dependency_code=body.dependency_code,
        language_version=body.language_version,
    )
    batch = await generate_candidates(
        hooks,
        llm,
        request,
        count=body.n_candidates,
        call=call_info(body, user, call_type=str(task), endpoint=endpoint),
        admit=charge,
    )
    tag = plugins.for_language(language).language.tag
    return OptimizeResponse(optimizations=rendered_candidates(batch.kept, tag))


@router.post("/optimize")
async def optimize(
    body: OptimizeRequest, *, plugins: Plugins, hooks: Hooks, llm: LLM, user: CurrentUser, charge: UsageCharge
) -> OptimizeResponse:
    return await _optimize(
        Task.OPTIMIZE, "/ai/optimize", body, plugins=plugins, hooks=hooks, llm=llm, user=user, charge=charge
    )


@router.post("/optimize-line-profiler")
async def optimize_line_profiler(
    body: LineProfilerRequest,
    *,
    plugins: Plugins,
    hooks: Hooks,
    llm: LLM,
    user: CurrentUser,
    charge: UsageCharge,
) -> OptimizeResponse:
    endpoint = "/ai/optimize-line-profiler"
    return await _optimize(
        Task.OPTIMIZE_LINE_PROFILER,
        endpoint,
        body,
        plugins=plugins,
        hooks=hooks,
        llm=llm,
        user=user,
        charge=charge,
    )


@router.post("/rewrite_jit")
async def rewrite_jit(
    body: OptimizeRequest, plugins: Plugins, hooks: Hooks, llm: LLM, user: CurrentUser
) -> OptimizeResponse:
    if language_of(body.language, plugins) != "python":
        raise APIError(400, "rewrite_jit rewrites numerical Python code only (numba, torch.compile, jax.jit)")
    return await _optimize(
        Task.JIT_REWRITE, "/ai/rewrite_jit", body, plugins=plugins, hooks=hooks, llm=llm, user=user
    )
