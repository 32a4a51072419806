"""Postprocessing of optimization candidates, the steps in order:

1. ``class_wrapper``: a bare method of the target's class is wrapped in ``class Name { ... }``;
2. ``validate``: every file parses with the grammar the client picks from its path;
3. ``target``: the target is defined where the client looks for it;
4. ``top_level``: new top-level functions become ``const`` arrow functions, new imports ``require``
   calls (CommonJS); what the client would ignore and cannot be rewritten drops the candidate;
5. ``contract``: no function changes its signature, ``async``-ness, export or stops returning;
6. ``deduplicate``: against the original, the candidates the client already has, and each other.
Every dropped candidate carries its step and reason.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
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
from codeflash_engine.treesitter import ParseTimeoutError, syntax_diagnostics
from codeflash_lang_js.postprocessing.class_wrapper import wrap_bare_method
from codeflash_lang_js.postprocessing.contract import contract_problem, target_problem
from codeflash_lang_js.postprocessing.deduplicate import effect, effect_key
from codeflash_lang_js.postprocessing.parsed import OriginalCode, ParsedFile, parse_file, parse_originals
from codeflash_lang_js.postprocessing.top_level import TopLevelError, rewrite_top_level

OPTIMIZATION_TASKS = frozenset(
    {Task.OPTIMIZE, Task.OPTIMIZE_LINE_PROFILER, Task.REFINE, Task.CODE_REPAIR, Task.ADAPTIVE_OPTIMIZE}
)


@frozen
class _Drop:
    step: str
    reason: str


@frozen
class _Kept:
    candidate: Candidate
    key: str


def _syntax_problem(file: ParsedFile) -> str | None:
    diagnostics = syntax_diagnostics(
        file.grammar, file.data, path=file.path, tree=file.tree, max_diagnostics=1
    )
    if not diagnostics:
        return None
    return f"{diagnostics[0]} (the client parses this path as {file.grammar})"


def _process(candidate: Candidate, request: TaskRequest, original: OriginalCode) -> _Kept | _Drop:
    files = [
        wrap_bare_method(parse_file(file, request.language), original, request.language)
        for file in candidate.files
    ]
    for file in files:
        if (problem := _syntax_problem(file)) is not None:
            return _Drop("validate", problem)
    if (problem := target_problem(tuple(files), original)) is not None:
        return _Drop("target", problem)
    try:
        rewritten = tuple(rewrite_top_level(file, original, request.language) for file in files)
    except TopLevelError as exc:
        return _Drop("top_level", str(exc))
    if (problem := contract_problem(rewritten, original)) is not None:
        return _Drop("contract", problem)
    changes = effect(rewritten, original)
    if not changes:
        same = all(
            (before := original.file(file.path)) is not None and before.code.strip() == file.code.strip()
            for file in rewritten
        )
        return _Drop("deduplicate", "a copy of the original" if same else "only reformats the original")
    kept = attrs.evolve(candidate, files=tuple(SourceFile(file.path, file.code) for file in rewritten))
    return _Kept(kept, effect_key(changes))


def _markdown_files(value: Any) -> tuple[SourceFile, ...]:
    return parse_markdown_files(value) if isinstance(value, str) else ()


def _known_candidates(request: TaskRequest, original: OriginalCode) -> dict[str, str]:
    """Keys of the code the client already has, which it would drop as duplicates."""
    sources: list[tuple[tuple[SourceFile, ...], str]] = []
    details: Mapping[str, Any] = request.details
    if request.task is Task.REFINE:
        sources.append((_markdown_files(details.get("optimized_source_code")), "the candidate being refined"))
    if request.task is Task.CODE_REPAIR:
        sources.append((_markdown_files(details.get("modified_source_code")), "the candidate being repaired"))
    if request.task is Task.ADAPTIVE_OPTIMIZE:
        for previous in details.get("candidates") or ():
            if isinstance(previous, Mapping):
                name = f"previous candidate {previous.get('optimization_id', '?')}"
                sources.append((_markdown_files(previous.get("source_code")), name))
    known: dict[str, str] = {}
    for files, name in sources:
        if files:
            parsed = tuple(parse_file(file, request.language) for file in files)
            known.setdefault(effect_key(effect(parsed, original)), name)
    return known


def postprocess_optimizations(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    original = parse_originals(request)
    seen = _known_candidates(request, original)
    kept: list[Candidate] = []
    dropped: list[DroppedCandidate] = []
    for candidate in candidates:
        try:
            outcome = _process(candidate, request, original)
        except (ParseTimeoutError, RecursionError, MemoryError, ValueError) as exc:  # hostile input
            outcome = _Drop("postprocess", f"{type(exc).__name__} while processing the candidate")
        if isinstance(outcome, _Kept):
            if outcome.key in seen:
                outcome = _Drop("deduplicate", f"a duplicate of {seen[outcome.key]}")
            else:
                seen[outcome.key] = f"candidate {candidate.candidate_id}"
                kept.append(outcome.candidate)
                continue
        dropped.append(DroppedCandidate(candidate.candidate_id, outcome.step, outcome.reason))
    return PostprocessResult(kept=tuple(kept), dropped=tuple(dropped))
