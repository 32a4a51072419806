"""Schemas of the engine-level LLM tasks: rank, explain, optimization review, workflow generation."""

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from codeflash_engine.http.schemas.common import ClientRequest, TracedRequest


class RankRequest(ClientRequest):
    trace_id: str = Field(min_length=1, max_length=200)
    diffs: list[str] = Field(min_length=1, max_length=50)
    speedups: list[float | None]
    optimization_ids: list[str]
    function_references: str | None = ""

    @model_validator(mode="after")
    def _same_lengths(self) -> "RankRequest":
        if not len(self.diffs) == len(self.speedups) == len(self.optimization_ids):
            raise ValueError("diffs, speedups and optimization_ids must have the same length")
        return self


class RankResponse(BaseModel):
    ranking: list[int]


class ExplainRequest(TracedRequest):
    source_code: str
    optimized_code: str
    original_line_profiler_results: str | None = ""
    optimized_line_profiler_results: str | None = ""
    original_code_runtime: str | None = None
    optimized_code_runtime: str | None = None
    speedup: str | None = None
    annotated_tests: str | None = ""
    optimization_id: str | None = None
    original_explanation: str | None = ""
    dependency_code: str | None = ""
    original_throughput: str | None = None
    optimized_throughput: str | None = None
    throughput_improvement: str | None = None
    function_references: str | None = ""
    acceptance_reason: str | None = "runtime"
    original_concurrency_ratio: str | None = None
    optimized_concurrency_ratio: str | None = None
    concurrency_improvement: str | None = None
    language: str | None = None


class ExplainResponse(BaseModel):
    explanation: str


class OptimizationReviewRequest(TracedRequest):
    original_code: str
    optimized_code: str
    explanation: str | None = ""
    existing_tests: str | None = ""
    generated_tests: str | None = ""
    coverage_message: str | None = ""
    replay_tests: str | None = ""
    speedup: str | None = None
    loop_count: int | None = None
    benchmark_details: list[Any] | dict[str, Any] | None = None
    optimized_runtime: str | None = None
    original_runtime: str | None = None
    calling_fn_details: str | None = ""
    language: str | None = "python"
    language_version: str | None = None


class OptimizationReviewResponse(BaseModel):
    review: Literal["high", "medium", "low", ""]
    review_explanation: str


class WorkflowGenRequest(ClientRequest):
    repo_files: dict[str, str] = Field(default_factory=dict)
    directory_structure: dict[str, Any] = Field(default_factory=dict)
    codeflash_config: dict[str, Any] = Field(default_factory=dict)


class WorkflowGenResponse(BaseModel):
    workflow_steps: str
