"""Recognising which edit format a reply uses, and applying whole-file replies."""

import re
from collections.abc import Mapping

from codeflash_engine.diff.errors import EditApplyError
from codeflash_engine.diff.limits import DEFAULT_LIMITS, EditLimits
from codeflash_engine.diff.result import EditFormat, EditResult, HunkMatch, MatchKind, build_result
from codeflash_engine.diff.search_replace import apply_search_replace
from codeflash_engine.diff.text import Document, check_reply, resolve_path
from codeflash_engine.diff.v4a import apply_v4a
from codeflash_engine.extraction import extract_code

_V4A = re.compile(r"^\s*\*\*\* Begin Patch\s*$", re.MULTILINE)
_SEARCH = re.compile(r"^\s*<{5,9} SEARCH>?\s*$", re.MULTILINE)


def detect_format(reply: str) -> EditFormat:
    """V4A when the reply has a ``*** Begin Patch`` line, SEARCH/REPLACE when it has a SEARCH marker,
    whole files otherwise."""
    if _V4A.search(reply):
        return EditFormat.V4A
    if _SEARCH.search(reply):
        return EditFormat.SEARCH_REPLACE
    return EditFormat.WHOLE_FILE


def _like_original(code: str, original: str | None) -> str:
    """The new text with the original's line endings and final newline (new files end with one)."""
    if original is None:
        return code if not code or code.endswith("\n") else code + "\n"
    document = Document.parse(original)
    text = code.replace("\r\n", "\n")
    if document.final_newline and text and not text.endswith("\n"):
        text += "\n"
    return text.replace("\n", "\r\n") if document.eol == "\r\n" else text


def apply_whole_files(
    files: Mapping[str, str], reply: str, *, limits: EditLimits = DEFAULT_LIMITS
) -> EditResult:
    """Replace files with the complete code blocks of ``reply`` (fences or code tags).

    A block's path picks its file (exactly, or by a unique suffix); a block without a path is
    accepted only when there is one file and one such block. A path matching no file adds it.
    """
    check_reply(reply, limits)
    extracted = extract_code(reply)
    if extracted.truncated:
        raise EditApplyError("the reply ends inside a code block (truncated?); nothing was applied")
    if not extracted.blocks:
        raise EditApplyError("no code block found in the reply")
    if len(extracted.blocks) > limits.max_blocks:
        raise EditApplyError(f"the reply has more code blocks than the limit of {limits.max_blocks}")
    unnamed = [block for block in extracted.blocks if block.path is None]
    if unnamed and (len(files) != 1 or len(unnamed) > 1):
        raise EditApplyError("a code block names no file; write ```<language>:<path> on its opening fence")
    working = dict(files)
    matches: list[HunkMatch] = []
    written: set[str] = set()
    for number, block in enumerate(extracted.blocks, start=1):
        if block.path is None:
            path: str = next(iter(files))
        else:
            path = resolve_path(files, block.path) or block.path.removeprefix("./")
        if path in written:
            raise EditApplyError("the reply has two code blocks for this file", path=path, hunk=number)
        written.add(path)
        kind = MatchKind.WHOLE_FILE if path in files else MatchKind.NEW_FILE
        working[path] = _like_original(block.code, files.get(path))
        matches.append(HunkMatch(path, number, kind, 0))
    return build_result(EditFormat.WHOLE_FILE, files, working, matches)


def apply_edits(
    files: Mapping[str, str],
    reply: str,
    *,
    limits: EditLimits = DEFAULT_LIMITS,
    first_match: bool = False,
) -> EditResult:
    """Apply ``reply`` in whichever format it is written (see ``detect_format``)."""
    fmt = detect_format(reply)
    if fmt is EditFormat.V4A:
        return apply_v4a(files, reply, limits=limits, first_match=first_match)
    if fmt is EditFormat.SEARCH_REPLACE:
        return apply_search_replace(files, reply, limits=limits, first_match=first_match)
    return apply_whole_files(files, reply, limits=limits)
