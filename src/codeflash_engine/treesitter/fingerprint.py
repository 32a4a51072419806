"""A digest of a source's tokens, blind to comments, whitespace and formatting.

Two sources with the same fingerprint differ at most in layout, comments and the tokens a plugin
declares insignificant (``;`` where JavaScript inserts it anyway), so a candidate whose
fingerprint equals the original's changes nothing, and two candidates with one fingerprint are
duplicates.
"""

import hashlib

from tree_sitter import Node, Tree

from codeflash_engine.treesitter.grammar import Grammar
from codeflash_engine.treesitter.parsing import as_bytes, parse


def fingerprint(
    grammar: Grammar,
    source: str | bytes,
    *,
    ignored_tokens: frozenset[str] = frozenset(),
    tree: Tree | None = None,
    node: Node | None = None,
) -> str:
    """The hex SHA-256 of the leaf-token stream of ``source`` (or of ``node`` inside it).

    Comments (the grammar's extras), zero-width MISSING tokens and whitespace-only tokens (Go's
    newline terminators) are skipped, as is any leaf whose text is in ``ignored_tokens``. A leaf
    is a node without children, so a string's quotes are separate tokens a plugin may ignore
    (``'a'`` and ``"a"`` then fingerprint alike).
    """
    data = as_bytes(source)
    start = node if node is not None else (tree or parse(grammar, data)).root_node
    digest = hashlib.sha256()
    cursor = start.walk()
    while True:
        current = cursor.node
        assert current is not None
        if not current.is_extra:
            if current.child_count:
                cursor.goto_first_child()
                continue
            if not current.is_missing:
                token = data[current.start_byte : current.end_byte]
                text = token.decode("utf-8", errors="replace")
                if text.strip() and text not in ignored_tokens:
                    digest.update(len(token).to_bytes(4, "little"))
                    digest.update(token)
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return digest.hexdigest()
