"""tree-sitter-java: parsing, syntax diagnostics and fingerprints (the engine's tree-sitter kit)."""

from collections.abc import Iterator
from functools import cache, lru_cache

import tree_sitter
import tree_sitter_java

from codeflash_engine.domain import Diagnostic

Node = tree_sitter.Node
Tree = tree_sitter.Tree


@cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_java.language()))


def uncached_parse(source: str) -> Tree:
    return _parser().parse(source.encode("utf-8"))


@lru_cache(maxsize=64)
def parse(source: str) -> Tree:
    """Cached: one candidate's text is read by several steps (trees are never edited here)."""
    return uncached_parse(source)


@cache
def _query(source: str) -> tree_sitter.Query:
    return tree_sitter.Query(tree_sitter.Language(tree_sitter_java.language()), source)


def captures(node: Node, query: str) -> dict[str, list[Node]]:
    """The nodes under ``node`` each capture of ``query`` matches (in C; not in source order)."""
    found: dict[str, list[Node]] = tree_sitter.QueryCursor(_query(query)).captures(node)
    return found


def text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")


def _problem_nodes(node: Node) -> Iterator[Node]:
    if node.is_error or node.is_missing:
        yield node
        return
    if node.has_error:
        for child in node.children:
            yield from _problem_nodes(child)


def syntax_diagnostics(source: str, path: str | None) -> list[Diagnostic]:
    """One diagnostic per ERROR or MISSING node: exactly what makes the client reject a block."""
    diagnostics = []
    for node in _problem_nodes(parse(source).root_node):
        line, column = node.start_point
        message = f"missing {node.type}" if node.is_missing else f"syntax error near {text(node)[:40]!r}"
        diagnostics.append(Diagnostic(message=message, path=path, line=line + 1, column=column + 1))
    return diagnostics


_COMMENTS = frozenset({"line_comment", "block_comment"})


def _tokens(node: Node) -> list[bytes]:
    """The leaf tokens under ``node``, comments left out (one cursor walk, no Node per leaf)."""
    data = node.text or b""
    base = node.start_byte
    tokens: list[bytes] = []
    cursor = node.walk()
    while True:
        kind = cursor.node.type  # type: ignore[union-attr]
        if kind not in _COMMENTS and cursor.goto_first_child():
            continue
        if kind not in _COMMENTS:
            start, end = cursor.node.start_byte, cursor.node.end_byte  # type: ignore[union-attr]
            if end > start:
                tokens.append(data[start - base : end - base])
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or cursor.node == node:
                return tokens


def fingerprint(source: str) -> str:
    """The code's tokens without comments and layout: equal for two formattings of one program."""
    return node_fingerprint(parse(source).root_node)


def node_fingerprint(node: Node) -> str:
    return b" ".join(_tokens(node)).decode("utf-8", errors="replace")
