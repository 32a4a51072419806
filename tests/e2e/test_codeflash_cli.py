"""``codeflash --file F --function NAME --no-pr -y`` (the released 0.20.6 CLI, in its own environment)
finds, verifies and applies an optimization through this service, and rejects a wrong one because
the instrumented regression tests the service generated catch the difference."""

import re
from typing import Any

import pytest

from codeflash_engine.testing.fake_llm import FakeLLM
from codeflash_engine.testing.service import ServiceProcess

pytestmark = pytest.mark.e2e

SUCCESS = "⚡️ Optimization successful! 📄"
POSITIVE = ["plain", "method", "helper", "quadratic"]


def _diagnose(run: Any, service: ServiceProcess) -> str:
    return (
        f"exit {run.returncode} after {run.seconds:.0f} s\n--- stdout ---\n{run.stdout[-5000:]}\n"
        f"--- stderr ---\n{run.stderr[-3000:]}\n--- service log ---\n{service.log_tail(3000)}"
    )


def _generated_tests(output: str) -> tuple[int, int]:
    match = re.search(r"Generated Regression Tests- \(Passed: (\d+), Failed: (\d+)\)", output)
    assert match, "no generated-test report in the CLI output"
    return int(match.group(1)), int(match.group(2))


@pytest.mark.parametrize("name", POSITIVE)
def test_cli_applies_a_verified_optimization(
    cli_runs: dict[str, Any], e2e_service: ServiceProcess, name: str
) -> None:
    run = cli_runs[name]
    assert run.returncode == 0, _diagnose(run, e2e_service)
    assert SUCCESS in run.output, _diagnose(run, e2e_service)
    assert re.search(r"📈 [\d,.]+% runtime improvement", run.output), _diagnose(run, e2e_service)
    # The file now holds the LLM's rewrite (the CLI replaced the function in place).
    assert run.after != run.before
    assert run.case.applied in run.after, run.after
    # The CLI verified it by running our instrumented tests: they passed on both versions.
    passed, failed = _generated_tests(run.output)
    assert passed > 0 and failed == 0, run.output[-3000:]
    assert "Reviewer Assessment: High" in run.output


def test_cli_rejects_an_optimization_that_changes_behaviour(
    cli_runs: dict[str, Any], e2e_service: ServiceProcess
) -> None:
    run = cli_runs["wrong"]
    assert run.returncode == 0, _diagnose(run, e2e_service)
    assert SUCCESS not in run.output
    assert run.after == run.before
    assert run.case.applied not in run.after
    # Rejected because the return values our instrumented tests recorded differ, not for lack of tests.
    assert "Test results did not match the test results of the original code" in run.output, _diagnose(
        run, e2e_service
    )


def test_only_successful_runs_mark_success(cli_runs: dict[str, Any], cfapi_stub: Any) -> None:
    marked = [path for method, path in cfapi_stub.calls if path.startswith("/cfapi/mark-as-success")]
    assert len(marked) == len(POSITIVE), cfapi_stub.calls
    assert len(cli_runs) == len(POSITIVE) + 1


def test_every_run_got_tests_and_candidates_from_the_service(
    cli_runs: dict[str, Any], e2e_fake: FakeLLM
) -> None:
    prompts = [request.user for request in e2e_fake.requests]
    for run in cli_runs.values():
        mine = [p for p in prompts if run.case.marker in p]
        assert sum(p.startswith("Write pytest regression tests") for p in mine) == 2  # test_index 0, 1
        assert any(p.startswith("Optimize `") for p in mine)
