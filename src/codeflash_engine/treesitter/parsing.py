"""Parsing with a time budget, and walking trees without recursion.

Trees of hostile input can be hundreds of thousands of levels deep, so nothing here recurses in
Python; tree-sitter itself parses iteratively.
"""

import time
from collections.abc import Iterator

from tree_sitter import Node, Point, Tree

from codeflash_engine.treesitter.grammar import Grammar, parser

DEFAULT_PARSE_TIMEOUT_S = 10.0
_CHUNK_BYTES = 1 << 16


class ParseTimeoutError(RuntimeError):
    """Parsing took longer than its budget (pathological input); treat the code as invalid."""


def as_bytes(source: str | bytes) -> bytes:
    return source.encode("utf-8", errors="surrogatepass") if isinstance(source, str) else source


def parse(grammar: Grammar, source: str | bytes, *, timeout_s: float = DEFAULT_PARSE_TIMEOUT_S) -> Tree:
    """Parse ``source`` (UTF-8) with ``grammar``; raises ``ParseTimeoutError`` beyond ``timeout_s``.

    Syntax errors do not raise: they are ERROR and MISSING nodes in the tree (see
    ``syntax_diagnostics``).
    """
    data = memoryview(as_bytes(source))
    deadline = time.monotonic() + timeout_s

    def read(offset: int, _point: Point) -> memoryview:
        return data[offset : offset + _CHUNK_BYTES]

    def cancel(_offset: int, _has_error: bool) -> bool:
        return time.monotonic() > deadline

    grammar_parser = parser(grammar)
    try:
        return grammar_parser.parse(read, progress_callback=cancel)
    except ValueError as error:  # tree-sitter reports a cancelled parse as "Parsing failed"
        # A cancelled parser resumes its parse on the next call unless it is reset.
        grammar_parser.reset()
        raise ParseTimeoutError(f"parsing {grammar} took longer than {timeout_s:g} s") from error


def walk(node: Node) -> Iterator[Node]:
    """Every node under ``node`` (itself included), in document order, iteratively."""
    cursor = node.walk()
    while True:
        current = cursor.node
        assert current is not None
        yield current
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or cursor.node == node:
                return


def node_text(node: Node, source: bytes) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")
