"""``extract_code`` and ``postprocess``: from LLM replies to the candidates sent to the client."""

import posixpath
from collections.abc import Sequence

from codeflash_engine.domain import (
    Candidate,
    Diagnostic,
    DroppedCandidate,
    ExtractedCode,
    LLMReply,
    PostprocessResult,
    SourceFile,
    Task,
    TaskRequest,
)
from codeflash_engine.extraction import extract_code
from codeflash_lang_toy.syntax import check, normalized


def _request_path(block_path: str | None, request_paths: list[str]) -> str | None:
    """The request's file a block replaces: same path, else the only file, else a unique basename."""
    if block_path in request_paths:
        return block_path
    if len(request_paths) == 1:
        return request_paths[0]
    same_name = [
        path
        for path in request_paths
        if block_path and posixpath.basename(path) == posixpath.basename(block_path)
    ]
    return same_name[0] if len(same_name) == 1 else None


def extract(request: TaskRequest, reply: LLMReply) -> ExtractedCode:
    # The engine's extraction reads fences and XML-style tags, and skips truncated blocks.
    result = extract_code(reply.text, language="toy")
    problems = list(result.problems)
    if request.task is Task.TESTGEN:
        # A test file is new, it replaces none of the request's files.
        files = [block.to_source_file() for block in result.blocks]
    else:
        request_paths = [file.path for file in request.files if file.path is not None]
        files = []
        for block in result.blocks:
            path = _request_path(block.path, request_paths)
            if path is None and request_paths:
                problems.append(f"dropped a block for {block.path or 'no path'}: it matches no file")
                continue
            files.append(SourceFile(path=path, code=block.code))
    if not files and not problems:
        problems.append("the reply contains no toy code block")
    return ExtractedCode(files=tuple(files), problems=tuple(problems))


def validate(files: Sequence[SourceFile]) -> list[Diagnostic]:
    return [
        Diagnostic(message=problem.message, path=file.path, line=problem.line, column=problem.column)
        for file in files
        for problem in check(file.code)
    ]


def postprocess(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    """Drop invalid candidates, copies of the original and duplicates (compared without comments
    and spacing); keep the rest in order. Running it again on its output changes nothing."""
    original = tuple(normalized(file.code) for file in request.files)
    seen: set[tuple[tuple[str, ...], ...]] = set()
    kept: list[Candidate] = []
    dropped: list[DroppedCandidate] = []
    for candidate in candidates:
        problems = validate(candidate.files)
        key = tuple(normalized(file.code) for file in candidate.files)
        if problems:
            dropped.append(DroppedCandidate(candidate.candidate_id, "validate", str(problems[0])))
        elif key == original:
            dropped.append(DroppedCandidate(candidate.candidate_id, "deduplicate", "same as the original"))
        elif key in seen:
            dropped.append(DroppedCandidate(candidate.candidate_id, "deduplicate", "same as an earlier one"))
        else:
            seen.add(key)
            kept.append(candidate)
    return PostprocessResult(kept=tuple(kept), dropped=tuple(dropped))
