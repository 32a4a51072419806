"""Prompts tell the model the language, Node version, module system and test framework."""

import pytest
from codeflash_lang_js.context import build_prompt
from jslang_samples import JS_FASTER, JS_PATH, js_request, ts_request

from codeflash_engine.domain import Task
from codeflash_engine.errors import UnsupportedTaskError


def test_optimize_prompts_name_language_node_version_and_module_system() -> None:
    prompt = build_prompt(js_request(code="const x = require('x');\n" + JS_FASTER))
    text = prompt.system + prompt.user
    assert "JavaScript" in text
    assert "Node.js 20.20.2" in text
    assert "CommonJS" in text
    assert "`findDuplicates`" in prompt.user
    assert f"```javascript:{JS_PATH}\n" in prompt.user
    assert "const helper = (...) =>" in prompt.system
    ts_prompt = build_prompt(ts_request())
    assert "TypeScript" in ts_prompt.system and "ES modules" in ts_prompt.system
    assert "`Histogram.mostCommon`" in ts_prompt.user


def test_the_line_profiler_prompt_carries_the_js_profile_table() -> None:
    table = "Line Profile Results:\nFile: /p/src/dups.js\n----\nLine  Hits  Time (ms)  % Time  Content\n"
    prompt = build_prompt(js_request(Task.OPTIMIZE_LINE_PROFILER, line_profiler_results=table))
    assert table in prompt.user


@pytest.mark.parametrize(
    ("framework", "system"), [("vitest", "commonjs"), ("jest", "esm"), ("mocha", "commonjs")]
)
def test_testgen_prompts_name_the_framework_and_the_import_to_use(framework: str, system: str) -> None:
    request = js_request(
        Task.TESTGEN,
        test_framework=framework,
        module_system=system,
        module_path="../src/dups",
        function_to_optimize={"function_name": "findDuplicates"},
    )
    prompt = build_prompt(request)
    assert f"Write {framework} regression tests for `findDuplicates`" in prompt.user
    expected = (
        "import { findDuplicates } from '../src/dups';"
        if system == "esm"
        else "const { findDuplicates } = require('../src/dups');"
    )
    assert expected in prompt.user


def test_every_task_but_jit_has_a_prompt() -> None:
    for task in Task:
        if task is Task.JIT_REWRITE:
            with pytest.raises(UnsupportedTaskError):
                build_prompt(js_request(task))
        else:
            prompt = build_prompt(js_request(task))
            assert prompt.system.strip() and prompt.user.strip()
