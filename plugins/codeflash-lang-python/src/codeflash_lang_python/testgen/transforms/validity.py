"""Keep only the part of an LLM's test module that compiles.

Replies are often cut off mid-function or carry a stray line of prose. Rather than losing every test
for one broken one, drop the top-level chunks (a statement with its decorators) that the compiler
points at, until the module compiles.
"""

import re

_TOP_LEVEL_START = re.compile(r"[^\s#)\]}]")
_DECORATOR_OR_COMMENT = re.compile(r"\s*(@|#|$)")


def _chunks(source: str) -> list[list[str]]:
    chunks: list[list[str]] = []
    for line in source.splitlines(keepends=True):
        starts_statement = bool(_TOP_LEVEL_START.match(line))
        # A decorator (or comment) run belongs to the definition that follows it.
        pending_decorators = bool(chunks) and all(_DECORATOR_OR_COMMENT.match(text) for text in chunks[-1])
        if not chunks or (starts_statement and not pending_decorators):
            chunks.append([line])
        else:
            chunks[-1].append(line)
    return chunks


def _syntax_error_line(source: str) -> int | None:
    try:
        compile(source, "<generated test>", "exec", dont_inherit=True)
    except SyntaxError as error:
        return error.lineno or 1
    except ValueError:  # null bytes
        return 1
    return None


def keep_compilable(source: str) -> str | None:
    """``source`` if it compiles, else ``source`` without the top-level chunks the compiler rejects.

    ``None`` when nothing that compiles remains.
    """
    chunks = _chunks(source)
    for _ in range(len(chunks) + 1):
        text = "".join("".join(chunk) for chunk in chunks)
        error_line = _syntax_error_line(text)
        if error_line is None:
            return text if text.strip() else None
        line = 0
        for index, chunk in enumerate(chunks):
            line += len(chunk)
            if error_line <= line:
                del chunks[index]
                break
        else:
            del chunks[-1]
        if not chunks:
            return None
    return None
