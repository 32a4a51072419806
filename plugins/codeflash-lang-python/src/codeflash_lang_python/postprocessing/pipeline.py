"""Postprocessing of optimization candidates, the steps in order.

1. ``drop_invalid``: validation on the client's grammar, one ``ast`` parse per file;
2. ``strip_extras``: ``__main__`` blocks, tests, example calls, module-level prints;
3. ``signatures``: target present, signatures the client keeps unchanged;
4. ``unchanged_helpers`` then ``imports``: only changed and new definitions, with their imports;
5. ``deduplicate``: against the original, the client's known candidates and each other.
Files keep the request's relative paths; the engine renders the fences.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import libcst as cst
from attrs import frozen

from codeflash_engine.domain import (
    Candidate,
    DroppedCandidate,
    PostprocessResult,
    SourceFile,
    Task,
    TaskRequest,
)
from codeflash_engine.extraction import parse_markdown_files
from codeflash_lang_python.postprocessing.deduplicate import Keyed, candidate_key, deduplicate
from codeflash_lang_python.postprocessing.drop_invalid import parse_valid
from codeflash_lang_python.postprocessing.imports import fix_imports
from codeflash_lang_python.postprocessing.render import render_file
from codeflash_lang_python.postprocessing.signatures import signature_problem
from codeflash_lang_python.postprocessing.strip_extras import strip_extras
from codeflash_lang_python.postprocessing.unchanged_helpers import remove_unchanged_definitions
from codeflash_lang_python.postprocessing.working import (
    OriginalCode,
    WorkingCandidate,
    WorkingFile,
    parse_originals,
)

OPTIMIZATION_TASKS = frozenset(
    {
        Task.OPTIMIZE,
        Task.OPTIMIZE_LINE_PROFILER,
        Task.REFINE,
        Task.CODE_REPAIR,
        Task.ADAPTIVE_OPTIMIZE,
        Task.JIT_REWRITE,
    }
)


@frozen
class _Drop:
    step: str
    reason: str


def _holds_target(file: WorkingFile, target: str | None) -> bool:
    if target is None:
        return False
    top_level = target.split(".")[0]
    return any(getattr(statement, "name", None) == top_level for statement in file.kept_top_level())


def _minimal_files(candidate: WorkingCandidate, original: OriginalCode) -> tuple[SourceFile, ...] | _Drop:
    """Steps 4a and 4b, then the edit; a file that changes nothing is not sent at all."""
    trimmed = [
        (file, *remove_unchanged_definitions(file, original.file(file.path), original.target))
        for file in candidate.files
    ]
    if sum(changed for _, _, changed in trimmed) == 0:
        return _Drop("deduplicate", "identical to the original")
    try:
        return tuple(
            render_file(fix_imports(file, original.file(source.path)))
            for source, file, changed in trimmed
            if changed or _holds_target(file, original.target)
        )
    except cst.ParserSyntaxError as exc:  # ast accepted it; libcst's grammar lags behind CPython's
        return _Drop("render", f"libcst cannot edit the code: {exc.message}")


def _process(candidate: Candidate, request: TaskRequest, original: OriginalCode) -> Keyed | _Drop:
    parsed = parse_valid(candidate, request.language_version)
    if isinstance(parsed, str):
        return _Drop("validate", parsed)
    parsed = parsed.with_files([strip_extras(file, original.file(file.path)) for file in parsed.files])
    if (problem := signature_problem(parsed, original)) is not None:
        return _Drop("signature", problem)
    files = _minimal_files(parsed, original)
    if isinstance(files, _Drop):
        return files
    return Keyed(attrs.evolve(candidate, files=files), candidate_key(files))


def _markdown_files(value: Any) -> tuple[SourceFile, ...]:
    return parse_markdown_files(value) if isinstance(value, str) else ()


def known_candidates(request: TaskRequest) -> dict[str, str]:
    """Keys of the code the client already benchmarked, which it would drop as duplicates."""
    known: dict[str, str] = {}
    details: Mapping[str, Any] = request.details
    if request.task is Task.REFINE and (files := _markdown_files(details.get("optimized_source_code"))):
        known[candidate_key(files)] = "the candidate being refined"
    if request.task is Task.CODE_REPAIR and (files := _markdown_files(details.get("modified_source_code"))):
        known[candidate_key(files)] = "the candidate being repaired"
    if request.task is Task.ADAPTIVE_OPTIMIZE:
        for previous in details.get("candidates") or ():
            if isinstance(previous, Mapping) and (files := _markdown_files(previous.get("source_code"))):
                known.setdefault(
                    candidate_key(files), f"previous candidate {previous.get('optimization_id', '?')}"
                )
    return known


def postprocess_optimizations(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    original = parse_originals(request)
    keyed: list[Keyed] = []
    dropped: list[DroppedCandidate] = []
    for candidate in candidates:
        try:
            outcome = _process(candidate, request, original)
        except (RecursionError, MemoryError, ValueError) as exc:  # hostile input past the guards
            outcome = _Drop("postprocess", f"{type(exc).__name__} while processing the candidate")
        if isinstance(outcome, _Drop):
            dropped.append(DroppedCandidate(candidate.candidate_id, outcome.step, outcome.reason))
        else:
            keyed.append(outcome)
    kept, duplicates = deduplicate(keyed, known_candidates(request), original)
    dropped.extend(DroppedCandidate(item.candidate_id, "deduplicate", reason) for item, reason in duplicates)
    return PostprocessResult(kept=tuple(kept), dropped=tuple(dropped))
