"""Syntax errors as the engine's ``Diagnostic``s, from a tree's ERROR and MISSING nodes."""

from collections.abc import Iterator

from tree_sitter import Node, Tree

from codeflash_engine.domain import Diagnostic
from codeflash_engine.treesitter.grammar import Grammar
from codeflash_engine.treesitter.parsing import as_bytes, parse

DEFAULT_MAX_DIAGNOSTICS = 20
_SNIPPET_CHARS = 40


def syntax_diagnostics(
    grammar: Grammar,
    source: str | bytes,
    *,
    path: str | None = None,
    tree: Tree | None = None,
    max_diagnostics: int = DEFAULT_MAX_DIAGNOSTICS,
) -> list[Diagnostic]:
    """One ``Diagnostic`` per ERROR or MISSING node, in document order, at most ``max_diagnostics``.

    Lines and columns are 1-based; the column counts characters, not bytes. Pass ``tree`` when the
    source is already parsed.
    """
    data = as_bytes(source)
    root = (tree or parse(grammar, data)).root_node
    if not root.has_error:
        return []
    diagnostics = []
    for node in _error_nodes(root):
        diagnostics.append(
            Diagnostic(
                message=_message(grammar, node, data),
                path=path,
                line=node.start_point.row + 1,
                column=_character_column(data, node.start_byte, node.start_point.column) + 1,
            )
        )
        if len(diagnostics) >= max_diagnostics:
            break
    return diagnostics


def _error_nodes(root: Node) -> Iterator[Node]:
    """ERROR and MISSING nodes, visiting only subtrees that contain an error (iteratively)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing or node.is_error:
            yield node
        elif node.has_error:
            stack.extend(reversed(node.children))


def _message(grammar: Grammar, node: Node, data: bytes) -> str:
    if node.is_missing:
        return f"{grammar} syntax error: missing {node.type!r}"
    snippet = data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")
    snippet = " ".join(snippet.split())
    if len(snippet) > _SNIPPET_CHARS:
        snippet = snippet[:_SNIPPET_CHARS] + "..."
    return f"{grammar} syntax error: unexpected {snippet!r}" if snippet else f"{grammar} syntax error"


def _character_column(data: bytes, start_byte: int, byte_column: int) -> int:
    line_start = start_byte - byte_column
    return len(data[line_start:start_byte].decode("utf-8", errors="replace"))
