"""The entry point: what a kept candidate carries, why candidates are dropped, request parsing."""

import json
from pathlib import Path
from typing import Any

import pytest
from codeflash_lang_python.testgen import (
    INSTRUMENTED_BEHAVIOR_TESTS,
    INSTRUMENTED_PERF_TESTS,
    RAW_GENERATED_TESTS,
    format_version,
    postprocess_tests,
)
from codeflash_lang_python.testgen import target as tg

from codeflash_engine.domain import Candidate, SourceFile, TargetFunction, Task, TaskRequest

SAMPLES = Path("/work/shared/reference/client-traffic-samples.json")
SAMPLE_REQUEST: dict[str, Any] = {
    "function_to_optimize": {"function_name": "sum_of_squares", "parents": [], "is_async": False},
    "helper_function_names": [],
    "module_path": "mypkg.slow",
    "test_module_path": "tests.test_sum_of_squares__unit_test_0",
    "test_framework": "pytest",
    "qualified_name": "sum_of_squares",
    "class_name": None,
    "is_async": False,
    "codeflash_version": "0.20.6",
}


def request(details: dict[str, Any] | None = None, target: TargetFunction | None = None) -> TaskRequest:
    return TaskRequest(
        task=Task.TESTGEN, language="python", trace_id="t", target=target, details=details or SAMPLE_REQUEST
    )


def candidate(code: str, candidate_id: str = "c1") -> Candidate:
    return Candidate(candidate_id=candidate_id, files=(SourceFile("tests/test_x.py", code),), model="m")


LLM_TESTS = (
    "def sum_of_squares(n):\n    return 0\n\n"
    "def test_small():\n    assert sum_of_squares(3) == 5\n\n"
    "def test_cut_off(:\n"
)


def test_kept_candidate_has_generated_raw_and_instrumented_tests() -> None:
    result = postprocess_tests(request(), [candidate(LLM_TESTS)])
    assert result.dropped == ()
    (kept,) = result.kept
    assert kept.candidate_id == "c1" and kept.model == "m"
    generated = kept.files[0].code
    assert generated.startswith("from mypkg.slow import sum_of_squares\n")
    assert "def sum_of_squares" not in generated and "test_cut_off" not in generated
    assert kept.artifacts[RAW_GENERATED_TESTS] == LLM_TESTS.replace("def test_cut_off(:\n", "")
    assert (
        "_codeflash_call(None, 'test_small', '0', sum_of_squares, 3)"
        in kept.artifacts[INSTRUMENTED_BEHAVIOR_TESTS]
    )
    assert "test_return_values_" in kept.artifacts[INSTRUMENTED_BEHAVIOR_TESTS]
    assert "test_return_values_" not in kept.artifacts[INSTRUMENTED_PERF_TESTS]


def test_a_large_input_built_by_a_comprehension_keeps_its_assertion() -> None:
    """Issue 14: capping this 2 000-element input broke the assertion, the client dropped the test on
    the original code, and the one test large enough to show the speedup was gone."""
    tests = (
        "def test_large():\n    data = [i % 97 for i in range(2000)] + [1234]\n"
        "    assert sum_of_squares(max(data)) == 625599129\n"
    )
    (kept,) = postprocess_tests(request(), [candidate(tests)]).kept
    assert tests in kept.files[0].code
    assert (
        "assert _codeflash_call(None, 'test_large', '1', sum_of_squares, max(data)) == 625599129"
        in kept.artifacts[INSTRUMENTED_BEHAVIOR_TESTS]
    )


def test_an_assertion_on_capped_data_becomes_a_recorded_call() -> None:
    tests = (
        "def test_huge():\n    data = [i % 97 for i in range(10**9)]\n"
        "    assert sum_of_squares(len(data)) == 333333332833333333500000000\n"
    )
    (kept,) = postprocess_tests(request(), [candidate(tests)]).kept
    generated = kept.files[0].code
    assert "range(10**9)" not in generated and "assert" not in generated
    assert "\n    sum_of_squares(len(data))\n" in generated
    assert (
        "\n    _codeflash_call(None, 'test_huge', '1', sum_of_squares, len(data))\n"
        in kept.artifacts[INSTRUMENTED_BEHAVIOR_TESTS]
    )


@pytest.mark.parametrize(
    ("code", "step"),
    [
        ("this is prose, not code (", "compile"),
        ("import pytest\n\ndef helper():\n    return 1\n", "compile"),
        ("def test_a():\n    assert other_function(1) == 1\n", "instrument"),
    ],
)
def test_unusable_candidates_are_dropped_with_their_step(code: str, step: str) -> None:
    result = postprocess_tests(request(), [candidate(code, "bad"), candidate(LLM_TESTS, "good")])
    assert [c.candidate_id for c in result.kept] == ["good"]
    assert [(d.candidate_id, d.step) for d in result.dropped] == [("bad", step)]


def test_request_without_module_path_drops_everything() -> None:
    details = {**SAMPLE_REQUEST, "module_path": ""}
    result = postprocess_tests(request(details), [candidate(LLM_TESTS)])
    assert result.kept == () and result.dropped[0].step == "request"


def test_captured_client_request_and_accepted_answer() -> None:
    """The real testgen exchange: our instrumented output of its tests uses the same call-site ids."""
    if not SAMPLES.exists():
        pytest.skip(f"{SAMPLES} not present")
    exchange = next(e for e in json.loads(SAMPLES.read_text())["exchanges"] if e["endpoint"] == "/ai/testgen")
    accepted = exchange["response_json"]
    result = postprocess_tests(request(exchange["request_json"]), [candidate(accepted["generated_tests"])])
    (kept,) = result.kept
    ours = kept.artifacts[INSTRUMENTED_BEHAVIOR_TESTS]
    for line_id in ("'0'", "'1'", "'2'", "'1_0'"):
        assert f"'sum_of_squares', {line_id}" in accepted["instrumented_behavior_tests"]
    assert "_codeflash_call(None, 'test_larger_value', '1_0', sum_of_squares, n)" in ours
    assert "_codeflash_call(None, 'test_small_values', '2', sum_of_squares, 5)" in ours


def test_target_for_a_method_and_its_helpers() -> None:
    details = {
        "function_to_optimize": {"function_name": "total", "parents": [{"name": "Acc", "type": "ClassDef"}]},
        "module_path": "pkg.acc",
        "test_module_path": "tests.test_Acc_total__unit_test_0",
        "helper_function_names": ["pkg.acc.Acc._scale", "pkg.acc.helper", "pkg.util.Cache.get", "other.fn"],
        "is_async": True,
    }
    target = tg.target_from_request(request(details))
    assert (target.qualified_name, target.class_name, target.top_level_name) == ("Acc.total", "Acc", "Acc")
    assert target.is_method and target.is_async
    assert target.module_level_imports() == {
        "Acc": "pkg.acc",
        "helper": "pkg.acc",
        "Cache": "pkg.util",
        "fn": "other",
    }


def test_target_falls_back_to_request_target() -> None:
    details = {"module_path": "pkg.mod", "test_module_path": "tests.test_f__unit_test_0"}
    target = tg.target_from_request(request(details, TargetFunction(name="f", qualified_name="f")))
    assert target.function_name == "f" and target.class_name is None


def test_target_without_a_function_name_is_an_error() -> None:
    with pytest.raises(tg.TestgenRequestError):
        tg.target_from_request(request({"module_path": "pkg.mod"}))


def test_every_known_client_version_needs_instrumented_tests() -> None:
    assert format_version.client_needs_instrumented_tests("0.20.6")
    assert format_version.client_needs_instrumented_tests(None)
    assert format_version.CLIENT_INSTRUMENTS_LOCALLY_FROM is None
