"""``validate``: tree-sitter-java errors (what the client rejects) and features newer than the
project's Java version (what its javac rejects)."""

import pytest
from codeflash_lang_java.features import newer_features
from codeflash_lang_java.grammar import JAVA
from codeflash_lang_java.java_version import parse_java_version
from codeflash_lang_java.validation import validate_file

from codeflash_engine.domain import SourceFile
from codeflash_engine.treesitter import fingerprint


def _problems(code: str, version: str = "17") -> list[str]:
    return [str(d) for d in validate_file(SourceFile(path="A.java", code=code), parse_java_version(version))]


def test_valid_code_has_no_problem() -> None:
    assert _problems("class A { int f() { return 1; } }") == []


def test_a_missing_semicolon_is_reported_with_its_position() -> None:
    [problem] = validate_file(
        SourceFile(path="A.java", code="class A {\n  int f() { return 1 }\n}"), parse_java_version("17")
    )
    assert (problem.path, problem.line) == ("A.java", 2)


@pytest.mark.parametrize("code", ["class A { int f() { return 1; }", "int f( {", ""])
def test_invalid_or_empty_blocks_are_errors(code: str) -> None:
    assert _problems(code)


def test_the_clients_skeleton_shape_is_valid() -> None:
    # Helpers after the class's closing brace: odd, but tree-sitter-java (and the client) accept it.
    assert (
        _problems("class A {\n  int f() { return g(); }\n}\n\n\nprivate int g() {\n    return 1;\n  }") == []
    )


@pytest.mark.parametrize(
    ("snippet", "needs"),
    [
        ("var x = 1;", 10),
        ('String s = """\n  hi""";', 15),
        ("int y = switch (n) { case 1 -> 2; default -> 3; };", 14),
        ("if (o instanceof String s) { }", 16),
        ("var l = java.util.List.of(1);", 10),
        ("java.util.List<Integer> l = List.of(1);", 9),
    ],
)
def test_features_newer_than_the_version_are_errors(snippet: str, needs: int) -> None:
    code = f"class A {{ void f(Object o, int n) {{ {snippet} }} }}"
    assert _problems(code, str(needs)) == []
    found = newer_features(code, "A.java", needs - 1)
    assert any(f"need Java {needs}" in diagnostic.message for diagnostic in found), found
    assert _problems(code, "1.8")


def test_records_and_sealed_types_need_16_and_17() -> None:
    assert newer_features("record P(int x) {}", None, 15)
    assert not newer_features("record P(int x) {}", None, 16)
    assert newer_features("sealed interface S permits A {}", None, 16)


def test_an_unresolved_version_checks_against_java_8() -> None:
    assert _problems("class A { void f() { var x = 1; } }", "${java.version}")


def test_fingerprints_ignore_comments_and_layout_but_not_code() -> None:
    a = "class A {\n  // why\n  int f() { return 1; }\n}"
    b = "class A { /* doc */ int f() {\n\n    return 1;\n} }"
    assert fingerprint(JAVA, a) == fingerprint(JAVA, b)
    assert fingerprint(JAVA, a) != fingerprint(JAVA, a.replace("1", "2"))
