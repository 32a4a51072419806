"""Code fences in prompts and replies (local until the engine's extraction package lands)."""

import re
from collections.abc import Sequence

from attrs import frozen

from codeflash_engine.domain import SourceFile

PYTHON_TAGS = frozenset({"", "python", "py", "python3"})
_OPENING = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<tag>[\w+.-]*)(?::(?P<path>[^\n`]*))?[ \t]*$")


@frozen
class FencedBlocks:
    blocks: tuple[SourceFile, ...]
    prose: str
    unclosed: bool


def render_files(files: Sequence[SourceFile]) -> str:
    """The client's own markdown shape: one ```` ```python:<path> ```` fence per file."""
    return "\n".join(
        f"```python{':' + file.path if file.path else ''}\n{file.code.strip()}\n```" for file in files
    )


def parse_fences(text: str) -> FencedBlocks:
    """Python blocks of a reply (closing fence as long as the opening one, per CommonMark).

    Blocks tagged with another language are skipped; an unclosed block is reported, never used,
    because a reply cut off at the token limit ends in one.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    blocks: list[SourceFile] = []
    prose: list[str] = []
    index = 0
    while index < len(lines):
        opening = _OPENING.match(lines[index])
        if opening is None:
            prose.append(lines[index])
            index += 1
            continue
        fence = opening.group("fence")
        closing = next(
            (
                end
                for end in range(index + 1, len(lines))
                if lines[end].strip() == fence[0] * len(lines[end].strip())
                and len(lines[end].strip()) >= len(fence)
            ),
            None,
        )
        if closing is None:
            return FencedBlocks(tuple(blocks), "\n".join(prose).strip(), unclosed=True)
        if opening.group("tag").lower() in PYTHON_TAGS:
            path = (opening.group("path") or "").strip() or None
            blocks.append(SourceFile(path=path, code="\n".join(lines[index + 1 : closing]) + "\n"))
        index = closing + 1
    return FencedBlocks(tuple(blocks), "\n".join(prose).strip(), unclosed=False)


def parse_request_markdown(markdown: str) -> tuple[SourceFile, ...]:
    """Files of a markdown code field the client sent (``optimized_source_code`` ...)."""
    return parse_fences(markdown).blocks
