"""What a generated test costs in the released client's own runner, by input size: the figures behind
the testgen size caps (``Limits`` in ``codeflash_lang_python.testgen.transforms.bounds``).

Run: uv run python bench/bench_testgen_caps.py [--quick]
Needs the released client (``codeflash==0.20.6``, built once by uv and cached; PyPI the first time).

Each scenario is one generated test, cleaned with caps switched off and instrumented by the service,
then run by the client's ``run_behavioral_tests`` (with coverage, as for the original code) and
``run_benchmarking_tests`` (5 loops, its minimum) with the client's 15 s per-test timeout. Scenarios:

- ``data N``: ``data = [i % 1000 for i in range(N)]`` and one assertion on a pure-Python O(n) pass over
  it: a large input for a linear function;
- ``calls N``: ``for i in range(N): assert f(i) == i + 1``: N recorded calls of a trivial function;
- ``comp-calls N``: ``[f(i) for i in range(N)]``: the same calls from a comprehension.

Printed per scenario: the test's wall time in the behaviour run and per performance loop (pytest's
junit times), and the ratio of the slower of the two to the 15 s timeout (1.0 = the test is lost).
"""

import json
import sys
import tempfile
from pathlib import Path

from codeflash_lang_python.testgen.cleanup import clean_tests
from codeflash_lang_python.testgen.instrument import instrument
from codeflash_lang_python.testgen.target import TestgenTarget
from codeflash_lang_python.testgen.transforms.bounds import Limits

from codeflash_engine.testing.released_client import ensure_client, run_client

TIMEOUT_S = 15
UNCAPPED = Limits(max_loop_iterations=10**12, max_elements=10**12)
SOURCE = (
    "def linear(xs):\n    total = 0\n    for x in xs:\n        total += x * x % 7\n    return total\n\n\n"
    "def step(x):\n    return x + 1\n"
)
SCENARIOS = {
    "data": (
        "linear",
        "def test_size():\n    data = [i % 1000 for i in range(N)]\n"
        "    assert linear(data) == sum(x * x % 7 for x in data)\n",
    ),
    "calls": ("step", "def test_size():\n    for i in range(N):\n        assert step(i) == i + 1\n"),
    "comp-calls": (
        "step",
        "def test_size():\n    assert [step(i) for i in range(N)] == list(range(1, N + 1))\n",
    ),
}
SIZES = {
    "data": (10_000, 100_000, 1_000_000, 3_000_000, 10_000_000),
    "calls": (1_000, 10_000, 30_000, 100_000),
    "comp-calls": (1_000, 10_000, 100_000),
}
QUICK_SIZES = {"data": (100_000, 1_000_000), "calls": (10_000, 100_000), "comp-calls": (10_000,)}

# Runs in the client's environment: the client's own runner and junit output, nothing of ours.
CLIENT_SIDE = """
import json, sys, time, xml.etree.ElementTree as ET
from pathlib import Path
from codeflash.code_utils.shell_utils import make_env_with_project_root
from codeflash.languages.python.support import PythonSupport
from codeflash.models.models import TestFile, TestFiles, TestType

support = PythonSupport()
spec = json.loads(Path(sys.argv[1]).read_text())
project = Path(spec["project"])
generated, behavior, perf = support.process_generated_test_strings(
    spec["generated"], spec["behavior"], spec["perf"], None, None, None, None
)
behavior_path = project / "tests" / "test_size__unit_test_0.py"
perf_path = project / "tests" / "test_size__perf_test_0.py"
behavior_path.write_text(behavior)
perf_path.write_text(perf)
files = TestFiles(test_files=[TestFile(instrumented_behavior_file_path=behavior_path,
    benchmarking_file_path=perf_path, original_source=generated, test_type=TestType.GENERATED_REGRESSION)])
env = make_env_with_project_root(project)
env.update(CODEFLASH_TEST_ITERATION="0", CODEFLASH_LOOP_INDEX="0", CODEFLASH_TRACER_DISABLE="1")

def cases(xml):
    root = ET.parse(xml).getroot()
    out = []
    for case in root.iter("testcase"):
        status = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                text = (child.get("message") or "") + (child.text or "")
                status = "timeout" if "Timeout" in text else "failed"
        out.append((float(case.get("time") or 0), status))
    return out

xml, *_ = support.run_behavioral_tests(files, env, project, timeout=spec["timeout"], enable_coverage=True)
behaviour = cases(xml)
xml, _ = support.run_benchmarking_tests(files, env, project, timeout=spec["timeout"],
    min_loops=5, max_loops=5, target_duration_seconds=10.0)
performance = cases(xml)
print(json.dumps({"behaviour": behaviour, "performance": performance}))
"""


def _run(root: Path, function: str, tests: str) -> dict[str, list[tuple[float, str]]]:
    project = Path(tempfile.mkdtemp(dir=root))
    for folder in ("mypkg", "tests"):
        (project / folder).mkdir()
        (project / folder / "__init__.py").write_text("")
    (project / "mypkg" / "work.py").write_text(SOURCE)
    target = TestgenTarget(
        function_name=function,
        qualified_name=function,
        module_path="mypkg.work",
        test_module_path="tests.test_size__unit_test_0",
    )
    clean = clean_tests(tests, target, UNCAPPED)
    instrumented = instrument(clean.module, target)
    spec = {
        "project": str(project),
        "timeout": TIMEOUT_S,
        "generated": clean.module.code,
        "behavior": instrumented.behavior,
        "perf": instrumented.performance,
    }
    (project / "spec.json").write_text(json.dumps(spec))
    (project / "client_side.py").write_text(CLIENT_SIDE)
    done = run_client(["python", "client_side.py", "spec.json"], cwd=project, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    result: dict[str, list[tuple[float, str]]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _summary(runs: list[tuple[float, str]]) -> tuple[float, str]:
    if not runs:
        return 0.0, "not run"
    statuses = {status for _, status in runs}
    return max(seconds for seconds, _ in runs), "/".join(sorted(statuses))


def main() -> None:
    ensure_client()
    sizes = QUICK_SIZES if "--quick" in sys.argv else SIZES
    print(f"{'scenario':<24}{'behaviour s':>12}{'perf s/loop':>13}{'of timeout':>12}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (function, template) in SCENARIOS.items():
            for size in sizes[name]:
                result = _run(Path(tmp), function, template.replace("N", str(size)))
                behaviour, behaviour_status = _summary(result["behaviour"])
                performance, performance_status = _summary(result["performance"])
                ratio = max(behaviour, performance) / TIMEOUT_S
                label = f"{name} {size:,}"
                print(
                    f"{label:<24}{behaviour:>12.2f}{performance:>13.2f}{ratio:>12.2f}  "
                    f"{behaviour_status} | {performance_status}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
