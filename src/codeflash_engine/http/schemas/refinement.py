"""``/ai/refinement`` (a JSON array body), ``/ai/code_repair`` and ``/ai/adaptive_optimize``."""

from typing import Literal

from pydantic import BaseModel, Field

from codeflash_engine.http.schemas.common import CandidateOut, ClientRequest, TracedRequest


class RefinementItem(TracedRequest):
    optimization_id: str = Field(min_length=1)
    original_source_code: str
    read_only_dependency_code: str | None = ""
    original_line_profiler_results: str | None = ""
    original_code_runtime: str | None = None
    optimized_source_code: str
    optimized_explanation: str | None = ""
    optimized_line_profiler_results: str | None = ""
    optimized_code_runtime: str | None = None
    speedup: str | None = None
    function_references: str | None = ""
    language: str = "python"
    language_version: str | None = None
    module_system: str | None = None
    rerun_trace_id: str | None = None
    additional_context_files: dict[str, str] | None = None


class RefinementResponse(BaseModel):
    refinements: list[CandidateOut]


class TestDiff(ClientRequest):
    scope: Literal["return_value", "stdout", "did_pass"] | str
    original_pass: bool | None = None
    candidate_pass: bool | None = None
    original_value: str | None = None
    candidate_value: str | None = None
    test_src_code: str | None = None
    candidate_pytest_error: str | None = None
    original_pytest_error: str | None = None


class CodeRepairRequest(TracedRequest):
    optimization_id: str = Field(min_length=1)
    original_source_code: str
    modified_source_code: str
    test_diffs: list[TestDiff] = Field(default_factory=list)
    language: str = "python"
    language_version: str | None = None
    rerun_trace_id: str | None = None


class AdaptiveCandidate(ClientRequest):
    optimization_id: str = Field(min_length=1)
    source_code: str
    explanation: str | None = ""
    source: str | None = None
    speedup: str | None = None


class AdaptiveOptimizeRequest(TracedRequest):
    original_source_code: str
    candidates: list[AdaptiveCandidate] = Field(min_length=1, max_length=50)
    language: str | None = None
    """The 0.20.6 client never sends it; the router reads the language off the code's fences."""
    language_version: str | None = None
    rerun_trace_id: str | None = None
