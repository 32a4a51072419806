"""SEARCH/REPLACE blocks: parsing them out of a reply and applying them in order."""

import re
from collections.abc import Collection, Iterator, Mapping, Sequence

from attrs import frozen

from codeflash_engine.diff.errors import EditApplyError
from codeflash_engine.diff.limits import DEFAULT_LIMITS, EditLimits
from codeflash_engine.diff.matching import Level, LineIndex
from codeflash_engine.diff.result import (
    FUZZ,
    EditFormat,
    EditResult,
    HunkMatch,
    MatchKind,
    build_result,
)
from codeflash_engine.diff.text import (
    Document,
    check_file,
    check_pattern,
    check_reply,
    resolve_path,
)

HEAD = re.compile(r"^\s*<{5,9} SEARCH>?\s*$")
DIVIDER = re.compile(r"^\s*={5,9}\s*$")
UPDATED = re.compile(r"^\s*>{5,9} REPLACE\s*$")
_FENCE = re.compile(r"^\s*(?:`{3,}|~{3,})\s*(\S*)")
_ELLIPSIS = "..."


@frozen
class Block:
    """One SEARCH/REPLACE block; ``number`` is its 1-based position in the reply."""

    number: int
    path: str | None
    search: tuple[str, ...]
    replace: tuple[str, ...]


@frozen
class _Placement:
    start: int
    stop: int
    lines: tuple[str, ...]
    kind: MatchKind


class _AmbiguousError(Exception):
    def __init__(self, first: int, second: int) -> None:
        super().__init__(first, second)
        self.first = first
        self.second = second


def _clean_name(line: str) -> str:
    name = line.strip().lstrip("#").strip()
    for prefix in ("File:", "file:", "Filename:", "filename:", "Path:", "path:"):
        name = name.removeprefix(prefix).strip()
    return name.strip("*`'\"").rstrip(":").strip("*`'\"").strip()


def _looks_like_path(name: str, files: Collection[str]) -> bool:
    if not name:
        return False
    if resolve_path(files, name) is not None:
        return True
    return not any(char.isspace() for char in name) and ("." in name or "/" in name)


def _fence_path(info: str) -> str:
    if ":" in info:
        return info.split(":", 1)[1]
    return info if ("." in info or "/" in info) else ""


def _filename_above(lines: Sequence[str], head: int, files: Collection[str]) -> str | None:
    """The filename written up to three lines above a SEARCH marker, above or inside the fence."""
    for number in range(head - 1, max(-1, head - 4), -1):
        line = lines[number]
        fence = _FENCE.match(line)
        if fence:
            path = _fence_path(fence.group(1))
            if path:
                return path
            continue
        if not line.strip():
            continue
        name = _clean_name(line)
        return name if _looks_like_path(name, files) else None
    return None


def parse_blocks(reply: str, files: Collection[str] = ()) -> list[Block]:
    """Every SEARCH/REPLACE block of ``reply``, with the filename written with it (or the previous
    block's when it has none)."""
    lines = [line.removesuffix("\r") for line in reply.split("\n")]
    blocks: list[Block] = []
    previous: str | None = None
    index = 0
    while index < len(lines):
        if not HEAD.match(lines[index]):
            index += 1
            continue
        number = len(blocks) + 1
        path = _filename_above(lines, index, files) or previous
        search, index = _collect(lines, index + 1, number, path, end=DIVIDER, expected="=======")
        replace, index = _collect(lines, index + 1, number, path, end=UPDATED, expected=">>>>>>> REPLACE")
        blocks.append(Block(number, path, tuple(search), tuple(replace)))
        previous = path
        index += 1
    return blocks


def _collect(
    lines: Sequence[str], index: int, number: int, path: str | None, *, end: re.Pattern[str], expected: str
) -> tuple[list[str], int]:
    collected: list[str] = []
    while index < len(lines):
        line = lines[index]
        if end.match(line):
            return collected, index
        if HEAD.match(line) or DIVIDER.match(line) or UPDATED.match(line):
            raise EditApplyError(
                f"malformed block: expected `{expected}` but found `{line.strip()}` (reply line {index + 1})",
                path=path,
                hunk=number,
            )
        collected.append(line)
        index += 1
    raise EditApplyError(
        f"unterminated block: the reply ended before `{expected}` (was it truncated?)",
        path=path,
        hunk=number,
    )


def _unique(matches: Iterator[int], first_match: bool) -> int | None:
    first = next(matches, None)
    if first is None:
        return None
    if not first_match:
        second = next(matches, None)
        if second is not None:
            raise _AmbiguousError(first, second)
    return first


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _shift(found: Sequence[str], search: Sequence[str]) -> tuple[str, str] | None:
    """``(add, remove)`` such that every non-blank found line is ``add + line.removeprefix(remove)``
    of its search line, or ``None`` when the indentation does not differ uniformly."""
    shift: tuple[str, str] | None = None
    for have, want in zip(found, search, strict=True):
        if not want.strip():
            continue
        if shift is None:
            have_indent, want_indent = _indent(have), _indent(want)
            if have_indent.endswith(want_indent):
                shift = (have_indent[: len(have_indent) - len(want_indent)], "")
            elif want_indent.endswith(have_indent):
                shift = ("", want_indent[: len(want_indent) - len(have_indent)])
            else:
                return None
        add, remove = shift
        if not want.startswith(remove) or have.rstrip() != add + want[len(remove) :].rstrip():
            return None
    return shift or ("", "")


def _reindent(lines: Sequence[str], add: str, remove: str) -> tuple[str, ...]:
    def one(line: str) -> str:
        if not line.strip():
            return line
        body = line[len(remove) :] if line.startswith(remove) else line.lstrip()
        return add + body

    return tuple(map(one, lines))


def _by_indentation(
    index: LineIndex, search: Sequence[str], replace: Sequence[str], first_match: bool
) -> _Placement | None:
    found: list[tuple[int, tuple[str, str]]] = []
    for start in index.matches(search, Level.STRIP):
        shift = _shift(index.lines[start : start + len(search)], search)
        if shift is not None:
            found.append((start, shift))
            if first_match or len(found) > 1:
                break
    if not found:
        return None
    if len(found) > 1:
        raise _AmbiguousError(found[0][0], found[1][0])
    start, (add, remove) = found[0]
    return _Placement(start, start + len(search), _reindent(replace, add, remove), MatchKind.INDENTATION)


def _split_on_ellipsis(lines: Sequence[str]) -> list[list[str]]:
    pieces: list[list[str]] = [[]]
    for line in lines:
        if line.strip() == _ELLIPSIS:
            pieces.append([])
        else:
            pieces[-1].append(line)
    return pieces


def _by_elision(
    index: LineIndex, search: Sequence[str], replace: Sequence[str], first_match: bool
) -> _Placement | None:
    """``...`` lines stand for unchanged code; each SEARCH piece must be found once, in order."""
    search_pieces, replace_pieces = _split_on_ellipsis(search), _split_on_ellipsis(replace)
    if len(search_pieces) < 2 or len(search_pieces) != len(replace_pieces):
        return None
    spans: list[tuple[int, int, list[str]]] = []
    cursor = 0
    for wanted, new in zip(search_pieces, replace_pieces, strict=True):
        if not wanted:
            if new:
                return None
            continue
        start = _unique(index.matches(wanted, Level.EXACT), first_match)
        if start is None:
            start = _unique(index.matches(wanted, Level.RSTRIP), first_match)
        if start is None or start < cursor:
            return None
        spans.append((start, start + len(wanted), new))
        cursor = start + len(wanted)
    if not spans:
        return None
    lines: list[str] = []
    for number, (_, stop, new) in enumerate(spans):
        lines.extend(new)
        if number + 1 < len(spans):
            lines.extend(index.lines[stop : spans[number + 1][0]])
    return _Placement(spans[0][0], spans[-1][1], tuple(lines), MatchKind.ELISION)


def _cascade(
    index: LineIndex, search: Sequence[str], replace: Sequence[str], first_match: bool
) -> _Placement | None:
    for level, kind in ((Level.EXACT, MatchKind.EXACT), (Level.RSTRIP, MatchKind.TRAILING_WHITESPACE)):
        start = _unique(index.matches(search, level), first_match)
        if start is not None:
            return _Placement(start, start + len(search), tuple(replace), kind)
    return _by_indentation(index, search, replace, first_match)


def _leading_blanks(lines: Sequence[str]) -> int:
    count = 0
    while count < len(lines) and not lines[count].strip():
        count += 1
    return count


def _trim_blank_edges(
    search: Sequence[str], replace: Sequence[str]
) -> tuple[Sequence[str], Sequence[str]] | None:
    """Search and replacement without the blank first/last search lines models add freely; the
    replacement loses as many blank edge lines, so the file's own blank lines stay."""
    lead, trail = _leading_blanks(search), _leading_blanks(search[::-1])
    if lead + trail == 0 or lead >= len(search):
        return None
    new_lead = min(lead, _leading_blanks(replace))
    new_trail = min(trail, _leading_blanks(replace[new_lead:][::-1]))
    return search[lead : len(search) - trail], replace[new_lead : len(replace) - new_trail]


def locate(
    index: LineIndex, search: Sequence[str], replace: Sequence[str], first_match: bool
) -> _Placement | None:
    placement = _cascade(index, search, replace, first_match)
    if placement is None:
        trimmed = _trim_blank_edges(search, replace)
        if trimmed is not None:
            placement = _cascade(index, *trimmed, first_match)
    if placement is None:
        placement = _by_elision(index, search, replace, first_match)
    return placement


def _target(block: Block, known: Collection[str]) -> tuple[str, bool]:
    """The path a block edits, and whether it already exists."""
    if block.path is None:
        if len(known) == 1:
            return next(iter(known)), True
        raise EditApplyError(
            "the block names no file and the reply has several files; write the path above the block",
            hunk=block.number,
        )
    existing = resolve_path(known, block.path)
    if existing is not None:
        return existing, True
    return block.path.removeprefix("./"), False


def _not_found(block: Block, path: str, index: LineIndex, limits: EditLimits) -> EditApplyError:
    reason = "the SEARCH lines were not found"
    if block.replace and next(index.matches(block.replace, Level.EXACT), None) is not None:
        reason += " (the REPLACE lines are already in the file: was this block applied already?)"
    else:
        reason += "; SEARCH must copy the file's lines exactly, including comments and indentation"
    return EditApplyError(
        reason, path=path, hunk=block.number, nearest=index.nearest(block.search, limits.hint_budget)
    )


def apply_search_replace(
    files: Mapping[str, str],
    reply: str,
    *,
    limits: EditLimits = DEFAULT_LIMITS,
    first_match: bool = False,
) -> EditResult:
    """Apply every SEARCH/REPLACE block of ``reply`` to ``files``, in order, all or nothing.

    Each block applies to the text left by the blocks before it. An empty SEARCH creates the named
    file, or appends to it when it exists. A SEARCH found in more than one place is an error unless
    ``first_match`` is set, in which case the first place is used.
    """
    check_reply(reply, limits)
    blocks = parse_blocks(reply, files)
    if not blocks:
        raise EditApplyError("no SEARCH/REPLACE blocks found in the reply")
    if len(blocks) > limits.max_blocks:
        raise EditApplyError(
            f"the reply has {len(blocks)} blocks, more than the limit of {limits.max_blocks}"
        )
    working = dict(files)
    documents: dict[str, Document] = {}
    matches: list[HunkMatch] = []
    for block in blocks:
        path, exists = _target(block, working.keys() | documents.keys())
        check_pattern(path, block.number, block.search, limits)
        if not exists:
            if block.search:
                raise EditApplyError(
                    f"file not found; known files: {', '.join(sorted(working)) or 'none'}",
                    path=path,
                    hunk=block.number,
                )
            documents[path] = Document([], None, "\n", True)
            documents[path].replace(0, 0, block.replace)
            matches.append(HunkMatch(path, block.number, MatchKind.NEW_FILE, 0, 1))
            continue
        document = documents.get(path)
        if document is None:
            check_file(path, working[path], limits)
            document = documents[path] = Document.parse(working[path])
        if not block.search:
            matches.append(HunkMatch(path, block.number, MatchKind.INSERTION, 0, len(document.lines) + 1))
            document.replace(len(document.lines), len(document.lines), block.replace)
            continue
        index = LineIndex(document.lines)
        try:
            placement = locate(index, block.search, block.replace, first_match)
        except _AmbiguousError as error:
            raise EditApplyError(
                f"the SEARCH lines match in more than one place (lines {error.first + 1} and "
                f"{error.second + 1}); add surrounding lines to make them unique",
                path=path,
                hunk=block.number,
            ) from None
        if placement is None:
            raise _not_found(block, path, index, limits)
        document.replace(placement.start, placement.stop, placement.lines)
        matches.append(
            HunkMatch(path, block.number, placement.kind, FUZZ[placement.kind], placement.start + 1)
        )
    updated = {**working, **{path: document.render() for path, document in documents.items()}}
    return build_result(EditFormat.SEARCH_REPLACE, files, updated, matches)
