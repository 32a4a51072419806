"""Optimization postprocessing, rule by rule, on the client's real context for
``Inventory.totalQuantity``: what the client's Java replacer would apply wrongly is refused with
the step and the reason, what it would apply is kept in the shape it was sent."""

from codeflash_lang_java import plugin
from java_samples import (
    FOR_EACH,
    HELPER_PATH,
    INVENTORY,
    ITEM_HELPERS,
    TARGET_PATH,
    candidate,
    optimize_request,
)

from codeflash_engine.domain import PostprocessResult, Task, TaskRequest


def _run(*candidates: tuple[str, ...], request: TaskRequest | None = None) -> PostprocessResult:
    built = [candidate(str(i), *zip(c[::2], c[1::2], strict=True)) for i, c in enumerate(candidates)]
    return plugin.postprocess(request or optimize_request(), built)


def _dropped(result: PostprocessResult) -> list[tuple[str, str]]:
    return [(drop.step, drop.reason) for drop in result.dropped]


def test_a_faster_class_in_the_shape_sent_is_kept_unchanged() -> None:
    result = _run((TARGET_PATH, FOR_EACH))
    [kept] = result.kept
    assert kept.files[0].code == FOR_EACH
    assert result.dropped == ()


def test_a_copy_of_the_original_is_dropped_even_reformatted_and_commented() -> None:
    reformatted = INVENTORY.replace("int total = 0;", "int total = 0; // start").replace("    ", "  ")
    [(step, reason)] = _dropped(_run((TARGET_PATH, reformatted)))
    assert (step, reason) == ("deduplicate", "same as the original")


def test_a_duplicate_of_an_earlier_candidate_is_dropped() -> None:
    result = _run((TARGET_PATH, FOR_EACH), (TARGET_PATH, "/* again */\n" + FOR_EACH))
    assert [k.candidate_id for k in result.kept] == ["0"]
    assert _dropped(result) == [("deduplicate", "same as an earlier candidate")]


def test_a_syntax_error_is_dropped_at_validate() -> None:
    [(step, reason)] = _dropped(_run((TARGET_PATH, FOR_EACH.replace("return total;", "return total"))))
    assert step == "validate" and TARGET_PATH in reason


def test_features_newer_than_the_project_are_dropped_at_validate() -> None:
    code = FOR_EACH.replace("int total = 0;", "var total = 0;")
    assert _run((TARGET_PATH, code)).kept
    [(step, reason)] = _dropped(_run((TARGET_PATH, code), request=optimize_request(language_version="1.8")))
    assert step == "validate" and "Java 10" in reason


def test_a_candidate_without_the_target_files_block_is_dropped() -> None:
    [(step, reason)] = _dropped(
        _run((HELPER_PATH, ITEM_HELPERS.replace("return name;", "return this.name;")))
    )
    assert step == "shape" and TARGET_PATH in reason


def test_a_changed_signature_is_dropped() -> None:
    for change in (
        ("public int totalQuantity()", "public long totalQuantity()"),
        ("public int totalQuantity()", "public int totalQuantity(int limit)"),
        ("public int totalQuantity()", "public static int totalQuantity()"),
        ("public int totalQuantity()", "public int totalQuantity() throws java.io.IOException"),
    ):
        [(step, reason)] = _dropped(_run((TARGET_PATH, FOR_EACH.replace(*change))))
        assert step == "signature" and "totalQuantity" in reason, change


def test_parameter_names_modifiers_and_qualified_types_may_change() -> None:
    request = optimize_request(
        code=(
            f"```java:{TARGET_PATH}\nclass A {{\n"
            f"  java.util.List<String> f(int[] a, String... b) {{ return null; }}\n}}\n```"
        )
    )
    code = (
        "class A {\n"
        "  public final java.util.List<String> f(final int[] values, String... rest) {\n"
        "    return java.util.List.of();\n  }\n"
        "}"
    )
    assert _run((TARGET_PATH, code), request=request).kept


def test_a_missing_or_duplicated_target_is_dropped() -> None:
    missing = FOR_EACH.replace("totalQuantity()", "total()")
    assert _dropped(_run((TARGET_PATH, missing)))[0][0] == "signature"
    twice = FOR_EACH.replace("\n}\n", "\n    public int totalQuantity(int x) { return x; }\n}\n", 1)
    [(step, reason)] = _dropped(_run((TARGET_PATH, twice)))
    assert step == "signature" and "2 times" in reason


def test_renaming_the_class_or_changing_its_declaration_is_dropped() -> None:
    renamed = FOR_EACH.replace("public class Inventory {", "public class Stock {").replace(
        "public Inventory(", "public Stock("
    )
    assert _dropped(_run((TARGET_PATH, renamed)))[0] == (
        "scope",
        "renames class `Inventory` to `Stock`; the client keeps the name",
    )
    final = FOR_EACH.replace("public class Inventory {", "public final class Inventory {")
    assert "declaration of class" in _dropped(_run((TARGET_PATH, final)))[0][1]


def test_changing_an_existing_field_or_helper_is_dropped() -> None:
    field = FOR_EACH.replace("LIMIT = 1000", "LIMIT = 2000")
    assert "existing field `LIMIT`" in _dropped(_run((TARGET_PATH, field)))[0][1]
    helper = FOR_EACH.replace("return Math.min(q, LIMIT);", "return q < LIMIT ? q : LIMIT;")
    assert "existing method `clamp`" in _dropped(_run((TARGET_PATH, helper)))[0][1]


def test_new_fields_new_helpers_and_constructor_changes_are_kept() -> None:
    code = FOR_EACH.replace(
        "    private final List<Item> items = new ArrayList<>();",
        "    private final List<Item> items = new ArrayList<>();\n    private int cached = -1;",
    ).replace("items.addAll(initial);", "items.addAll(initial);\n        cached = -1;") + (
        "\n\n    private static int twice(int x) {\n        return 2 * x;\n    }"
    )
    assert _run((TARGET_PATH, code)).kept


def test_nested_types_initializers_and_extra_classes_are_dropped() -> None:
    nested = FOR_EACH.replace("\n}\n", "\n    private static final class Box { int v; }\n}\n", 1)
    assert "nested type" in _dropped(_run((TARGET_PATH, nested)))[0][1]
    block = FOR_EACH.replace("\n}\n", "\n    static { System.gc(); }\n}\n", 1)
    assert "initializer" in _dropped(_run((TARGET_PATH, block)))[0][1]
    extra = FOR_EACH + "\n\nclass Helper { }"
    assert "another top-level type `Helper`" in _dropped(_run((TARGET_PATH, extra)))[0][1]


def test_new_imports_are_rewritten_and_a_package_line_removed() -> None:
    code = "package com.example;\n\nimport java.util.Iterator;\n" + FOR_EACH.replace(
        "for (Item it : items) {\n            total += clamp(it.getQuantity());\n        }",
        "Iterator<Item> each = items.iterator();\n        while (each.hasNext()) {\n"
        "            total += clamp(each.next().getQuantity());\n        }",
    )
    [kept] = _run((TARGET_PATH, code)).kept
    assert kept.files[0].code.startswith("import java.util.ArrayList;")
    assert "java.util.Iterator<Item> each" in kept.files[0].code
    assert "package" not in kept.files[0].code


def test_a_new_wildcard_import_is_dropped_at_imports() -> None:
    [(step, reason)] = _dropped(_run((TARGET_PATH, "import java.util.stream.*;\n" + FOR_EACH)))
    assert step == "imports" and "java.util.stream.*" in reason


def test_an_unchanged_helper_block_is_left_out() -> None:
    [kept] = _run((TARGET_PATH, FOR_EACH, HELPER_PATH, ITEM_HELPERS)).kept
    assert [f.path for f in kept.files] == [TARGET_PATH]


def test_a_helper_block_is_cut_to_the_one_helper_it_changes() -> None:
    changed = ITEM_HELPERS.replace("return quantity;", "return this.quantity;")
    [kept] = _run((TARGET_PATH, FOR_EACH, HELPER_PATH, changed)).kept
    assert [f.path for f in kept.files] == [TARGET_PATH, HELPER_PATH]
    assert kept.files[1].code == "    public int getQuantity() { return this.quantity; }\n"


def test_helper_blocks_the_client_cannot_apply_are_dropped() -> None:
    both = ITEM_HELPERS.replace("return quantity;", "return this.quantity;").replace(
        "return name;", "return this.name;"
    )
    assert (
        "one block can carry one changed helper"
        in _dropped(_run((TARGET_PATH, FOR_EACH, HELPER_PATH, both)))[0][1]
    )
    added = ITEM_HELPERS + "\n\n    public int twice() { return 2 * quantity; }"
    assert "adds method `twice`" in _dropped(_run((TARGET_PATH, FOR_EACH, HELPER_PATH, added)))[0][1]
    signature = ITEM_HELPERS.replace("public int getQuantity()", "public long getQuantity()")
    assert "signature of helper" in _dropped(_run((TARGET_PATH, FOR_EACH, HELPER_PATH, signature)))[0][1]


def test_only_a_helper_change_is_not_a_copy() -> None:
    changed = ITEM_HELPERS.replace("return quantity;", "return this.quantity;")
    assert _run((TARGET_PATH, INVENTORY, HELPER_PATH, changed)).kept


def test_postprocessing_the_kept_candidates_again_changes_nothing() -> None:
    request = optimize_request()
    changed = ITEM_HELPERS.replace("return quantity;", "return this.quantity;")
    first = plugin.postprocess(
        request,
        [candidate("a", (TARGET_PATH, "import java.util.BitSet;\n" + FOR_EACH), (HELPER_PATH, changed))],
    )
    second = plugin.postprocess(request, first.kept)
    assert second.kept == first.kept and second.dropped == ()


def test_refinement_repair_and_adaptive_use_the_same_rules() -> None:
    for task in (Task.REFINE, Task.CODE_REPAIR, Task.ADAPTIVE_OPTIMIZE, Task.OPTIMIZE_LINE_PROFILER):
        result = _run((TARGET_PATH, FOR_EACH), (TARGET_PATH, INVENTORY), request=optimize_request(task))
        assert [k.candidate_id for k in result.kept] == ["0"]
        assert _dropped(result) == [("deduplicate", "same as the original")]


def test_a_bare_method_candidate_is_checked_like_a_class() -> None:
    bare = (
        "public int totalQuantity() {\n    int total = 0;\n"
        "    for (Item it : items) total += clamp(it.getQuantity());\n    return total;\n}"
    )
    assert _run((TARGET_PATH, bare)).kept
    assert _dropped(_run((TARGET_PATH, bare.replace("public int", "public long"))))[0][0] == "signature"
