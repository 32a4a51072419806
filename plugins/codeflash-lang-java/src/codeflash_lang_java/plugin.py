"""The codeflash-lang-java plugin: hook implementations for the ``java`` language.

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
from codeflash_lang_java import context, extraction, validation
from codeflash_lang_java.java_version import parse_java_version
from codeflash_lang_java.postprocessing import OPTIMIZATION_TASKS, postprocess_optimizations
from codeflash_lang_java.testgen import postprocess_tests

TESTGEN_TASKS = frozenset({Task.TESTGEN, Task.TESTGEN_REPAIR})


@hookimpl
def codeflash_language_info() -> Sequence[LanguageInfo]:
    # The fence tag must stay "java": the client raises on a tag its registry does not know.
    return (
        LanguageInfo(
            name="java", api_version=PLUGIN_API_VERSION, file_extensions=(".java",), fence_tag="java"
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
    return validation.validate_files(files, parse_java_version(request.language_version))


@hookimpl
def postprocess(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    if request.task in TESTGEN_TASKS:
        return postprocess_tests(request, candidates)
    if request.task in OPTIMIZATION_TASKS:
        return postprocess_optimizations(request, candidates)
    return PostprocessResult(kept=tuple(candidates))
