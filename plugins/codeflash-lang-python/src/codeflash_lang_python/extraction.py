"""Map the code blocks of an LLM reply onto the request's files."""

import posixpath

from codeflash_engine.domain import ExtractedCode, LLMReply, SourceFile, TaskRequest
from codeflash_lang_python.markdown import fenced_blocks, prose_outside_fences


def map_to_request_path(block_path: str | None, request_paths: list[str]) -> str | None:
    """Exact path, else the only file, else a unique basename; ``None`` when nothing fits."""
    if block_path in request_paths:
        return block_path
    if len(request_paths) == 1:
        return request_paths[0]
    if block_path:
        same_name = [
            path for path in request_paths if posixpath.basename(path) == posixpath.basename(block_path)
        ]
        if len(same_name) == 1:
            return same_name[0]
    return None


def extract(request: TaskRequest, reply: LLMReply) -> ExtractedCode:
    request_paths = [file.path for file in request.files if file.path is not None]
    files: list[SourceFile] = []
    problems: list[str] = []
    for block in fenced_blocks(reply.text):
        if not request_paths:
            files.append(block)
            continue
        path = map_to_request_path(block.path, request_paths)
        if path is None:
            problems.append(
                f"dropped a block for {block.path or 'no path'}: it matches none of the request's files"
            )
            continue
        files.append(SourceFile(path=path, code=block.code))
    if not files and not problems:
        problems.append("the reply contains no python code block")
    return ExtractedCode(
        files=tuple(files), explanation=prose_outside_fences(reply.text), problems=tuple(problems)
    )
