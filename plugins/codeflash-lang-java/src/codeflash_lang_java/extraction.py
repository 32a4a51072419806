"""``extract_code``: the Java blocks of one reply, mapped onto the request's files the way the
client maps them (exact path, the only file, a unique basename). SEARCH/REPLACE and V4A edits are
applied by the engine's appliers to the code the prompt showed as the starting point."""

import posixpath
import re
from collections.abc import Mapping, Sequence
from typing import Any

from codeflash_engine.diff import EditApplyError, EditFormat, apply_edits, configured_limits, detect_format
from codeflash_engine.domain import ExtractedCode, LLMReply, SourceFile, Task, TaskRequest
from codeflash_engine.extraction import extract_code, parse_markdown_files

LANGUAGE = "java"
TEST_TASKS = frozenset({Task.TESTGEN, Task.TESTGEN_REPAIR})
_CODE_START = re.compile(r"^\s*(```|~~~|<code|<<<<<<<|\*\*\* Begin Patch)", re.MULTILINE)
_EDIT_BASE_FIELDS: Mapping[Task, str] = {
    Task.REFINE: "optimized_source_code",
    Task.CODE_REPAIR: "modified_source_code",
}


def explanation_of(text: str) -> str:
    """The prose before the first code: the prompts ask for the explanation first."""
    match = _CODE_START.search(text)
    return (text[: match.start()] if match else text).strip()


def map_to_request_path(block_path: str | None, request_paths: Sequence[str]) -> str | None:
    cleaned = block_path.strip().removeprefix("./") if block_path else None
    if cleaned in request_paths:
        return cleaned
    if len(request_paths) == 1:
        return request_paths[0]
    if cleaned:
        same_name = [
            path for path in request_paths if posixpath.basename(path) == posixpath.basename(cleaned)
        ]
        if len(same_name) == 1:
            return same_name[0]
    return None


def _map_blocks(request: TaskRequest, blocks: Sequence[SourceFile]) -> tuple[list[SourceFile], list[str]]:
    request_paths = [file.path for file in request.files if file.path is not None]
    if not request_paths:
        return list(blocks), []
    files: dict[str, SourceFile] = {}
    problems: list[str] = []
    for block in blocks:
        if block.path is None and len(request_paths) > 1 and files:
            problems.append("dropped a block without a path after the first one")
            continue
        path = map_to_request_path(block.path, request_paths) if block.path else request_paths[0]
        if path is None:
            problems.append(f"dropped a block for {block.path}: it matches none of the request's files")
            continue
        if path in files:
            problems.append(f"two blocks map to {path}; the later one is kept")
        files[path] = SourceFile(path=path, code=block.code)
    return list(files.values()), problems


def _edit_base(request: TaskRequest) -> tuple[SourceFile, ...]:
    field = _EDIT_BASE_FIELDS.get(request.task)
    value: Any = request.details.get(field) if field else None
    if isinstance(value, str) and (files := parse_markdown_files(value)):
        return files
    return request.files


def _edited_files(request: TaskRequest, text: str) -> tuple[list[SourceFile], list[str]]:
    base = {file.path: file.code for file in _edit_base(request) if file.path is not None}
    try:
        result = apply_edits(base, text, limits=configured_limits())
    except EditApplyError as exc:
        return [], [f"the edits do not apply: {exc}"]
    changed = [SourceFile(path=path, code=result.files[path]) for path in (*result.modified, *result.added)]
    return _map_blocks(request, changed)


def _test_class(request: TaskRequest, text: str) -> tuple[list[SourceFile], list[str]]:
    """A test reply is one new compilation unit: its largest block."""
    extracted = extract_code(text, language=LANGUAGE)
    if not extracted.files:
        return [], list(extracted.problems)
    code = max((block.code for block in extracted.files), key=len)
    name = str(request.details.get("test_module_path") or "GeneratedTest")
    return [SourceFile(path=f"{name}.java", code=code)], list(extracted.problems)


def extract(request: TaskRequest, reply: LLMReply) -> ExtractedCode:
    if request.task in TEST_TASKS:
        files, problems = _test_class(request, reply.text)
    elif detect_format(reply.text) is EditFormat.WHOLE_FILE:
        extracted = extract_code(reply.text, language=LANGUAGE)
        files, mapping = _map_blocks(request, extracted.files)
        problems = [*extracted.problems, *mapping]
    else:
        files, problems = _edited_files(request, reply.text)
    if not files and not problems:
        problems.append("the reply contains no Java code")
    return ExtractedCode(files=tuple(files), explanation=explanation_of(reply.text), problems=tuple(problems))
