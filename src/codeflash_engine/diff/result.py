"""What an applied edit returns."""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from attrs import field, frozen


class EditFormat(StrEnum):
    V4A = "v4a"
    SEARCH_REPLACE = "search_replace"
    WHOLE_FILE = "whole_file"


class MatchKind(StrEnum):
    """How one hunk or block found its place, from strictest to loosest."""

    EXACT = "exact"
    TRAILING_WHITESPACE = "trailing_whitespace"
    INDENTATION = "indentation"
    WHITESPACE = "whitespace"
    UNICODE = "unicode"
    ELISION = "elision"
    INSERTION = "insertion"
    NEW_FILE = "new_file"
    DELETED_FILE = "deleted_file"
    WHOLE_FILE = "whole_file"


FUZZ: Mapping[MatchKind, int] = MappingProxyType(
    {
        MatchKind.EXACT: 0,
        MatchKind.TRAILING_WHITESPACE: 1,
        MatchKind.INDENTATION: 10,
        MatchKind.ELISION: 20,
        MatchKind.WHITESPACE: 100,
        MatchKind.UNICODE: 1000,
        MatchKind.INSERTION: 0,
        MatchKind.NEW_FILE: 0,
        MatchKind.DELETED_FILE: 0,
        MatchKind.WHOLE_FILE: 0,
    }
)

# Added when a hunk marked ``*** End of File`` had to be placed somewhere other than the file's end.
EOF_MISS_FUZZ = 10_000


@frozen
class HunkMatch:
    """Where and how one hunk (V4A) or block (SEARCH/REPLACE) applied.

    ``hunk`` is its 1-based position in the reply; ``line`` the 1-based first line it replaced or
    was inserted before, counted in the file text it was applied to (``None`` for whole-file
    operations). ``fuzz`` is 0 for an exact match and grows with the looseness of the match.
    """

    path: str
    hunk: int
    kind: MatchKind
    fuzz: int
    line: int | None = None


def _freeze(files: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(files))


@frozen
class EditResult:
    """The file map after an edit.

    ``files`` holds every file that exists afterwards (untouched ones keep their text, deleted ones
    are absent); ``added``, ``deleted`` and ``modified`` name the paths that changed, sorted.
    """

    format: EditFormat
    files: Mapping[str, str] = field(converter=_freeze)
    added: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    matches: tuple[HunkMatch, ...] = ()

    @property
    def fuzz(self) -> int:
        """The loosest match in the edit (0 when every hunk matched exactly)."""
        return max((match.fuzz for match in self.matches), default=0)

    @property
    def changed(self) -> tuple[str, ...]:
        return tuple(sorted({*self.added, *self.deleted, *self.modified}))


def build_result(
    fmt: EditFormat,
    original: Mapping[str, str],
    updated: Mapping[str, str],
    matches: list[HunkMatch],
) -> EditResult:
    return EditResult(
        format=fmt,
        files=updated,
        added=tuple(sorted(path for path in updated if path not in original)),
        deleted=tuple(sorted(path for path in original if path not in updated)),
        modified=tuple(
            sorted(path for path in updated if path in original and original[path] != updated[path])
        ),
        matches=tuple(matches),
    )
