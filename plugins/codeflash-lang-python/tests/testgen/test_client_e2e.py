"""Proof against the released client: its own test runner and result parser accept our instrumented tests.

``client/driver.py`` runs in an isolated environment with ``codeflash==0.20.6`` (never in the project's
environment). For each case it writes our instrumented files the way the client does, runs them with the
client's pytest plugin, parses the results with the client's parser, and compares original against
candidate sources with the client's own equivalence check.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from codeflash_lang_python.testgen import (
    INSTRUMENTED_BEHAVIOR_TESTS,
    INSTRUMENTED_PERF_TESTS,
    postprocess_tests,
)
from codeflash_lang_python.testgen.format_version import VERIFIED_CLIENT_VERSIONS
from codeflash_lang_python.testgen.transforms.bounds import Limits

from codeflash_engine.domain import Candidate, SourceFile, Task, TaskRequest

pytestmark = pytest.mark.e2e

CLIENT_VERSION = VERIFIED_CLIENT_VERSIONS[-1]
DRIVER = Path(__file__).parent / "client" / "driver.py"
CLIENT_ENV = ["--isolated", "--no-project", "--with", f"codeflash=={CLIENT_VERSION}", "--with", "pytest<9"]
NETWORK_ERRORS = ("failed to fetch", "dns error", "connection", "network", "timed out", "offline")

# Each case: the module under test, the LLM's (messy) test file, and candidate rewrites with the
# verdict the client must reach for them.
CASES: dict[str, dict[str, Any]] = {
    "plain": {
        "source_path": "mypkg/slow.py",
        "source": (
            "def sum_of_squares(n):\n    total = 0\n    for i in range(n):\n"
            "        total = total + i * i\n    return total\n"
        ),
        "details": {"function_to_optimize": {"function_name": "sum_of_squares", "parents": []}},
        # Redefines the function, forgets ``import pytest``, asserts on timing, loops 2 000 times (an
        # ordinary size, left alone) and asserts an answer computed for 10**8 elements (capped, so the
        # assertion becomes a plain recorded call).
        "llm_tests": (
            "import time\n"
            "def sum_of_squares(n):\n    return 0\n\n"
            "def test_small():\n    assert sum_of_squares(0) == 0\n    assert sum_of_squares(5) == 30\n\n"
            "def test_loop_and_timing():\n"
            "    start = time.perf_counter()\n"
            "    for n in range(2000):\n"
            "        assert sum_of_squares(n % 7) == sum(i * i for i in range(n % 7))\n"
            "    assert time.perf_counter() - start < 0.001\n\n"
            "def test_huge_input():\n    data = list(range(10**8))\n"
            "    assert sum_of_squares(len(data)) == 333333328333333350000000\n\n"
            "def test_bad_input():\n    with pytest.raises(TypeError):\n        sum_of_squares('x')\n"
        ),
        "candidates": {
            "correct": "def sum_of_squares(n):\n    return (n - 1) * n * (2 * n - 1) // 6\n",
            "wrong": "def sum_of_squares(n):\n    return n * n\n",
        },
    },
    "method": {
        "source_path": "mypkg/acc.py",
        "source": (
            "class Accumulator:\n    def __init__(self, scale):\n        self.scale = scale\n\n"
            "    def total(self, values):\n        result = 0\n        for v in values:\n"
            "            result += v * self.scale\n        return result\n"
        ),
        "details": {
            "function_to_optimize": {
                "function_name": "total",
                "parents": [{"name": "Accumulator", "type": "ClassDef"}],
            },
            "qualified_name": "Accumulator.total",
            "class_name": "Accumulator",
        },
        "llm_tests": (
            "import pytest\n"
            "class Accumulator:\n    pass\n\n"
            "@pytest.fixture\ndef acc():\n    return Accumulator(2)\n\n"
            "class TestTotal:\n"
            "    def test_basic(self, acc):\n        assert acc.total([1, 2, 3]) == 12\n\n"
            "    def test_fresh_instance(self):\n        assert Accumulator(3).total([]) == 0\n"
            "        assert Accumulator(-1).total(range(4)) == -6\n"
        ),
        "candidates": {
            "correct": (
                "class Accumulator:\n    def __init__(self, scale):\n        self.scale = scale\n\n"
                "    def total(self, values):\n        return sum(values) * self.scale\n"
            ),
            "wrong": (
                "class Accumulator:\n    def __init__(self, scale):\n        self.scale = scale\n\n"
                "    def total(self, values):\n        return sum(values)\n"
            ),
        },
    },
    "helper": {
        "source_path": "mypkg/text.py",
        "source": (
            "def _normalize(word):\n    return word.strip().lower()\n\n"
            "def count_unique(words):\n    seen = []\n    for w in words:\n        n = _normalize(w)\n"
            "        if n not in seen:\n            seen.append(n)\n    return sorted(seen)\n"
        ),
        "details": {
            "function_to_optimize": {"function_name": "count_unique", "parents": []},
            "helper_function_names": ["mypkg.text._normalize"],
        },
        # Random inputs: only deterministic because the cleanup seeds ``random`` in every test.
        "llm_tests": (
            "from random import choice\n"
            "def _normalize(word):\n    return word\n\n"
            "def test_random_words():\n"
            "    words = [choice(['a', 'B ', ' b', 'c', 'A']) + choice(['', 'x']) for _ in range(200)]\n"
            "    assert count_unique(words) == sorted({_normalize(w) for w in words})\n"
        ),
        "candidates": {
            "correct": (
                "def _normalize(word):\n    return word.strip().lower()\n\n"
                "def count_unique(words):\n    return sorted({_normalize(w) for w in words})\n"
            ),
            "wrong": (
                "def _normalize(word):\n    return word.strip().lower()\n\n"
                "def count_unique(words):\n    return sorted({w.lower() for w in words})\n"
            ),
        },
    },
}


def _test_module_path(name: str) -> str:
    return f"tests.test_{name}__unit_test_0"


def _postprocessed(name: str, case: dict[str, Any]) -> Candidate:
    module_path = case["source_path"].removesuffix(".py").replace("/", ".")
    details = {"module_path": module_path, "test_module_path": _test_module_path(name), **case["details"]}
    request = TaskRequest(task=Task.TESTGEN, language="python", trace_id="e2e", details=details)
    result = postprocess_tests(
        request, [Candidate(candidate_id=name, files=(SourceFile(None, case["llm_tests"]),))]
    )
    assert not result.dropped, result.dropped
    return result.kept[0]


def _uv_client(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed: cannot build the isolated client environment")
    return subprocess.run(
        [uv, "run", *CLIENT_ENV, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def _ensure_client() -> None:
    ready = _uv_client("--offline", "python", "-c", "import codeflash", timeout=120)
    if ready.returncode == 0:
        return
    online = _uv_client("python", "-c", "import codeflash", timeout=300)
    if online.returncode != 0:
        message = online.stderr.strip().splitlines()[-5:]
        if any(hint in online.stderr.lower() for hint in NETWORK_ERRORS):
            pytest.skip(f"PyPI unreachable, cannot install codeflash=={CLIENT_VERSION}: {message}")
        pytest.fail(f"could not set up codeflash=={CLIENT_VERSION}: {message}")


@pytest.fixture(scope="module")
def client_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    _ensure_client()
    root = tmp_path_factory.mktemp("client-e2e")
    cases = []
    for name, case in CASES.items():
        project = root / name
        (project / "mypkg").mkdir(parents=True)
        (project / "tests").mkdir()
        (project / "mypkg" / "__init__.py").write_text("")
        (project / "tests" / "__init__.py").write_text("")
        (project / case["source_path"]).write_text(case["source"])
        kept = _postprocessed(name, case)
        cases.append(
            {
                "name": name,
                "project": str(project),
                "source_path": case["source_path"],
                "qualified_name": case["details"].get("qualified_name")
                or case["details"]["function_to_optimize"]["function_name"],
                "test_module_path": _test_module_path(name),
                "generated_tests": kept.files[0].code,
                "instrumented_behavior_tests": kept.artifacts[INSTRUMENTED_BEHAVIOR_TESTS],
                "instrumented_perf_tests": kept.artifacts[INSTRUMENTED_PERF_TESTS],
                "candidates": case["candidates"],
            }
        )
    spec = root / "spec.json"
    spec.write_text(json.dumps({"cases": cases}))
    run = _uv_client("--offline", "python", str(DRIVER), str(spec), timeout=240)
    assert run.returncode == 0, run.stderr[-4000:]
    reports: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return reports


@pytest.mark.parametrize("name", list(CASES))
def test_client_parses_behaviour_results(client_reports: dict[str, Any], name: str) -> None:
    report = client_reports[name]
    assert not report["placeholder_left"] and report["tmp_dir_used"]
    results = report["behavior"]
    assert results, report["behavior_stdout_tail"]
    expected_function = CASES[name]["details"].get(
        "qualified_name", CASES[name]["details"]["function_to_optimize"]["function_name"]
    )
    for result in results:
        assert result["module"] == _test_module_path(name)
        assert result["function"] == expected_function
        assert result["loop_index"] == 1
        assert result["test_type"] == "GENERATED_REGRESSION"
        assert result["verification_type"] == "function_call"
        assert result["runtime"] is not None and result["runtime"] > 0
        # Return values are only unpickled for loop 1, as ``(value,)``.
        assert result["return_value"].startswith("(") and result["return_value"] != "None"
    ids = [(r["test_class"], r["test"], r["iteration_id"]) for r in results]
    assert len(ids) == len(set(ids))


def test_plain_function_records_each_call_and_exception(client_reports: dict[str, Any]) -> None:
    by_id = {(r["test"], r["iteration_id"]): r for r in client_reports["plain"]["behavior"]}
    assert by_id[("test_small", "0_0")]["return_value"] == "(0,)"
    assert by_id[("test_small", "1_0")]["return_value"] == "(30,)"
    # The loop is an ordinary size: not capped, and every iteration is recorded under the same call site.
    loop_ids = sorted(int(i.rsplit("_", 1)[1]) for t, i in by_id if t == "test_loop_and_timing")
    assert loop_ids == list(range(2000))
    # The 10**8-element input was capped; its assertion became a call, which is recorded and passes.
    cap = Limits().max_elements
    assert by_id[("test_huge_input", "1_0")]["return_value"] == f"({(cap - 1) * cap * (2 * cap - 1) // 6},)"
    assert all(r["did_pass"] for r in client_reports["plain"]["behavior"])  # the timing assert is gone
    assert "TypeError" in by_id[("test_bad_input", "0_0_0")]["return_value"]


def test_method_results_carry_test_class(client_reports: dict[str, Any]) -> None:
    results = client_reports["method"]["behavior"]
    assert {r["test_class"] for r in results} == {"TestTotal"}
    values = {(r["test"], r["iteration_id"]): r["return_value"] for r in results}
    assert values == {
        ("test_basic", "0_0"): "(12,)",
        ("test_fresh_instance", "0_0"): "(0,)",
        ("test_fresh_instance", "1_0"): "(-6,)",
    }


@pytest.mark.parametrize("name", list(CASES))
def test_performance_run_reports_every_loop(client_reports: dict[str, Any], name: str) -> None:
    results = client_reports[name]["performance"]
    assert {r["loop_index"] for r in results} == {1, 2, 3}, client_reports[name]["performance_stdout_tail"]
    assert all(r["runtime"] is not None and r["did_pass"] for r in results)


@pytest.mark.parametrize("name", list(CASES))
def test_client_accepts_correct_and_rejects_wrong_candidates(
    client_reports: dict[str, Any], name: str
) -> None:
    verdicts = client_reports[name]["candidates"]
    assert verdicts["correct"]["equal"] is True, verdicts
    assert verdicts["wrong"]["equal"] is False, verdicts


def test_driver_is_not_importable_here() -> None:
    """The client stays out of the project's environment (its licence and its pytest plugins)."""
    assert "codeflash" not in sys.modules
    with pytest.raises(ImportError):
        __import__("codeflash")
