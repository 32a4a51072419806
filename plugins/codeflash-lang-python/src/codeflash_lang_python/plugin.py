"""The codeflash-lang-python plugin: hook implementations for the ``python`` language.

Each hook delegates to a module named for its concern; this module only wires them to the engine.
Hooks are plain synchronous functions on picklable attrs values: the engine runs them in worker
processes, so a native-parser crash on hostile input takes down a worker, not the server.
"""

from collections.abc import Sequence

from codeflash_engine.domain import (
    Candidate,
    Diagnostic,
    ExtractedCode,
    LanguageInfo,
    LLMReply,
    PostprocessResult,
    Prompt,
    SourceFile,
    Task,
    TaskRequest,
)
from codeflash_engine.hookspecs import PLUGIN_API_VERSION, hookimpl
from codeflash_lang_python import context, extraction, validation
from codeflash_lang_python.postprocessing import OPTIMIZATION_TASKS, postprocess_optimizations
from codeflash_lang_python.testgen import postprocess_tests

TESTGEN_TASKS = frozenset({Task.TESTGEN, Task.TESTGEN_REPAIR})


@hookimpl
def codeflash_language_info() -> Sequence[LanguageInfo]:
    return (
        LanguageInfo(
            name="python",
            api_version=PLUGIN_API_VERSION,
            aliases=("py", "python3"),
            file_extensions=(".py", ".pyi"),
            fence_tag="python",
        ),
    )


@hookimpl
def build_context(request: TaskRequest) -> Prompt:
    return context.build_prompt(request)


@hookimpl
def extract_code(request: TaskRequest, reply: LLMReply) -> ExtractedCode:
    return extraction.extract(request, reply)


@hookimpl
def validate(request: TaskRequest, files: Sequence[SourceFile]) -> list[Diagnostic]:
    return validation.validate_files(files, request.language_version)


@hookimpl
def postprocess(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    if request.task in TESTGEN_TASKS:
        return postprocess_tests(request, candidates)
    if request.task in OPTIMIZATION_TASKS:
        return postprocess_optimizations(request, candidates)
    return PostprocessResult(kept=tuple(candidates))
