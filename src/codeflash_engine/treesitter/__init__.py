"""The tree-sitter language kit: what a tree-sitter language plugin needs besides its prompts.

Parsing with per-grammar wheels and a parser per worker thread, syntax diagnostics, definitions
found by (qualified) name from rules given as data, and a formatting-blind fingerprint. Install
with ``codeflash-engine[tree-sitter]`` plus the plugin's grammar wheels; call it from plugin hooks,
which run in the hook workers (docs/plugins.md, "Writing a tree-sitter language plugin").
"""

from codeflash_engine.treesitter.definitions import (
    Definition,
    DefinitionRule,
    DefinitionRules,
    definitions,
    find_definition,
)
from codeflash_engine.treesitter.diagnostics import syntax_diagnostics
from codeflash_engine.treesitter.fingerprint import fingerprint
from codeflash_engine.treesitter.grammar import Grammar, GrammarNotAvailableError, language, parser
from codeflash_engine.treesitter.parsing import (
    DEFAULT_PARSE_TIMEOUT_S,
    ParseTimeoutError,
    node_text,
    parse,
    walk,
)

__all__ = [
    "DEFAULT_PARSE_TIMEOUT_S",
    "Definition",
    "DefinitionRule",
    "DefinitionRules",
    "Grammar",
    "GrammarNotAvailableError",
    "ParseTimeoutError",
    "definitions",
    "find_definition",
    "fingerprint",
    "language",
    "node_text",
    "parse",
    "parser",
    "syntax_diagnostics",
    "walk",
]
