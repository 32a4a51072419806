"""Filter and de-duplicate optimization candidates."""

import ast
from collections.abc import Sequence

from codeflash_engine.domain import Candidate, DroppedCandidate, PostprocessResult, SourceFile, TaskRequest
from codeflash_lang_python.validation import validate_files


def _normalized(files: Sequence[SourceFile]) -> tuple[str, ...]:
    return tuple(ast.dump(ast.parse(file.code)) for file in files)


def postprocess(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    kept: list[Candidate] = []
    dropped: list[DroppedCandidate] = []
    originals = {file.path: file for file in request.files}
    seen: set[tuple[str, ...]] = set()
    for candidate in candidates:
        problems = validate_files(candidate.files, request.language_version)
        if problems:
            dropped.append(DroppedCandidate(candidate.candidate_id, "validate", str(problems[0])))
            continue
        key = _normalized(candidate.files)
        same_as_original = all(
            file.path in originals and _normalized([originals[file.path]]) == _normalized([file])
            for file in candidate.files
        )
        if same_as_original:
            dropped.append(
                DroppedCandidate(candidate.candidate_id, "deduplicate", "identical to the original")
            )
            continue
        if key in seen:
            dropped.append(
                DroppedCandidate(candidate.candidate_id, "deduplicate", "duplicate of an earlier candidate")
            )
            continue
        seen.add(key)
        kept.append(candidate)
    return PostprocessResult(kept=tuple(kept), dropped=tuple(dropped))
