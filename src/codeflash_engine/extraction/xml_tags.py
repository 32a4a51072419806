"""Code in XML-style tags (``<code>``, ``<code file="a.py">``, ``<optimized_code>`` ...), as
Anthropic-style prompts ask for it."""

import html
import re
from bisect import bisect_right
from collections.abc import Sequence

from attrs import frozen

from codeflash_engine.extraction.fences import scan_fences
from codeflash_engine.extraction.languages import language_of_path, normalize_language
from codeflash_engine.extraction.result import ExtractedBlock

_NAMED_TAGS = frozenset({"code", "source", "source_code", "file", "solution", "python"})
_OPENING = re.compile(
    r"<(?P<name>[A-Za-z][\w-]*)(?P<attrs>(?:\s+[\w-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))*)\s*>"
)
_ATTRIBUTE = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))")
_PATH_ATTRIBUTES = ("file", "path", "filename", "file_path", "name")
_LANGUAGE_ATTRIBUTES = ("language", "lang")
_ESCAPED = re.compile(r"&(?:lt|gt);")


@frozen
class TagScan:
    blocks: tuple[ExtractedBlock, ...]
    found: bool
    truncated: bool
    problems: tuple[str, ...]


def is_code_tag(name: str) -> bool:
    lowered = name.lower()
    return lowered in _NAMED_TAGS or lowered.endswith("_code")


def _attributes(raw: str) -> dict[str, str]:
    return {
        match.group(1).lower(): next(value for value in match.groups()[1:] if value is not None)
        for match in _ATTRIBUTE.finditer(raw)
    }


def _closing(text: str, name: str, start: int) -> tuple[int, int] | None:
    """Span of the tag's closing ``</name>``: the first one that ends its line, else the first one.

    Preferring a close at the end of a line skips ``</code>`` written inside a string literal."""
    closing = re.compile(rf"</{re.escape(name)}\s*>")
    first: tuple[int, int] | None = None
    for match in closing.finditer(text, start):
        if first is None:
            first = match.span()
        rest = text.find("\n", match.end())
        if not text[match.end() : rest if rest != -1 else len(text)].strip():
            return match.span()
    return first


def _unescape(body: str) -> str:
    """HTML-unescape a body that was escaped: it has ``&lt;``/``&gt;`` and no raw ``<`` or ``>``."""
    if _ESCAPED.search(body) and "<" not in body and ">" not in body:
        return html.unescape(body)
    return body


def _body_blocks(body: str, path: str | None, language: str | None) -> tuple[list[ExtractedBlock], bool]:
    stripped = body.strip("\n")
    if stripped.lstrip(" ")[:3] in ("```", "~~~"):
        scan = scan_fences(stripped.split("\n"))
        blocks = [
            ExtractedBlock(
                fence.language or language,
                fence.path or (path if len(scan.fences) == 1 else None),
                fence.code,
            )
            for fence in scan.fences
        ]
        return blocks, scan.truncated
    code = _unescape(stripped.rstrip())
    return [ExtractedBlock(language, path, code)], False


def scan_tags(
    text: str, *, closed_by_stop_sequence: bool = False, ignore: Sequence[tuple[int, int]] = ()
) -> TagScan:
    """Every complete code tag of ``text``. A tag that never closes makes the result truncated,
    unless the reply stopped on a stop sequence (the closing tag itself, which the API omits).

    Tags opening inside the sorted character spans ``ignore`` (fenced code) are not tags: they are
    the content of the code, like an HTML template in a Python string."""
    ignored_starts = [start for start, _ in ignore]
    blocks: list[ExtractedBlock] = []
    problems: list[str] = []
    found = truncated = False
    position = 0
    while True:
        opening = _OPENING.search(text, position)
        if opening is None:
            break
        name = opening.group("name")
        inside = bisect_right(ignored_starts, opening.start()) - 1
        if inside >= 0 and opening.start() < ignore[inside][1]:
            position = ignore[inside][1]
            continue
        if not is_code_tag(name):
            position = opening.end()
            continue
        attributes = _attributes(opening.group("attrs"))
        path = next((attributes[key] for key in _PATH_ATTRIBUTES if attributes.get(key)), None)
        tag_language = next((attributes[key] for key in _LANGUAGE_ATTRIBUTES if attributes.get(key)), None)
        language = normalize_language(tag_language) if tag_language else None
        if language is None and path:
            language = language_of_path(path)
        span = _closing(text, name, opening.end())
        if span is None:
            if not closed_by_stop_sequence:
                truncated = True
                problems.append(f"<{name}> is never closed; the reply looks truncated, its code was ignored")
                break
            span = (len(text), len(text))
        body = text[opening.end() : span[0]]
        if "\n" not in body.strip("\n") and path is None and span[0] < len(text):
            # An inline <code>name</code> in prose, not a file.
            position = span[1]
            continue
        body_blocks, body_truncated = _body_blocks(body, path, language)
        if body_truncated:
            truncated = True
            problems.append(f"a code fence inside <{name}> is never closed; it was ignored")
        found = True
        blocks.extend(body_blocks)
        position = span[1]
    return TagScan(tuple(blocks), found, truncated, tuple(problems))
