"""The service as a real uvicorn process on a free port, backed by the session's PostgreSQL and a
fake LLM scripted with realistic replies, and the released client driven against it."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codeflash_engine.testing.fake_llm import FakeLLM, Reply
from codeflash_engine.testing.released_client import ClientUnavailableError, ensure_client, run_client
from codeflash_engine.testing.service import ServiceProcess
from tests import released_client_support as support

DRIVER = Path(__file__).parent / "client" / "driver.py"
RATE_LIMIT_MAX = 30


fence = support.fence

SOURCE_PATH = "mypkg/slow.py"
SOURCE = (
    "def sum_of_squares(n):\n    total = 0\n    for i in range(n):\n        total = total + i * i\n"
    "    return total\n"
)
CLOSED_FORM = (
    "def sum_of_squares(n):\n    if n <= 0:\n        return 0\n    return (n - 1) * n * (2 * n - 1) // 6\n"
)
GENERATOR = "def sum_of_squares(n):\n    return sum(i * i for i in range(n))\n"
MAPPED = "def sum_of_squares(n):\n    return sum(map(lambda i: i * i, range(n)))\n"
SHIFTED = (
    "def sum_of_squares(n):\n    if n <= 0:\n        return 0\n    m = n - 1\n"
    "    return m * (m + 1) * (2 * m + 1) // 6\n"
)
LISTED = "def sum_of_squares(n):\n    return sum([i * i for i in range(n)])\n"
WRONG = "def sum_of_squares(n):\n    return n * n\n"
LINE_PROFILE = (
    "# Timer unit: 1e-09 s\n## Function: sum_of_squares\n## Total time: 0.000178 s\n"
    "|   Hits |   Time |   Per Hit |   % Time | Line Contents |\n"
    "|-------:|-------:|----------:|---------:|:--------------|\n"
    "|      1 |    200 |       200 |      0.1 | total = 0 |\n"
    "|   1001 | 90000 |        90 |     50.6 | for i in range(n): |\n"
    "|   1000 | 87000 |        87 |     48.9 | total = total + i * i |\n"
)
# The LLM's test file: it forgets to import the module under test and redefines the function, as
# LLMs do; the service's cleanup must fix both before instrumenting.
LLM_TESTS = (
    "import pytest\n\n"
    "def sum_of_squares(n):\n    return 0\n\n"
    "def test_small():\n    assert sum_of_squares(0) == 0\n    assert sum_of_squares(5) == 30\n\n"
    "def test_negative():\n    assert sum_of_squares(-4) == 0\n\n"
    "@pytest.mark.parametrize('n', [10, 100, 1000])\n"
    "def test_against_formula(n):\n    assert sum_of_squares(n) == (n - 1) * n * (2 * n - 1) // 6\n"
)
REPAIRED_TESTS = LLM_TESTS + "\n\ndef test_slow():\n    assert sum_of_squares(2000) == 2664667000\n"
REFINE_EDIT = (
    "Reordered the product so the multiplication by n happens first.\n\n"
    f"{SOURCE_PATH}\n<<<<<<< SEARCH\n    return (n - 1) * n * (2 * n - 1) // 6\n=======\n"
    "    return n * (n - 1) * (2 * n - 1) // 6\n>>>>>>> REPLACE\n"
)
WORKFLOW = (
    "```yaml\n- uses: actions/checkout@v4\n- uses: actions/setup-python@v5\n  with:\n"
    "    python-version: '3.11'\n- run: pip install -e . pytest\n```\n"
)

NEGATIVE = {
    "broken": {
        "function": "broken_fn",
        "source_path": "mypkg/broken.py",
        "source": "def broken_fn(x):\n    return [v for v in x]\n",
    },
    "doomed": {
        "function": "doomed_fn",
        "source_path": "mypkg/doomed.py",
        "source": "def doomed_fn(x):\n    return sorted(x)[0]\n",
    },
}


def script_fake(fake: FakeLLM) -> None:
    """Realistic replies per task; the negative scenarios' functions get theirs first."""
    about = support.for_task

    def mentions(name: str, *tasks: str) -> Any:
        return lambda request: name in request.user and (not tasks or about(*tasks)(request))

    fake.fail(400, when=mentions("doomed_fn"), message="This model's maximum context length is exceeded")
    fake.on(
        mentions("broken_fn", "optimize"),
        respond=[
            Reply(fence("mypkg/broken.py", "def broken_fn(x)\n    return list(x)\n", "Use list().")),
            Reply("Use list():\n```\ndef broken_fn(x):\n    return list(x\n```\n"),
            Reply("I would use list(x) here, but I am not sure it is faster."),
        ],
    )
    fake.on(
        about("optimize"),
        respond=[
            Reply(fence(SOURCE_PATH, CLOSED_FORM, "Use the closed form n(n-1)(2n-1)/6 instead of a loop.")),
            Reply(fence(SOURCE_PATH, GENERATOR, "A generator expression inside sum() runs in C.")),
            Reply(fence(SOURCE_PATH, "def sum_of_squares(n)\n    return 0\n", "Broken on purpose.")),
            Reply(fence(SOURCE_PATH, MAPPED, "map() avoids the Python-level loop body.")),
            Reply(fence(SOURCE_PATH, CLOSED_FORM, "Closed form again.")),  # a duplicate
        ],
    )
    fake.reply(fence(SOURCE_PATH, SHIFTED, "Closed form on m = n - 1."), when=about("line_profiler"))
    fake.reply(REFINE_EDIT, when=about("refine"))
    fake.reply(
        fence(SOURCE_PATH, CLOSED_FORM, "n * n is wrong; the closed form is exact."), when=about("repair")
    )
    fake.reply(fence(SOURCE_PATH, LISTED, "A list comprehension, summed."), when=about("adaptive"))
    fake.reply(fence("tests/test_sum_of_squares__unit_test_0.py", LLM_TESTS), when=about("testgen"))
    fake.reply(
        fence("tests/test_sum_of_squares__unit_test_0.py", REPAIRED_TESTS), when=about("testgen_repair")
    )
    reviews = {
        "reviews": [
            {"test_index": 1, "functions": [{"function_name": "test_slow", "reason": "It timed out."}]},
            {"test_index": 7, "functions": [{"function_name": "test_ghost", "reason": "No such test."}]},
        ]
    }
    fake.reply(f"```json\n{json.dumps(reviews)}\n```\n", when=about("testgen_review"))
    fake.reply("RANKING: 2, 0, 1, 4, 3\nCandidate 2 keeps the code simplest.", when=about("rank"))
    fake.reply(
        "REVIEW: high\nThe closed form is exact for integers and removes the O(n) loop.", when=about("review")
    )
    fake.reply(
        "The loop summing `i * i` is replaced by the closed form `(n - 1) n (2n - 1) / 6`, which turns "
        "an O(n) loop into constant time; integer arithmetic keeps the result exact.",
        when=about("explain"),
    )
    fake.reply(WORKFLOW, when=about("workflow"))


@pytest.fixture(scope="module")
def contract_fake() -> Iterator[FakeLLM]:
    with FakeLLM() as fake:
        script_fake(fake)
        yield fake


@pytest.fixture(scope="module")
def contract_service(
    module_database_url: str, contract_fake: FakeLLM, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceProcess]:
    data_dir = tmp_path_factory.mktemp("contract-service")
    env = {
        "DATABASE_URL": module_database_url,
        "CODEFLASH_DATA_DIR": str(data_dir),
        "RATE_LIMIT_MAX": str(RATE_LIMIT_MAX),
        "CODEFLASH_LLM_MAX_RETRIES": "0",
        **contract_fake.env(),
    }
    with ServiceProcess(env=env, log_path=data_dir / "service.log") as service:
        yield service


@pytest.fixture(scope="module")
def client_report(
    contract_service: ServiceProcess, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Runs the driver once in the client's environment; tests assert on what it reports."""
    try:
        ensure_client()
    except ClientUnavailableError as exc:
        pytest.skip(str(exc))
    root = tmp_path_factory.mktemp("contract-client")
    (root / "mypkg").mkdir()
    (root / SOURCE_PATH).write_text(SOURCE)
    spec = {
        "base_url": contract_service.url,
        "keys": {
            "main": contract_service.create_key("contract-main@example.com"),
            "limited": contract_service.create_key("contract-limited@example.com"),
        },
        "rate_limit_max": RATE_LIMIT_MAX,
        "project": str(root),
        "source_path": SOURCE_PATH,
        "source": SOURCE,
        "fast": CLOSED_FORM,
        "wrong": WRONG,
        "function": "sum_of_squares",
        "module_path": "mypkg.slow",
        "test_module_path": "tests.test_sum_of_squares__unit_test_0",
        "line_profiler_results": LINE_PROFILE,
        "refine_pick": "(2 * n - 1) // 6",
        "negative": NEGATIVE,
    }
    spec_path = root / "spec.json"
    report_path = root / "report.json"
    spec_path.write_text(json.dumps(spec))
    run = run_client(["python", str(DRIVER), str(spec_path), str(report_path)], cwd=root, timeout=240)
    assert run.returncode == 0 and report_path.exists(), (
        f"driver failed ({run.returncode}):\n{run.stderr[-4000:]}\n--- service log ---\n"
        f"{contract_service.log_tail()}"
    )
    report: dict[str, Any] = json.loads(report_path.read_text())
    return report
