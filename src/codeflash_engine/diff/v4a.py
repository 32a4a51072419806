"""V4A patches (the ``*** Begin Patch`` format of OpenAI's apply_patch): parsing and applying."""

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from itertools import pairwise

from attrs import frozen

from codeflash_engine.diff.errors import EditApplyError
from codeflash_engine.diff.limits import DEFAULT_LIMITS, EditLimits
from codeflash_engine.diff.matching import LEVEL_KIND, Level, LineIndex
from codeflash_engine.diff.result import (
    EOF_MISS_FUZZ,
    FUZZ,
    EditFormat,
    EditResult,
    HunkMatch,
    MatchKind,
    build_result,
)
from codeflash_engine.diff.text import Document, check_file, check_pattern, check_reply, resolve_path

BEGIN = "*** Begin Patch"
END = "*** End Patch"
END_OF_FILE = "*** End of File"
_ADD = "*** Add File:"
_DELETE = "*** Delete File:"
_UPDATE = "*** Update File:"
_MOVE = "*** Move to:"
# "@@ -12,5 +12,6 @@ def f():" — unified-diff hunk headers models sometimes write; numbers are ignored.
_UNIFIED_HEADER = re.compile(r"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@ ?(.*)$")
# A raw empty line inside a hunk: an empty context line unless it ends the hunk.
_BLANK = ""


class OpKind(StrEnum):
    ADD = "add"
    DELETE = "delete"
    UPDATE = "update"


@frozen
class Hunk:
    """One ``@@`` section: its anchors (stacked ``@@ text`` lines) and its ``(op, text)`` lines,
    where op is ``" "`` (context), ``"-"`` (delete) or ``"+"`` (insert)."""

    number: int
    anchors: tuple[str, ...]
    lines: tuple[tuple[str, str], ...]
    end_of_file: bool

    @property
    def old(self) -> list[str]:
        return [text for op, text in self.lines if op != "+"]

    @property
    def new(self) -> list[str]:
        return [text for op, text in self.lines if op != "-"]


@frozen
class FileOp:
    kind: OpKind
    path: str
    move_to: str | None = None
    content: tuple[str, ...] = ()
    hunks: tuple[Hunk, ...] = ()


def _envelope(patch: str) -> tuple[list[str], int]:
    """The lines between ``*** Begin Patch`` and ``*** End Patch``, and the reply line number of the
    first. Text around the envelope (prose, a heredoc wrapper, a fence) is ignored."""
    lines = [line.removesuffix("\r") for line in patch.split("\n")]
    stripped = [line.strip() for line in lines]
    if BEGIN not in stripped:
        raise EditApplyError(f"no `{BEGIN}` line found")
    begin = stripped.index(BEGIN)
    ends = [number for number in range(len(lines) - 1, begin, -1) if stripped[number] == END]
    if not ends:
        raise EditApplyError(f"the patch has no `{END}` line (was the reply truncated?)")
    return lines[begin + 1 : ends[0]], begin + 2


def _header(line: str, marker: str) -> str | None:
    stripped = line.strip()
    if stripped.startswith(marker):
        return stripped[len(marker) :].strip()
    return None


def parse_v4a(patch: str) -> list[FileOp]:
    """The file operations of a V4A patch, in order."""
    body, first_line = _envelope(patch)
    ops: list[FileOp] = []
    index = 0
    while index < len(body):
        line = body[index]
        if not line.strip():
            index += 1
            continue
        if (path := _header(line, _ADD)) is not None:
            content, index = _parse_added(body, index + 1, path, first_line)
            ops.append(FileOp(OpKind.ADD, path, content=content))
        elif (path := _header(line, _DELETE)) is not None:
            ops.append(FileOp(OpKind.DELETE, path))
            index += 1
        elif (path := _header(line, _UPDATE)) is not None:
            index += 1
            move_to = _header(body[index], _MOVE) if index < len(body) else None
            if move_to is not None:
                index += 1
            hunks, index = _parse_hunks(body, index, path, first_line)
            ops.append(FileOp(OpKind.UPDATE, path, move_to=move_to, hunks=hunks))
        else:
            raise EditApplyError(
                f"expected `{_ADD}`, `{_DELETE}` or `{_UPDATE}` but found `{line.strip()[:80]}` "
                f"(patch line {first_line + index})"
            )
        if not path:
            raise EditApplyError(f"a file operation has no path (patch line {first_line + index - 1})")
    return ops


def _parse_added(body: Sequence[str], index: int, path: str, first_line: int) -> tuple[tuple[str, ...], int]:
    content: list[str] = []
    blanks = 0
    while index < len(body):
        line = body[index]
        if line.startswith("+"):
            content.extend([""] * blanks)
            blanks = 0
            content.append(line[1:])
        elif not line.strip():
            blanks += 1
        elif line.lstrip().startswith("***"):
            break
        else:
            raise EditApplyError(
                f"every line of an added file must start with '+' (patch line {first_line + index})",
                path=path,
            )
        index += 1
    return tuple(content), index


def _anchor(line: str) -> str:
    unified = _UNIFIED_HEADER.match(line)
    if unified:
        return unified.group(1).strip()
    return line[2:].removeprefix(" ")


def _parse_hunks(body: Sequence[str], index: int, path: str, first_line: int) -> tuple[tuple[Hunk, ...], int]:
    hunks: list[Hunk] = []
    anchors: list[str] = []
    lines: list[tuple[str, str]] = []

    def close(end_of_file: bool) -> None:
        while lines and lines[-1][0] == _BLANK:
            lines.pop()
        if lines:
            cleaned = tuple((op or " ", text) for op, text in lines)
            hunks.append(Hunk(len(hunks) + 1, tuple(anchors), cleaned, end_of_file))
        anchors.clear()
        lines.clear()

    while index < len(body):
        line = body[index]
        if line.startswith("@@"):
            if lines:
                close(end_of_file=False)
            anchor = _anchor(line)
            if anchor.strip():
                anchors.append(anchor)
        elif line.rstrip() == END_OF_FILE:
            close(end_of_file=True)
        elif line.startswith("*"):
            break
        elif not line:
            lines.append((_BLANK, ""))
        elif line[0] in " -+":
            lines.append((line[0], line[1:]))
        else:
            raise EditApplyError(
                "every hunk line must start with ' ' (context), '-' (delete) or '+' (insert); found "
                f"`{line[:80]}` (patch line {first_line + index})",
                path=path,
                hunk=len(hunks) + 1,
            )
        index += 1
    close(end_of_file=False)
    return tuple(hunks), index


@frozen
class _Edit:
    start: int
    stop: int
    lines: tuple[str, ...]
    match: HunkMatch


def _seek(
    index: LineIndex, pattern: Sequence[str], start: int, *, first_match: bool, path: str, hunk: int
) -> tuple[int, Level] | None:
    """First position at or after ``start``, trying the levels from strict to loose; unless
    ``first_match``, a pattern found more than once at the first level that finds it is ambiguous
    (only unanchored hunks get here, so the error can ask for an anchor)."""
    for level in Level:
        found = index.matches(pattern, level, start)
        first = next(found, None)
        if first is None:
            continue
        if not first_match:
            second = next(found, None)
            if second is not None:
                raise EditApplyError(
                    f"the hunk's lines match in more than one place (lines {first + 1} and {second + 1}); "
                    "add an `@@` line naming the enclosing class or function, or more context",
                    path=path,
                    hunk=hunk,
                )
        return first, level
    return None


def _seek_anchor(index: LineIndex, anchor: str, cursor: int) -> int | None:
    """Where the cursor goes after an anchor: past its first occurrence at or after the cursor, or
    unchanged when the anchor only occurs earlier (a hunk reusing the previous hunk's anchor)."""
    for start, stop in ((cursor, None), (0, cursor)):
        for level in Level:
            found = next(index.matches([anchor], level, start, stop), None)
            if found is not None:
                return found + 1 if stop is None else cursor
    return None


def _place(
    index: LineIndex, hunk: Hunk, cursor: int, first_match: bool, path: str
) -> tuple[int, Level, int, tuple[tuple[str, str], ...]] | None:
    lines = hunk.lines
    old = hunk.old
    size = len(index.lines)
    # Anchors are the disambiguation: an anchored hunk takes the first match after its last anchor
    # (as codex and the agents port do); only an unanchored one can be ambiguous.
    first_match = first_match or bool(hunk.anchors)
    if hunk.end_of_file and len(old) <= size:
        for level in Level:
            if next(index.matches(old, level, max(cursor, size - len(old))), None) is not None:
                return size - len(old), level, 0, lines
    found = _seek(index, old, cursor, first_match=first_match, path=path, hunk=hunk.number)
    if found is None:
        # Trailing empty context lines are often an artefact of how the patch was written.
        trimmed = list(lines)
        while trimmed and trimmed[-1] == (" ", ""):
            trimmed.pop()
        if len(trimmed) < len(lines) and any(op != "+" for op, _ in trimmed):
            lines = tuple(trimmed)
            old = [text for op, text in lines if op != "+"]
            found = _seek(index, old, cursor, first_match=first_match, path=path, hunk=hunk.number)
    if found is None:
        return None
    start, level = found
    return start, level, EOF_MISS_FUZZ if hunk.end_of_file else 0, lines


def _anchor_error(path: str, hunk: Hunk, anchor: str, index: LineIndex, limits: EditLimits) -> EditApplyError:
    return EditApplyError(
        f"the `@@ {anchor.strip()}` line was not found in the file; `@@` lines must copy a line of the "
        "file (usually a class or def line) that comes before the hunk",
        path=path,
        hunk=hunk.number,
        nearest=index.nearest([anchor], limits.hint_budget),
    )


def _update(
    path: str, text: str, op: FileOp, first_match: bool, limits: EditLimits
) -> tuple[str, list[HunkMatch]]:
    document = Document.parse(text)
    index = LineIndex(document.lines)
    edits: list[_Edit] = []
    cursor = 0
    for hunk in op.hunks:
        check_pattern(path, hunk.number, hunk.old, limits)
        for anchor in hunk.anchors:
            moved = _seek_anchor(index, anchor, cursor)
            if moved is None:
                raise _anchor_error(path, hunk, anchor, index, limits)
            cursor = moved
        if not hunk.old:
            # A pure addition goes right after its anchor; without one, at the end of the file.
            at = cursor if hunk.anchors else len(document.lines)
            match = HunkMatch(path, hunk.number, MatchKind.INSERTION, 0, at + 1)
            edits.append(_Edit(at, at, tuple(hunk.new), match))
            continue
        placed = _place(index, hunk, cursor, first_match, path)
        if placed is None:
            raise EditApplyError(
                "the hunk's context and deleted lines were not found"
                + (" after its `@@` line" if hunk.anchors else "")
                + "; they must copy the file's lines exactly, in order",
                path=path,
                hunk=hunk.number,
                nearest=index.nearest(hunk.old, limits.hint_budget),
            )
        start, level, penalty, lines = placed
        new: list[str] = []
        position = start
        for kind, line in lines:
            if kind == "+":
                new.append(line)
                continue
            if kind == " ":
                # Context keeps the file's own text, whatever whitespace the patch gave it.
                new.append(index.lines[position])
            position += 1
        kind = LEVEL_KIND[level]
        match = HunkMatch(path, hunk.number, kind, FUZZ[kind] + penalty, start + 1)
        edits.append(_Edit(start, position, tuple(new), match))
        cursor = position
    edits.sort(key=lambda edit: edit.start)
    for before, after in pairwise(edits):
        if before.stop > after.start:
            raise EditApplyError(
                f"hunks {before.match.hunk} and {after.match.hunk} change overlapping lines "
                f"({before.start + 1}-{before.stop} and {after.start + 1}-{after.stop})",
                path=path,
                hunk=after.match.hunk,
            )
    for edit in reversed(edits):
        document.replace(edit.start, edit.stop, edit.lines)
    return document.render(), [edit.match for edit in edits]


def apply_v4a(
    files: Mapping[str, str],
    patch: str,
    *,
    limits: EditLimits = DEFAULT_LIMITS,
    first_match: bool = False,
) -> EditResult:
    """Apply a V4A patch to ``files``, all or nothing.

    Hunks of one file are located in the original text, in order (each after the previous one and
    after its ``@@`` anchors), then applied together. An anchored hunk takes the first match after
    its last anchor; an unanchored hunk's lines found in more than one place at the strictest level
    that finds them are an error unless ``first_match`` is set.
    """
    check_reply(patch, limits)
    ops = parse_v4a(patch)
    if not ops:
        raise EditApplyError("the patch contains no file operations")
    if sum(max(1, len(op.hunks)) for op in ops) > limits.max_blocks:
        raise EditApplyError(f"the patch has more hunks than the limit of {limits.max_blocks}")
    working = dict(files)
    matches: list[HunkMatch] = []
    for op in ops:
        existing = resolve_path(working, op.path)
        if op.kind is OpKind.ADD:
            # Only the exact path counts here: adding a.py next to an existing pkg/a.py is legitimate.
            if op.path.removeprefix("./") in working or op.path in working:
                raise EditApplyError(
                    "cannot add the file: it already exists; use `*** Update File:`", path=op.path
                )
            path = op.path.removeprefix("./")
            working[path] = "".join(line + "\n" for line in op.content)
            matches.append(HunkMatch(path, 1, MatchKind.NEW_FILE, 0, 1))
            continue
        if existing is None:
            raise EditApplyError(
                f"file not found; known files: {', '.join(sorted(working)) or 'none'}", path=op.path
            )
        if op.kind is OpKind.DELETE:
            del working[existing]
            matches.append(HunkMatch(existing, 1, MatchKind.DELETED_FILE, 0))
            continue
        check_file(existing, working[existing], limits)
        text, hunk_matches = _update(existing, working[existing], op, first_match, limits)
        matches.extend(hunk_matches)
        if op.move_to is not None and op.move_to.removeprefix("./") != existing:
            target = op.move_to.removeprefix("./")
            if target in working:
                raise EditApplyError(f"cannot move the file to {target}: it already exists", path=existing)
            del working[existing]
            working[target] = text
        else:
            working[existing] = text
    return build_result(EditFormat.V4A, files, working, matches)
