"""What a candidate changes, as the client would apply it, and de-duplication on that.

The client applies only changed functions and methods (by name) and new top-level declarations, so
a candidate's effect is the set of its definitions whose fingerprint (tokens, blind to comments and
layout) differs from the original's, plus its new top-level statements. An empty effect is a copy
of the original or a reformatting of it; two candidates with the same effect are duplicates.
"""

import hashlib

from codeflash_engine.treesitter import fingerprint
from codeflash_lang_js.languages import IGNORED_TOKENS
from codeflash_lang_js.postprocessing.parsed import OriginalCode, ParsedFile, function_node


def definition_prints(file: ParsedFile) -> dict[str, str]:
    prints: dict[str, str] = {}
    for definition in file.definitions:
        if definition.kind not in ("function", "method"):
            continue
        node = function_node(file, definition)
        if node is not None:
            prints.setdefault(
                definition.qualified_name,
                fingerprint(
                    file.grammar, file.data, tree=file.tree, node=node, ignored_tokens=IGNORED_TOKENS
                ),
            )
    return prints


def statement_prints(file: ParsedFile) -> set[str]:
    return {
        fingerprint(file.grammar, file.data, tree=file.tree, node=statement, ignored_tokens=IGNORED_TOKENS)
        for statement in file.tree.root_node.named_children
        if statement.type not in ("comment",)
        and not any(d.start_byte <= statement.start_byte < d.end_byte for d in file.definitions)
    }


def effect(files: tuple[ParsedFile, ...], original: OriginalCode) -> tuple[str, ...]:
    """What the client would change, as sorted ``path:name:print`` items (empty: nothing)."""
    items: set[str] = set()
    for file in files:
        old_prints, old_statements = original.prints(file.path, definition_prints, statement_prints)
        for name, value in definition_prints(file).items():
            if old_prints.get(name) != value:
                items.add(f"{file.path}:{name}:{value}")
        items.update(f"{file.path}::{value}" for value in statement_prints(file) - old_statements)
    return tuple(sorted(items))


def effect_key(items: tuple[str, ...]) -> str:
    return hashlib.sha256("\n".join(items).encode()).hexdigest()
