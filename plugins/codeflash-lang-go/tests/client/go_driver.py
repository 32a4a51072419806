"""Runs inside the isolated environment of the released codeflash client (never imported by the
plugin's tests). For each case it does what the client does with the service's answers for a Go
module: parse the optimize response (``_get_valid_candidates``: fences and tree-sitter-go
validation), replace the function in the real file with its Go replacer and format it, and turn the
testgen answers into the behaviour file and the benchmark file. Then it runs the behaviour files of
a request together with the client's own Go test runner (hiding other test files, de-duplicating
test names). It writes what happened as JSON.

Usage: python go_driver.py spec.json report.json
"""

import json
import shutil
import sys
from pathlib import Path
from typing import Any

from codeflash.api.aiservice import AiServiceClient
from codeflash.languages import set_current_language
from codeflash.languages.code_replacer import replace_function_definitions_for_language
from codeflash.languages.golang.formatter import format_go_code
from codeflash.languages.golang.support import GoSupport
from codeflash.languages.golang.test_runner import run_behavioral_tests
from codeflash.languages.language_enum import Language
from codeflash.models.models import OptimizedCandidateSource

SUPPORT = GoSupport()


def _function(source_path: Path, name: str, receiver: str | None) -> Any:
    for function in SUPPORT.discover_functions(source_path.read_text(), source_path):
        parents = [parent.name for parent in function.parents]
        if function.function_name == name and parents == ([receiver] if receiver else []):
            return function
    raise LookupError(f"{receiver or ''}.{name} not in {source_path}")


def apply_candidates(case: dict[str, Any], root: Path) -> list[dict[str, Any]]:
    """Every candidate of the optimize response, applied to a fresh copy of the project."""
    candidates = AiServiceClient()._get_valid_candidates(
        case["response"]["optimizations"], OptimizedCandidateSource.OPTIMIZE, "go"
    )
    applied = []
    for number, candidate in enumerate(candidates):
        project = root / f"{case['name']}-candidate-{number}"
        shutil.copytree(case["project"], project)
        source_path = project / case["source_path"]
        function = _function(source_path, case["function"], case.get("receiver"))
        updated = replace_function_definitions_for_language(
            function_names=[function.qualified_name],
            optimized_code=candidate.source_code,
            module_abspath=source_path,
            project_root_path=project,
            lang_support=SUPPORT,
            function_to_optimize=function,
        )
        source = source_path.read_text()
        formatted = format_go_code(source, source_path)
        source_path.write_text(formatted)
        applied.append({"project": str(project), "updated": updated, "source": formatted})
    return applied


def convert_tests(case: dict[str, Any], root: Path) -> dict[str, Any]:
    """The testgen answers as the client writes them, and its own run of the behaviour files."""
    project = root / f"{case['name']}-tests"
    shutil.copytree(case["project"], project)
    source_path = project / case["source_path"]
    function = _function(source_path, case["function"], case.get("receiver"))
    behaviour_files, perf_files = [], []
    for index, answer in enumerate(case["testgen"]):
        _, behaviour, perf = SUPPORT.process_generated_test_strings(
            answer["generated_tests"],
            answer["instrumented_behavior_tests"],
            answer["instrumented_perf_tests"],
            function,
            source_path,
            None,
            None,
        )
        directory = source_path.parent
        behaviour_path = directory / f"test_{case['function']}__unit_test_{index}_test.go"
        perf_path = directory / f"test_{case['function']}__perf_test_{index}_test.go"
        behaviour_path.write_text(behaviour)
        perf_path.write_text(perf)
        behaviour_files.append(behaviour_path)
        perf_files.append(str(perf_path))
    _, run, _, _ = run_behavioral_tests(behaviour_files, {}, project, timeout=240)
    events = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    return {
        "project": str(project),
        "perf_files": perf_files,
        "returncode": run.returncode,
        "stderr": run.stderr[-3000:],
        "passed": sorted({e["Test"] for e in events if e.get("Action") == "pass" and e.get("Test")}),
        "failed": sorted({e["Test"] for e in events if e.get("Action") == "fail" and e.get("Test")}),
        "output": "".join(e.get("Output", "") for e in events)[-3000:],
    }


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    root = Path(spec["work"])
    set_current_language(Language.GO)
    report: dict[str, Any] = {}
    for case in spec["cases"]:
        entry: dict[str, Any] = {}
        if "response" in case:
            entry["candidates"] = apply_candidates(case, root)
        if "testgen" in case:
            entry["tests"] = convert_tests(case, root)
        report[case["name"]] = entry
    Path(sys.argv[2]).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
