"""Step 5: drop candidates the client would treat as the same code.

The key is ``normalization.canonical_key`` of the final files joined in order, as the client joins
them before keying. Among equal candidates the one with the smallest diff against the original is
kept, as the client does when it meets a duplicate, at the position of the first of them.
"""

import ast
import difflib
from collections.abc import Sequence

from attrs import frozen

from codeflash_engine.domain import Candidate, SourceFile
from codeflash_lang_python.normalization import source_key
from codeflash_lang_python.postprocessing.working import OriginalCode


@frozen
class Keyed:
    candidate: Candidate
    key: str


def candidate_key(files: Sequence[SourceFile]) -> str:
    return source_key("\n".join(file.code for file in files))


def _changed_lines(before: str, after: str) -> int:
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def diff_size(candidate: Candidate, original: OriginalCode) -> int:
    """Lines changed, definition by definition (removed unchanged helpers do not count as deleted)."""
    total = 0
    for file in candidate.files:
        original_file = original.file(file.path)
        tree = ast.parse(file.code)
        for statement in tree.body:
            segment = ast.get_source_segment(file.code, statement) or ""
            name = getattr(statement, "name", None)
            before = original_file.definitions.get(name) if original_file is not None and name else None
            if before is None or original_file is None:
                total += segment.count("\n") + 1
            else:
                total += _changed_lines(
                    ast.get_source_segment(original_file.code, before.node) or "", segment
                )
    return total


def deduplicate(
    keyed: Sequence[Keyed], known: dict[str, str], original: OriginalCode
) -> tuple[list[Candidate], list[tuple[Candidate, str]]]:
    """Kept candidates in order, and each duplicate with what it duplicates.

    ``known`` maps keys of candidates the client already has (the one being refined or repaired,
    the previous ones of adaptive optimization) to a description.
    """
    groups: dict[str, list[Candidate]] = {}
    dropped: list[tuple[Candidate, str]] = []
    for item in keyed:
        if item.key in known:
            dropped.append((item.candidate, f"same code as {known[item.key]}"))
            continue
        groups.setdefault(item.key, []).append(item.candidate)
    kept: list[Candidate] = []
    for members in groups.values():
        best = members[0] if len(members) == 1 else min(members, key=lambda c: diff_size(c, original))
        kept.append(best)
        dropped.extend(
            (member, f"duplicate of candidate {best.candidate_id}")
            for member in members
            if member is not best
        )
    return kept, dropped
