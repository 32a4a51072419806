"""JavaScript and TypeScript as the tree-sitter kit sees them: grammars and definition rules, as data.

The grammar of a block follows its path's suffix, as in the released client: ``.ts``/``.mts``/
``.cts`` is TypeScript, ``.tsx`` is TSX, anything else is JavaScript; a block without a path
takes the grammar of its language.
"""

from pathlib import PurePosixPath

from codeflash_engine.treesitter import DefinitionRule, DefinitionRules, Grammar

JAVASCRIPT = Grammar("tree_sitter_javascript", name="javascript")
TYPESCRIPT = Grammar("tree_sitter_typescript", "language_typescript", name="typescript")
TSX = Grammar("tree_sitter_typescript", "language_tsx", name="tsx")

_TYPESCRIPT_SUFFIXES = frozenset({".ts", ".mts", ".cts"})

IGNORED_TOKENS = frozenset({";", "'", '"'})
"""Tokens the fingerprint skips: semicolons JavaScript inserts anyway, and the quotes of a string
(``'a'`` and ``"a"`` are the same string; escapes inside still count)."""

_EXPORT = frozenset({"export_statement"})
RULES = DefinitionRules(
    (
        DefinitionRule("function_declaration", "function", wrapper_types=_EXPORT),
        DefinitionRule("generator_function_declaration", "function", wrapper_types=_EXPORT),
        DefinitionRule("class_declaration", "class", scope=True, wrapper_types=_EXPORT),
        DefinitionRule("abstract_class_declaration", "class", scope=True, wrapper_types=_EXPORT),
        DefinitionRule("method_definition", "method"),
        DefinitionRule(
            "variable_declarator",
            "function",
            value_field="value",
            value_types={"arrow_function", "function_expression", "function", "generator_function"},
            wrapper_types={"lexical_declaration", "variable_declaration", "export_statement"},
        ),
    )
)
FUNCTION_NODE_TYPES = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "method_definition",
        "arrow_function",
        "function_expression",
        "function",
        "generator_function",
    }
)


def grammar_for(path: str | None, language: str) -> Grammar:
    """The grammar the client parses a block with."""
    if path:
        suffix = PurePosixPath(path).suffix.lower()
        if suffix == ".tsx":
            return TSX
        return TYPESCRIPT if suffix in _TYPESCRIPT_SUFFIXES else JAVASCRIPT
    return TYPESCRIPT if language == "typescript" else JAVASCRIPT
