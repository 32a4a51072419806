"""Syntax diagnostics from ERROR and MISSING nodes, with 1-based lines and character columns."""

import pytest

from codeflash_engine.domain import Diagnostic, Severity
from codeflash_engine.treesitter import Grammar, parse, syntax_diagnostics
from tests.treesitter.languages import GO, JAVA, JAVASCRIPT, TSX, TYPESCRIPT


@pytest.mark.parametrize(
    ("grammar", "source"),
    [
        (JAVASCRIPT, "export function f(a) {\n  return a.map((x) => x * 2);\n}\n"),
        (TYPESCRIPT, "class H<T> {\n  most(): T | undefined { return undefined; }\n}\n"),
        (TSX, "export const C = ({ n }: { n: number }) => <b>{n}</b>;\n"),
        (JAVA, "class A {\n  int f(int x) { return x + 1; }\n}\n"),
        (GO, "package p\n\nfunc F(x int) int {\n\treturn x + 1\n}\n"),
    ],
)
def test_valid_code_has_no_diagnostics(grammar: Grammar, source: str) -> None:
    assert syntax_diagnostics(grammar, source) == []


def test_an_unexpected_token_is_reported_at_its_line_and_column() -> None:
    source = "function f(a) {\n  return a +* 2;\n}\n"
    [diagnostic] = syntax_diagnostics(JAVASCRIPT, source, path="src/a.js")
    assert diagnostic.path == "src/a.js"
    assert (diagnostic.line, diagnostic.column) == (2, 12)
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.message == "javascript syntax error: unexpected '+'"


def test_a_missing_token_is_named() -> None:
    [diagnostic] = syntax_diagnostics(JAVA, "class A { int f() { return 1 } }")
    assert diagnostic.message == "java syntax error: missing ';'"
    assert (diagnostic.line, diagnostic.column) == (1, 29)


def test_columns_count_characters_not_bytes() -> None:
    [diagnostic] = syntax_diagnostics(JAVASCRIPT, 'const s = "ééé"; )')
    assert diagnostic.column == 18


def test_typescript_syntax_is_an_error_for_the_javascript_grammar() -> None:
    source = "function f(a: number): number { return a }\n"
    assert syntax_diagnostics(TYPESCRIPT, source) == []
    assert syntax_diagnostics(JAVASCRIPT, source)


def test_the_number_of_diagnostics_is_capped() -> None:
    source = "\n".join("let = ;" for _ in range(100))
    assert len(syntax_diagnostics(JAVASCRIPT, source, max_diagnostics=5)) == 5


def test_an_existing_tree_is_reused() -> None:
    source = "int x = ;"
    tree = parse(JAVA, source)
    assert syntax_diagnostics(JAVA, source, tree=tree) == syntax_diagnostics(JAVA, source)
    assert all(isinstance(diagnostic, Diagnostic) for diagnostic in syntax_diagnostics(JAVA, source))
