"""Runs inside the isolated environment of the released codeflash client (never imported by the
project's tests). It builds the client's own ``AiServiceClient``, points it at the service under
test, calls every method the CLI uses and writes what the client got back (after the client's own
parsing: fences, compile checks, candidate models) as JSON.

Usage: python driver.py spec.json report.json

The spec gives ``base_url`` and API keys per scenario; the test scripts the fake LLM so each
scenario's function name gets its own replies.
"""

import json
import sys
import uuid
from pathlib import Path
from typing import Any

from codeflash.discovery.functions_to_optimize import FunctionToOptimize
from codeflash.languages.python.support import PythonSupport
from codeflash.models.models import (
    AdaptiveOptimizedCandidate,
    AIServiceAdaptiveOptimizeRequest,
    AIServiceCodeRepairRequest,
    AIServiceRefinerRequest,
    FunctionParent,
    OptimizedCandidate,
    OptimizedCandidateSource,
    TestDiff,
    TestDiffScope,
    TestResults,
)
from codeflash.result.explanation import Explanation
from driver_support import call, capture, client_for, log_features_status, reviews_json

capture("rich")


def candidate_json(candidate: OptimizedCandidate | None) -> dict[str, Any] | None:
    if candidate is None:
        return None
    return {
        "optimization_id": candidate.optimization_id,
        "parent_id": candidate.parent_id,
        "model": candidate.model,
        "explanation": candidate.explanation,
        "source": candidate.source.value,
        "files": [
            {"path": None if block.file_path is None else block.file_path.as_posix(), "code": block.code}
            for block in candidate.source_code.code_strings
        ],
        "markdown": candidate.source_code.markdown,
    }


def function(spec: dict[str, Any], name: str, parents: tuple[str, ...] = ()) -> FunctionToOptimize:
    return FunctionToOptimize(
        function_name=name,
        file_path=Path(spec["project"]) / spec["source_path"],
        parents=[FunctionParent(parent, "ClassDef") for parent in parents],
    )


def markdown(path: str, code: str) -> str:
    return f"```python:{path}\n{code.strip()}\n```"


def happy_path(spec: dict[str, Any]) -> dict[str, Any]:  # noqa: PLR0915 - one call per client method
    report: dict[str, Any] = {}
    client = client_for(spec["base_url"], spec["keys"]["main"])
    trace_id = str(uuid.uuid4())
    source = markdown(spec["source_path"], spec["source"])
    fto = function(spec, spec["function"])

    candidates = call(
        report,
        "optimize_code",
        lambda: client.optimize_code(source, "", trace_id, n_candidates=5, language_version="3.11.7"),
    )
    report["optimize_code"]["candidates"] = [candidate_json(c) for c in candidates or []]

    lp = call(
        report,
        "optimize_python_code_line_profiler",
        lambda: client.optimize_python_code_line_profiler(
            source,
            "",
            trace_id,
            spec["line_profiler_results"],
            n_candidates=3,
            language_version="3.11.7",
        ),
    )
    report["optimize_python_code_line_profiler"]["candidates"] = [candidate_json(c) for c in lp or []]

    # Refine the closed-form candidate: the fake's SEARCH/REPLACE edit is written against it.
    picks = [c for c in candidates or [] if spec["refine_pick"] in c.source_code.markdown]
    best = (picks or candidates or [None])[0]
    best_id = best.optimization_id if best else "missing"
    best_markdown = best.source_code.markdown if best else source
    refinements = call(
        report,
        "optimize_code_refinement",
        lambda: client.optimize_code_refinement(
            [
                AIServiceRefinerRequest(
                    optimization_id=best_id,
                    original_source_code=source,
                    read_only_dependency_code="",
                    original_code_runtime=178_000,
                    optimized_source_code=best_markdown,
                    optimized_explanation="closed form",
                    optimized_code_runtime=22_000,
                    speedup="709%",
                    trace_id=trace_id,
                    original_line_profiler_results=spec["line_profiler_results"],
                    optimized_line_profiler_results="",
                    function_references="",
                    language_version="3.11.7",
                )
            ]
        ),
    )
    report["optimize_code_refinement"]["candidates"] = [candidate_json(c) for c in refinements or []]

    wrong_id = str(uuid.uuid4())
    repaired = call(
        report,
        "code_repair",
        lambda: client.code_repair(
            AIServiceCodeRepairRequest(
                optimization_id=wrong_id,
                original_source_code=source,
                modified_source_code=markdown(spec["source_path"], spec["wrong"]),
                trace_id=trace_id,
                test_diffs=[
                    TestDiff(
                        scope=TestDiffScope.RETURN_VALUE,
                        original_pass=True,
                        candidate_pass=True,
                        original_value="(30,)",
                        candidate_value="(25,)",
                        test_src_code="def test_small():\n    assert sum_of_squares(5) == 30\n",
                    )
                ],
            )
        ),
    )
    report["code_repair"]["candidate"] = candidate_json(repaired)
    report["code_repair"]["sent_optimization_id"] = wrong_id

    earlier = [
        AdaptiveOptimizedCandidate(
            optimization_id=c.optimization_id,
            source_code=c.source_code.markdown,
            explanation=c.explanation,
            source=c.source,
            speedup="Performance gain: 700%",
        )
        for c in (candidates or [])[:2]
    ] + [
        AdaptiveOptimizedCandidate(
            optimization_id=wrong_id,
            source_code=markdown(spec["source_path"], spec["wrong"]),
            explanation="wrong",
            source=OptimizedCandidateSource.OPTIMIZE,
            speedup="Candidate didn't match the behavior of the original code",
        )
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
    report["adaptive_optimize"]["candidate"] = candidate_json(adaptive)
    report["adaptive_optimize"]["sent_ids"] = [c.optimization_id for c in earlier]

    tests = call(
        report,
        "generate_regression_tests",
        lambda: client.generate_regression_tests(
            source,
            fto,
            [],
            Path(spec["module_path"]),
            Path(spec["test_module_path"]),
            "pytest",
            15,
            trace_id,
            0,
            language_version="3.11.7",
        ),
    )
    if tests is not None:
        generated, behavior, perf, raw = tests
        # What the client does next with them (placeholder substitution), then are they Python?
        _, behavior_final, perf_final = PythonSupport().process_generated_test_strings(
            generated, behavior, perf, fto, Path("unused"), None, None
        )
        compiles = {}
        for name, text in (("generated", generated), ("behavior", behavior_final), ("perf", perf_final)):
            try:
                compile(text, name, "exec")
                compiles[name] = True
            except SyntaxError:
                compiles[name] = False
        report["generated_regression_tests"] = {
            **report["generate_regression_tests"],
            "generated_tests": generated,
            "instrumented_behavior_tests": behavior,
            "instrumented_perf_tests": perf,
            "raw_generated_tests": raw,
            "behavior_after_client": behavior_final,
            "compiles": compiles,
        }
    tests_source = tests[0] if tests else ""

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
                },
                {
                    "test_source": tests_source,
                    "test_index": 1,
                    "failed_test_functions": ["test_slow"],
                    "failure_messages": {"test_slow": "Timeout"},
                },
            ],
            spec["source"],
            spec["function"],
            trace_id,
        ),
    )
    report["review_generated_tests"]["reviews"] = reviews_json(reviews)

    repaired_tests = call(
        report,
        "repair_generated_tests",
        lambda: client.repair_generated_tests(
            tests_source,
            [rf for r in (reviews or []) for rf in r.functions_to_repair],
            spec["source"],
            fto,
            [],
            Path(spec["module_path"]),
            Path(spec["test_module_path"]),
            "pytest",
            15,
            trace_id,
            module_source_code=spec["source"],
        ),
    )
    report["repair_generated_tests"]["tests"] = list(repaired_tests) if repaired_tests else None

    pool = [*(candidates or []), *(lp or []), *(refinements or [])]
    ids = [c.optimization_id for c in pool]
    ranking = call(
        report,
        "generate_ranking",
        lambda: client.generate_ranking(
            trace_id,
            [f"--- original+++ modified@@ -1 +1 @@ # file: x\n-{i}\n+{i + 1}\n" for i in range(len(ids))],
            ids,
            [7.8 - i for i in range(len(ids))],
            "",
        ),
    )
    report["generate_ranking"]["ranking"] = ranking
    report["generate_ranking"]["sent"] = len(ids)

    explanation = call(
        report,
        "get_new_explanation",
        lambda: client.get_new_explanation(
            source_code=f"# file: {spec['source_path']}\n{spec['source']}",
            optimized_code=f"# file: {spec['source_path']}\n{spec['fast']}",
            dependency_code="",
            trace_id=trace_id,
            original_line_profiler_results=spec["line_profiler_results"],
            optimized_line_profiler_results="",
            original_code_runtime="178 microseconds",
            optimized_code_runtime="22.0 microseconds",
            speedup="709%",
            annotated_tests=(
                "```python\ndef test_small():\n    assert sum_of_squares(5) == 30  # 1μs -> 300ns\n```"
            ),
            optimization_id=best_id,
            original_explanation="closed form",
            acceptance_reason="runtime",
        ),
    )
    report["get_new_explanation"]["explanation"] = explanation

    review = call(
        report,
        "get_optimization_review",
        lambda: client.get_optimization_review(
            original_code={Path(spec["source_path"]): spec["source"]},
            new_code={Path(spec["source_path"]): spec["fast"]},
            explanation=Explanation(
                raw_explanation_message="closed form",
                winning_behavior_test_results=TestResults(),
                winning_benchmarking_test_results=TestResults(),
                original_runtime_ns=178_000,
                best_runtime_ns=22_000,
                function_name=spec["function"],
                file_path=Path(spec["project"]) / spec["source_path"],
            ),
            existing_tests_source="",
            generated_original_test_source=tests_source,
            function_trace_id=trace_id,
            coverage_message="100.0%",
            replay_tests="",
            calling_fn_details="",
        ),
    )
    report["get_optimization_review"]["review"] = list(review) if review is not None else None

    call(
        report,
        "log_results",
        lambda: client.log_results(
            trace_id,
            {best_id: 6.8},
            178_000,
            {best_id: 22_000},
            {best_id: True},
            {best_id: ""},
            {"best_optimization_id": best_id},
        ),
    )
    report["log_results"]["status"] = log_features_status(client, trace_id)

    workflow = call(
        report,
        "generate_workflow_steps",
        lambda: client.generate_workflow_steps(
            {"pyproject.toml": '[project]\nname = "demo"\nrequires-python = ">=3.11"\n'},
            {"mypkg": {"slow.py": None}, "tests": {}},
            {"module_root": "mypkg", "tests_root": "tests", "benchmark_mode": False},
        ),
    )
    report["generate_workflow_steps"]["workflow_steps"] = workflow
    report["trace_id"] = trace_id
    return report


def negative_paths(spec: dict[str, Any]) -> dict[str, Any]:
    report: dict[str, Any] = {}
    base = spec["base_url"]
    keys = spec["keys"]
    neg = spec["negative"]

    # Every fence the LLM returns is broken: the service drops them all; the client gets [] and goes on.
    client = client_for(base, keys["main"])
    broken = markdown(neg["broken"]["source_path"], neg["broken"]["source"])
    result = call(report, "invalid_fences", lambda: client.optimize_code(broken, "", str(uuid.uuid4())))
    report["invalid_fences"]["candidates"] = [candidate_json(c) for c in result or []]

    # Every LLM call fails: a non-200 with an error; the client logs it and returns its empty values.
    doomed = markdown(neg["doomed"]["source_path"], neg["doomed"]["source"])
    doomed_fto = FunctionToOptimize(
        function_name=neg["doomed"]["function"],
        file_path=Path(spec["project"]) / neg["doomed"]["source_path"],
        parents=[],
    )
    trace_id = str(uuid.uuid4())
    result = call(report, "llm_down_optimize", lambda: client.optimize_code(doomed, "", trace_id))
    report["llm_down_optimize"]["result"] = result
    result = call(
        report,
        "llm_down_testgen",
        lambda: client.generate_regression_tests(
            doomed,
            doomed_fto,
            [],
            Path(neg["doomed"]["source_path"].removesuffix(".py").replace("/", ".")),
            Path("tests.test_doomed__unit_test_0"),
            "pytest",
            15,
            trace_id,
            0,
        ),
    )
    report["llm_down_testgen"]["result"] = result

    # A key the service does not know: 401 for every call; the client logs and continues.
    stranger = client_for(base, "cf-this-key-was-never-issued-by-the-service-0000")
    source = markdown(spec["source_path"], spec["source"])
    result = call(report, "bad_key_optimize", lambda: stranger.optimize_code(source, "", str(uuid.uuid4())))
    report["bad_key_optimize"]["result"] = result
    result = call(
        report,
        "bad_key_explain",
        lambda: stranger.get_new_explanation(
            "# file: a.py\nx = 1",
            "# file: a.py\nx = 2",
            "",
            str(uuid.uuid4()),
            "",
            "",
            "1 second",
            "1 millisecond",
            "99900%",
            "",
            "id",
            "",
        ),
    )
    report["bad_key_explain"]["result"] = result

    # A key over its rate limit: 429; same behaviour.
    limited = client_for(base, keys["limited"])
    statuses = []
    for _ in range(spec["rate_limit_max"]):
        statuses.append(
            limited.make_ai_service_request(
                "/log_features", payload={"trace_id": "burn"}, timeout=10
            ).status_code
        )
    report["burned_statuses"] = statuses
    result = call(
        report, "rate_limited_optimize", lambda: limited.optimize_code(source, "", str(uuid.uuid4()))
    )
    report["rate_limited_optimize"]["result"] = result
    result = call(
        report,
        "rate_limited_ranking",
        lambda: limited.generate_ranking(str(uuid.uuid4()), ["a", "b"], ["x", "y"], [2.0, 1.5]),
    )
    report["rate_limited_ranking"]["result"] = result
    return report


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    report = {"happy": happy_path(spec), "negative": negative_paths(spec)}
    Path(sys.argv[2]).write_text(json.dumps(report, default=str))


if __name__ == "__main__":
    main()
