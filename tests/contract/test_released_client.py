"""The released client (codeflash 0.20.6) against the service running as a real process.

``client/driver.py`` runs in the client's own isolated environment and calls every
``AiServiceClient`` method the CLI uses; what the tests check is what the client got after its own
parsing (fences, ``compile`` of every block, its candidate models), plus the logs it wrote.
"""

import json
import re
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from codeflash_engine.testing.service import ServiceProcess

pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).parents[3] / "shared" / "reference" / "client-traffic-samples.json"
MODELS = {"gpt-5-mini", "claude-sonnet-5-5"}

# The keys the client reads from a 200 (``[...]``, a KeyError crashes the CLI), per endpoint.
CANDIDATE_KEYS = {"source_code", "explanation", "optimization_id"}
REQUIRED: dict[str, set[str]] = {
    "/ai/optimize": {"optimizations"},
    "/ai/optimize-line-profiler": {"optimizations"},
    "/ai/refinement": {"refinements"},
    "/ai/code_repair": CANDIDATE_KEYS,
    "/ai/adaptive_optimize": CANDIDATE_KEYS,
    "/ai/testgen": {"generated_tests", "instrumented_behavior_tests", "instrumented_perf_tests"},
    "/ai/testgen_repair": {"generated_tests", "instrumented_behavior_tests", "instrumented_perf_tests"},
    "/ai/testgen_review": {"reviews"},
    "/ai/rank": {"ranking"},
    "/ai/explain": {"explanation"},
    "/ai/optimization_review": {"review"},
    "/ai/log_features": set(),
}


def _happy(report: dict[str, Any], method: str) -> dict[str, Any]:
    entry: dict[str, Any] = report["happy"][method]
    assert "crashed" not in entry, entry.get("traceback")
    errors = [log for log in entry["logs"] if log["level"] in ("ERROR", "CRITICAL")]
    assert not errors, errors
    return entry


def _code(candidate: dict[str, Any]) -> str:
    return "\n".join(block["code"] for block in candidate["files"])


def _assert_candidate(candidate: dict[str, Any], *, parent: str | None) -> None:
    assert [block["path"] for block in candidate["files"]] == ["mypkg/slow.py"]
    compile(_code(candidate), "candidate", "exec")
    assert "def sum_of_squares(n):" in _code(candidate)
    assert uuid.UUID(candidate["optimization_id"])
    assert candidate["parent_id"] == parent
    # The model that answered, by our name or the provider's wire id (Bedrock's "us.anthropic.…").
    assert any(model in candidate["model"] for model in MODELS), candidate["model"]
    assert candidate["explanation"] and "```" not in candidate["explanation"]


def test_optimize_gives_parsed_unique_candidates(client_report: dict[str, Any]) -> None:
    """5 LLM replies: 3 distinct valid rewrites, one that does not compile, one duplicate."""
    candidates = _happy(client_report, "optimize_code")["candidates"]
    assert len(candidates) == 3
    for candidate in candidates:
        _assert_candidate(candidate, parent=None)
        assert candidate["source"] == "OPTIMIZE"
    assert len({c["optimization_id"] for c in candidates}) == 3
    assert len({_code(c) for c in candidates}) == 3


def test_line_profiler_candidates(client_report: dict[str, Any]) -> None:
    candidates = _happy(client_report, "optimize_python_code_line_profiler")["candidates"]
    assert len(candidates) == 1  # three identical replies, de-duplicated
    _assert_candidate(candidates[0], parent=None)
    assert candidates[0]["source"] == "OPTIMIZE_LP" and "m = n - 1" in _code(candidates[0])


def test_refinement_applies_search_replace_and_names_its_parent(client_report: dict[str, Any]) -> None:
    optimized = client_report["happy"]["optimize_code"]["candidates"]
    refined = _happy(client_report, "optimize_code_refinement")["candidates"]
    assert len(refined) == 1
    parent = next(c for c in optimized if "(2 * n - 1) // 6" in _code(c))
    _assert_candidate(refined[0], parent=parent["optimization_id"])
    assert "return n * (n - 1) * (2 * n - 1) // 6" in _code(refined[0])
    assert "if n <= 0:" in _code(refined[0])  # the rest of the parent survived the edit
    assert refined[0]["optimization_id"] not in {c["optimization_id"] for c in optimized}


def test_code_repair_returns_one_candidate_for_the_failing_one(client_report: dict[str, Any]) -> None:
    entry = _happy(client_report, "code_repair")
    _assert_candidate(entry["candidate"], parent=entry["sent_optimization_id"])
    assert entry["candidate"]["source"] == "REPAIR"
    assert "(2 * n - 1) // 6" in _code(entry["candidate"])


def test_adaptive_optimize_builds_on_a_candidate_the_client_has(client_report: dict[str, Any]) -> None:
    entry = _happy(client_report, "adaptive_optimize")
    candidate = entry["candidate"]
    assert candidate is not None and candidate["source"] == "ADAPTIVE"
    assert candidate["parent_id"] in entry["sent_ids"][:2]  # a successful one, never the wrong one
    assert "sum([i * i for i in range(n)])" in _code(candidate)


def _assert_instrumented(behavior: str, perf: str) -> None:
    """The released client's format (docs/testgen.md): stdout markers around every call of the
    function, and for behaviour the SQLite ``test_results`` rows in the client's run tmp dir."""
    for text in (behavior, perf):
        assert "'tests.test_sum_of_squares__unit_test_0'" in text
        assert "'!$######'" in text and "CODEFLASH_LOOP_INDEX" in text
        calls = re.findall(r"(\S*)sum_of_squares\(", text.split("from mypkg.slow import sum_of_squares")[1])
        assert not calls, f"uninstrumented calls of the function: {calls}"
    assert "test_return_values_" in behavior and "CREATE TABLE IF NOT EXISTS test_results" in behavior
    assert "CODEFLASH_TEST_ITERATION" in behavior
    assert "sqlite3" not in perf


def test_testgen_returns_instrumented_tests_the_client_can_use(client_report: dict[str, Any]) -> None:
    _happy(client_report, "generate_regression_tests")
    tests = client_report["happy"]["generated_regression_tests"]
    assert tests["compiles"] == {"generated": True, "behavior": True, "perf": True}
    generated = tests["generated_tests"]
    assert "from mypkg.slow import sum_of_squares" in generated
    assert "def sum_of_squares" not in generated  # the LLM's redefinition is gone
    behavior = tests["instrumented_behavior_tests"]
    assert "{codeflash_run_tmp_dir_client_side}" in behavior
    assert "{codeflash_run_tmp_dir_client_side}" not in tests["behavior_after_client"]
    _assert_instrumented(behavior, tests["instrumented_perf_tests"])
    assert "def test_small" in tests["raw_generated_tests"]


def test_testgen_review_only_reviews_tests_the_client_sent(client_report: dict[str, Any]) -> None:
    reviews = _happy(client_report, "review_generated_tests")["reviews"]
    assert reviews == [{"test_index": 1, "functions": [["test_slow", "It timed out."]]}]


def test_testgen_repair_returns_three_test_strings(client_report: dict[str, Any]) -> None:
    tests = _happy(client_report, "repair_generated_tests")["tests"]
    assert tests is not None and len(tests) == 3
    generated, behavior, perf = tests
    assert "def test_slow" in generated and "def sum_of_squares" not in generated
    _assert_instrumented(behavior, perf)


def test_ranking_is_a_permutation_led_by_the_llms_choice(client_report: dict[str, Any]) -> None:
    entry = _happy(client_report, "generate_ranking")
    assert entry["sent"] == 5
    assert sorted(entry["ranking"]) == list(range(5))
    assert entry["ranking"][0] == 2


def test_explanation_is_the_llms_prose(client_report: dict[str, Any]) -> None:
    explanation = _happy(client_report, "get_new_explanation")["explanation"]
    assert "closed form" in explanation and "O(n)" in explanation


def test_optimization_review(client_report: dict[str, Any]) -> None:
    review, explanation = _happy(client_report, "get_optimization_review")["review"]
    assert review == "high"
    assert "exact for integers" in explanation and "REVIEW:" not in explanation


def test_log_results_is_accepted(client_report: dict[str, Any]) -> None:
    assert _happy(client_report, "log_results")["status"] == 200


def test_workflow_steps_are_a_yaml_list_of_steps(client_report: dict[str, Any]) -> None:
    steps = yaml.safe_load(_happy(client_report, "generate_workflow_steps")["workflow_steps"])
    assert isinstance(steps, list) and steps
    assert all(isinstance(step, dict) and ("uses" in step or "run" in step) for step in steps)
    assert steps[0]["uses"].startswith("actions/checkout")


# -- negative paths: the client logs an error and goes on, it never crashes --------------------------


def _negative(report: dict[str, Any], name: str) -> dict[str, Any]:
    entry: dict[str, Any] = report["negative"][name]
    assert "crashed" not in entry, entry.get("traceback")
    return entry


def _errors(entry: dict[str, Any]) -> list[str]:
    return [log["message"] for log in entry["logs"] if log["level"] == "ERROR"]


def test_invalid_fences_leave_no_candidate_and_no_crash(client_report: dict[str, Any]) -> None:
    entry = _negative(client_report, "invalid_fences")
    assert entry["candidates"] == []
    assert not _errors(entry)  # zero survivors is a 200 with an empty list, not an error
    assert any("Received 0 optimization candidates" in log["message"] for log in entry["logs"])


@pytest.mark.parametrize(
    ("name", "empty", "action"),
    [
        ("llm_down_optimize", [], "generating optimized candidates"),
        ("llm_down_testgen", None, "generating tests"),
    ],
)
def test_all_llm_calls_failing_is_an_error_the_client_reports(
    client_report: dict[str, Any], name: str, empty: Any, action: str
) -> None:
    entry = _negative(client_report, name)
    assert entry["result"] == empty
    [error] = _errors(entry)
    assert re.match(rf"Error {action}: 5\d\d - \S", error), error


@pytest.mark.parametrize(
    ("name", "empty", "status"),
    [
        ("bad_key_optimize", [], 401),
        ("bad_key_explain", "", 401),
        ("rate_limited_optimize", [], 429),
        ("rate_limited_ranking", None, 429),
    ],
)
def test_auth_and_rate_limit_errors_are_logged_not_fatal(
    client_report: dict[str, Any], name: str, empty: Any, status: int
) -> None:
    entry = _negative(client_report, name)
    assert entry["result"] == empty
    [error] = _errors(entry)
    assert re.match(rf"Error [a-z ]+: {status} - \S", error), error
    assert "{" not in error  # the client printed our "error" text, not a raw body


def test_rate_limit_is_reached_exactly(client_report: dict[str, Any]) -> None:
    assert client_report["negative"]["burned_statuses"] == [200] * len(
        client_report["negative"]["burned_statuses"]
    )


# -- the captured traffic of a real CLI run, replayed over HTTP --------------------------------------


def _samples() -> list[dict[str, Any]]:
    if not SAMPLES.exists():
        pytest.skip(f"the shared client traffic samples are not beside the checkout ({SAMPLES})")
    exchanges: list[dict[str, Any]] = json.loads(SAMPLES.read_text())["exchanges"]
    return [e for e in exchanges if e["endpoint"].startswith("/ai/")]


@pytest.fixture(scope="module")
def replay_key(contract_service: ServiceProcess) -> str:
    return contract_service.create_key("contract-replay@example.com")


@pytest.mark.parametrize("endpoint", sorted(REQUIRED))
def test_captured_requests_get_200_with_every_key_the_client_reads(
    contract_service: ServiceProcess, replay_key: str, endpoint: str
) -> None:
    [exchange] = [e for e in _samples() if e["endpoint"] == endpoint]
    headers = {**exchange["request_headers"], "Authorization": f"Bearer {replay_key}"}
    response = httpx.post(
        f"{contract_service.url}{endpoint}",
        content=json.dumps(exchange["request_json"]),
        headers=headers,
        timeout=60,
    )
    assert response.status_code == 200, (response.text, contract_service.log_tail(3000))
    body = response.json()
    assert REQUIRED[endpoint] <= set(body), body
    assert "server-timing" in response.headers
    candidates = body.get("optimizations", body.get("refinements", []))
    if endpoint in ("/ai/code_repair", "/ai/adaptive_optimize"):
        candidates = [body]
    for candidate in candidates:
        assert set(candidate) >= CANDIDATE_KEYS
        assert re.match(r"```python:mypkg/slow\.py\n", candidate["source_code"])
        compile(candidate["source_code"].split("\n", 1)[1].rsplit("\n```", 1)[0], "candidate", "exec")
    if endpoint == "/ai/rank":
        assert sorted(body["ranking"]) == list(range(len(exchange["request_json"]["diffs"])))
    if endpoint == "/ai/testgen_review":
        sent = {t["test_index"] for t in exchange["request_json"]["tests"]}
        assert {r["test_index"] for r in body["reviews"]} <= sent


def test_replay_covers_every_endpoint_the_client_called() -> None:
    assert {e["endpoint"] for e in _samples()} == set(REQUIRED)
