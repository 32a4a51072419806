"""``/ai/testgen``, ``/ai/testgen_review`` and ``/ai/testgen_repair``."""

from typing import Any

from pydantic import BaseModel, Field

from codeflash_engine.http.schemas.common import ClientRequest, FunctionToOptimize, TracedRequest


class TestgenRequest(TracedRequest):
    source_code_being_tested: str
    function_to_optimize: FunctionToOptimize
    helper_function_names: list[str] = Field(default_factory=list)
    module_path: str = ""
    test_module_path: str = ""
    test_framework: str = "pytest"
    test_timeout: int | None = None
    test_index: int = 0
    language: str = "python"
    language_version: str | None = None
    module_system: str | None = None
    is_async: bool | None = False
    is_numerical_code: bool | None = None
    class_name: str | None = None
    qualified_name: str | None = None
    rerun_trace_id: str | None = None


class TestgenResponse(BaseModel):
    """The answer of ``/ai/testgen`` and ``/ai/testgen_repair``; the client reads the first three keys."""

    generated_tests: str
    instrumented_behavior_tests: str
    instrumented_perf_tests: str
    raw_generated_tests: str


class RepairTarget(ClientRequest):
    function_name: str
    reason: str | None = None


class TestgenRepairRequest(TracedRequest):
    test_source: str
    functions_to_repair: list[RepairTarget] = Field(default_factory=list)
    function_source_code: str = ""
    function_to_optimize: FunctionToOptimize
    helper_function_names: list[str] = Field(default_factory=list)
    module_path: str = ""
    test_module_path: str = ""
    test_framework: str = "pytest"
    test_timeout: int | None = None
    language: str = "python"
    language_version: str | None = None
    module_source_code: str | None = None
    coverage_details: dict[str, Any] | None = None
    previous_repair_errors: dict[str, str] | None = None


class ReviewedTest(ClientRequest):
    test_source: str
    test_index: int
    failed_test_functions: list[str] = Field(default_factory=list)
    failure_messages: dict[str, str] = Field(default_factory=dict)


class TestgenReviewRequest(TracedRequest):
    tests: list[ReviewedTest] = Field(max_length=50)
    function_source_code: str = ""
    function_name: str = ""
    language: str = "python"
    language_version: str | None = None
    coverage_summary: str | None = None
    coverage_details: dict[str, Any] | None = None


class FunctionReview(BaseModel):
    function_name: str
    reason: str | None = None


class TestReview(BaseModel):
    test_index: int
    functions: list[FunctionReview]


class TestgenReviewResponse(BaseModel):
    reviews: list[TestReview]
