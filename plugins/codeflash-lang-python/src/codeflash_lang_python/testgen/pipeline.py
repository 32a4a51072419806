"""The testgen postprocessing entry point the Python plugin calls for TESTGEN and TESTGEN_REPAIR."""

from collections.abc import Sequence

from codeflash_engine.domain import Candidate, DroppedCandidate, PostprocessResult, SourceFile, TaskRequest
from codeflash_lang_python.testgen.cleanup import CleanupError, clean_tests
from codeflash_lang_python.testgen.format_version import client_needs_instrumented_tests
from codeflash_lang_python.testgen.instrument import instrument
from codeflash_lang_python.testgen.target import TestgenRequestError, TestgenTarget, target_from_request

RAW_GENERATED_TESTS = "raw_generated_tests"
INSTRUMENTED_BEHAVIOR_TESTS = "instrumented_behavior_tests"
INSTRUMENTED_PERF_TESTS = "instrumented_perf_tests"


def _process(candidate: Candidate, target: TestgenTarget) -> Candidate:
    if not candidate.files:
        raise CleanupError("extract", "the candidate carries no test file")
    source = candidate.files[0]
    clean = clean_tests(source.code, target)
    generated = clean.module.code
    if client_needs_instrumented_tests(target.codeflash_version):
        instrumented = instrument(clean.module, target)
        if not instrumented.call_sites:
            raise CleanupError("instrument", f"the tests never call {target.qualified_name}")
        behavior, performance = instrumented.behavior, instrumented.performance
    else:
        behavior = performance = generated
    return Candidate(
        candidate_id=candidate.candidate_id,
        files=(SourceFile(path=source.path, code=generated),),
        explanation=candidate.explanation,
        model=candidate.model,
        parent_id=candidate.parent_id,
        artifacts={
            RAW_GENERATED_TESTS: clean.raw,
            INSTRUMENTED_BEHAVIOR_TESTS: behavior,
            INSTRUMENTED_PERF_TESTS: performance,
        },
    )


def postprocess_tests(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    """Clean and instrument each candidate's test module; drop the ones that cannot be used.

    Kept candidates: ``files[0].code`` is ``generated_tests``; ``artifacts`` holds
    ``raw_generated_tests``, ``instrumented_behavior_tests`` and ``instrumented_perf_tests``.
    """
    try:
        target = target_from_request(request)
    except TestgenRequestError as error:
        dropped = tuple(DroppedCandidate(c.candidate_id, "request", str(error)) for c in candidates)
        return PostprocessResult(kept=(), dropped=dropped)
    kept: list[Candidate] = []
    dropped_list: list[DroppedCandidate] = []
    for candidate in candidates:
        try:
            kept.append(_process(candidate, target))
        except CleanupError as error:
            dropped_list.append(DroppedCandidate(candidate.candidate_id, error.step, error.reason))
    return PostprocessResult(kept=tuple(kept), dropped=tuple(dropped_list))
