"""Grammars resolve lazily from importable names, pickle, and parse with one parser per thread."""

import pickle
import threading

import pytest

from codeflash_engine.treesitter import (
    Grammar,
    GrammarNotAvailableError,
    ParseTimeoutError,
    parse,
    parser,
    walk,
)
from tests.treesitter.languages import GO, JAVA, JAVASCRIPT, TSX, TYPESCRIPT


@pytest.mark.parametrize(
    ("grammar", "source", "root"),
    [
        (JAVASCRIPT, "const f = (a) => a * 2;", "program"),
        (TYPESCRIPT, "function f(a: number): number { return a }", "program"),
        (TSX, "const C = () => <div>{1}</div>;", "program"),
        (JAVA, "class A { int f() { return 1; } }", "program"),
        (GO, "package p\n\nfunc F() int { return 1 }\n", "source_file"),
    ],
)
def test_each_grammar_parses_its_language_without_errors(grammar: Grammar, source: str, root: str) -> None:
    tree = parse(grammar, source)
    assert tree.root_node.type == root
    assert not tree.root_node.has_error


def test_a_grammar_pickles_as_its_names_and_resolves_again() -> None:
    copy = pickle.loads(pickle.dumps(TSX))
    assert copy == TSX
    assert str(copy) == "tsx"
    assert not parse(copy, "const x = <a/>;").root_node.has_error


def test_jsx_is_an_error_in_the_typescript_grammar_but_not_in_tsx() -> None:
    assert parse(TYPESCRIPT, "const x = <a>{1}</a>;").root_node.has_error
    assert not parse(TSX, "const x = <a>{1}</a>;").root_node.has_error


def test_an_uninstalled_grammar_names_itself_in_the_error() -> None:
    missing = Grammar("tree_sitter_no_such_language", name="nope")
    with pytest.raises(GrammarNotAvailableError, match="nope"):
        parse(missing, "x")


def test_the_parser_is_cached_per_thread() -> None:
    assert parser(JAVASCRIPT) is parser(JAVASCRIPT)
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(parser(JAVASCRIPT)))
    thread.start()
    thread.join()
    assert other[0] is not parser(JAVASCRIPT)


def test_a_parse_over_its_budget_raises_instead_of_hanging() -> None:
    with pytest.raises(ParseTimeoutError, match="javascript"):
        parse(JAVASCRIPT, "f(" * 50_000, timeout_s=0.0)


def test_walk_visits_every_node_in_document_order() -> None:
    tree = parse(JAVASCRIPT, "a + b;")
    assert [node.type for node in walk(tree.root_node) if node.is_named] == [
        "program",
        "expression_statement",
        "binary_expression",
        "identifier",
        "identifier",
    ]
