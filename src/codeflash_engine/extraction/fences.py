"""CommonMark fenced code blocks: backtick or tilde fences of three or more characters, closed by a
fence of the same character at least as long, so code containing a shorter fence survives."""

import re
from collections.abc import Sequence

from attrs import frozen

from codeflash_engine.extraction.languages import is_known_language, language_of_path, normalize_language

_OPENING = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_PATH_KEYS = ("file=", "path=", "filename=", "title=")
_FILENAME_LINE = re.compile(r"^[\w./@+-]*\w\.\w+$")


@frozen
class Fence:
    """A closed fenced block: its raw info string, parsed language and path, its code, and the
    0-based numbers of its opening and closing fence lines."""

    info: str
    language: str | None
    path: str | None
    code: str
    first_line: int
    last_line: int


@frozen
class FenceScan:
    """The closed fences, and the line of a final fence that never closes (``None`` if all close)."""

    fences: tuple[Fence, ...]
    unclosed_from: int | None = None

    @property
    def truncated(self) -> bool:
        return self.unclosed_from is not None


def _unquote(token: str) -> str:
    for key in _PATH_KEYS:
        token = token.removeprefix(key)
    return token.strip("'\"`")


def _looks_like_path(token: str) -> bool:
    return bool(token) and ("/" in token or "." in token) and not any(char.isspace() for char in token)


def parse_info(info: str) -> tuple[str | None, str | None]:
    """``python:pkg/a.py`` -> (python, pkg/a.py); ``pkg/a.py`` -> (python, pkg/a.py); ``py`` ->
    (python, None); ``python file="a.py"`` -> (python, a.py)."""
    tokens = info.split()
    if not tokens:
        return None, None
    first, rest = tokens[0], tokens[1:]
    language: str | None
    path: str | None = None
    if ":" in first and not first.endswith(":"):
        language, path = first.split(":", 1)
        path = _unquote(path) or None
    elif _looks_like_path(first) and not is_known_language(first):
        language, path = None, first
    else:
        language = first.rstrip(":")
        for token in rest:
            candidate = _unquote(token)
            if _looks_like_path(candidate):
                path = candidate
                break
    if language:
        return normalize_language(language), path
    return (language_of_path(path) if path else None), path


def _filename_from_line(line: str) -> str | None:
    """A path written alone on the line before a fence (``a.py``, ``### a.py``, ``**a.py**:``)."""
    name = line.strip().lstrip("#").strip().strip("*`'\"").rstrip(":").strip("*`'\"").strip()
    for prefix in ("File:", "file:", "Filename:", "Path:"):
        name = name.removeprefix(prefix).strip().strip("*`'\"")
    return name if _FILENAME_LINE.match(name) else None


def _closes(line: str, char: str, width: int) -> bool:
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return False
    body = stripped.rstrip(" \t")
    return len(body) >= width and body == char * len(body)


def scan_fences(lines: Sequence[str]) -> FenceScan:
    """Every closed fenced block of ``lines`` (without line endings), in order."""
    fences: list[Fence] = []
    index = 0
    count = len(lines)
    while index < count:
        line = lines[index]
        if line.lstrip(" ")[:3] not in ("```", "~~~"):
            index += 1
            continue
        opening = _OPENING.match(line)
        if opening is None or (opening.group(2)[0] == "`" and "`" in opening.group(3)):
            index += 1
            continue
        indent, fence, info = len(opening.group(1)), opening.group(2), opening.group(3).strip()
        stop = index + 1
        while stop < count and not _closes(lines[stop], fence[0], len(fence)):
            stop += 1
        if stop == count:
            return FenceScan(tuple(fences), unclosed_from=index)
        body = [_dedent(text, indent) for text in lines[index + 1 : stop]]
        language, path = parse_info(info)
        if path is None and index > 0:
            path = _filename_from_line(lines[index - 1])
            if path is not None and language is None:
                language = language_of_path(path)
        fences.append(Fence(info, language, path, "\n".join(body), index, stop))
        index = stop + 1
    return FenceScan(tuple(fences))


def _dedent(line: str, indent: int) -> str:
    if not indent:
        return line
    stripped = line.lstrip(" ")
    return line[min(indent, len(line) - len(stripped)) :]
