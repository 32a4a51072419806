"""Instrumentation: call wrapping, call-site ids, preludes, async marking (format checked end to end
against the real client in test_client_e2e.py)."""

import os
import pickle
import re
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import libcst as cst
from codeflash_lang_python.testgen import target as tg
from codeflash_lang_python.testgen.format_version import RUN_TMP_DIR_PLACEHOLDER
from codeflash_lang_python.testgen.instrument import instrument

PLAIN = tg.TestgenTarget(
    function_name="f", qualified_name="f", module_path="pkg.mod", test_module_path="tests.test_f__unit_test_0"
)
METHOD = tg.TestgenTarget(
    function_name="run",
    qualified_name="Runner.run",
    module_path="pkg.mod",
    test_module_path="tests.test_Runner_run__unit_test_0",
    class_name="Runner",
)


def body_of(source: str) -> str:
    """The instrumented test code after the prelude (everything from the test's own first import)."""
    return source[source.index("from pkg.mod import") :]


def test_calls_get_client_line_ids() -> None:
    tests = cst.parse_module(
        textwrap.dedent("""
        from pkg.mod import f as g

        def test_a():
            x = g(1); y = g(2)
            for i in range(3):
                assert g(i) == f(i)
                if i:
                    g(0)
            else:
                g(9)
        """)
    )
    result = instrument(tests, PLAIN)
    body = body_of(result.behavior)
    assert (
        "x = _codeflash_call(None, 'test_a', '0', g, 1); y = _codeflash_call(None, 'test_a', '1', g, 2)"
        in body
    )
    assert "for i in range(3):" in body
    assert (
        "assert _codeflash_call(None, 'test_a', '2_0', g, i) == _codeflash_call(None, 'test_a', '2_0', f, i)"
        in body
    )
    assert "_codeflash_call(None, 'test_a', '2_1', g, 0)" in body  # deeper statements share the i_j id
    assert "_codeflash_call(None, 'test_a', '2', g, 9)" in body  # else: part of the statement itself
    assert result.call_sites == 6
    assert body_of(result.performance) == body


def test_method_calls_keep_receiver_evaluated_once_and_class_name() -> None:
    tests = cst.parse_module(
        textwrap.dedent("""
        from pkg.mod import Runner

        class TestRunner:
            def test_run(self):
                assert Runner(2).run(3, scale=1) == 6

            def helper(self):
                return Runner(1).run(1)
        """)
    )
    result = instrument(tests, METHOD)
    assert "_codeflash_call('TestRunner', 'test_run', '0', Runner(2).run, 3, scale=1)" in result.behavior
    assert "return Runner(1).run(1)" in result.behavior  # not a test: left alone
    assert "_CODEFLASH_FUNCTION = 'Runner.run'" in result.behavior
    assert result.call_sites == 1


def test_prelude_carries_format_constants_and_stays_after_future_imports() -> None:
    tests = cst.parse_module(
        '"""Doc."""\nfrom __future__ import annotations\nfrom pkg.mod import f\n\ndef test_a():\n    f()\n'
    )
    result = instrument(tests, PLAIN)
    assert result.behavior.startswith('"""Doc."""\nfrom __future__ import annotations\n')
    assert f"_CODEFLASH_RESULTS_DIR = '{RUN_TMP_DIR_PLACEHOLDER}'" in result.behavior
    assert "_CODEFLASH_TEST_MODULE = 'tests.test_f__unit_test_0'" in result.behavior
    assert "CREATE TABLE IF NOT EXISTS test_results (test_module_path TEXT" in result.behavior
    assert "sqlite3" not in result.performance and "dill" not in result.performance
    for text in (result.behavior, result.performance):
        compile(text, "instrumented", "exec")


def test_async_targets_get_call_site_env_marks() -> None:
    target = tg.TestgenTarget(
        function_name="fetch",
        qualified_name="fetch",
        module_path="pkg.mod",
        test_module_path="tests.test_fetch__unit_test_0",
        is_async=True,
    )
    tests = cst.parse_module(
        textwrap.dedent("""
        import pytest
        from pkg.mod import fetch

        @pytest.mark.asyncio
        async def test_fetch():
            assert await fetch(1) == 2
            x = 3
            for i in range(2):
                assert await fetch(i)
        """)
    )
    result = instrument(tests, target)
    assert result.behavior == result.performance
    assert result.call_sites == 2
    marks = re.findall(r"_codeflash_os\.environ\['CODEFLASH_CURRENT_LINE_ID'\] = '(\d)'", result.behavior)
    assert marks == ["0", "1"]
    assert "_codeflash_call" not in result.behavior


def test_behavior_file_records_what_the_client_reads(tmp_path: Path) -> None:
    """Run an instrumented module (without pytest) and read back the sqlite rows and stdout markers."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    # dill ships with the client, not with the engine; the stand-in pickles the same values.
    (tmp_path / "dill.py").write_text("from pickle import dumps, loads\n")
    (tmp_path / "pkg" / "mod.py").write_text(
        "def f(x):\n    if x < 0:\n        raise ValueError(x)\n    return x * 2\n"
    )
    tests = cst.parse_module(
        "from pkg.mod import f\n\ndef test_a():\n    for i in range(2):\n        f(i)\n"
        "    try:\n        f(-1)\n    except ValueError:\n        pass\n\ntest_a()\n"
    )
    behavior = instrument(tests, PLAIN).behavior.replace(RUN_TMP_DIR_PLACEHOLDER, tmp_path.as_posix())
    script = tmp_path / "run_me.py"
    script.write_text(behavior)
    env = {
        **os.environ,
        "CODEFLASH_LOOP_INDEX": "1",
        "CODEFLASH_TEST_ITERATION": "7",
        "PYTHONPATH": str(tmp_path),
    }
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 0, run.stderr
    tag = "tests.test_f__unit_test_0:test_a:f:1:"
    assert run.stdout.splitlines() == [
        f"!$######{tag}0_0_0######$!",
        f"!######{tag}0_0_0######!",
        f"!$######{tag}0_0_1######$!",
        f"!######{tag}0_0_1######!",
        f"!$######{tag}1_0######$!",
        f"!######{tag}1_0######!",
    ]
    with sqlite3.connect(tmp_path / "test_return_values_7.sqlite") as connection:
        rows = connection.execute("SELECT * FROM test_results").fetchall()
    assert [row[:6] for row in rows] == [
        ("tests.test_f__unit_test_0", None, "test_a", "f", 1, "0_0_0"),
        ("tests.test_f__unit_test_0", None, "test_a", "f", 1, "0_0_1"),
        ("tests.test_f__unit_test_0", None, "test_a", "f", 1, "1_0"),
    ]
    assert all(isinstance(row[6], int) and row[8] == "function_call" for row in rows)
    assert [pickle.loads(row[7]) for row in rows[:2]] == [0, 2]
    assert isinstance(pickle.loads(rows[2][7]), ValueError)
