import json
from pathlib import Path

import pytest
from codeflash_lang_python.context_sections import format_test_diffs
from codeflash_lang_python.plugin import build_context
from pylang_samples import PATH, RequestFactory

from codeflash_engine.domain import Task

SAMPLES = Path("/work/shared/reference/client-traffic-samples.json")


@pytest.mark.parametrize("task", list(Task))
def test_every_task_has_a_prompt_with_the_code_and_a_reply_format(
    make_request: RequestFactory, task: Task
) -> None:
    prompt = build_context(make_request(task=task, language_version="3.9.18"))
    assert "def sum_of_squares(n):" in prompt.user
    assert "python:" in prompt.system or "```json" in prompt.system
    assert "{" not in prompt.system.replace('{"reviews"', "").replace('{"test_index"', "").replace(
        '{"function_name"', ""
    )


def test_optimize_prompt_names_the_version_the_path_and_the_profile(make_request: RequestFactory) -> None:
    prompt = build_context(
        make_request(
            task=Task.OPTIMIZE_LINE_PROFILER, language_version="3.9.18", line_profiler_results="| 99% | hot |"
        )
    )
    assert "Python 3.9" in prompt.system
    assert f"```python:{PATH}" in prompt.system
    assert "| 99% | hot |" in prompt.user


def test_code_with_braces_is_inserted_verbatim(make_request: RequestFactory) -> None:
    code = "def sum_of_squares(n):\n    return {'{n}': n}\n"
    assert "{'{n}': n}" in build_context(make_request(code=code)).user


def test_repair_prompt_lists_each_difference(make_request: RequestFactory) -> None:
    diffs = [
        {
            "scope": "return_value",
            "original_pass": True,
            "candidate_pass": True,
            "original_value": "(14,)",
            "candidate_value": "(0,)",
            "test_src_code": "def test_x():\n    assert f(4) == 14",
            "candidate_pytest_error": "AssertionError",
        },
        {"scope": "did_pass", "original_pass": True, "candidate_pass": False},
    ]
    text = format_test_diffs(diffs)
    assert "Difference 1: different return value" in text
    assert "optimized return_value: (0,)" in text
    assert "def test_x():" in text
    assert "Difference 2: passes with one and fails with the other" in text
    assert "optimized code: test failed" in text
    prompt = build_context(
        make_request(
            task=Task.CODE_REPAIR, test_diffs=diffs, modified_source_code="```python:a.py\nx = 1\n```"
        )
    )
    assert "SEARCH" in prompt.system
    assert text in prompt.user


@pytest.mark.skipif(not SAMPLES.exists(), reason="client traffic samples not available")
def test_adaptive_prompt_from_the_recorded_client_request(make_request: RequestFactory) -> None:
    exchanges = json.loads(SAMPLES.read_text())["exchanges"]
    body = next(item["request_json"] for item in exchanges if item["endpoint"] == "/ai/adaptive_optimize")
    prompt = build_context(make_request(task=Task.ADAPTIVE_OPTIMIZE, candidates=body["candidates"]))
    assert "Attempt 1 (from OPTIMIZE): Performance gain: 682%" in prompt.user
    assert "Attempt 2 (from REFINE)" in prompt.user
