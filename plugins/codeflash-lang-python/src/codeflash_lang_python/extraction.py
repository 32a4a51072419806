"""Pull the code of one LLM reply and map each block onto the request's files."""

from codeflash_engine.domain import ExtractedCode, LLMReply, SourceFile, TaskRequest
from codeflash_lang_python.file_mapping import map_to_request_path
from codeflash_lang_python.markdown import parse_fences


def extract(request: TaskRequest, reply: LLMReply) -> ExtractedCode:
    parsed = parse_fences(reply.text)
    request_paths = [file.path for file in request.files if file.path is not None]
    files: dict[str, SourceFile] = {}
    unmapped: list[SourceFile] = []
    problems: list[str] = []
    if parsed.unclosed:
        problems.append("the reply ends inside an unclosed code block (truncated?); that block is ignored")
    for block in parsed.blocks:
        if not request_paths:
            unmapped.append(block)
            continue
        path = map_to_request_path(block.path, request_paths)
        if path is None:
            problems.append(
                f"dropped a block for {block.path or 'no path'}: it matches none of the request's files"
            )
            continue
        if path in files:
            problems.append(f"two blocks map to {path}; the later one is kept")
        files[path] = SourceFile(path=path, code=block.code)
    extracted = (*files.values(), *unmapped)
    if not extracted and not problems:
        problems.append("the reply contains no python code block")
    return ExtractedCode(files=extracted, explanation=parsed.prose, problems=tuple(problems))
