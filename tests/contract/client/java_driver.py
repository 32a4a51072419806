"""Runs inside the isolated environment of the released codeflash client (never imported by the
project's tests), for a Java project. It calls every method the CLI's Java flow uses against the
service under test and then does with each answer what the CLI does: its Java candidate parsing,
its Java replacer on a copy of the project per candidate, its assertion stripping, its test
instrumentation and its test-path fix-up. It writes what came out (files on disk, and a JSON
report); the test compiles and runs them with javac and JUnit.

Usage: python java_driver.py spec.json report.json
"""

import json
import shutil
import sys
import uuid
from pathlib import Path
from types import MethodType, SimpleNamespace
from typing import Any

from codeflash.discovery.functions_to_optimize import FunctionToOptimize
from codeflash.languages import set_current_language
from codeflash.languages.java.function_optimizer import JavaFunctionOptimizer
from codeflash.languages.java.support import JavaSupport
from codeflash.models.models import (
    AdaptiveOptimizedCandidate,
    AIServiceAdaptiveOptimizeRequest,
    AIServiceCodeRepairRequest,
    AIServiceRefinerRequest,
    CodeStringsMarkdown,
    FunctionParent,
    GeneratedTests,
    GeneratedTestsList,
    OptimizedCandidate,
    OptimizedCandidateSource,
    TestDiff,
    TestDiffScope,
    TestResults,
)
from codeflash.result.explanation import Explanation
from driver_support import call, capture, client_for, log_features_status, reviews_json

capture("rich", "codeflash")


def apply_candidate(
    spec: dict[str, Any], fto: FunctionToOptimize, candidate: OptimizedCandidate, out: Path
) -> dict[str, Any]:
    """What the CLI does with a candidate before compiling it: its Java replacer, file by file,
    on a copy of the project (JavaFunctionOptimizer.replace_function_and_helpers_with_optimized_code)."""
    project = Path(spec["project"])
    copy = out / candidate.optimization_id
    shutil.copytree(project / "src", copy / "src")
    support = JavaSupport()
    changed = {}
    copied_fto = FunctionToOptimize(
        function_name=fto.function_name,
        file_path=copy / spec["target_path"],
        parents=fto.parents,
        starting_line=fto.starting_line,
        ending_line=fto.ending_line,
        is_method=True,
    )
    for path, names in spec["functions_by_file"].items():
        changed[path] = support.replace_function_definitions(
            function_names=names,
            optimized_code=candidate.source_code,
            module_abspath=copy / path,
            project_root_path=copy,
            function_to_optimize=copied_fto,
        )
    return {
        "optimization_id": candidate.optimization_id,
        "source": candidate.source.value,
        "parent_id": candidate.parent_id,
        "markdown": candidate.source_code.markdown,
        "languages": sorted({str(block.language) for block in candidate.source_code.code_strings}),
        "changed": changed,
        "root": str(copy),
    }


def fixed_tests(
    spec: dict[str, Any], generated: list[tuple[str, str, str]], out: Path
) -> list[dict[str, str]]:
    """The client's test-path fix-up (JavaFunctionOptimizer.fixup_generated_tests), on a stand-in
    optimizer whose test sources root is ``out/src/test/java``."""
    tests_root = out / "src" / "test" / "java"
    tests_root.mkdir(parents=True, exist_ok=True)
    fake = SimpleNamespace(_get_java_sources_root=lambda: tests_root)
    fake._fix_java_test_paths = MethodType(JavaFunctionOptimizer._fix_java_test_paths, fake)
    tests = GeneratedTestsList(
        generated_tests=[
            GeneratedTests(
                generated_original_test_source=display,
                instrumented_behavior_test_source=behavior,
                instrumented_perf_test_source=perf,
                behavior_file_path=out / f"placeholder_{i}.java",
                perf_file_path=out / f"placeholder_perf_{i}.java",
            )
            for i, (display, behavior, perf) in enumerate(generated)
        ]
    )
    fixed = JavaFunctionOptimizer.fixup_generated_tests(fake, tests)
    return [
        {
            "display": test.generated_original_test_source,
            "behavior_path": str(test.behavior_file_path),
            "perf_path": str(test.perf_file_path),
            "behavior": test.instrumented_behavior_test_source,
            "perf": test.instrumented_perf_test_source,
        }
        for test in fixed.generated_tests
    ]


def run(spec: dict[str, Any]) -> dict[str, Any]:  # noqa: PLR0915 - one call per client method
    set_current_language("java")
    client = client_for(spec["base_url"], spec["key"])
    out = Path(spec["out"])
    report: dict[str, Any] = {"applied": []}
    trace_id = str(uuid.uuid4())
    source = spec["optimize_markdown"]
    version = spec["language_version"]
    fto = FunctionToOptimize(
        function_name=spec["function"],
        file_path=Path(spec["project"]) / spec["target_path"],
        parents=[FunctionParent(spec["class_name"], "ClassDef")],
        starting_line=spec["starting_line"],
        ending_line=spec["ending_line"],
        is_method=True,
    )

    def apply_all(name: str, candidates: list[OptimizedCandidate]) -> None:
        for candidate in candidates:
            report["applied"].append(
                {"endpoint": name, **apply_candidate(spec, fto, candidate, out / "candidates")}
            )

    candidates = (
        call(
            report,
            "optimize_code",
            lambda: client.optimize_code(
                source, "", trace_id, language="java", language_version=version, n_candidates=6
            ),
        )
        or []
    )
    apply_all("optimize_code", candidates)

    lp = (
        call(
            report,
            "optimize_python_code_line_profiler",
            lambda: client.optimize_python_code_line_profiler(
                source,
                "",
                trace_id,
                spec["line_profile"],
                n_candidates=2,
                language="java",
                language_version=version,
            ),
        )
        or []
    )
    apply_all("optimize_python_code_line_profiler", lp)

    best = candidates[0] if candidates else None
    best_id = best.optimization_id if best else "missing"
    refinements = (
        call(
            report,
            "optimize_code_refinement",
            lambda: client.optimize_code_refinement(
                [
                    AIServiceRefinerRequest(
                        optimization_id=best_id,
                        original_source_code=source,
                        read_only_dependency_code="",
                        original_code_runtime=178_000,
                        optimized_source_code=best.source_code.markdown if best else source,
                        optimized_explanation="for-each loop",
                        optimized_code_runtime=120_000,
                        speedup="48%",
                        trace_id=trace_id,
                        original_line_profiler_results="",
                        optimized_line_profiler_results="",
                        language="java",
                        language_version=version,
                    )
                ]
            ),
        )
        or []
    )
    apply_all("optimize_code_refinement", refinements)

    wrong_id = str(uuid.uuid4())
    repaired = call(
        report,
        "code_repair",
        lambda: client.code_repair(
            AIServiceCodeRepairRequest(
                optimization_id=wrong_id,
                original_source_code=source,
                modified_source_code=spec["wrong_markdown"],
                trace_id=trace_id,
                test_diffs=[
                    TestDiff(
                        scope=TestDiffScope.RETURN_VALUE,
                        original_pass=True,
                        candidate_pass=True,
                        original_value="5",
                        candidate_value="0",
                        test_src_code="inventory.totalQuantity();",
                    )
                ],
                language="java",
            )
        ),
    )
    apply_all("code_repair", [repaired] if repaired else [])

    earlier = [
        AdaptiveOptimizedCandidate(
            optimization_id=c.optimization_id,
            source_code=c.source_code.markdown,
            explanation=c.explanation,
            source=c.source,
            speedup="Performance gain: 48%",
        )
        for c in candidates[:2]
    ]
    adaptive = call(
        report,
        "adaptive_optimize",
        lambda: client.adaptive_optimize(
            AIServiceAdaptiveOptimizeRequest(
                trace_id=trace_id, original_source_code=source, candidates=earlier
            )
        ),
    )
    apply_all("adaptive_optimize", [adaptive] if adaptive else [])

    support = JavaSupport()
    generated: list[tuple[str, str, str]] = []
    for index in (0, 1):
        tests = call(
            report,
            f"generate_regression_tests_{index}",
            lambda index=index: client.generate_regression_tests(
                spec["testgen_markdown"],
                fto,
                spec["helper_function_names"],
                Path(spec["module_path"]),
                Path(f"test_{spec['function']}__unit_test_{index}Test"),
                "junit5",
                15,
                trace_id,
                index,
                language="java",
                language_version=version,
            ),
        )
        if tests is None:
            continue
        generated_tests, behavior, perf, raw = tests
        report[f"generate_regression_tests_{index}"]["response"] = {
            "generated_tests": generated_tests,
            "instrumented_behavior_tests": behavior,
            "instrumented_perf_tests": perf,
            "raw_generated_tests": raw,
        }
        generated.append(
            support.process_generated_test_strings(
                generated_tests, behavior, perf, fto, out / "unused.java", None, None
            )
        )
    report["tests"] = fixed_tests(spec, generated, out / "tests")
    tests_source = generated[0][0] if generated else ""

    reviews = call(
        report,
        "review_generated_tests",
        lambda: client.review_generated_tests(
            [
                {
                    "test_source": tests_source,
                    "test_index": 0,
                    "failed_test_functions": [],
                    "failure_messages": {},
                }
            ],
            spec["target_source"],
            spec["function"],
            trace_id,
            language="java",
        ),
    )
    report["review_generated_tests"]["reviews"] = reviews_json(reviews)
    repaired_tests = call(
        report,
        "repair_generated_tests",
        lambda: client.repair_generated_tests(
            tests_source,
            [rf for r in (reviews or []) for rf in r.functions_to_repair],
            spec["target_source"],
            fto,
            spec["helper_function_names"],
            Path(spec["module_path"]),
            Path(f"test_{spec['function']}__unit_test_0Test"),
            "junit5",
            15,
            trace_id,
            language="java",
            module_source_code=spec["target_source"],
        ),
    )
    report["repair_generated_tests"]["tests"] = list(repaired_tests) if repaired_tests else None

    pool = [*candidates, *lp, *refinements]
    ids = [c.optimization_id for c in pool]
    ranking = call(
        report,
        "generate_ranking",
        lambda: client.generate_ranking(
            trace_id,
            [f"--- a\n+++ b\n@@ -1 +1 @@\n-{i}\n+{i + 1}\n" for i in range(len(ids))],
            ids,
            [1.5 - i / 10 for i in range(len(ids))],
            "",
        ),
    )
    report["generate_ranking"]["ranking"] = ranking
    report["generate_ranking"]["sent"] = len(ids)

    flat_original = f"// file: {spec['target_path']}\n{spec['target_source']}"
    explanation = call(
        report,
        "get_new_explanation",
        lambda: client.get_new_explanation(
            source_code=flat_original,
            optimized_code=flat_original.replace("for (int i = 0", "for (int j = 0"),
            dependency_code="",
            trace_id=trace_id,
            original_line_profiler_results="",
            optimized_line_profiler_results="",
            original_code_runtime="178 microseconds",
            optimized_code_runtime="120 microseconds",
            speedup="48%",
            annotated_tests="```java\ninventory.totalQuantity(); // 178μs -> 120μs\n```",
            optimization_id=best_id,
            original_explanation="for-each loop",
            acceptance_reason="runtime",
        ),
    )
    report["get_new_explanation"]["explanation"] = explanation

    review = call(
        report,
        "get_optimization_review",
        lambda: client.get_optimization_review(
            original_code={Path(spec["target_path"]): spec["target_source"]},
            new_code={Path(spec["target_path"]): spec["target_source"].replace("int i = 0", "int j = 0")},
            explanation=Explanation(
                raw_explanation_message="for-each loop",
                winning_behavior_test_results=TestResults(),
                winning_benchmarking_test_results=TestResults(),
                original_runtime_ns=178_000,
                best_runtime_ns=120_000,
                function_name=spec["function"],
                file_path=Path(spec["project"]) / spec["target_path"],
            ),
            existing_tests_source="",
            generated_original_test_source=tests_source,
            function_trace_id=trace_id,
            coverage_message="100.0%",
            replay_tests="",
            calling_fn_details="",
            language="java",
        ),
    )
    report["get_optimization_review"]["review"] = list(review) if review is not None else None

    # Probes: LLM answers the service refuses or rewrites, applied as they were written, to show
    # with javac why (the test expects these copies not to compile).
    for probe, markdown in spec["probes"].items():
        raw = OptimizedCandidate(
            source_code=CodeStringsMarkdown.parse_markdown_code(markdown, expected_language="java"),
            explanation="probe",
            optimization_id=f"probe-{probe}",
            source=OptimizedCandidateSource.OPTIMIZE,
        )
        report.setdefault("probes", {})[probe] = apply_candidate(spec, fto, raw, out / "probes")

    call(
        report,
        "log_results",
        lambda: client.log_results(
            trace_id,
            {best_id: 0.48},
            178_000,
            {best_id: 120_000},
            {best_id: True},
            {best_id: ""},
            {"best_optimization_id": best_id},
        ),
    )
    report["log_results"]["status"] = log_features_status(client, trace_id)
    return report


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    Path(sys.argv[2]).write_text(json.dumps(run(spec), default=str))


if __name__ == "__main__":
    main()
