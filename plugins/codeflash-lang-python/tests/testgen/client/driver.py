"""Runs inside an isolated environment with the released codeflash client installed (never imported by
the project's own tests). For each case it does what the client does with a testgen answer: substitute
the run tmp dir, write the instrumented files, run them with the client's pytest plugin and parse the
results with the client's parser; then it swaps in candidate sources and compares, as the client does
when it verifies an optimization. Prints one JSON document on the last stdout line.

Usage: python driver.py spec.json
"""

import json
import sys
from pathlib import Path
from typing import Any

from codeflash.code_utils.code_utils import get_run_tmp_file
from codeflash.code_utils.instrument_existing_tests import add_async_decorator_to_function
from codeflash.code_utils.shell_utils import make_env_with_project_root
from codeflash.discovery.functions_to_optimize import FunctionToOptimize
from codeflash.languages.python.support import PythonSupport
from codeflash.models.models import FunctionParent, TestFile, TestFiles, TestingMode, TestType
from codeflash.verification.equivalence import compare_test_results
from codeflash.verification.parse_test_output import parse_test_results
from codeflash.verification.verification_utils import TestConfig

SUPPORT = PythonSupport()


def _env(project: Path, iteration: int) -> dict[str, str]:
    env = make_env_with_project_root(project)
    env.update(
        CODEFLASH_TEST_ITERATION=str(iteration), CODEFLASH_LOOP_INDEX="0", CODEFLASH_TRACER_DISABLE="1"
    )
    env["PYTHONHASHSEED"] = "0"
    return env


def _summary(results: Any) -> list[dict[str, Any]]:
    return [
        {
            "module": r.id.test_module_path,
            "test_class": r.id.test_class_name,
            "test": r.id.test_function_name,
            "function": r.id.function_getting_tested,
            "iteration_id": r.id.iteration_id,
            "loop_index": r.loop_index,
            "did_pass": r.did_pass,
            "runtime": r.runtime,
            "return_value": repr(r.return_value),
            "test_type": r.test_type.name,
            "verification_type": str(getattr(r.verification_type, "value", r.verification_type)),
        }
        for r in results
    ]


def _function(case: dict[str, Any], project: Path) -> FunctionToOptimize:
    parents = [FunctionParent(name, "ClassDef") for name in case["qualified_name"].split(".")[:-1]]
    return FunctionToOptimize(
        function_name=case["qualified_name"].split(".")[-1],
        file_path=project / case["source_path"],
        parents=parents,
        is_async=case.get("is_async", False),
    )


def _run(mode: TestingMode, case: dict[str, Any], project: Path, files: TestFiles, iteration: int) -> Any:
    config = TestConfig(
        tests_root=project / "tests", project_root_path=project, tests_project_rootdir=project
    )
    function = _function(case, project)
    source_path = project / case["source_path"]
    pristine = source_path.read_text()
    if function.is_async:  # the client decorates async targets in the source before every run
        add_async_decorator_to_function(source_path, function, mode, project_root=project)
    try:
        if mode is TestingMode.BEHAVIOR:
            xml, run, _, _ = SUPPORT.run_behavioral_tests(
                files, _env(project, iteration), project, timeout=15
            )
        else:
            xml, run = SUPPORT.run_benchmarking_tests(
                files,
                _env(project, iteration),
                project,
                timeout=15,
                min_loops=3,
                max_loops=3,
                target_duration_seconds=0.2,
            )
    finally:
        source_path.write_text(pristine)
    results, _ = parse_test_results(
        test_xml_path=xml,
        test_files=files,
        test_config=config,
        optimization_iteration=iteration,
        function_name=function.qualified_name,
        source_file=None,
        coverage_database_file=None,
        coverage_config_file=None,
        run_result=run,
    )
    return results, run


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    project = Path(case["project"])
    tmp_dir = get_run_tmp_file(Path())
    generated, behavior, perf = SUPPORT.process_generated_test_strings(
        case["generated_tests"],
        case["instrumented_behavior_tests"],
        case["instrumented_perf_tests"],
        None,
        None,
        None,
        None,
    )
    stem = case["test_module_path"].replace(".", "/")
    behavior_path = project / f"{stem}.py"
    perf_path = project / f"{stem.replace('__unit_test_', '__perf_test_')}.py"
    behavior_path.write_text(behavior)
    perf_path.write_text(perf)
    files = TestFiles(
        test_files=[
            TestFile(
                instrumented_behavior_file_path=behavior_path,
                benchmarking_file_path=perf_path,
                original_source=generated,
                test_type=TestType.GENERATED_REGRESSION,
            )
        ]
    )
    original, run = _run(TestingMode.BEHAVIOR, case, project, files, 0)
    report: dict[str, Any] = {
        "placeholder_left": "{codeflash_run_tmp_dir_client_side}" in behavior + perf,
        "tmp_dir_used": str(tmp_dir.as_posix()) in behavior,
        "behavior": _summary(original),
        "behavior_stdout_tail": run.stdout[-3000:],
        "candidates": {},
    }
    perf_results, perf_run = _run(TestingMode.PERFORMANCE, case, project, files, 0)
    report["performance"] = _summary(perf_results)
    report["performance_stdout_tail"] = perf_run.stdout[-2000:]
    source_path = project / case["source_path"]
    pristine = source_path.read_text()
    for index, (name, source) in enumerate(case.get("candidates", {}).items(), start=1):
        source_path.write_text(source)
        try:
            candidate, _ = _run(TestingMode.BEHAVIOR, case, project, files, index)
        finally:
            source_path.write_text(pristine)
        equal, diffs = compare_test_results(original, candidate)
        report["candidates"][name] = {"equal": equal, "diffs": len(diffs), "results": len(candidate)}
    return report


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    reports = {case["name"]: run_case(case) for case in spec["cases"]}
    print(json.dumps(reports))


if __name__ == "__main__":
    main()
