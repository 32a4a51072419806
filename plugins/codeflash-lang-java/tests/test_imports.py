"""New imports become fully qualified names: the client never adds ``import`` lines."""

import pytest
from codeflash_lang_java.postprocessing.imports import UnqualifiableImportError, qualify_new_imports
from codeflash_lang_java.structure import read_unit

ORIGINAL = read_unit("import java.util.List;\n\nclass A {\n  int f(List<Integer> xs) { return 0; }\n}")


def test_a_new_type_import_is_removed_and_its_uses_qualified() -> None:
    code = (
        "import java.util.List;\nimport java.util.stream.IntStream;\n\nclass A {\n"
        "  int f(List<Integer> xs) { return IntStream.range(0, xs.size()).sum(); }\n}"
    )
    rewritten = qualify_new_imports(code, ORIGINAL)
    assert "import java.util.stream" not in rewritten
    assert "java.util.stream.IntStream.range(0, xs.size())" in rewritten
    assert "import java.util.List;" in rewritten  # the original's imports stay


def test_types_in_declarations_generics_and_constructors_are_qualified() -> None:
    code = (
        "import java.util.List;\nimport java.util.HashMap;\n\nclass A {\n"
        "  int f(List<Integer> xs) { HashMap<Integer, Integer> m = new HashMap<>(); return m.size(); }\n}"
    )
    rewritten = qualify_new_imports(code, ORIGINAL)
    assert "java.util.HashMap<Integer, Integer> m = new java.util.HashMap<>();" in rewritten


def test_a_static_import_qualifies_the_calls() -> None:
    code = (
        "import java.util.List;\nimport static java.lang.Math.max;\n\nclass A {\n"
        "  int f(List<Integer> xs) { return max(1, 2); }\n}"
    )
    rewritten = qualify_new_imports(code, ORIGINAL)
    assert "return java.lang.Math.max(1, 2);" in rewritten


def test_a_java_lang_import_is_just_removed() -> None:
    code = (
        "import java.util.List;\nimport java.lang.StringBuilder;\n\nclass A {\n"
        "  int f(List<Integer> xs) { return new StringBuilder().length(); }\n}"
    )
    rewritten = qualify_new_imports(code, ORIGINAL)
    assert "import java.lang" not in rewritten
    assert "new StringBuilder()" in rewritten


def test_a_common_jdk_type_used_without_any_import_is_qualified() -> None:
    code = (
        "import java.util.List;\n\nclass A {\n"
        "  int f(List<Integer> xs) { return new ArrayDeque<Integer>(xs).size(); }\n}"
    )
    rewritten = qualify_new_imports(code, ORIGINAL)
    assert "new java.util.ArrayDeque<Integer>(xs)" in rewritten


def test_a_name_the_original_already_uses_is_left_alone() -> None:
    original = read_unit("import java.util.*;\n\nclass A { int f() { return 0; } }")
    code = "import java.util.*;\n\nclass A { int f() { return new ArrayDeque<Integer>().size(); } }"
    assert qualify_new_imports(code, original) == code


def test_member_names_are_not_mistaken_for_types() -> None:
    code = (
        "import java.util.List;\nimport java.util.Map;\n\nclass A {\n"
        "  int f(List<Integer> xs) { Map<String, Integer> m = null; return this.Map + xs.Map(); }\n}"
    )
    rewritten = qualify_new_imports(code, ORIGINAL)
    assert "java.util.Map<String, Integer> m" in rewritten
    assert "this.Map + xs.Map()" in rewritten


def test_a_new_wildcard_import_cannot_be_rewritten() -> None:
    with pytest.raises(UnqualifiableImportError, match=r"java\.util\.stream\.\*"):
        qualify_new_imports("import java.util.stream.*;\nclass A { int f() { return 0; } }", ORIGINAL)


def test_an_import_clashing_with_an_existing_name_is_refused() -> None:
    with pytest.raises(UnqualifiableImportError, match="already means"):
        qualify_new_imports("import java.awt.List;\nclass A { int f() { return 0; } }", ORIGINAL)


def test_rewriting_twice_changes_nothing() -> None:
    code = (
        "import java.util.List;\nimport java.util.BitSet;\n\nclass A {\n"
        "  int f(List<Integer> xs) { return new BitSet().size(); }\n}"
    )
    once = qualify_new_imports(code, ORIGINAL)
    assert qualify_new_imports(once, ORIGINAL) == once


def test_a_jdk_type_is_qualified_even_when_a_longer_name_contains_it() -> None:
    original = read_unit(
        "import java.util.ArrayList;\n\nclass A { int f() { return new ArrayList<Integer>().size(); } }"
    )
    code = (
        "import java.util.ArrayList;\n\n"
        "class A { int f() { List<Integer> xs = new ArrayList<>(); return xs.size(); } }"
    )
    assert "java.util.List<Integer> xs" in qualify_new_imports(code, original)
