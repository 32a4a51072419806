"""``extract_code``: the Go code of one reply, mapped onto the request's files as the client maps it."""

import posixpath
import re

from codeflash_engine.domain import ExtractedCode, LLMReply, SourceFile, Task, TaskRequest
from codeflash_engine.extraction import extract_code

LANGUAGE = "go"
TEST_TASKS = frozenset({Task.TESTGEN, Task.TESTGEN_REPAIR})
_CODE_START = re.compile(r"^\s*(```|~~~|<code)", re.MULTILINE)


def explanation_of(text: str) -> str:
    """The prose before the first code: the prompts ask for the explanation first."""
    match = _CODE_START.search(text)
    return (text[: match.start()] if match else text).strip()


def request_path(block_path: str | None, request_paths: list[str]) -> str | None:
    """Exact path, else the only file, else a unique basename (the client's fallbacks)."""
    if block_path in request_paths:
        return block_path
    if len(request_paths) == 1:
        return request_paths[0]
    if block_path is None:
        return None
    same_name = [path for path in request_paths if posixpath.basename(path) == posixpath.basename(block_path)]
    return same_name[0] if len(same_name) == 1 else None


def test_file_path(request: TaskRequest) -> str:
    """``textx.test_JoinRepeat__unit_test_0_test`` -> ``textx/test_JoinRepeat__unit_test_0_test.go``."""
    module = str(request.details.get("test_module_path") or "generated_test")
    return module.replace(".", "/") + ".go"


def extract(request: TaskRequest, reply: LLMReply) -> ExtractedCode:
    extracted = extract_code(reply.text, language=LANGUAGE)
    problems = list(extracted.problems)
    files: list[SourceFile] = []
    if request.task in TEST_TASKS:
        if extracted.blocks:
            code = max((block.code for block in extracted.blocks), key=len)
            files.append(SourceFile(path=test_file_path(request), code=code))
    else:
        request_paths = [file.path for file in request.files if file.path is not None]
        mapped: dict[str | None, SourceFile] = {}
        for block in extracted.blocks:
            path = request_path(block.path, request_paths) if request_paths else block.path
            if path is None:
                problems.append(
                    f"dropped a block for {block.path or 'no path'}: it matches no file of the request"
                )
                continue
            if path in mapped:
                problems.append(f"two blocks map to {path}; the later one is kept")
            mapped[path] = SourceFile(path=path, code=block.code)
        files = list(mapped.values())
    if not files and not problems:
        problems.append("the reply contains no Go code")
    return ExtractedCode(files=tuple(files), explanation=explanation_of(reply.text), problems=tuple(problems))
