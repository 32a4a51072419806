"""Postprocessing of optimization candidates: each step refuses with its reason or cleans.

Steps, in order: ``shape`` (a block for the target file), ``validate`` (tree-sitter-java and the
project's Java version), ``imports`` (new imports into qualified names), ``signature`` (the target
method as sent), ``scope`` (nothing the client's replacer ignores was changed; helper-file blocks
reduced to the one helper they change), ``deduplicate`` (copies of the original and of an earlier
candidate, compared without comments and layout). A kept candidate postprocessed again comes back
unchanged.
"""

from collections.abc import Sequence

from attrs import evolve, frozen

from codeflash_engine.domain import (
    Candidate,
    DroppedCandidate,
    PostprocessResult,
    SourceFile,
    Task,
    TaskRequest,
)
from codeflash_lang_java.java_version import JavaVersion, parse_java_version
from codeflash_lang_java.postprocessing.imports import UnqualifiableImportError, qualify_new_imports
from codeflash_lang_java.postprocessing.members import (
    RefusedCandidateError,
    changed_helpers,
    check_class_unchanged,
    check_target_methods,
)
from codeflash_lang_java.structure import JavaUnit, read_unit
from codeflash_lang_java.target import Target, find_target
from codeflash_lang_java.validation import validate_files

OPTIMIZATION_TASKS = frozenset(
    {Task.OPTIMIZE, Task.OPTIMIZE_LINE_PROFILER, Task.REFINE, Task.CODE_REPAIR, Task.ADAPTIVE_OPTIMIZE}
)


class _Refusal(Exception):
    def __init__(self, step: str, reason: str) -> None:
        super().__init__(reason)
        self.step = step
        self.reason = reason


@frozen
class _Cleaned:
    files: tuple[SourceFile, ...]
    changes: tuple[tuple[str | None, tuple[str, ...]], ...]
    """Per file, the fingerprints of what the client will change: empty for a copy of the original."""


def _without_package(code: str, unit: JavaUnit) -> str:
    """The client's blocks carry no ``package`` line; a candidate's is dropped (the file keeps its own)."""
    if unit.package_span is None:
        return code
    start, end = unit.package_span
    data = code.encode("utf-8")
    end += 1 if data[end : end + 1] == b"\n" else 0
    return (data[:start] + data[end:]).decode("utf-8").lstrip("\n")


def _target_block(code: str, target: Target) -> tuple[str, tuple[str, ...]]:
    code = _without_package(code, read_unit(code))
    try:
        code = qualify_new_imports(code, target.unit)
    except UnqualifiableImportError as exc:
        raise _Refusal("imports", str(exc)) from exc
    unit = read_unit(code)
    try:
        check_target_methods(unit, target)
    except RefusedCandidateError as exc:
        raise _Refusal("signature", str(exc)) from exc
    try:
        check_class_unchanged(unit, target)
    except RefusedCandidateError as exc:
        raise _Refusal("scope", str(exc)) from exc
    before = {member.fingerprint for member in target.unit.members}
    return code, tuple(member.fingerprint for member in unit.members if member.fingerprint not in before)


def _helper_block(code: str, original: JavaUnit, path: str) -> tuple[str, tuple[str, ...]] | None:
    """The block holding just the one helper it changes, or ``None`` when it changes none."""
    try:
        code = qualify_new_imports(_without_package(code, read_unit(code)), original)
        unit = read_unit(code)
        changed = changed_helpers(unit, original, path)
    except (UnqualifiableImportError, RefusedCandidateError) as exc:
        raise _Refusal("scope", str(exc)) from exc
    if not changed:
        return None
    if len(changed) > 1:
        raise _Refusal(
            "scope",
            f"changes {len(changed)} helpers of {path} ({', '.join(m.name for m in changed)}); the client "
            "replaces each helper with the whole block, so one block can carry one changed helper",
        )
    [member] = changed
    data = code.encode("utf-8")
    line_start = data.rfind(b"\n", 0, member.start_byte) + 1
    return data[line_start : member.end_byte].decode("utf-8") + "\n", (member.fingerprint,)


def _clean(candidate: Candidate, request: TaskRequest, target: Target, version: JavaVersion) -> _Cleaned:
    by_path = {file.path: file for file in candidate.files}
    if target.path is not None and target.path not in by_path:
        raise _Refusal(
            "shape",
            f"has no block for the target file {target.path}; the client would apply another block to it",
        )
    problems = validate_files(candidate.files, version)
    if problems:
        raise _Refusal("validate", str(problems[0]))
    originals = {file.path: file for file in request.files}
    files: list[SourceFile] = []
    changes: list[tuple[str | None, tuple[str, ...]]] = []
    for file in candidate.files:
        if file.path == target.path:
            code, changed = _target_block(file.code, target)
        elif file.path in originals:
            helper = _helper_block(file.code, read_unit(originals[file.path].code), str(file.path))
            if helper is None:
                continue
            code, changed = helper
        else:
            raise _Refusal("shape", f"has a block for {file.path}, which the client did not send")
        files.append(SourceFile(path=file.path, code=code))
        changes.append((file.path, changed))
    return _Cleaned(files=tuple(files), changes=tuple(c for c in changes if c[1]))


def postprocess_optimizations(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    version = parse_java_version(request.language_version)
    target = find_target(request)
    kept: list[Candidate] = []
    dropped: list[DroppedCandidate] = []
    seen: set[tuple[tuple[str | None, tuple[str, ...]], ...]] = set()
    for candidate in candidates:
        try:
            if target is None:
                raise _Refusal("shape", "the request holds no Java code to compare the candidate with")
            cleaned = _clean(candidate, request, target, version)
        except _Refusal as refusal:
            dropped.append(DroppedCandidate(candidate.candidate_id, refusal.step, refusal.reason))
            continue
        if not cleaned.changes:
            dropped.append(DroppedCandidate(candidate.candidate_id, "deduplicate", "same as the original"))
        elif cleaned.changes in seen:
            dropped.append(
                DroppedCandidate(candidate.candidate_id, "deduplicate", "same as an earlier candidate")
            )
        else:
            seen.add(cleaned.changes)
            kept.append(evolve(candidate, files=cleaned.files))
    return PostprocessResult(kept=tuple(kept), dropped=tuple(dropped))
