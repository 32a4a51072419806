"""``build_context``: one prompt per task, told the Java version, the target, the framework."""

import pytest
from codeflash_lang_java import plugin
from java_samples import OPTIMIZE_MARKDOWN, TARGET_PATH, generation_request, optimize_request

from codeflash_engine.domain import Task
from codeflash_engine.errors import UnsupportedTaskError


@pytest.mark.parametrize(
    ("raw", "said"), [("17", "Java 17"), ("1.8", "Java 8"), ("${java.version}", "`${java.version}`")]
)
def test_the_optimize_prompt_names_the_target_the_version_and_the_rules(raw: str, said: str) -> None:
    prompt = plugin.build_context(optimize_request(language_version=raw))
    assert prompt.user.startswith("Optimize `totalQuantity` for speed.")
    assert said in prompt.user and said in prompt.system
    assert f"```java:{TARGET_PATH}" in prompt.user and f"```java:{TARGET_PATH}" in prompt.system
    assert "(`java.util.HashMap`, not `HashMap` plus an import)" in prompt.system


def test_the_line_profile_goes_into_its_prompt() -> None:
    request = optimize_request(Task.OPTIMIZE_LINE_PROFILER, line_profiler_results="| 90 | loop |")
    assert "<line_profiler_results>\n| 90 | loop |" in plugin.build_context(request).user


@pytest.mark.parametrize(
    ("task", "start", "field", "value"),
    [
        (
            Task.REFINE,
            "Refine the optimized version of `totalQuantity`",
            "optimized_source_code",
            "OPTIMIZED-X",
        ),
        (
            Task.CODE_REPAIR,
            "Repair the optimized version of `totalQuantity`",
            "test_diffs",
            [{"scope": "return_value"}],
        ),
        (
            Task.ADAPTIVE_OPTIMIZE,
            "Optimize `totalQuantity` for speed once more",
            "candidates",
            [{"speedup": "12%"}],
        ),
    ],
)
def test_the_follow_up_prompts_carry_their_inputs(task: Task, start: str, field: str, value: object) -> None:
    prompt = plugin.build_context(optimize_request(task, **{field: value}))
    assert prompt.user.startswith(start)
    assert (
        value if isinstance(value, str) else "return_value" if task is Task.CODE_REPAIR else "12%"
    ) in prompt.user


@pytest.mark.parametrize(
    ("framework", "test_import", "keyword"),
    [
        ("junit5", "org.junit.jupiter.api.Test", "`class <Name>Test`"),
        ("junit4", "org.junit.Test", "`public class"),
        ("testng", "org.testng.annotations.Test", "`public class"),
    ],
)
def test_the_testgen_prompt_names_package_framework_and_call(
    framework: str, test_import: str, keyword: str
) -> None:
    prompt = plugin.build_context(generation_request(test_framework=framework))
    assert prompt.user.startswith("Write Java regression tests for `Inventory.totalQuantity`")
    assert (
        "package com.example;" in prompt.system and test_import in prompt.system and keyword in prompt.system
    )
    assert "new Inventory(...).totalQuantity(...)" in prompt.system
    assert "`Item.getQuantity`" in prompt.user


def test_the_review_and_repair_prompts() -> None:
    review = plugin.build_context(
        optimize_request(Task.TESTGEN_REVIEW, tests=[{"test_index": 0}], function_name="totalQuantity")
    )
    assert review.user.startswith("Review the generated tests") and '"reviews"' in review.system
    repair = plugin.build_context(
        generation_request(functions_to_repair=[{"function_name": "t"}], test_source="class T {}")
    )
    assert "class T {}" not in repair.user  # testgen, not repair: the source is the code under test
    from attrs import evolve

    repair = plugin.build_context(
        evolve(generation_request(test_source="class T {}"), task=Task.TESTGEN_REPAIR)
    )
    assert repair.user.startswith("Repair tests of `Inventory.totalQuantity`") and "class T {}" in repair.user


def test_jit_rewrite_is_refused_for_java() -> None:
    with pytest.raises(UnsupportedTaskError):
        plugin.build_context(optimize_request(Task.JIT_REWRITE))


def test_code_with_braces_is_inserted_verbatim() -> None:
    assert OPTIMIZE_MARKDOWN.split("\n", 1)[1][:40] in plugin.build_context(optimize_request()).user
