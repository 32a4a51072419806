"""Does the code compile on the client's Python?"""

import warnings
from collections.abc import Sequence

from codeflash_engine.domain import Diagnostic, SourceFile


def compile_diagnostic(code: str, path: str | None) -> Diagnostic | None:
    """``compile`` (not just ``ast.parse``): it also rejects ``return`` outside a function."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            compile(code, path or "<candidate>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return Diagnostic(message=exc.msg, path=path, line=exc.lineno, column=exc.offset)
    except (ValueError, RecursionError, MemoryError) as exc:
        return Diagnostic(message=f"cannot compile: {exc}", path=path)
    return None


def validate_files(files: Sequence[SourceFile], language_version: str | None) -> list[Diagnostic]:
    del language_version  # older-grammar checks arrive with the full plugin (issue 6)
    return [
        diagnostic for file in files if (diagnostic := compile_diagnostic(file.code, file.path)) is not None
    ]
