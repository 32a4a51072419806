"""The released codeflash CLI end to end against the service (contract §7): the service on
127.0.0.1:8000 (the CLI hard-codes ``localhost:8000`` for ``CODEFLASH_AIS_SERVER=local``) backed by
the fake LLM and the session's PostgreSQL, a cfapi stand-in on 127.0.0.1:3001, and one small git
project per case, all optimized by concurrent CLI runs."""

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from attrs import frozen

from codeflash_engine.testing.fake_llm import FakeLLM, RecordedRequest
from codeflash_engine.testing.released_client import ClientUnavailableError, ensure_client, run_client
from codeflash_engine.testing.service import PortBusyError, ServiceProcess, port_is_free
from tests import released_client_support as support

AI_PORT = 8000
CFAPI_PORT = 3001
LOOPING_TIME = "1"


@frozen
class Case:
    """A project with one function, the LLM's test file for it and its "optimization".

    ``marker`` is text that occurs in every prompt about this case (its code), so the shared fake
    LLM answers each case's requests with the case's replies.
    """

    name: str
    path: str
    source: str
    function: str
    marker: str
    tests: str
    optimized: str
    explanation: str
    applied: str
    """A line of ``optimized`` the original does not have: in the file once the CLI applied it."""
    correct: bool = True


CASES = (
    Case(
        name="plain",
        path="mypkg/slow.py",
        source=(
            "def sum_of_squares(n):\n    total = 0\n    for i in range(n):\n"
            "        total = total + i * i\n    return total\n"
        ),
        function="sum_of_squares",
        marker="def sum_of_squares",
        tests=(
            "import pytest\nfrom mypkg.slow import sum_of_squares\n\n"
            "def test_small():\n    assert sum_of_squares(0) == 0\n    assert sum_of_squares(5) == 30\n\n"
            "def test_negative():\n    assert sum_of_squares(-3) == 0\n\n"
            "@pytest.mark.parametrize('n', [10, 1000, 5000])\n"
            "def test_larger(n):\n    assert sum_of_squares(n) == sum(i * i for i in range(n))\n"
        ),
        optimized=(
            "def sum_of_squares(n):\n    if n <= 0:\n        return 0\n"
            "    return (n - 1) * n * (2 * n - 1) // 6\n"
        ),
        explanation="The closed form n(n-1)(2n-1)/6 replaces the O(n) loop.",
        applied="return (n - 1) * n * (2 * n - 1) // 6",
    ),
    Case(
        name="method",
        path="mypkg/acc.py",
        source=(
            "class Accumulator:\n    def __init__(self, scale):\n        self.scale = scale\n\n"
            "    def total(self, values):\n        result = 0\n        for v in values:\n"
            "            result += v * self.scale\n        return result\n"
        ),
        function="Accumulator.total",
        marker="class Accumulator",
        tests=(
            "from mypkg.acc import Accumulator\n\n"
            "class TestTotal:\n"
            "    def test_basic(self):\n        assert Accumulator(2).total([1, 2, 3]) == 12\n\n"
            "    def test_empty(self):\n        assert Accumulator(3).total([]) == 0\n\n"
            "    def test_large(self):\n"
            "        assert Accumulator(-2).total(list(range(3000))) == -2 * sum(range(3000))\n"
        ),
        optimized=(
            "class Accumulator:\n    def __init__(self, scale):\n        self.scale = scale\n\n"
            "    def total(self, values):\n        return sum(values) * self.scale\n"
        ),
        explanation="sum() runs the loop in C; the scale is applied once.",
        applied="return sum(values) * self.scale",
    ),
    Case(
        name="helper",
        path="mypkg/text.py",
        source=(
            "def _normalize(word):\n    return word.strip().lower()\n\n\n"
            "def unique_words(words):\n    seen = []\n    for w in words:\n        n = _normalize(w)\n"
            "        if n not in seen:\n            seen.append(n)\n    return sorted(seen)\n"
        ),
        function="unique_words",
        marker="def unique_words",
        tests=(
            "from mypkg.text import unique_words\n\n"
            "def test_case_and_spaces():\n    assert unique_words(['a', ' A', 'b ']) == ['a', 'b']\n\n"
            "def test_empty():\n    assert unique_words([]) == []\n\n"
            "def test_many():\n"
            "    words = [f' W{i % 400} ' for i in range(4000)]\n"
            "    assert unique_words(words) == sorted({f'w{i}' for i in range(400)})\n"
        ),
        optimized=(
            "def _normalize(word):\n    return word.strip().lower()\n\n\n"
            "def unique_words(words):\n    return sorted({_normalize(w) for w in words})\n"
        ),
        explanation="A set replaces the list membership test, which was O(n) per word.",
        applied="return sorted({_normalize(w) for w in words})",
    ),
    Case(
        # Issue 14: the one test large enough to show the O(n^2) original's cost builds its 2 000-element
        # input by a comprehension and asserts the answer; size capping must leave it working.
        name="quadratic",
        path="mypkg/dups.py",
        source=(
            "def first_repeat(xs):\n    seen = []\n    for x in xs:\n        if x in seen:\n"
            "            return x\n        seen.append(x)\n    return None\n"
        ),
        function="first_repeat",
        marker="def first_repeat",
        tests=(
            "from mypkg.dups import first_repeat\n\n"
            "def test_small():\n    assert first_repeat([1, 2, 1]) == 1\n"
            "    assert first_repeat([3, 4, 5]) is None\n\n"
            "def test_empty():\n    assert first_repeat([]) is None\n\n"
            "def test_large_input():\n"
            "    data = [i % 5000 for i in range(2000)] + [1999]\n"
            "    assert first_repeat(data) == 1999\n"
        ),
        optimized=(
            "def first_repeat(xs):\n    seen = set()\n    for x in xs:\n        if x in seen:\n"
            "            return x\n        seen.add(x)\n    return None\n"
        ),
        explanation="A set makes each membership test O(1) instead of a scan of the list.",
        applied="seen = set()",
    ),
    Case(
        name="wrong",
        path="mypkg/evens.py",
        source="def count_evens(xs):\n    return sum(1 for x in xs if x % 2 == 0)\n",
        function="count_evens",
        marker="def count_evens",
        tests=(
            "from mypkg.evens import count_evens\n\n"
            "def test_mixed():\n    assert count_evens([1, 2, 3, 4, 6]) == 3\n\n"
            "def test_odd_only():\n    assert count_evens([1, 3, 5]) == 0\n\n"
            "def test_large():\n    assert count_evens(list(range(5000))) == 2500\n"
        ),
        # Faster, and wrong: the tests must catch it.
        optimized="def count_evens(xs):\n    return len(xs) // 2\n",
        explanation="Half of the numbers are even.",
        applied="return len(xs) // 2",
        correct=False,
    ),
)
BY_NAME = {case.name: case for case in CASES}
WRONG_REPAIR = "def count_evens(xs):\n    return (len(xs) + 1) // 2\n"


def _about(case: Case, *tasks: str) -> Callable[[RecordedRequest], bool]:
    return lambda request: case.marker in request.user and support.task_of(request) in tasks


def script_fake(fake: FakeLLM) -> None:
    for case in CASES:
        rewrite = support.fence(case.path, case.optimized, case.explanation)
        test_path = f"tests/test_{case.function.split('.')[-1]}__unit_test_0.py"
        fake.reply(support.fence(test_path, case.tests), when=_about(case, "testgen"))
        fake.reply(rewrite, when=_about(case, "optimize", "line_profiler", "adaptive"))
        if case.correct:
            # A refinement identical to its parent is dropped by the service: nothing new to try.
            fake.reply(rewrite, when=_about(case, "refine", "repair"))
        else:
            fake.reply(
                support.fence(case.path, WRONG_REPAIR, "Round up."), when=_about(case, "repair", "refine")
            )
    fake.reply("RANKING: 0\nThe only candidate.", when=support.for_task("rank"))
    fake.reply("REVIEW: high\nA clear, exact speedup.", when=support.for_task("review"))
    fake.reply(
        "The optimized version does the same work with fewer Python-level operations.",
        when=support.for_task("explain"),
    )


@frozen
class CliRun:
    case: Case
    returncode: int
    stdout: str
    stderr: str
    before: str
    after: str
    seconds: float

    @property
    def output(self) -> str:
        """stdout with the console's line wrapping and box drawing flattened."""
        return " ".join(self.stdout.replace("│", " ").split())


def make_project(root: Path, case: Case) -> Path:
    project = root / case.name
    (project / "mypkg").mkdir(parents=True)
    (project / "tests").mkdir()
    (project / "mypkg" / "__init__.py").write_text("")
    (project / "tests" / "__init__.py").write_text("")
    (project / case.path).write_text(case.source)
    (project / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0.0.1"\n\n'
        '[tool.codeflash]\nmodule-root = "mypkg"\ntests-root = "tests"\n'
        'formatter-cmds = ["disabled"]\ndisable-telemetry = true\n'
    )
    git = ["git", "-c", "user.name=e2e", "-c", "user.email=e2e@example.com"]
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "initial"]):
        subprocess.run([*git, *command], cwd=project, check=True, capture_output=True)
    return project


def run_cli(root: Path, case: Case, key: str) -> CliRun:
    project = make_project(root, case)
    home = root / f"home-{case.name}"
    home.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CODEFLASH_")},
        "HOME": str(home),
        "CODEFLASH_AIS_SERVER": "local",
        "CODEFLASH_CFAPI_SERVER": "local",
        "CODEFLASH_API_KEY": key,
        "CODEFLASH_LOOPING_TIME": LOOPING_TIME,
        "COLUMNS": "200",
    }
    command = ["codeflash", "--file", case.path, "--function", case.function, "--no-pr", "-y"]
    started = time.monotonic()
    done = run_client(command, cwd=project, env=env, timeout=300)
    return CliRun(
        case=case,
        returncode=done.returncode,
        stdout=done.stdout,
        stderr=done.stderr,
        before=case.source,
        after=(project / case.path).read_text(),
        seconds=time.monotonic() - started,
    )


@pytest.fixture(scope="module")
def e2e_fake() -> Iterator[FakeLLM]:
    with FakeLLM() as fake:
        script_fake(fake)
        yield fake


@pytest.fixture(scope="module")
def cfapi_stub() -> Iterator[Any]:
    if not port_is_free(CFAPI_PORT):
        pytest.fail(
            f"port 127.0.0.1:{CFAPI_PORT} is in use: the codeflash CLI's cfapi backend must be stubbed "
            "there (CODEFLASH_CFAPI_SERVER=local is hard-coded to it); stop what listens on it"
        )
    with support.CfapiStub(port=CFAPI_PORT) as stub:
        yield stub


@pytest.fixture(scope="module")
def e2e_service(
    module_database_url: str, e2e_fake: FakeLLM, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceProcess]:
    data_dir = tmp_path_factory.mktemp("e2e-service")
    env = {"DATABASE_URL": module_database_url, "CODEFLASH_DATA_DIR": str(data_dir), **e2e_fake.env()}
    try:
        service = ServiceProcess(env=env, port=AI_PORT, log_path=data_dir / "service.log").start()
    except PortBusyError as exc:
        pytest.fail(f"{exc}. The codeflash CLI only talks to localhost:{AI_PORT} for a local service.")
    yield service
    service.stop()


@pytest.fixture(scope="module")
def cli_runs(
    e2e_service: ServiceProcess, cfapi_stub: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, CliRun]:
    """Every case's CLI run, concurrently (one key each: every run stays within its rate limit)."""
    try:
        ensure_client()
    except ClientUnavailableError as exc:
        pytest.skip(str(exc))
    root = tmp_path_factory.mktemp("e2e")
    keys = {case.name: e2e_service.create_key(f"e2e-{case.name}@example.com") for case in CASES}
    with ThreadPoolExecutor(max_workers=len(CASES)) as pool:
        futures = {case.name: pool.submit(run_cli, root, case, keys[case.name]) for case in CASES}
        return {name: future.result() for name, future in futures.items()}
