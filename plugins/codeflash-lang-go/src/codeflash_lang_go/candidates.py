"""``postprocess`` for the optimization tasks: each candidate checked and rewritten into what the
client's replacer keeps (``client_rules``), then copies of the original and duplicates dropped."""

import contextlib
from collections.abc import Mapping, Sequence

import attrs

from codeflash_engine.domain import (
    Candidate,
    DroppedCandidate,
    PostprocessResult,
    SourceFile,
    Task,
    TaskRequest,
)
from codeflash_engine.extraction import parse_markdown_files
from codeflash_lang_go.client_rules import Effective, Unkeepable, effective, rewrite
from codeflash_lang_go.syntax import GoFile, GoImport, read_file, syntax_diagnostics
from codeflash_lang_go.target import Target, find_target, target_file
from codeflash_lang_go.versions import GoVersion

OPTIMIZATION_TASKS = frozenset({Task.OPTIMIZE, Task.REFINE, Task.CODE_REPAIR, Task.ADAPTIVE_OPTIMIZE})
_PARENT_FIELDS = {Task.REFINE: "optimized_source_code", Task.CODE_REPAIR: "modified_source_code"}


def import_merge_risk(imports: Sequence[GoImport]) -> str | None:
    """Why new imports would break the file, if they would.

    The client inserts a new import after the file's last one; after a one-line ``import "x"`` that
    leaves a bare ``"y"`` line, a syntax error. The request cannot show the form: the client
    renders every file's imports as ``import ( ... )``. A request showing the one-line form is
    certain; a file with a single import is almost always written that way (gofmt keeps the form,
    goimports writes a first import on one line and groups from the second on).
    """
    if imports and not imports[-1].grouped:
        return 'the file\'s imports use the one-line form (import "x")'
    if len(imports) == 1:
        return (
            f'the file\'s only import ("{imports[0].path}") is almost certainly written in the one-line form '
            '(import "x"); the request cannot show it'
        )
    return None


def _earlier_candidates(request: TaskRequest) -> list[tuple[str, str]]:
    """(what, markdown) of the candidates the client already has: the one being refined or
    repaired, and adaptive's earlier attempts."""
    found = []
    field = _PARENT_FIELDS.get(request.task)
    if field and isinstance(value := request.details.get(field), str):
        found.append(
            ("the candidate being " + ("refined" if request.task is Task.REFINE else "repaired"), value)
        )
    candidates = request.details.get("candidates")
    if request.task is Task.ADAPTIVE_OPTIMIZE and isinstance(candidates, Sequence):
        for candidate in candidates:
            if isinstance(candidate, Mapping) and isinstance(code := candidate.get("source_code"), str):
                found.append(("an earlier attempt", code))
    return found


def postprocess_optimizations(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    target = find_target(request)
    original_file = target_file(request, target.path if target else None)
    if target is None or original_file is None:
        return PostprocessResult(
            kept=(),
            dropped=tuple(
                DroppedCandidate(c.candidate_id, "target", "the request holds no Go function to optimize")
                for c in candidates
            ),
        )
    original = read_file(original_file.code)
    version = GoVersion.parse(request.language_version)
    read_only = request.dependency_code or str(request.details.get("read_only_dependency_code") or "")
    seen: dict[Effective, str] = {}
    with contextlib.suppress(Unkeepable):
        seen[effective(original, original, target)] = "the original"
    for what, markdown in _earlier_candidates(request):
        for file in parse_markdown_files(markdown):
            if _same_file(file, original_file):
                with contextlib.suppress(Unkeepable):
                    seen.setdefault(effective(read_file(file.code), original, target), what)
    kept: list[Candidate] = []
    dropped: list[DroppedCandidate] = []
    for candidate in candidates:
        outcome = _process(candidate, _Original(original_file, original, target, version, read_only), seen)
        if isinstance(outcome, DroppedCandidate):
            dropped.append(outcome)
        else:
            kept.append(outcome)
    return PostprocessResult(kept=tuple(kept), dropped=tuple(dropped))


def _same_file(file: SourceFile, original: SourceFile) -> bool:
    return file.path == original.path or file.path is None


@attrs.frozen
class _Original:
    """The request's side of the comparison: the file with the target, parsed, and its settings."""

    source: SourceFile
    file: GoFile
    target: Target
    version: GoVersion
    read_only: str


def _process(
    candidate: Candidate, request: _Original, seen: dict[Effective, str]
) -> Candidate | DroppedCandidate:
    original_file, original, target = request.source, request.file, request.target

    def drop(step: str, reason: str) -> DroppedCandidate:
        return DroppedCandidate(candidate.candidate_id, step, reason)

    for file in candidate.files:
        if problems := syntax_diagnostics(file.code, file.path):
            return drop("validate", str(problems[0]))
    mine = [file for file in candidate.files if _same_file(file, original_file)]
    if not mine:
        return drop("target", f"it does not change {original_file.path}, the file of {target.qualified_name}")
    try:
        rewritten = rewrite(mine[0].code, original, target, request.version, request.read_only)
    except Unkeepable as exc:
        return drop("client_rules", str(exc))
    if rewritten.effective.imports and (risk := import_merge_risk(original.imports)):
        added = ", ".join(sorted(rewritten.effective.imports))
        return drop(
            "imports", f"it adds imports ({added}) and {risk}: the client's import merge breaks that file"
        )
    if (earlier := seen.get(rewritten.effective)) is not None:
        return drop("deduplicate", f"the client would apply the same code as {earlier}")
    seen[rewritten.effective] = "an earlier candidate"
    files = tuple(
        SourceFile(path=file.path, code=rewritten.code) if file is mine[0] else file
        for file in candidate.files
    )
    return attrs.evolve(candidate, files=files)
