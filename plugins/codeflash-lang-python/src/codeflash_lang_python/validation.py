"""Does the code compile on the client's Python, and is it safe to hand to libcst?

The client ``compile``\\ s every block on its own interpreter and silently drops the whole candidate
when one fails, so every check here mirrors something that would lose a candidate client-side.
libcst's native parser crashes the process on very deep nesting and is quadratic on long operator
chains, so a candidate must pass ``ast`` and the depth limit before libcst ever sees it.
"""

import ast
import warnings
from collections.abc import Sequence

from attrs import frozen

from codeflash_engine.domain import Diagnostic, SourceFile
from codeflash_lang_python.python_version import client_feature_version

MAX_SOURCE_BYTES = 1_000_000
"""A 350-line module is ~15 kB; a megabyte of reply is an attack or a runaway generation."""

MAX_AST_DEPTH = 120
"""Real code nests well under 60 levels; libcst is quadratic on long chains and crashes on deep ones,
and the recursive canonical key needs headroom under the interpreter's recursion limit."""

CLIENT_FENCE_CLOSE = "```"


@frozen
class CheckedSource:
    """One file's validation outcome; ``tree`` is the parsed module when it is valid."""

    tree: ast.Module | None
    diagnostics: tuple[Diagnostic, ...]


def _syntax_diagnostic(exc: SyntaxError, path: str | None) -> Diagnostic:
    return Diagnostic(message=exc.msg or "invalid syntax", path=path, line=exc.lineno, column=exc.offset)


def ast_depth_exceeds(tree: ast.AST, limit: int) -> bool:
    """Iterative (a recursive walk would itself overflow on the inputs this guards against)."""
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return False


def _fence_breaking_line(code: str) -> int | None:
    """The client's regex ends a block at the first line starting with three backticks."""
    for number, line in enumerate(code.split("\n"), start=1):
        if line.startswith(CLIENT_FENCE_CLOSE):
            return number
    return None


def _parse_and_compile(code: str, filename: str, feature_version: tuple[int, int] | None) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        tree = ast.parse(code, filename)
        if ast_depth_exceeds(tree, MAX_AST_DEPTH):
            raise _TooDeep
        # compile (from the tree, so the text is parsed once) also rejects what the parser accepts:
        # ``return`` outside a function, module-level ``nonlocal``, duplicate parameters.
        compile(tree, filename, "exec", dont_inherit=True)
        if feature_version is not None:
            try:
                ast.parse(code, filename, feature_version=feature_version)
            except SyntaxError as exc:
                exc.msg = f"not valid on Python {feature_version[0]}.{feature_version[1]}: {exc.msg}"
                raise
    return tree


class _TooDeep(Exception):
    pass


def check_source(code: str, path: str | None, language_version: str | None) -> CheckedSource:
    """Parse once, check everything the client and libcst need; never raises for bad input."""
    if len(code.encode("utf-8", errors="surrogatepass")) > MAX_SOURCE_BYTES:
        return CheckedSource(None, (Diagnostic(f"file larger than {MAX_SOURCE_BYTES} bytes", path=path),))
    if (fence_line := _fence_breaking_line(code)) is not None:
        message = "a line starting with ``` would end the client's code fence early"
        return CheckedSource(None, (Diagnostic(message, path=path, line=fence_line, column=1),))
    try:
        tree = _parse_and_compile(code, path or "<candidate>", client_feature_version(language_version))
    except SyntaxError as exc:
        return CheckedSource(None, (_syntax_diagnostic(exc, path),))
    except _TooDeep:
        return CheckedSource(
            None, (Diagnostic(f"code nested deeper than {MAX_AST_DEPTH} levels", path=path),)
        )
    except (RecursionError, MemoryError) as exc:
        message = f"code too deeply nested or too large ({type(exc).__name__})"
        return CheckedSource(None, (Diagnostic(message, path=path),))
    except ValueError as exc:  # e.g. a NUL byte in the source
        return CheckedSource(None, (Diagnostic(f"cannot compile: {exc}", path=path),))
    return CheckedSource(tree, ())


def validate_files(files: Sequence[SourceFile], language_version: str | None) -> list[Diagnostic]:
    return [
        diagnostic
        for file in files
        for diagnostic in check_source(file.code, file.path, language_version).diagnostics
    ]
