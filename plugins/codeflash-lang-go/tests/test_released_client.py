"""The service's Go answers, read and applied by the released client's own code, then built and run.

The service runs in-process with this plugin and the harness's fake LLM (no database); its HTTP
responses go to ``client/go_driver.py`` in the released client's environment, which parses the
candidates, replaces the function in a real module with the client's Go replacer, writes the test
files as the client does (behaviour file unchanged, benchmarks converted) and runs the behaviour
files with the client's runner. Here, ``go build`` and ``go vet``-free ``go test`` check the results.
"""

import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from codeflash_lang_go import plugin
from golang_samples import JOIN_REPEAT, JOIN_REPEAT_BUILDER
from gotool import require_go, run_go, write_module

from codeflash_engine.testing.released_client import ClientUnavailableError, ensure_client, run_client

DRIVER = Path(__file__).parent / "client" / "go_driver.py"

pytestmark = pytest.mark.slow

JOIN = (
    f"{JOIN_REPEAT}\n"
    "// Shout is in the file but not in the request: the client only sends the target and its helpers.\n"
    'func Shout(s string) string { return s + "!" }\n'
)

SQUARES = """package mathx

// SumSquares returns the sum of i*i for i in [0, n).
func SumSquares(n int) int {
\ttotal := 0
\tfor i := 0; i < n; i++ {
\t\ttotal += square(i)
\t}
\treturn total
}

func square(x int) int { return x * x }
"""
# A new helper the client would lose (``undefined: closedForm``) and an edit of ``square`` it would ignore.
SQUARES_HELPER = """package mathx

// SumSquares returns the sum of i*i for i in [0, n).
func SumSquares(n int) int {
\tif n <= 0 {
\t\treturn 0
\t}
\treturn closedForm(n - 1)
}

func closedForm(m int) int {
\treturn m * (m + 1) * (2*m + 1) / 6
}

func square(x int) int { return x * x }
"""

POPCOUNT = """package bitsx

// PopCount counts the set bits of x.
func PopCount(x uint64) int {
\tcount := 0
\tfor x != 0 {
\t\tcount += int(x & 1)
\t\tx >>= 1
\t}
\treturn count
}
"""
# A lookup table built by a new helper: the table (a var) is merged, the helper must become one too.
POPCOUNT_TABLE = """package bitsx

var popTable = buildPopTable()

func buildPopTable() [256]uint8 {
\tvar table [256]uint8
\tfor i := range table {
\t\ttable[i] = table[i/2] + uint8(i&1)
\t}
\treturn table
}

func PopCount(x uint64) int {
\tcount := 0
\tfor ; x != 0; x >>= 8 {
\t\tcount += int(popTable[x&0xff])
\t}
\treturn count
}
"""

COUNTER = """package stats

// Counter sums values.
type Counter struct {
\tvalues []int
}

// Total returns the sum of the values.
func (c *Counter) Total() int {
\ttotal := 0
\tfor i := range c.values {
\t\ttotal = total + c.values[i]
\t}
\treturn total
}
"""
COUNTER_FAST = """package stats

func (c *Counter) Total() int {
\ttotal := 0
\tfor _, v := range c.values {
\t\ttotal += v
\t}
\treturn total
}
"""

# Test files as models write them: the external test package, names the client would not time,
# a helper in both files of the request, braces in strings, a benchmark and an import only it uses.
LLM_TESTS_0 = """package textx_test

import (
\t"fmt"
\t"strings"
\t"testing"

\t"example.com/gproj/textx"
)

func mk(n int) string { return strings.Repeat("{", n) }

func TestBasic(t *testing.T) {
\tif got := textx.JoinRepeat("ab", ",", 3); got != "ab,ab,ab" {
\t\tt.Fatalf("got %q, want {ab,ab,ab", got)
\t}
}

func TestBraces(t *testing.T) {
\tif got := textx.JoinRepeat(mk(2), "}", 2); got != "{{}{{" {
\t\tt.Fatalf("got %q", got)
\t}
}

func TestJoinRepeatLarge(t *testing.T) {
\tgot := textx.JoinRepeat("xyz", ";", 3000)
\tif len(got) != 3*3000+2999 {
\t\tt.Fatalf("len %d", len(got))
\t}
}

func BenchmarkJoinRepeat(b *testing.B) {
\tfor i := 0; i < b.N; i++ {
\t\tfmt.Sprint(textx.JoinRepeat("a", "b", 100))
\t}
}
"""
LLM_TESTS_1 = """package textx

import "testing"

func mk(n int) string {
\tout := ""
\tfor i := 0; i < n; i++ {
\t\tout += "q"
\t}
\treturn out
}

func TestJoinRepeat_Zero(t *testing.T) {
\tif got := JoinRepeat("x", "-", 0); got != "" {
\t\tt.Fatalf("got %q", got)
\t}
}

func TestJoinRepeat_One(t *testing.T) {
\tif got := JoinRepeat(mk(3), "-", 1); got != "qqq" {
\t\tt.Fatalf("got %q", got)
\t}
}

func TestJoinRepeat_Many(t *testing.T) {
\tgot := JoinRepeat(mk(5), "--", 2000)
\tif len(got) != 5*2000+2*1999 {
\t\tt.Fatalf("len %d", len(got))
\t}
}
"""


def fenced(path: str, code: str) -> str:
    return f"```go:{path}\n{code.rstrip()}\n```"


def reply(path: str, code: str) -> str:
    return f"Here is a faster version.\n\n{fenced(path, code)}\n"


def client_block(code: str) -> str:
    """The read-writable block the client sends for ``code``'s first function: here the sample
    files hold only the target and its helpers, in the client's order."""
    return code


@pytest.fixture
def codeflash_plugins() -> tuple[object, ...]:
    return (plugin,)


@pytest.fixture
def codeflash_use_database() -> bool:
    return False


def optimize_body(path: str, code: str, dependency_code: str = "") -> dict[str, Any]:
    return {
        "source_code": fenced(path, client_block(code)),
        "dependency_code": dependency_code,
        "trace_id": str(uuid.uuid4()),
        "language": "go",
        "experiment_metadata": None,
        "codeflash_version": "0.20.6",
        "is_async": False,
        "call_sequence": 3,
        "n_candidates": 1,
        "is_numerical_code": None,
        "rerun_trace_id": None,
        "language_version": "1.19",
    }


def request_for_tests(project: Path, path: str, code: str, function: str, index: int) -> dict[str, Any]:
    directory = path.rsplit("/", 1)[0]
    return {
        "source_code_being_tested": fenced(path, code),
        "function_to_optimize": {
            "function_name": function,
            "file_path": str(project / path),
            "parents": [],
            "starting_line": 4,
            "ending_line": 13,
            "is_async": False,
            "is_method": False,
            "language": "go",
        },
        "helper_function_names": [],
        "module_path": str(project / path),
        "test_module_path": f"{directory}.test_{function}__unit_test_{index}_test",
        "test_framework": "go-test",
        "test_timeout": 15,
        "trace_id": str(uuid.uuid4()),
        "test_index": index,
        "language": "go",
        "codeflash_version": "0.20.6",
        "is_async": False,
        "call_sequence": 1 + index,
        "is_numerical_code": None,
        "class_name": None,
        "qualified_name": function,
        "rerun_trace_id": None,
        "language_version": "1.19",
    }


async def _ask(client: Any, fake: Any, endpoint: str, body: dict[str, Any], llm_reply: str) -> dict[str, Any]:
    fake.clear()
    fake.reply(llm_reply)
    response = await client.post(endpoint, json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


@pytest.mark.asyncio
async def test_the_released_client_applies_and_runs_what_the_service_answers(
    codeflash_client: Any, codeflash_fake_llm: Any, tmp_path: Path
) -> None:
    require_go()
    try:
        ensure_client()
    except ClientUnavailableError as exc:
        pytest.skip(str(exc))
    projects = {
        "builder": write_module(tmp_path / "builder", {"textx/join.go": JOIN}),
        "helper": write_module(tmp_path / "helper", {"mathx/sum.go": SQUARES}),
        "table": write_module(tmp_path / "table", {"bitsx/pop.go": POPCOUNT}),
        "method": write_module(tmp_path / "method", {"stats/counter.go": COUNTER}),
    }
    ask = codeflash_client, codeflash_fake_llm
    counter_block = "package stats\n\n" + COUNTER.split("\n\n", 2)[2]
    responses = {
        "builder": await _ask(
            *ask,
            "/ai/optimize",
            optimize_body("textx/join.go", JOIN_REPEAT),
            reply("textx/join.go", JOIN_REPEAT_BUILDER),
        ),
        "helper": await _ask(
            *ask,
            "/ai/optimize",
            optimize_body("mathx/sum.go", SQUARES),
            reply("mathx/sum.go", SQUARES_HELPER),
        ),
        "table": await _ask(
            *ask,
            "/ai/optimize",
            optimize_body("bitsx/pop.go", POPCOUNT),
            reply("bitsx/pop.go", POPCOUNT_TABLE),
        ),
        "method": await _ask(
            *ask,
            "/ai/optimize",
            optimize_body("stats/counter.go", counter_block, dependency_code=COUNTER.split("\n\n")[1]),
            reply("stats/counter.go", COUNTER_FAST),
        ),
    }
    testgen = [
        await _ask(
            *ask,
            "/ai/testgen",
            request_for_tests(projects["builder"], "textx/join.go", JOIN_REPEAT, "JoinRepeat", index),
            f"```go\n{tests}```\n",
        )
        for index, tests in enumerate((LLM_TESTS_0, LLM_TESTS_1))
    ]
    cases = [
        {
            "name": name,
            "project": str(projects[name]),
            "source_path": path,
            "function": function,
            "response": responses[name],
        }
        for name, path, function in (
            ("builder", "textx/join.go", "JoinRepeat"),
            ("helper", "mathx/sum.go", "SumSquares"),
            ("table", "bitsx/pop.go", "PopCount"),
        )
    ]
    cases.append(
        {
            "name": "method",
            "project": str(projects["method"]),
            "source_path": "stats/counter.go",
            "function": "Total",
            "receiver": "Counter",
            "response": responses["method"],
        }
    )
    # The model's answer as it came, without this plugin: what the client would do with it.
    cases.append(
        {
            "name": "helper-raw",
            "project": str(projects["helper"]),
            "source_path": "mathx/sum.go",
            "function": "SumSquares",
            "response": {
                "optimizations": [
                    {
                        "source_code": fenced("mathx/sum.go", SQUARES_HELPER),
                        "explanation": "",
                        "optimization_id": str(uuid.uuid4()),
                    }
                ]
            },
        }
    )
    cases.append(
        {
            "name": "tests",
            "project": str(projects["builder"]),
            "source_path": "textx/join.go",
            "function": "JoinRepeat",
            "testgen": testgen,
        }
    )
    work = tmp_path / "client-work"
    work.mkdir()
    spec, report_path = tmp_path / "spec.json", tmp_path / "report.json"
    spec.write_text(json.dumps({"work": str(work), "cases": cases}))
    run = run_client(["python", str(DRIVER), str(spec), str(report_path)], cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr[-4000:]
    report = json.loads(report_path.read_text())

    for name in ("builder", "helper", "table", "method"):
        [candidate] = report[name]["candidates"]
        assert candidate["updated"], name
        project = Path(candidate["project"])
        build = run_go("build", "./...", cwd=project)
        assert build.returncode == 0, f"{name}:\n{candidate['source']}\n{build.stderr}"
        _check_behaviour(name, project)

    builder = report["builder"]["candidates"][0]["source"]
    assert 'import "strings"' in builder or '"strings"' in builder
    assert "func Shout" in builder  # the rest of the file is untouched
    helper = report["helper"]["candidates"][0]["source"]
    assert "closedForm := func(m int) int" in helper
    assert "func square(x int) int" in helper
    assert "var buildPopTable = func() [256]uint8" in report["table"]["candidates"][0]["source"]
    method = report["method"]["candidates"][0]["source"]
    assert "// Total returns the sum of the values.\nfunc (c *Counter) Total() int" in method
    # Without the plugin's rewrite, the client loses the new helper and the build fails.
    [raw] = report["helper-raw"]["candidates"]
    raw_build = run_go("build", "./...", cwd=Path(raw["project"]))
    assert raw_build.returncode != 0 and "undefined: closedForm" in raw_build.stderr

    tests = report["tests"]["tests"]
    assert tests["returncode"] == 0, tests
    assert not tests["failed"]
    assert len(tests["passed"]) >= 6, tests["passed"]
    for perf in tests["perf_files"]:
        _run_benchmarks(Path(tests["project"]), Path(perf))


BEHAVIOUR = {
    "builder": ('JoinRepeat("ab", ",", 3) != "ab,ab,ab" || JoinRepeat("a", "", 0) != ""', "textx"),
    "helper": ("SumSquares(10) != 285 || SumSquares(0) != 0 || SumSquares(-3) != 0", "mathx"),
    "table": ("PopCount(0) != 0 || PopCount(0xff) != 8 || PopCount(1<<63|5) != 3", "bitsx"),
    "method": ("(&Counter{values: []int{1, 2, 3}}).Total() != 6", "stats"),
}


def _check_behaviour(name: str, project: Path) -> None:
    condition, package = BEHAVIOUR[name]
    (project / package / "check_test.go").write_text(
        f'package {package}\n\nimport "testing"\n\nfunc TestCheck(t *testing.T) {{\n'
        f'\tif {condition} {{\n\t\tt.Fatal("wrong result")\n\t}}\n}}\n'
    )
    done = run_go("test", "-count=1", f"./{package}", cwd=project)
    assert done.returncode == 0, f"{name}: {done.stdout}\n{done.stderr}"


def _run_benchmarks(project: Path, perf: Path) -> None:
    """One benchmark file on its own (the client hides the others), a few iterations each."""
    alone = project.parent / f"bench-{perf.stem}"
    shutil.copytree(project, alone, ignore=shutil.ignore_patterns("*_test.go"))
    shutil.copy(perf, alone / perf.relative_to(project))
    done = run_go("test", "-run=^$", "-bench=.", "-benchtime=20x", f"./{perf.parent.name}", cwd=alone)
    assert done.returncode == 0, f"{perf.read_text()}\n{done.stdout}\n{done.stderr}"
    assert done.stdout.count("ns/op") >= 3, done.stdout
