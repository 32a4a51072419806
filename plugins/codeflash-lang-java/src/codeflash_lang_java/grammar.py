"""tree-sitter-java through the engine's tree-sitter kit, and the two things the kit lacks:
a per-request parse cache and tree-sitter queries (both generic; reported for the kit)."""

from functools import cache, lru_cache

import tree_sitter

from codeflash_engine import treesitter
from codeflash_engine.domain import Diagnostic
from codeflash_engine.treesitter import Grammar

JAVA = Grammar("tree_sitter_java", name="java")

Node = tree_sitter.Node
Tree = tree_sitter.Tree
ParseTimeoutError = treesitter.ParseTimeoutError


def uncached_parse(source: str) -> Tree:
    return treesitter.parse(JAVA, source)


@lru_cache(maxsize=64)
def parse(source: str) -> Tree:
    """Cached: one candidate's text is read by several steps (trees are never edited here)."""
    return uncached_parse(source)


@cache
def _query(source: str) -> tree_sitter.Query:
    return tree_sitter.Query(treesitter.language(JAVA), source)


def captures(node: Node, query: str) -> dict[str, list[Node]]:
    """The nodes under ``node`` each capture of ``query`` matches (in C; not in source order)."""
    found: dict[str, list[Node]] = tree_sitter.QueryCursor(_query(query)).captures(node)
    return found


def text(node: Node, data: bytes) -> str:
    """``node``'s text in ``data``, the UTF-8 source it was parsed from. (The kit parses through a
    read callback, so ``Node.text`` is not available: it crashes the interpreter.)"""
    return treesitter.node_text(node, data)


def syntax_diagnostics(source: str, path: str | None) -> list[Diagnostic]:
    """One diagnostic per ERROR or MISSING node: exactly what makes the client reject a block.
    Code too pathological to parse in the kit's time budget is one diagnostic too."""
    try:
        tree = parse(source)
    except ParseTimeoutError as error:
        return [Diagnostic(message=str(error), path=path)]
    return treesitter.syntax_diagnostics(JAVA, source, path=path, tree=tree)


def node_fingerprint(source: str, node: Node) -> str:
    return treesitter.fingerprint(JAVA, source, node=node)


walk = treesitter.walk
