"""``codeflash --file F --function NAME --no-pr -y`` (the released 0.20.6 CLI with its npm runtime
codeflash 0.9.0) optimizes JavaScript and TypeScript through this service: a CommonJS function and
an ES-module TypeScript class method, each in a vitest project. The file is rewritten, and the
project's own tests still pass on it.

Run inside a private network namespace (the CLI hard-codes localhost:8000), after installing the
node modules outside it: ``uv run python -m tests.e2e.js_toolchain`` then
``unshare -n -- sh -c 'ip link set lo up && uv run pytest tests/e2e -q -k js'``.
"""

import json
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
from codeflash_engine.testing.service import ServiceProcess
from tests import released_client_support as support
from tests.e2e.js_toolchain import ToolchainUnavailableError, ensure_node_modules

pytestmark = pytest.mark.e2e

SUCCESS = "⚡️ Optimization successful! 📄"
CODEFLASH_CONFIG = {
    "moduleRoot": "src",
    "testsRoot": "tests",
    "test-framework": "vitest",
    "formatterCmds": ["disabled"],
    "disableTelemetry": True,
}


@frozen
class JsCase:
    name: str
    path: str
    source: str
    function: str
    marker: str
    own_tests: str
    """The project's own test file (tests/<name>.test.*): it must pass before and after."""
    generated_tests: str
    optimized: str
    applied: str
    module_type: str
    tsconfig: bool


DUPS = """\
/**
 * Return the values that occur more than once, in ascending order.
 */
function findDuplicates(items) {
  const duplicates = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (items[i] === items[j] && !duplicates.includes(items[i])) {
        duplicates.push(items[i]);
      }
    }
  }
  return duplicates.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

module.exports = { findDuplicates };
"""
DUPS_FAST = """\
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
STATS = """\
export class Histogram<T> {
  private readonly values: T[];

  constructor(values: Iterable<T>) {
    this.values = Array.from(values);
  }

  /** Return the most frequent value (the first one seen wins ties). */
  mostCommon(): T | undefined {
    let best: T | undefined = undefined;
    let bestCount = 0;
    for (const value of this.values) {
      const count = this.values.filter((v) => v === value).length;
      if (count > bestCount) {
        best = value;
        bestCount = count;
      }
    }
    return best;
  }
}
"""
STATS_FAST_METHOD = """\
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
CASES = (
    JsCase(
        name="js-commonjs",
        path="src/dups.js",
        source=DUPS,
        function="findDuplicates",
        marker="function findDuplicates",
        own_tests=(
            "import { describe, it, expect } from 'vitest';\n"
            "const { findDuplicates } = require('../src/dups');\n\n"
            "describe('findDuplicates', () => {\n"
            "  it('sorts repeated values', () => {\n"
            "    expect(findDuplicates([5, 3, 5, 1, 3, 5])).toEqual([3, 5]);\n  });\n"
            "  it('handles strings and empty input', () => {\n"
            "    expect(findDuplicates(['b', 'a', 'b', 'a'])).toEqual(['a', 'b']);\n"
            "    expect(findDuplicates([])).toEqual([]);\n  });\n});\n"
        ),
        generated_tests=(
            "const { findDuplicates } = require('../src/dups');\n\n"
            "describe('findDuplicates', () => {\n"
            "  it('returns nothing for unique values', () => {\n"
            "    expect(findDuplicates([1, 2, 3])).toEqual([]);\n  });\n"
            "  it('reports repeated values once, sorted', () => {\n"
            "    expect(findDuplicates([5, 3, 5, 1, 3, 5])).toEqual([3, 5]);\n  });\n"
            "  it('handles a larger input', () => {\n"
            "    const data = Array.from({ length: 600 }, (_, i) => i % 100);\n"
            "    expect(findDuplicates(data)).toEqual(Array.from({ length: 100 }, (_, i) => i));\n"
            "  });\n});\n"
        ),
        optimized=DUPS_FAST,
        applied="if (seen.has(item)) dups.add(item);",
        module_type="commonjs",
        tsconfig=False,
    ),
    JsCase(
        name="ts-esm-method",
        path="src/stats.ts",
        source=STATS,
        function="Histogram.mostCommon",
        marker="mostCommon(): T | undefined",
        own_tests=(
            "import { describe, it, expect } from 'vitest';\nimport { Histogram } from '../src/stats';\n\n"
            "describe('Histogram', () => {\n"
            "  it('finds the mode, first seen wins ties', () => {\n"
            "    expect(new Histogram([1, 2, 2, 3]).mostCommon()).toBe(2);\n"
            "    expect(new Histogram(['x', 'y', 'y', 'x']).mostCommon()).toBe('x');\n"
            "    expect(new Histogram<number>([]).mostCommon()).toBeUndefined();\n  });\n});\n"
        ),
        generated_tests=(
            "import { describe, it, expect } from 'vitest';\nimport { Histogram } from '../src/stats.js';\n\n"
            "describe('Histogram.mostCommon', () => {\n"
            "  it('finds the single mode', () => {\n"
            "    expect(new Histogram([1, 2, 2, 3]).mostCommon()).toBe(2);\n  });\n"
            "  it('works on strings', () => {\n"
            "    expect(new Histogram(['b', 'a', 'b', 'c']).mostCommon()).toBe('b');\n  });\n"
            "  it('handles a larger input', () => {\n"
            "    const values = Array.from({ length: 1998 }, (_, i) => i % 37);\n"
            "    values.push(5);\n"
            "    expect(new Histogram(values).mostCommon()).toBe(5);\n  });\n});\n"
        ),
        optimized=STATS_FAST_METHOD,  # a bare method: the service wraps it in its class
        applied="counts.set(value, (counts.get(value) ?? 0) + 1);",
        module_type="module",
        tsconfig=True,
    ),
)


def _about(case: JsCase, *tasks: str) -> Callable[[RecordedRequest], bool]:
    return lambda request: case.marker in request.user and support.task_of(request) in tasks


def _script(fake: FakeLLM) -> None:
    for case in CASES:
        tag = "typescript" if case.path.endswith(".ts") else "javascript"
        rewrite = f"One pass instead of nested scans.\n\n```{tag}:{case.path}\n{case.optimized}```\n"
        fake.reply(f"```{tag}\n{case.generated_tests}```\n", when=_about(case, "testgen"))
        fake.reply(rewrite, when=_about(case, "optimize", "line_profiler", "adaptive", "refine", "repair"))
    fake.reply("RANKING: 0\nThe only candidate.", when=support.for_task("rank"))
    fake.reply("REVIEW: high\nSame results in one pass.", when=support.for_task("review"))
    fake.reply("The nested scans become one pass over a Set or a Map.", when=support.for_task("explain"))


@frozen
class JsRun:
    case: JsCase
    returncode: int
    stdout: str
    stderr: str
    after: str
    seconds: float
    own_tests_after: subprocess.CompletedProcess[str]

    @property
    def output(self) -> str:
        return " ".join(self.stdout.replace("│", " ").split())


def _vitest(project: Path, case: JsCase) -> subprocess.CompletedProcess[str]:
    test_file = f"tests/{case.name}.test.{'ts' if case.tsconfig else 'js'}"
    return subprocess.run(
        ["node", "node_modules/vitest/vitest.mjs", "run", test_file],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _make_project(root: Path, case: JsCase, node_modules: Path) -> Path:
    project = root / case.name
    (project / "src").mkdir(parents=True)
    (project / "tests").mkdir()
    (project / case.path).write_text(case.source)
    (project / f"tests/{case.name}.test.{'ts' if case.tsconfig else 'js'}").write_text(case.own_tests)
    package = {
        "name": case.name,
        "version": "1.0.0",
        "private": True,
        "type": case.module_type,
        "devDependencies": {"codeflash": "0.9.0", "vitest": "3.2.4", "@vitest/coverage-v8": "3.2.4"},
        "codeflash": CODEFLASH_CONFIG,
    }
    (project / "package.json").write_text(json.dumps(package, indent=2))
    if case.tsconfig:
        (project / "tsconfig.json").write_text(
            json.dumps({"compilerOptions": {"target": "ES2022", "module": "ESNext", "strict": True}})
        )
    (project / ".gitignore").write_text("node_modules\n")
    (project / "node_modules").symlink_to(node_modules, target_is_directory=True)
    git = ["git", "-c", "user.name=e2e", "-c", "user.email=e2e@example.com"]
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "initial"]):
        subprocess.run([*git, *command], cwd=project, check=True, capture_output=True)
    return project


def _run(root: Path, case: JsCase, key: str, node_modules: Path) -> JsRun:
    project = _make_project(root, case, node_modules)
    before = _vitest(project, case)
    assert before.returncode == 0, f"the project's own tests fail before the run:\n{before.stdout[-3000:]}"
    home = root / f"home-{case.name}"
    home.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CODEFLASH_")},
        "HOME": str(home),
        "CODEFLASH_AIS_SERVER": "local",
        "CODEFLASH_CFAPI_SERVER": "local",
        "CODEFLASH_API_KEY": key,
        "CODEFLASH_LOOPING_TIME": "1",
        "COLUMNS": "200",
    }
    command = ["codeflash", "--file", case.path, "--function", case.function, "--no-pr", "-y"]
    started = time.monotonic()
    done = run_client(command, cwd=project, env=env, timeout=300)
    return JsRun(
        case=case,
        returncode=done.returncode,
        stdout=done.stdout,
        stderr=done.stderr,
        after=(project / case.path).read_text(),
        seconds=time.monotonic() - started,
        own_tests_after=_vitest(project, case),
    )


@pytest.fixture(scope="module")
def node_modules() -> Path:
    try:
        return ensure_node_modules(install=True)
    except ToolchainUnavailableError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def e2e_fake() -> Iterator[FakeLLM]:
    """This module's fake LLM (overrides the Python cases' one in conftest.py)."""
    with FakeLLM() as fake:
        _script(fake)
        yield fake


@pytest.fixture(scope="module")
def js_runs(
    node_modules: Path, e2e_service: ServiceProcess, cfapi_stub: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, JsRun]:
    try:
        ensure_client()
    except ClientUnavailableError as exc:
        pytest.skip(str(exc))
    root = tmp_path_factory.mktemp("e2e-js")
    keys = {case.name: e2e_service.create_key(f"e2e-{case.name}@example.com") for case in CASES}
    with ThreadPoolExecutor(max_workers=len(CASES)) as pool:
        futures = {c.name: pool.submit(_run, root, c, keys[c.name], node_modules) for c in CASES}
        return {name: future.result() for name, future in futures.items()}


def _diagnose(run: JsRun, service: ServiceProcess) -> str:
    return (
        f"exit {run.returncode} after {run.seconds:.0f} s\n--- stdout ---\n{run.stdout[-6000:]}\n"
        f"--- stderr ---\n{run.stderr[-3000:]}\n--- service log ---\n{service.log_tail(3000)}"
    )


@pytest.mark.parametrize("name", [case.name for case in CASES])
def test_cli_applies_the_optimization_and_the_projects_tests_still_pass(
    js_runs: dict[str, JsRun], e2e_service: ServiceProcess, name: str
) -> None:
    run = js_runs[name]
    assert run.returncode == 0, _diagnose(run, e2e_service)
    assert SUCCESS in run.output, _diagnose(run, e2e_service)
    assert run.case.applied in run.after, run.after
    assert run.after != run.case.source
    assert run.own_tests_after.returncode == 0, run.own_tests_after.stdout[-3000:]


def test_the_new_helper_function_was_applied_as_a_const_arrow_function(js_runs: dict[str, JsRun]) -> None:
    after = js_runs["js-commonjs"].after
    assert "const byValue = (a, b) => {" in after
    assert "module.exports = { findDuplicates };" in after


def test_every_run_asked_the_service_for_tests_and_candidates(
    js_runs: dict[str, JsRun], e2e_fake: FakeLLM
) -> None:
    prompts = [request.user for request in e2e_fake.requests]
    for run in js_runs.values():
        mine = [prompt for prompt in prompts if run.case.marker in prompt]
        assert sum(prompt.startswith("Write vitest regression tests") for prompt in mine) == 2
        assert any(prompt.startswith("Optimize `") for prompt in mine)
