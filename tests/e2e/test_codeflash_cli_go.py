"""``codeflash --file textx/join.go --function JoinRepeat --no-pr -y`` (the released 0.20.6 CLI) on a
small standard-library Go module, optimized through this service with the fake LLM
(``client-contract-go.md`` §7): the service's tests run and time the function, its candidate is
applied, and the rewritten module still builds and passes its own tests.

The fake LLM answers as models do: a test file in the external test package with a helper that
the other test file of the request declares too, and a candidate whose speed-up lives in a new
helper function, which the client alone would drop (``undefined``) — the Go plugin folds it in.

Run it inside a private network namespace: the CLI only talks to localhost:8000 and :3001.
"""

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from attrs import frozen

from codeflash_engine.testing.fake_llm import FakeLLM, RecordedRequest, Reply
from codeflash_engine.testing.released_client import ClientUnavailableError, ensure_client, run_client
from codeflash_engine.testing.service import ServiceProcess
from tests import released_client_support as support

pytestmark = pytest.mark.e2e

GO_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "codeflash-engine" / "go-build"
SUCCESS = "⚡️ Optimization successful! 📄"
SOURCE_PATH = "textx/join.go"
SOURCE = """package textx

import (
\t"strconv"
\t"unicode/utf8"
)

// JoinRepeat concatenates s n times, with sep between the copies.
func JoinRepeat(s string, sep string, n int) string {
\tout := ""
\tfor i := 0; i < n; i++ {
\t\tif i > 0 {
\t\t\tout += sep
\t\t}
\t\tout += s
\t}
\treturn out
}

// Numbered is not part of the optimization; it keeps the file's imports in use.
func Numbered(n int) string {
\tout := JoinRepeat(strconv.Itoa(n), " ", 2)
\treturn out[:utf8.RuneCountInString(out)]
}
"""
OWN_TESTS = """package textx

import "testing"

func TestNumbered(t *testing.T) {
\tif got := Numbered(7); got != "7 7" {
\t\tt.Fatalf("got %q", got)
\t}
}
"""
# The speed-up calls a new top-level helper: the client would not add it.
OPTIMIZED = """package textx

import "strings"

// JoinRepeat concatenates s n times, with sep between the copies.
func JoinRepeat(s string, sep string, n int) string {
\tif n <= 0 {
\t\treturn ""
\t}
\tvar b strings.Builder
\tb.Grow(joinedLength(len(s), len(sep), n))
\tfor i := 0; i < n; i++ {
\t\tif i > 0 {
\t\t\tb.WriteString(sep)
\t\t}
\t\tb.WriteString(s)
\t}
\treturn b.String()
}

func joinedLength(item, sep, n int) int {
\treturn item*n + sep*(n-1)
}
"""
TESTS = (
    """package textx_test

import (
\t"strings"
\t"testing"

\t"example.com/gproj/textx"
)

func words(n int) []string { return strings.Fields(strings.Repeat("ab ", n)) }

func TestBasic(t *testing.T) {
\tif got := textx.JoinRepeat("ab", ",", 3); got != "ab,ab,ab" {
\t\tt.Fatalf("got %q, want {ab,ab,ab}", got)
\t}
}

func TestZero(t *testing.T) {
\tif got := textx.JoinRepeat("x", "-", 0); got != "" {
\t\tt.Fatalf("got %q", got)
\t}
}

func TestLarge(t *testing.T) {
\tgot := textx.JoinRepeat(words(1)[0], ";", 3000)
\tif len(got) != 2*3000+2999 {
\t\tt.Fatalf("len %d", len(got))
\t}
}
""",
    """package textx

import "testing"

func words(n int) []string {
\tout := make([]string, n)
\tfor i := range out {
\t\tout[i] = "w"
\t}
\treturn out
}

func TestJoinRepeat_One(t *testing.T) {
\tif got := JoinRepeat("abc", "--", 1); got != "abc" {
\t\tt.Fatalf("got %q", got)
\t}
}

func TestJoinRepeat_EmptySeparator(t *testing.T) {
\tif got := JoinRepeat(words(1)[0], "", 4); got != "wwww" {
\t\tt.Fatalf("got %q", got)
\t}
}

func TestJoinRepeat_Many(t *testing.T) {
\tgot := JoinRepeat("xyz", "::", 2500)
\tif len(got) != 3*2500+2*2499 {
\t\tt.Fatalf("len %d", len(got))
\t}
}
""",
)


@frozen
class GoRun:
    returncode: int
    stdout: str
    stderr: str
    project: Path
    seconds: float

    @property
    def output(self) -> str:
        return " ".join(self.stdout.replace("│", " ").split())

    def diagnose(self, service: ServiceProcess) -> str:
        return (
            f"exit {self.returncode} after {self.seconds:.0f} s\n--- stdout ---\n{self.stdout[-6000:]}\n"
            f"--- stderr ---\n{self.stderr[-3000:]}\n--- service log ---\n{service.log_tail(3000)}"
        )


def _about_go(*tasks: str) -> Callable[[RecordedRequest], bool]:
    return lambda request: "JoinRepeat" in request.user and support.task_of(request) in tasks


def _go_fence(path: str, code: str, explanation: str) -> str:
    return f"{explanation}\n\n```go:{path}\n{code.rstrip()}\n```\n"


@pytest.fixture(scope="module")
def e2e_fake() -> Iterator[FakeLLM]:
    """Overrides the Python cases' fake LLM for this module: Go replies only."""
    with FakeLLM() as fake:
        fake.on(
            _about_go("testgen"),
            respond=[Reply(f"```go\n{tests}```\n") for tests in TESTS],
        )
        fake.reply(
            _go_fence(
                SOURCE_PATH, OPTIMIZED, "A strings.Builder grown once replaces quadratic concatenation."
            ),
            when=_about_go("optimize", "adaptive", "refine", "repair"),
        )
        fake.reply("RANKING: 0\nThe only candidate.", when=support.for_task("rank"))
        fake.reply("REVIEW: high\nLinear instead of quadratic, same output.", when=support.for_task("review"))
        fake.reply("The loop now appends to one pre-sized buffer.", when=support.for_task("explain"))
        yield fake


def _go() -> str:
    go = shutil.which("go")
    if go is None:
        pytest.skip("go is not installed (Debian: apt-get install golang-go; listed in .ci/debian-packages)")
    return go


def _go_env(home: Path) -> dict[str, str]:
    GO_CACHE.mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(home),
        "GOPROXY": "off",
        "GOFLAGS": "-mod=mod",
        "GOTOOLCHAIN": "local",
        "GOCACHE": str(GO_CACHE),
    }


def _make_project(root: Path) -> Path:
    project = root / "gproj"
    (project / "textx").mkdir(parents=True)
    (project / "go.mod").write_text("module example.com/gproj\n\ngo 1.19\n")
    (project / SOURCE_PATH).write_text(SOURCE)
    (project / "textx" / "numbered_test.go").write_text(OWN_TESTS)
    git = ["git", "-c", "user.name=e2e", "-c", "user.email=e2e@example.com"]
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "initial"]):
        subprocess.run([*git, *command], cwd=project, check=True, capture_output=True)
    return project


@pytest.fixture(scope="module")
def go_run(
    e2e_service: ServiceProcess, cfapi_stub: object, tmp_path_factory: pytest.TempPathFactory
) -> GoRun:
    go = _go()
    try:
        ensure_client()
    except ClientUnavailableError as exc:
        pytest.skip(str(exc))
    root = tmp_path_factory.mktemp("e2e-go")
    project = _make_project(root)
    home = root / "home"
    home.mkdir()
    key = e2e_service.create_key("e2e-go@example.com")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CODEFLASH_", "GO"))},
        **_go_env(home),
        "PATH": f"{Path(go).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "CODEFLASH_AIS_SERVER": "local",
        "CODEFLASH_CFAPI_SERVER": "local",
        "CODEFLASH_API_KEY": key,
        "CODEFLASH_LOOPING_TIME": "1",
        "COLUMNS": "200",
    }
    started = time.monotonic()
    done = run_client(
        ["codeflash", "--file", SOURCE_PATH, "--function", "JoinRepeat", "--no-pr", "-y"],
        cwd=project,
        env=env,
        timeout=300,
    )
    return GoRun(done.returncode, done.stdout, done.stderr, project, time.monotonic() - started)


def test_go_cli_applies_an_optimization_through_the_service(
    go_run: GoRun, e2e_service: ServiceProcess
) -> None:
    assert go_run.returncode == 0, go_run.diagnose(e2e_service)
    assert SUCCESS in go_run.output, go_run.diagnose(e2e_service)
    rewritten = (go_run.project / SOURCE_PATH).read_text()
    assert rewritten != SOURCE
    # The candidate's helper reached the file folded into the function; the untouched code stayed.
    assert "joinedLength := func(item, sep, n int) int" in rewritten, rewritten
    assert "var b strings.Builder" in rewritten
    assert "func Numbered(n int) string" in rewritten
    assert "// JoinRepeat concatenates s n times" in rewritten


def test_go_module_still_builds_and_passes_its_tests(go_run: GoRun, tmp_path: Path) -> None:
    env = {**os.environ, **_go_env(tmp_path)}
    for command in (["build", "./..."], ["test", "-count=1", "./..."]):
        done = subprocess.run(
            [_go(), *command],
            cwd=go_run.project,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert done.returncode == 0, f"go {' '.join(command)}:\n{done.stdout}\n{done.stderr}"


def test_go_run_used_the_services_tests_and_called_each_go_endpoint(
    go_run: GoRun, e2e_fake: FakeLLM, cfapi_stub: object
) -> None:
    tasks = [support.task_of(request) for request in e2e_fake.requests if "JoinRepeat" in request.user]
    assert tasks.count("testgen") == 2, tasks
    assert "optimize" in tasks
    assert "line_profiler" not in tasks
    assert any(support.task_of(request) == "explain" for request in e2e_fake.requests)
    assert any(support.task_of(request) == "review" for request in e2e_fake.requests)
    match = "Generated Regression Tests- (Passed: "
    assert match in go_run.output, go_run.output[-3000:]
    marked = [path for method, path in cfapi_stub.calls if path.startswith("/cfapi/mark-as-success")]  # type: ignore[attr-defined]
    assert marked
