"""Finding a block of lines in a file, from exact to loose, at bounded cost.

Every pass first looks the pattern's lines up in an index from normalised line text to the positions
where it occurs: a pattern line missing from the file ends the pass at once, otherwise only positions
where the rarest pattern line occurs are tried, so a pass costs O(file lines + candidates x pattern
lines). When that product is large (a pattern of very common lines), one C-level substring search over
the normalised lines joined by newlines replaces the candidate loop; the exact pass always uses it.
Similarity scoring is only used to describe a miss (``nearest``), never to choose where an edit goes,
and runs under a budget.
"""

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from difflib import SequenceMatcher
from enum import IntEnum
from itertools import accumulate

from codeflash_engine.diff.result import MatchKind


class Level(IntEnum):
    EXACT = 0
    RSTRIP = 1
    STRIP = 2
    UNICODE = 3


LEVEL_KIND = {
    Level.EXACT: MatchKind.EXACT,
    Level.RSTRIP: MatchKind.TRAILING_WHITESPACE,
    Level.STRIP: MatchKind.WHITESPACE,
    Level.UNICODE: MatchKind.UNICODE,
}

# Typographic punctuation models put in place of ASCII; deliberately narrower than NFKC.
_FOLD = str.maketrans(
    {
        **dict.fromkeys(map(chr, range(0x2010, 0x2016)), "-"),
        "\u2212": "-",
        **dict.fromkeys(map(chr, range(0x2018, 0x201C)), "'"),
        **dict.fromkeys(map(chr, range(0x201C, 0x2020)), '"'),
        **dict.fromkeys(["\u00a0", "\u202f", "\u205f", "\u3000"], " "),
        **dict.fromkeys(map(chr, range(0x2002, 0x200B)), " "),
    }
)


def _fold(line: str) -> str:
    return line.translate(_FOLD).strip()


_NORMALIZE: dict[Level, Callable[[str], str]] = {
    Level.RSTRIP: str.rstrip,
    Level.STRIP: str.strip,
    Level.UNICODE: _fold,
}

# Lines that occur this often say nothing about where a pattern belongs.
_UNINFORMATIVE = 50
_HINT_CONTEXT = 2
_TIE_CANDIDATES = 8
# Above this many line comparisons, checking candidates one by one costs more than a substring search.
_CANDIDATE_WORK = 20_000


def normalize(line: str, level: Level) -> str:
    return line if level is Level.EXACT else _NORMALIZE[level](line)


class LineIndex:
    """The lines of one file version, with per-level normalised copies built on first use."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self._joined: dict[Level, str] = {}
        self._offsets: dict[Level, list[int]] = {}
        self._norm: dict[Level, list[str]] = {}
        self._where: dict[Level, dict[str, list[int]]] = {}

    def _normalized(self, level: Level) -> list[str]:
        if level is Level.UNICODE:
            # One translate over the whole text is far cheaper than one per line; nothing folds to \n.
            return list(map(str.strip, "\n".join(self.lines).translate(_FOLD).split("\n")))
        return list(self.lines) if level is Level.EXACT else list(map(_NORMALIZE[level], self.lines))

    def _index(self, level: Level) -> tuple[Sequence[str], dict[str, list[int]]]:
        where = self._where.get(level)
        if where is not None:
            return self._norm[level], where
        norm = self._normalized(level) if self.lines else []
        previous = max((known for known in self._norm if known < level), default=None)
        if previous is not None and self._norm[previous] == norm:
            # Normalising changed no line of this file, so the positions are those of the last level.
            where = self._where[previous]
            norm = self._norm[previous]
        else:
            where = {}
            for number, line in enumerate(norm):
                bucket = where.get(line)
                if bucket is None:
                    where[line] = [number]
                else:
                    bucket.append(number)
        self._norm[level] = norm
        self._where[level] = where
        return norm, where

    def _by_find(self, level: Level, wanted: Sequence[str], start: int, stop: int) -> Iterator[int]:
        """Matches found by one substring search over the level's lines joined with newlines: linear
        time in C whatever the number of candidates."""
        text = self._joined.get(level)
        if text is None:
            lines = self.lines if level is Level.EXACT else self._index(level)[0]
            text = self._joined[level] = "\n" + "\n".join(lines) + "\n"
        needle = "\n" + "\n".join(wanted) + "\n"
        # Every hit starts at the newline before a line, so it always lies on line boundaries.
        position = text.find(needle, self._offset(level, start) if start else 0)
        while position != -1:
            first = text.count("\n", 0, position)
            if first + len(wanted) > stop:
                return
            yield first
            position = text.find(needle, position + 1)

    def _offset(self, level: Level, line: int) -> int:
        """Where line ``line`` starts (at its preceding newline) in the level's joined text."""
        offsets = self._offsets.get(level)
        if offsets is None:
            lines = self.lines if level is Level.EXACT else self._index(level)[0]
            offsets = self._offsets[level] = list(
                accumulate(map(len, lines), lambda total, size: total + size + 1, initial=0)
            )
        return offsets[line]

    def matches(
        self, pattern: Sequence[str], level: Level, start: int = 0, stop: int | None = None
    ) -> Iterator[int]:
        """First line numbers ``s`` in ``start <= s`` and ``s + len(pattern) <= stop``, in order,
        where the pattern's lines equal the file's lines once both are normalised at ``level``."""
        size = len(pattern)
        stop = len(self.lines) if stop is None else stop
        if size == 0 or start + size > stop:
            return
        if level is Level.EXACT:
            yield from self._by_find(level, pattern, start, stop)
            return
        norm, where = self._index(level)
        wanted = [normalize(line, level) for line in pattern]
        rarest_offset, rarest_positions = -1, list[int]()
        for offset, line in enumerate(wanted):
            positions = where.get(line)
            if positions is None:
                return
            if rarest_offset < 0 or len(positions) < len(rarest_positions):
                rarest_offset, rarest_positions = offset, positions
        if len(rarest_positions) * size > _CANDIDATE_WORK:
            yield from self._by_find(level, wanted, start, stop)
            return
        first_line, last_line = wanted[0], wanted[-1]
        for candidate in rarest_positions[bisect_left(rarest_positions, start + rarest_offset) :]:
            begin = candidate - rarest_offset
            end = begin + size
            if end > stop:
                return
            if norm[begin] == first_line and norm[end - 1] == last_line and norm[begin:end] == wanted:
                yield begin

    def nearest(self, pattern: Sequence[str], budget: int) -> list[tuple[int, str]]:
        """Numbered file lines (1-based) around the region most like ``pattern``, or nothing.

        Votes for a start position from every distinctive pattern line found verbatim (after
        stripping); without any vote, scores the longest pattern lines against the file's lines
        with ``SequenceMatcher``, cheapest filters first, until ``budget`` comparisons are spent.
        """
        if not self.lines:
            return []
        _, where = self._index(Level.STRIP)
        stripped = [line.strip() for line in pattern]
        votes: Counter[int] = Counter()
        for offset, line in enumerate(stripped):
            positions = where.get(line, ()) if line else ()
            if len(positions) > _UNINFORMATIVE:
                continue
            budget -= len(positions)
            votes.update(position - offset for position in positions)
        if votes:
            start = self._best_voted(votes, pattern)
        else:
            found = self._similar_line(stripped, budget)
            if found is None:
                return []
            start = found
        first = max(0, start - _HINT_CONTEXT)
        last = min(len(self.lines), start + max(len(pattern), 1) + _HINT_CONTEXT)
        return [(number + 1, self.lines[number]) for number in range(first, last)]

    def _best_voted(self, votes: Counter[int], pattern: Sequence[str]) -> int:
        """The most voted start; ties (a pattern line that occurs twice) go to the window whose
        text is most like the pattern's, by ``quick_ratio`` (linear) on a few candidates."""
        ranked = votes.most_common(_TIE_CANDIDATES)
        tied = sorted(start for start, count in ranked if count == ranked[0][1])
        if len(tied) == 1:
            return tied[0]
        wanted = "\n".join(pattern)

        def likeness(start: int) -> float:
            window = self.lines[max(0, start) : max(0, start) + len(pattern)]
            return SequenceMatcher(None, "\n".join(window), wanted, autojunk=False).quick_ratio()

        return max(tied, key=lambda start: (likeness(start), -start))

    def _similar_line(self, stripped: Sequence[str], budget: int) -> int | None:
        """Start of the window whose line is most like one of the longest pattern lines; each
        distinct file line is scored once, so repeated lines cost nothing."""
        _, where = self._index(Level.STRIP)
        probes = sorted(
            ((line, offset) for offset, line in enumerate(stripped) if line),
            key=lambda item: -len(item[0]),
        )[:3]
        best_score, best_start = 0.6, None
        for probe, offset in probes:
            matcher = SequenceMatcher(None, b="", autojunk=False)
            matcher.set_seq2(probe)
            for line, positions in where.items():
                budget -= 1
                if budget <= 0:
                    return best_start
                matcher.set_seq1(line)
                if matcher.real_quick_ratio() <= best_score or matcher.quick_ratio() <= best_score:
                    continue
                score = matcher.ratio()
                if score > best_score:
                    best_score, best_start = score, max(0, positions[0] - offset)
        return best_start
