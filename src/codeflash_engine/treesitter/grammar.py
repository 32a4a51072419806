"""Grammars named by importable strings, resolved lazily, with one parser per grammar and thread.

A plugin describes its grammar as data,
``Grammar("tree_sitter_typescript", "language_tsx", name="tsx")``, so the description pickles
across the hook-worker boundary; the grammar wheel is imported only where a parser is needed, in
the worker.
"""

import importlib
import threading
from functools import cache

from attrs import frozen
from tree_sitter import Language, Parser


class GrammarNotAvailableError(RuntimeError):
    """The grammar's wheel is not installed, or its ABI does not match the installed tree-sitter."""


@frozen
class Grammar:
    """One tree-sitter grammar: ``module.function()`` returns its language pointer.

    ``name`` is for messages and logs (``"javascript"``, ``"tsx"``); it defaults to the module.
    """

    module: str
    function: str = "language"
    name: str = ""

    def __str__(self) -> str:
        return self.name or self.module


@cache
def language(grammar: Grammar) -> Language:
    """The grammar's ``Language``, imported on first use and kept for the life of the process."""
    try:
        pointer = getattr(importlib.import_module(grammar.module), grammar.function)()
        return Language(pointer)
    except (ImportError, AttributeError, ValueError) as error:
        raise GrammarNotAvailableError(
            f"tree-sitter grammar {grammar} ({grammar.module}.{grammar.function}) cannot be loaded: {error}"
        ) from error


# Parsers are not safe to share between threads (hooks may run in a thread pool), so each thread of
# a worker keeps its own, one per grammar.
_parsers = threading.local()


def parser(grammar: Grammar) -> Parser:
    """This thread's parser for ``grammar``, created on first use."""
    cached: dict[Grammar, Parser] | None = getattr(_parsers, "by_grammar", None)
    if cached is None:
        cached = _parsers.by_grammar = {}
    found = cached.get(grammar)
    if found is None:
        found = cached[grammar] = Parser(language(grammar))
    return found
