"""``/ai/optimize``, ``/ai/optimize-line-profiler`` and ``/ai/rewrite_jit``."""

from pydantic import BaseModel

from codeflash_engine.http.schemas.common import (
    CandidateCount,
    CandidateOut,
    ExperimentMetadata,
    TracedRequest,
)


class OptimizeRequest(TracedRequest):
    source_code: str
    dependency_code: str | None = ""
    language: str = "python"
    language_version: str | None = None
    experiment_metadata: ExperimentMetadata | None = None
    current_username: str | None = None
    repo_owner: str | None = None
    repo_name: str | None = None
    is_async: bool | None = False
    n_candidates: CandidateCount = 5
    is_numerical_code: bool | None = None
    rerun_trace_id: str | None = None


class LineProfilerRequest(OptimizeRequest):
    line_profiler_results: str = ""


class OptimizeResponse(BaseModel):
    optimizations: list[CandidateOut]
