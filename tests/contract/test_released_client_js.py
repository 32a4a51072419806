"""The JavaScript/TypeScript flow against the released client's own parsing.

Every captured JS/TS request of the real CLI (client-traffic-samples-js.json) is replayed to the
service (a real uvicorn process, hooks in worker processes, a fake LLM scripted with realistic JS
and TS replies, including ones the client would mis-apply); the answers are then parsed in the
client's isolated environment by its own code (tests/contract/client/driver_js.py).
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from codeflash_engine.testing.fake_llm import FakeLLM, Reply
from codeflash_engine.testing.released_client import ClientUnavailableError, ensure_client, run_client
from codeflash_engine.testing.service import ServiceProcess
from tests import released_client_support as support

# ../shared/reference beside the checkout; a worktree sits one level deeper.
SAMPLES = next(
    (
        candidate
        for parent in Path(__file__).resolve().parents[2:5]
        if (candidate := parent / "shared" / "reference" / "client-traffic-samples-js.json").exists()
    ),
    Path(__file__).resolve().parents[3] / "shared" / "reference" / "client-traffic-samples-js.json",
)
DRIVER = Path(__file__).parent / "client" / "driver_js.py"

JS_FAST = """\
/**
 * Return the values that occur more than once, in ascending order.
 */
function findDuplicates(items) {
  const seen = new Set();
  const dups = new Set();
  for (const item of items) {
    if (seen.has(item)) dups.add(item);
    else seen.add(item);
  }
  return [...dups].sort(byValue);
}

function byValue(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
"""
JS_COUNTING = """\
function findDuplicates(items) {
  const counts = new Map();
  for (const item of items) counts.set(item, (counts.get(item) || 0) + 1);
  const duplicates = [];
  for (const [item, count] of counts) if (count > 1) duplicates.push(item);
  return duplicates.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
"""
JS_TYPED = JS_COUNTING.replace("findDuplicates(items)", "findDuplicates(items: number[])")
JS_ASYNC = JS_COUNTING.replace("function findDuplicates", "async function findDuplicates")
TS_METHOD = """\
  /** Return the most frequent value (the first one seen wins ties). */
  mostCommon(): T | undefined {
    const counts = new Map<T, number>();
    for (const value of this.values) {
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    let best: T | undefined = undefined;
    let bestCount = 0;
    for (const [value, count] of counts) {
      if (count > bestCount) {
        best = value;
        bestCount = count;
      }
    }
    return best;
  }
"""
TS_CLASS = "class Histogram {\n  private readonly values: T[];\n\n" + TS_METHOD + "}\n"
TS_IMPORTING = "import { inspect } from 'node:util';\n\n" + TS_CLASS.replace(
    "return best;", "return best ?? undefined;"
)
JS_TESTS = (
    "import { describe, it, expect } from 'vitest';\nimport { findDuplicates } from './dups.js';\n\n"
    "describe('findDuplicates', () => {\n  it('sorts', () => {\n"
    "    expect(findDuplicates([5, 3, 5, 3])).toEqual([3, 5]);\n  });\n});\n"
)
TS_TESTS = (
    "import { Histogram } from '../src/stats';\n\n"
    "describe('mostCommon', () => {\n  it('finds the mode', () => {\n"
    "    expect(new Histogram<number>([1, 2, 2]).mostCommon()).toBe(2);\n  });\n});\n"
)


def _fence(tag: str, path: str, code: str, explanation: str) -> str:
    return f"{explanation}\n\n```{tag}:{path}\n{code.rstrip()}\n```\n"


def _script(fake: FakeLLM) -> None:
    def about(name: str, *tasks: str) -> Any:
        return lambda request: name in request.user and support.for_task(*tasks)(request)

    # A rule's replies are given in turn, the last one repeating: one rule per endpoint.
    for task in ("optimize", "line_profiler"):
        fake.on(
            about("findDuplicates", task),
            respond=[
                Reply(_fence("javascript", "src/dups.js", JS_FAST, "Sets instead of nested scans.")),
                Reply(_fence("js", "src/dups.js", JS_COUNTING, "Count once in a Map.")),
                Reply(_fence("javascript", "src/dups.js", JS_TYPED, "Typed (TypeScript under a .js path).")),
                Reply(_fence("javascript", "src/dups.js", JS_ASYNC, "Async (changes the contract).")),
                Reply(_fence("javascript", "dups.js", JS_COUNTING, "The same Map counting again.")),
            ],
        )
        fake.on(
            about("mostCommon", task),
            respond=[
                Reply(_fence("typescript", "src/stats.ts", TS_METHOD, "One pass with a Map (bare method).")),
                Reply(_fence("typescript", "src/stats.ts", TS_IMPORTING, "Needs a new import.")),
            ],
        )
    refined = _fence("javascript", "src/dups.js", JS_COUNTING, "Map counting.")
    fake.reply(refined, when=about("findDuplicates", "refine"))
    # Not the candidate being refined (the sample's): that one would be dropped as a duplicate.
    refined_ts = TS_CLASS.replace("(counts.get(value) ?? 0) + 1", "(counts.get(value) || 0) + 1")
    fake.reply(_fence("ts", "src/stats.ts", refined_ts, "With ||."), when=about("mostCommon", "refine"))
    fake.reply(f"```javascript\n{JS_TESTS}```\n", when=about("findDuplicates", "testgen"))
    fake.reply(f"```typescript\n{TS_TESTS}```\n", when=about("mostCommon", "testgen"))
    fake.reply("RANKING: 1, 0\nThe second keeps the code simplest.", when=support.for_task("rank"))
    fake.reply("REVIEW: high\nSame results, one pass.", when=support.for_task("review"))
    fake.reply("The nested scans become one pass over a Set.", when=support.for_task("explain"))


@pytest.fixture(scope="module")
def js_service(
    module_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceProcess]:
    if not SAMPLES.exists():
        pytest.skip(f"the shared JS client traffic samples are not beside the checkout ({SAMPLES})")
    data_dir = tmp_path_factory.mktemp("contract-js-service")
    with FakeLLM() as fake:
        _script(fake)
        env = {
            "DATABASE_URL": module_database_url,
            "CODEFLASH_DATA_DIR": str(data_dir),
            "CODEFLASH_LLM_MAX_RETRIES": "0",
            **fake.env(),
        }
        with ServiceProcess(env=env, log_path=data_dir / "service.log") as service:
            yield service


def _original(exchange: dict[str, Any]) -> str:
    body = exchange["request_json"]
    if isinstance(body, list):
        return str(body[0]["original_source_code"])
    return str(body.get("source_code") or body.get("source_code_being_tested") or "")


@pytest.fixture(scope="module")
def answers(js_service: ServiceProcess) -> list[dict[str, Any]]:
    key = js_service.create_key("contract-js@example.com")
    exchanges = [e for e in json.loads(SAMPLES.read_text())["exchanges"] if e["endpoint"].startswith("/ai/")]
    collected = []
    for exchange in exchanges:
        headers = dict(exchange["request_headers"])
        headers["authorization"] = f"Bearer {key}"
        response = httpx.post(
            f"{js_service.url}{exchange['endpoint']}",
            content=json.dumps(exchange["request_json"]),
            headers=headers,
            timeout=60,
        )
        collected.append(
            {
                "name": f"{exchange['case']} {exchange['endpoint']}",
                "endpoint": exchange["endpoint"],
                "language": "typescript" if exchange["case"].startswith("ts") else "javascript",
                "status": response.status_code,
                "response": response.json(),
                "original": _original(exchange),
                "sample": exchange.get("response_json"),
            }
        )
    return collected


@pytest.fixture(scope="module")
def client_view(answers: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    try:
        ensure_client()
    except ClientUnavailableError as exc:
        pytest.skip(str(exc))
    root = tmp_path_factory.mktemp("contract-js-client")
    (root / "answers.json").write_text(json.dumps([a for a in answers if a["status"] == 200]))
    run = run_client(["python", str(DRIVER), str(root / "answers.json"), str(root / "report.json")], cwd=root)
    assert run.returncode == 0, run.stderr[-4000:]
    report: dict[str, Any] = json.loads((root / "report.json").read_text())
    return report


def test_every_captured_request_gets_200_with_the_keys_the_client_read(answers: list[dict[str, Any]]) -> None:
    for answer in answers:
        assert answer["status"] == 200, (answer["name"], answer["response"])
        sample = answer["sample"]
        expected = set(sample[0] if isinstance(sample, list) and sample else sample or {})
        assert expected <= set(answer["response"]), (answer["name"], answer["response"])


def test_js_candidates_are_all_kept_by_the_client_and_none_is_a_copy_or_a_duplicate(
    client_view: dict[str, Any], js_service: ServiceProcess
) -> None:
    for name in ("js-commonjs-vitest /ai/optimize", "js-commonjs-vitest /ai/optimize-line-profiler"):
        view = client_view[name]
        # Of the replies, the TypeScript-in-.js, the async one and the duplicates are dropped by the service.
        assert view["sent"] == 2, js_service.log_tail(6000)
        assert len(view["candidates"]) == view["sent"], "the client dropped a candidate the service sent"
        assert not any(candidate["same_as_original"] for candidate in view["candidates"])
        assert len({candidate["normalized"] for candidate in view["candidates"]}) == view["sent"]
        codes = [candidate["files"][0]["code"] for candidate in view["candidates"]]
        # The new top-level helper function is a const arrow function the client's replacer inserts.
        assert any("const byValue = (a, b) => {" in code for code in codes)
        assert all("function byValue" not in code for code in codes)


def test_ts_bare_method_comes_back_in_its_class_and_a_new_import_is_dropped(
    client_view: dict[str, Any],
) -> None:
    for endpoint in ("/ai/optimize", "/ai/optimize-line-profiler"):
        view = client_view[f"ts-esm-vitest-method {endpoint}"]
        assert view["sent"] == 1
        [candidate] = view["candidates"]
        [file] = candidate["files"]
        assert file["path"] == "src/stats.ts"
        assert file["code"].startswith("class Histogram {")
        assert "import { inspect }" not in file["code"]


def test_refinements_parse_in_the_client(client_view: dict[str, Any]) -> None:
    for case in ("js-commonjs-vitest", "ts-esm-vitest-method"):
        view = client_view[f"{case} /ai/refinement"]
        assert view["sent"] == 1
        assert len(view["candidates"]) == 1


def test_generated_tests_are_valid_for_the_clients_grammar_with_all_three_keys(
    client_view: dict[str, Any],
) -> None:
    names = [name for name in client_view if name.endswith("/ai/testgen")]
    assert len(names) == 4
    for name in names:
        view = client_view[name]
        required = {"generated_tests", "instrumented_behavior_tests", "instrumented_perf_tests"}
        assert required <= set(view["keys"])
        assert view["valid"], name


def test_generated_tests_import_from_module_path(answers: list[dict[str, Any]]) -> None:
    by_name = {answer["name"]: answer["response"] for answer in answers}
    assert "from '../src/stats.js'" in by_name["ts-esm-vitest-method /ai/testgen"]["generated_tests"]
    assert "from '../src/dups'" in by_name["js-commonjs-vitest /ai/testgen"]["generated_tests"]
