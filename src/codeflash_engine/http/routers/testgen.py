"""Regression tests: ``/ai/testgen``, ``/ai/testgen_repair`` and ``/ai/testgen_review``."""

import attrs
from fastapi import APIRouter, Depends

from codeflash_engine.domain import SourceFile, Task
from codeflash_engine.http.auth_deps import CurrentUser, require_auth
from codeflash_engine.http.deps import LLM, Hooks, Plugins
from codeflash_engine.http.mapping import call_info, code_files, language_of, target_of, task_request
from codeflash_engine.http.schemas.testgen import (
    TestgenRepairRequest,
    TestgenRequest,
    TestgenResponse,
    TestgenReviewRequest,
    TestgenReviewResponse,
)
from codeflash_engine.pipeline.review import review_tests
from codeflash_engine.pipeline.tests import GeneratedTests, generate_tests

router = APIRouter(prefix="/ai", tags=["testgen"], dependencies=[Depends(require_auth)])


def _response(tests: GeneratedTests) -> TestgenResponse:
    return TestgenResponse(**attrs.asdict(tests))


@router.post("/testgen")
async def testgen(
    body: TestgenRequest, plugins: Plugins, hooks: Hooks, llm: LLM, user: CurrentUser
) -> TestgenResponse:
    request = task_request(
        Task.TESTGEN,
        body,
        language=language_of(body.language, plugins),
        files=code_files(body.source_code_being_tested, "source_code_being_tested"),
        target=target_of(body.function_to_optimize),
        language_version=body.language_version,
    )
    call = call_info(body, user, call_type="testgen", endpoint="/ai/testgen")
    return _response(await generate_tests(hooks, llm, request, call=call))


@router.post("/testgen_repair")
async def testgen_repair(
    body: TestgenRepairRequest, plugins: Plugins, hooks: Hooks, llm: LLM, user: CurrentUser
) -> TestgenResponse:
    module = body.module_source_code or body.function_source_code
    request = task_request(
        Task.TESTGEN_REPAIR,
        body,
        language=language_of(body.language, plugins),
        files=(SourceFile(path=body.function_to_optimize.file_path, code=module),) if module else (),
        target=target_of(body.function_to_optimize),
        language_version=body.language_version,
    )
    call = call_info(body, user, call_type="testgen_repair", endpoint="/ai/testgen_repair")
    return _response(await generate_tests(hooks, llm, request, call=call))


@router.post("/testgen_review")
async def testgen_review(
    body: TestgenReviewRequest, plugins: Plugins, hooks: Hooks, llm: LLM, user: CurrentUser
) -> TestgenReviewResponse:
    request = task_request(
        Task.TESTGEN_REVIEW,
        body,
        language=language_of(body.language, plugins),
        files=code_files(body.function_source_code, "function_source_code")
        if body.function_source_code
        else (),
        language_version=body.language_version,
    )
    call = call_info(body, user, call_type="testgen_review", endpoint="/ai/testgen_review")
    reviews = await review_tests(
        hooks, llm, request, valid_indexes={test.test_index for test in body.tests}, call=call
    )
    return TestgenReviewResponse.model_validate({"reviews": reviews})
