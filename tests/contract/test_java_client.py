"""The released client's Java flow against the real service: every Java call the 0.20.6 CLI makes,
answered from a fake LLM, read back by the client's own Java parsing, applied by its own Java
replacer and test post-processing (tests/contract/client/java_driver.py, in the client's
environment), then compiled with javac and run under JUnit 5.

The behaviour-instrumented test class is not compiled: it needs the codeflash-runtime jar, which
nothing reachable offline ships (docs/languages/java.md).
"""

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codeflash_engine.testing.fake_llm import FakeLLM, Reply
from codeflash_engine.testing.released_client import ClientUnavailableError, ensure_client, run_client
from codeflash_engine.testing.service import ServiceProcess
from tests import released_client_support as support
from tests.contract import java_project as jp

DRIVER = Path(__file__).parent / "client" / "java_driver.py"
JUNIT = Path("/usr/share/java/junit-platform-console-standalone.jar")
pytestmark = pytest.mark.slow


def _tool_or_skip() -> tuple[str, str]:
    javac, java = shutil.which("javac"), shutil.which("java")
    if javac is None or java is None:
        pytest.skip(
            "javac/java not installed (Debian package default-jdk): cannot compile the client's result"
        )
    if not JUNIT.exists():
        pytest.skip(f"{JUNIT} missing (Debian package junit5): cannot run the generated tests")
    return javac, java


def script(fake: FakeLLM) -> None:
    about = support.for_task
    fake.on(
        about("optimize"),
        respond=[
            Reply(jp.fence(jp.INVENTORY_PATH, jp.FOR_EACH, "A for-each loop avoids the indexed get().")),
            Reply(jp.fence(jp.INVENTORY_PATH, jp.WITH_IMPORT, "An explicit iterator.")),
            Reply(jp.fence(jp.INVENTORY_PATH, jp.LONG_RESULT, "A long total cannot overflow.")),
            Reply(jp.fence(jp.INVENTORY_PATH, jp.FOR_EACH_REFORMATTED, "The for-each loop again.")),
            Reply(f"In Kotlin:\n\n```kotlin:{jp.INVENTORY_PATH}\nfun totalQuantity() = 0\n```\n"),
            Reply(
                jp.fences(
                    "A static helper sums with the limit inlined.",
                    (jp.INVENTORY_PATH, jp.WITH_HELPERS),
                    (jp.ITEM_PATH, jp.ITEM_HELPERS_CHANGED),
                )
            ),
        ],
    )
    fake.reply(jp.fence(jp.INVENTORY_PATH, jp.INLINED, "Math.min inlined."), when=about("line_profiler"))
    fake.reply(jp.fence(jp.INVENTORY_PATH, jp.INDEXED, "The size read once."), when=about("refine"))
    fake.reply(jp.fence(jp.INVENTORY_PATH, jp.FOR_EACH, "Back to the exact loop."), when=about("repair"))
    fake.reply(jp.fence(jp.INVENTORY_PATH, jp.QUALIFIED_STREAM, "An IntStream sum."), when=about("adaptive"))
    fake.reply(f"```java\n{jp.LLM_TESTS}```\n", when=about("testgen"))
    fake.reply(f"```java\n{jp.LLM_TESTS}```\n", when=about("testgen_repair"))
    reviews = {
        "reviews": [{"test_index": 0, "functions": [{"function_name": "sumsQuantities", "reason": "Slow."}]}]
    }
    fake.reply(f"```json\n{json.dumps(reviews)}\n```\n", when=about("testgen_review"))
    fake.reply("RANKING: 1, 0, 2, 3\nCandidate 1 is simplest.", when=about("rank"))
    fake.reply("REVIEW: high\nThe loop no longer calls get(i).", when=about("review"))
    fake.reply("The indexed loop is replaced by a for-each loop.", when=about("explain"))


@pytest.fixture(scope="module")
def java_fake() -> Iterator[FakeLLM]:
    with FakeLLM() as fake:
        script(fake)
        yield fake


@pytest.fixture(scope="module")
def java_service(
    module_database_url: str, java_fake: FakeLLM, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceProcess]:
    data_dir = tmp_path_factory.mktemp("java-service")
    env = {
        "DATABASE_URL": module_database_url,
        "CODEFLASH_DATA_DIR": str(data_dir),
        "CODEFLASH_LLM_MAX_RETRIES": "0",
        "CODEFLASH_PLUGIN_WORKERS": "1",
        **java_fake.env(),
    }
    with ServiceProcess(env=env, log_path=data_dir / "service.log") as service:
        yield service


def _line_span(source: str, signature: str) -> tuple[int, int]:
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if signature in line)
    end = next(i for i in range(start, len(lines)) if lines[i] == "    }")
    return start + 1, end + 1


@pytest.fixture(scope="module")
def java_report(java_service: ServiceProcess, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    try:
        ensure_client()
    except ClientUnavailableError as exc:
        pytest.skip(str(exc))
    root = tmp_path_factory.mktemp("java-client")
    project = root / "project"
    for path, code in ((jp.INVENTORY_PATH, jp.INVENTORY), (jp.ITEM_PATH, jp.ITEM)):
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(code)
    start, end = _line_span(jp.INVENTORY, "public int totalQuantity()")
    spec = {
        "base_url": java_service.url,
        "key": java_service.create_key("java-contract@example.com"),
        "project": str(project),
        "out": str(root / "out"),
        "target_path": jp.INVENTORY_PATH,
        "target_source": jp.INVENTORY,
        "function": "totalQuantity",
        "class_name": "Inventory",
        "starting_line": start,
        "ending_line": end,
        "module_path": "com.example.Inventory",
        "language_version": "17",
        "optimize_markdown": jp.OPTIMIZE_MARKDOWN,
        "testgen_markdown": jp.TESTGEN_MARKDOWN,
        "wrong_markdown": f"```java:{jp.INVENTORY_PATH}\n{jp.WRONG}\n```",
        "line_profile": jp.LINE_PROFILE,
        "helper_function_names": ["Item.getName", "Item.getQuantity", "Inventory.clamp"],
        "functions_by_file": {
            jp.INVENTORY_PATH: ["Inventory.totalQuantity", "Inventory.clamp"],
            jp.ITEM_PATH: ["Item.getName", "Item.getQuantity"],
        },
        "probes": {
            "new_import_as_written": f"```java:{jp.INVENTORY_PATH}\n{jp.WITH_IMPORT}\n```",
            "helper_block_as_written": (
                f"```java:{jp.INVENTORY_PATH}\n{jp.WITH_HELPERS}\n```\n"
                f"```java:{jp.ITEM_PATH}\n{jp.ITEM_HELPERS_CHANGED}\n```"
            ),
        },
    }
    spec_path, report_path = root / "spec.json", root / "report.json"
    spec_path.write_text(json.dumps(spec))
    run = run_client(["python", str(DRIVER), str(spec_path), str(report_path)], cwd=root, timeout=240)
    assert run.returncode == 0 and report_path.exists(), (
        f"driver failed ({run.returncode}):\n{run.stderr[-4000:]}\n"
        f"--- service log ---\n{java_service.log_tail()}"
    )
    report: dict[str, Any] = json.loads(report_path.read_text())
    return report


def _javac(sources: list[Path], out: Path, classpath: str = "") -> subprocess.CompletedProcess[str]:
    javac, _ = _tool_or_skip()
    out.mkdir(parents=True, exist_ok=True)
    command = [javac, "-d", str(out), "--release", "17"]
    if classpath:
        command += ["-cp", classpath]
    return subprocess.run(
        [*command, *map(str, sources)], capture_output=True, text=True, timeout=120, check=False
    )


COMPILE_ALL = Path(__file__).parent / "java" / "CompileAll.java"


@pytest.fixture(scope="module")
def compiled(java_report: dict[str, Any]) -> dict[str, tuple[int, str]]:
    """Every candidate's and probe's project copy compiled, in one JVM: ``root -> (exit, messages)``."""
    _, java = _tool_or_skip()
    roots = [entry["root"] for entry in java_report["applied"]]
    roots += [probe["root"] for probe in java_report["probes"].values()]
    manifest = Path(roots[0]).parent.parent / "compile-manifest.tsv"
    lines = []
    for root in roots:
        sources = sorted(str(path) for path in (Path(root) / "src" / "main" / "java").rglob("*.java"))
        lines.append("\t".join([str(Path(root) / "classes"), "", *sources]))
    manifest.write_text("\n".join(lines) + "\n")
    done = subprocess.run(
        [java, str(COMPILE_ALL), str(manifest)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return {
        root: (
            int((Path(root) / "classes.exit").read_text()),
            (Path(root) / "classes.log").read_text(),
        )
        for root in roots
    }


def _applied(report: dict[str, Any], endpoint: str) -> list[dict[str, Any]]:
    return [entry for entry in report["applied"] if entry["endpoint"] == endpoint]


CALLS = (
    "optimize_code",
    "optimize_python_code_line_profiler",
    "optimize_code_refinement",
    "code_repair",
    "adaptive_optimize",
    "generate_regression_tests_0",
    "generate_regression_tests_1",
    "review_generated_tests",
    "repair_generated_tests",
    "generate_ranking",
    "get_new_explanation",
    "get_optimization_review",
    "log_results",
)


def test_no_java_call_crashes_the_client(java_report: dict[str, Any]) -> None:
    crashed = {name: java_report[name]["crashed"] for name in CALLS if "crashed" in java_report.get(name, {})}
    assert crashed == {}
    assert all(name in java_report for name in CALLS)


def test_optimize_keeps_what_the_client_can_apply(java_report: dict[str, Any]) -> None:
    applied = _applied(java_report, "optimize_code")
    # for-each, the rewritten import, the new helper; not the long signature, the reformatted
    # duplicate or the Kotlin block.
    assert len(applied) == 3, [entry["markdown"] for entry in applied]
    markdowns = [entry["markdown"] for entry in applied]
    assert any("java.util.Iterator<Item>" in md and "import java.util.Iterator" not in md for md in markdowns)
    assert not any("long totalQuantity" in md for md in markdowns)
    assert all(entry["languages"] == ["java"] for entry in applied)
    assert all(entry["changed"][jp.INVENTORY_PATH] for entry in applied)
    helpers = [entry for entry in applied if "sumClamped" in entry["markdown"]]
    assert helpers and helpers[0]["changed"][jp.ITEM_PATH]


@pytest.mark.parametrize(
    "endpoint",
    [
        "optimize_code",
        "optimize_python_code_line_profiler",
        "optimize_code_refinement",
        "code_repair",
        "adaptive_optimize",
    ],
)
def test_every_candidate_compiles_after_the_clients_replacement(
    java_report: dict[str, Any], compiled: dict[str, tuple[int, str]], endpoint: str
) -> None:
    applied = _applied(java_report, endpoint)
    assert applied, f"{endpoint} returned no candidate: {java_report[endpoint]}"
    for entry in applied:
        assert entry["changed"][jp.INVENTORY_PATH], entry["markdown"]
        exit_code, messages = compiled[entry["root"]]
        assert exit_code == 0, f"{entry['markdown']}\n{messages}"


def test_what_the_service_rewrites_would_not_compile_as_the_llm_wrote_it(
    java_report: dict[str, Any], compiled: dict[str, tuple[int, str]]
) -> None:
    """The client drops new imports and replaces each helper with the whole helper block."""
    for probe in ("new_import_as_written", "helper_block_as_written"):
        exit_code, _ = compiled[java_report["probes"][probe]["root"]]
        assert exit_code != 0, f"{probe} compiled: the rule it motivates may be unnecessary"


# What the client's Java test runner sets for a performance run (languages/java/test_runner.py).
PERF_ENV = {"CODEFLASH_LOOP_INDEX": "1", "CODEFLASH_TEST_ITERATION": "0", "CODEFLASH_INNER_ITERATIONS": "3"}


def _run_junit(classes: Path, selected: list[str]) -> subprocess.CompletedProcess[str]:
    _, java = _tool_or_skip()
    command = [java, "-jar", str(JUNIT), "--class-path", str(classes), "--disable-banner", "--details=tree"]
    command += [f"--select-class={name}" for name in selected]
    env = {**os.environ, **PERF_ENV}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, env=env)


def _class_name(path: str, source: str) -> str:
    package = re.search(r"^package\s+([\w.]+);", source, re.MULTILINE)
    return f"{package.group(1)}.{Path(path).stem}" if package else Path(path).stem


def test_generated_tests_compile_and_pass_raw_and_perf_instrumented(
    java_report: dict[str, Any], tmp_path: Path
) -> None:
    tests = java_report["tests"]
    assert len(tests) == 2
    for index in (0, 1):
        response = java_report[f"generate_regression_tests_{index}"]["response"]
        assert response["generated_tests"].startswith("package com.example;")
        assert "import com.example.model.Item;" in response["generated_tests"]
        assert "itemKeepsItsName" not in response["generated_tests"]
        assert "System.nanoTime" not in response["generated_tests"]
        assert isinstance(response["instrumented_behavior_tests"], str)
        assert isinstance(response["instrumented_perf_tests"], str)
    project = Path(java_report["applied"][0]["root"]).parent.parent.parent / "project"
    # The raw (assertion-stripped) class and the perf-instrumented classes have distinct names:
    # one javac run with the project's sources, one JUnit run.
    sources = sorted((project / "src" / "main" / "java").rglob("*.java"))
    selected = []
    for index, test in enumerate(tests):
        raw_name = re.search(r"^class\s+(\w+)", test["display"], re.MULTILINE)
        assert raw_name is not None
        for name, code in (
            (
                f"{raw_name.group(1)}_{index}",
                test["display"].replace(raw_name.group(1), f"{raw_name.group(1)}_{index}"),
            ),
            (Path(test["perf_path"]).stem, test["perf"]),
        ):
            path = tmp_path / "tests" / f"{name}.java"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(code)
            sources.append(path)
            selected.append(_class_name(str(path), code))
    out = tmp_path / "classes"
    done = _javac(sources, out, str(JUNIT))
    assert done.returncode == 0, done.stderr
    ran = _run_junit(out, selected)
    assert ran.returncode == 0, f"{ran.stdout[-3000:]}\n{ran.stderr[-2000:]}"
    assert re.search(r"\[\s+(\d+) tests successful", ran.stdout).group(1) == str(len(selected) * 3), (
        ran.stdout
    )
    assert "!######" in ran.stdout, "the perf-instrumented tests printed no timing markers"


def test_engine_endpoints_answer_the_java_flow(java_report: dict[str, Any]) -> None:
    assert java_report["generate_ranking"]["ranking"] is not None
    assert sorted(java_report["generate_ranking"]["ranking"]) == list(
        range(java_report["generate_ranking"]["sent"])
    )
    assert java_report["get_new_explanation"]["explanation"]
    assert java_report["get_optimization_review"]["review"][0] == "high"
    assert java_report["log_results"]["status"] == 200
    assert java_report["review_generated_tests"]["reviews"][0]["functions"][0][0] == "sumsQuantities"
    repaired = java_report["repair_generated_tests"]["tests"]
    assert repaired is not None and repaired[0].startswith("package com.example;")
