"""Syntax checks with the grammar the client picks for each file's path."""

from collections.abc import Sequence

from codeflash_engine.domain import Diagnostic, SourceFile
from codeflash_engine.treesitter import ParseTimeoutError, syntax_diagnostics
from codeflash_lang_js.languages import grammar_for


def validate_files(files: Sequence[SourceFile], language: str) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for file in files:
        grammar = grammar_for(file.path, language)
        try:
            diagnostics.extend(syntax_diagnostics(grammar, file.code, path=file.path))
        except ParseTimeoutError as exc:
            diagnostics.append(Diagnostic(message=str(exc), path=file.path))
    return diagnostics
