"""Pull the code of one LLM reply and map it onto the request's files.

Whole files (fences or code tags, tagged with any JavaScript or TypeScript name or untagged) map
onto the request's files the way the client maps them; SEARCH/REPLACE and V4A edits are applied by
the engine's appliers to the code the prompt showed as the starting point.
"""

import posixpath
import re
from collections.abc import Mapping, Sequence
from typing import Any

from codeflash_engine.diff import EditApplyError, EditFormat, apply_edits, configured_limits, detect_format
from codeflash_engine.domain import ExtractedCode, LLMReply, SourceFile, Task, TaskRequest
from codeflash_engine.extraction import extract_code, parse_markdown_files

ACCEPTED_LANGUAGES = frozenset({None, "javascript", "typescript"})
TEST_TASKS = frozenset({Task.TESTGEN, Task.TESTGEN_REPAIR})
_CODE_START = re.compile(r"^\s*(```|~~~|<code|<<<<<<<|\*\*\* Begin Patch)", re.MULTILINE)
_PATH_LINE = re.compile(r"^\s*[\w./-]+\.[cm]?[jt]sx?\s*$")
_EDIT_BASE_FIELDS: Mapping[Task, str] = {
    Task.REFINE: "optimized_source_code",
    Task.CODE_REPAIR: "modified_source_code",
}


def explanation_of(text: str) -> str:
    """The prose before the first code: LLMs explain first when asked to."""
    match = _CODE_START.search(text)
    prose = (text[: match.start()] if match else text).strip()
    head, _, last = prose.rpartition("\n")  # an edit block is announced by its path on the line before
    return head.strip() if _PATH_LINE.match(last) else prose


def map_to_request_path(block_path: str | None, request_paths: Sequence[str]) -> str | None:
    """Exact path, else the only file, else a unique basename: the client's order when it applies."""
    cleaned = block_path.strip().removeprefix("./") if block_path else None
    if cleaned in request_paths:
        return cleaned
    if len(request_paths) == 1:
        return request_paths[0]
    if cleaned:
        basename = posixpath.basename(cleaned)
        same_name = [path for path in request_paths if posixpath.basename(path) == basename]
        if len(same_name) == 1:
            return same_name[0]
    return None


def edit_base(request: TaskRequest) -> tuple[SourceFile, ...]:
    """The files an edit reply applies to: the candidate being refined or repaired, else the originals."""
    field = _EDIT_BASE_FIELDS.get(request.task)
    value: Any = request.details.get(field) if field else None
    if isinstance(value, str) and (files := parse_markdown_files(value)):
        return files
    return request.files


def _map_blocks(request: TaskRequest, blocks: Sequence[SourceFile]) -> tuple[list[SourceFile], list[str]]:
    request_paths = [file.path for file in request.files if file.path is not None]
    if not request_paths:
        return list(blocks), []
    files: dict[str, SourceFile] = {}
    problems: list[str] = []
    for block in blocks:
        path = map_to_request_path(block.path, request_paths)
        if path is None:
            problems.append(
                f"dropped a block for {block.path or 'no path'}: it matches none of the request's files"
            )
            continue
        if path in files:
            problems.append(f"two blocks map to {path}; the later one is kept")
        files[path] = SourceFile(path=path, code=block.code)
    return list(files.values()), problems


def _blocks(text: str) -> tuple[list[SourceFile], list[str]]:
    extracted = extract_code(text)
    kept = [block.to_source_file() for block in extracted.blocks if block.language in ACCEPTED_LANGUAGES]
    problems = list(extracted.problems)
    if len(kept) < len(extracted.blocks):
        problems.append(
            f"ignored {len(extracted.blocks) - len(kept)} code block(s) not in JavaScript or TypeScript"
        )
    return kept, problems


def _whole_files(request: TaskRequest, text: str) -> tuple[list[SourceFile], list[str]]:
    blocks, problems = _blocks(text)
    files, mapping_problems = _map_blocks(request, blocks)
    return files, [*problems, *mapping_problems]


def _edited_files(request: TaskRequest, text: str) -> tuple[list[SourceFile], list[str]]:
    base = {file.path: file.code for file in edit_base(request) if file.path is not None}
    try:
        result = apply_edits(base, text, limits=configured_limits())
    except EditApplyError as exc:
        return [], [f"the edits do not apply: {exc}"]
    changed = tuple(
        SourceFile(path=path, code=result.files[path]) for path in (*result.modified, *result.added)
    )
    problems = [f"the edit deletes {path}; deletions are ignored" for path in result.deleted]
    files, mapping_problems = _map_blocks(request, changed)
    return files, [*problems, *mapping_problems]


def test_file_path(request: TaskRequest) -> str:
    """Where the client writes the generated tests (``test_module_path`` is ``name.test``)."""
    module = str(request.details.get("test_module_path") or "test_generated.test").removesuffix(".test")
    suffix = ".ts" if request.language == "typescript" else ".js"
    return module.replace(".", "/") + ".test" + suffix


def _test_file(request: TaskRequest, text: str) -> tuple[list[SourceFile], list[str]]:
    """A test reply is one new file, not an edit of the request's files: its largest block."""
    blocks, problems = _blocks(text)
    if not blocks:
        return [], problems
    code = max((block.code for block in blocks), key=len)
    return [SourceFile(path=test_file_path(request), code=code)], problems


def extract(request: TaskRequest, reply: LLMReply) -> ExtractedCode:
    if request.task in TEST_TASKS:
        files, problems = _test_file(request, reply.text)
    elif detect_format(reply.text) is EditFormat.WHOLE_FILE:
        files, problems = _whole_files(request, reply.text)
    else:
        files, problems = _edited_files(request, reply.text)
    if not files and not problems:
        problems.append(f"the reply contains no {request.language} code")
    return ExtractedCode(files=tuple(files), explanation=explanation_of(reply.text), problems=tuple(problems))
