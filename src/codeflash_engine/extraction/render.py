"""The client's markdown: rendering code for it, and reading it the way it does."""

import re
from collections.abc import Iterable

from codeflash_engine.domain import SourceFile
from codeflash_engine.extraction.errors import RenderError
from codeflash_engine.extraction.result import ExtractedBlock

# Published by the codeflash client (models.py); reproduced to read and check markdown exactly as it does.
CLIENT_MARKDOWN_PATTERN = re.compile(r"```(\w+)(?::([^\n]+))?\n(.*?)\n```", re.DOTALL)

_TAG = re.compile(r"[A-Za-z0-9_]+")
# A line starting with ``` ends the client's match early (its regex stops at the first "\n```"); with
# up to three spaces before it, it would also close a CommonMark fence.
_FENCE_LINE = re.compile(r"^ {0,3}```", re.MULTILINE)
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:[\\/]")


def _check_path(path: str) -> None:
    if not path or path != path.strip() or "\n" in path or "\r" in path:
        raise RenderError(f"path {path!r} is empty, has surrounding whitespace or a line break")
    if path.startswith("/") or _WINDOWS_ABSOLUTE.match(path) or "\\" in path:
        raise RenderError(f"path {path!r} must be relative to the project root, with '/' separators")


def _check_code(path: str | None, code: str) -> None:
    fence_line = _FENCE_LINE.search(code)
    if fence_line is not None:
        line = code.count("\n", 0, fence_line.start()) + 1
        raise RenderError(
            f"{path or '<code>'}: line {line} starts with ``` and would end the client's code block early"
        )


def render_markdown(blocks: Iterable[SourceFile | ExtractedBlock], language_tag: str) -> str:
    """Blocks as the client reads them: ```<tag>:<path>, the code, ``` — joined by newlines.

    A block without a path gets a bare ```<tag> fence (the client then maps it to its only file).
    Raises ``RenderError`` rather than emit anything the client's regex would read differently.
    """
    if not _TAG.fullmatch(language_tag):
        raise RenderError(f"language tag {language_tag!r} must be letters, digits or underscores")
    rendered = []
    for block in blocks:
        if block.path is not None:
            _check_path(block.path)
        _check_code(block.path, block.code)
        header = f"```{language_tag}" + (f":{block.path}" if block.path is not None else "")
        rendered.append(f"{header}\n{block.code}\n```")
    return "\n".join(rendered)


def parse_markdown_files(text: str) -> tuple[SourceFile, ...]:
    """The files of markdown written by the client (request fields such as ``source_code``), read
    exactly as the client's own regex reads them: the path is stripped, the code is not."""
    files = []
    for match in CLIENT_MARKDOWN_PATTERN.finditer(text):
        path = match.group(2).strip() if match.group(2) is not None else None
        files.append(SourceFile(path=path or None, code=match.group(3)))
    return tuple(files)
