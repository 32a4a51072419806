"""Testgen postprocessing: a complete test class of the requested framework, in the package of
the class under test, whose ``@Test`` methods call the target with deterministic inputs."""

import pytest
from attrs import evolve
from codeflash_lang_java import plugin
from codeflash_lang_java.testgen.pipeline import CLIENT_CLASS_PATTERN
from java_samples import JUNIT5_TESTS, candidate, generation_request

from codeflash_engine.domain import PostprocessResult, Task, TaskRequest


def _run(code: str, request: TaskRequest | None = None) -> PostprocessResult:
    return plugin.postprocess(request or generation_request(), [candidate("t", ("Test.java", code))])


def _kept(code: str, request: TaskRequest | None = None) -> str:
    result = _run(code, request)
    assert result.dropped == (), result.dropped
    return result.kept[0].files[0].code


def _dropped(code: str, request: TaskRequest | None = None) -> tuple[str, str]:
    [drop] = _run(code, request).dropped
    return drop.step, drop.reason


def test_a_complete_class_is_kept_as_it_is() -> None:
    assert _kept(JUNIT5_TESTS) == JUNIT5_TESTS


def test_the_package_of_the_class_under_test_is_set() -> None:
    without = JUNIT5_TESTS.replace("package com.example;\n\n", "")
    assert _kept(without).startswith("package com.example;\n")
    wrong = JUNIT5_TESTS.replace("package com.example;", "package org.tests;")
    assert _kept(wrong).startswith("package com.example;\n")
    default = _kept(JUNIT5_TESTS, generation_request(module_path="Inventory"))
    assert "package" not in default


def test_a_module_path_that_is_no_class_name_leaves_the_package_line() -> None:
    assert _kept(JUNIT5_TESTS, generation_request(module_path="src/main/java/Inventory.java")) == JUNIT5_TESTS


def test_missing_imports_of_the_framework_assertions_and_project_types_are_added() -> None:
    bare = "\n".join(
        line for line in JUNIT5_TESTS.splitlines() if not line.startswith("import ") or "java.util" in line
    )
    code = _kept(bare)
    assert "import org.junit.jupiter.api.Test;" in code
    assert "import static org.junit.jupiter.api.Assertions.*;" in code
    assert "import com.example.model.Item;" in code
    assert _kept(code) == code


@pytest.mark.parametrize(
    ("framework", "test_import"),
    [("junit4", "org.junit.Test"), ("testng", "org.testng.annotations.Test")],
)
def test_another_frameworks_imports_are_refused(framework: str, test_import: str) -> None:
    step, reason = _dropped(JUNIT5_TESTS, generation_request(test_framework=framework))
    assert step == "framework" and "org.junit.jupiter" in reason


def test_junit4_and_testng_classes_and_tests_are_made_public() -> None:
    junit4 = JUNIT5_TESTS.replace(
        "org.junit.jupiter.api.Assertions.assertEquals", "org.junit.Assert.assertEquals"
    ).replace("org.junit.jupiter.api.Test", "org.junit.Test")
    code = _kept(junit4, generation_request(test_framework="junit4"))
    assert "public class InventoryTest" in code
    assert code.count("@Test public\n    void") == 2
    assert CLIENT_CLASS_PATTERN.search(code).group(1) == "InventoryTest"  # type: ignore[union-attr]


def test_tests_not_calling_the_target_or_reading_the_clock_are_removed() -> None:
    extra = JUNIT5_TESTS.replace(
        "\n}\n",
        "\n\n    @Test\n    void nameIsKept() {\n"
        '        assertEquals("a", new Item("a", 1).getName());\n    }\n'
        "\n    @Test\n    void timed() {\n        long t = System.currentTimeMillis();\n"
        "        new Inventory(List.of()).totalQuantity();\n    }\n"
        "\n    @Test\n    void random() {\n"
        '        new Inventory(List.of(new Item("a", new java.util.Random().nextInt()))).totalQuantity();\n'
        "    }\n}\n",
    )
    code = _kept(extra)
    assert "nameIsKept" not in code and "timed" not in code and "random()" not in code
    assert "sumsQuantities" in code and "clampsLargeQuantities" in code


def test_a_seeded_random_is_deterministic_and_kept() -> None:
    seeded = JUNIT5_TESTS.replace(
        'new Item("a", 5000)', 'new Item("a", new java.util.Random(42).nextInt(10))'
    )
    assert "Random(42)" in _kept(seeded)


def test_a_class_whose_tests_never_call_the_target_is_dropped() -> None:
    code = JUNIT5_TESTS.replace("totalQuantity()", "size()")
    assert _dropped(code) == ("tests", "no deterministic @Test method calls `totalQuantity`")


def test_a_class_without_tests_or_without_a_class_is_dropped() -> None:
    assert _dropped(JUNIT5_TESTS.replace("@Test", "@Disabled"))[0] == "tests"
    assert _dropped("package com.example;\n\ninterface Nothing {}\n")[0] == "shape"


def test_a_class_the_clients_regex_cannot_find_is_dropped() -> None:
    annotated = JUNIT5_TESTS.replace("class InventoryTest {", '@DisplayName("x") class InventoryTest {')
    assert _dropped(annotated)[0] == "shape"


def test_syntax_errors_and_newer_features_are_dropped_at_validate() -> None:
    assert _dropped(JUNIT5_TESTS.replace("totalQuantity());", "totalQuantity())"))[0] == "validate"
    with_var = JUNIT5_TESTS.replace("Inventory inventory =", "var inventory =")
    assert _dropped(with_var, generation_request(language_version="1.8"))[0] == "validate"
    assert _kept(with_var, generation_request(language_version="11"))


def test_testgen_repair_uses_the_same_rules() -> None:
    request = evolve(generation_request(), task=Task.TESTGEN_REPAIR)
    assert _kept(JUNIT5_TESTS, request) == JUNIT5_TESTS


def test_postprocessing_kept_tests_again_changes_nothing() -> None:
    bare = JUNIT5_TESTS.replace("package com.example;\n\n", "").replace(
        "import com.example.model.Item;\n", ""
    )
    once = _kept(bare)
    assert _kept(once) == once
