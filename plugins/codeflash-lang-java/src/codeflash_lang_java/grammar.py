"""tree-sitter-java: parsing, syntax diagnostics and fingerprints (the engine's tree-sitter kit)."""

from collections.abc import Iterator
from functools import cache

import tree_sitter
import tree_sitter_java

from codeflash_engine.domain import Diagnostic

Node = tree_sitter.Node
Tree = tree_sitter.Tree


@cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_java.language()))


def parse(source: str) -> Tree:
    return _parser().parse(source.encode("utf-8"))


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


def _tokens(node: Node) -> Iterator[str]:
    if node.type in ("line_comment", "block_comment"):
        return
    if node.child_count == 0:
        yield text(node)
        return
    for child in node.children:
        yield from _tokens(child)


def fingerprint(source: str) -> str:
    """The code's tokens without comments and layout: equal for two formattings of one program."""
    return " ".join(_tokens(parse(source).root_node))


def node_fingerprint(node: Node) -> str:
    return " ".join(_tokens(node))
