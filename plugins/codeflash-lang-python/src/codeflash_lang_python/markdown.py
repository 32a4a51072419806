"""Code fences in prompts and replies."""

import re
from collections.abc import Sequence

from codeflash_engine.domain import SourceFile

_FENCE = re.compile(r"^```[ \t]*([\w+-]*)(?::([^\n]+))?[ \t]*\n(.*?)\n```[ \t]*$", re.DOTALL | re.MULTILINE)


def render_files(files: Sequence[SourceFile]) -> str:
    return "\n".join(
        f"```python{':' + file.path if file.path else ''}\n{file.code.strip()}\n```" for file in files
    )


def fenced_blocks(text: str) -> list[SourceFile]:
    """Every fenced block of a reply; a fence tagged with another language is skipped."""
    blocks = []
    for match in _FENCE.finditer(text):
        tag, path, code = match.group(1).lower(), match.group(2), match.group(3)
        if tag and tag not in {"python", "py", "python3"}:
            continue
        blocks.append(SourceFile(path=path.strip() if path else None, code=code))
    return blocks


def prose_outside_fences(text: str) -> str:
    return _FENCE.sub("", text).strip()
