"""The codeflash-lang-go plugin: hook implementations for the ``go`` language.

Each hook delegates to a module named for its concern; this module only wires them to the engine.
Hooks are plain synchronous functions on picklable attrs values: the engine runs them in worker
processes, so a parser crash on hostile input takes down a worker, not the server.
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
from codeflash_lang_go import context, extraction
from codeflash_lang_go.candidates import OPTIMIZATION_TASKS, postprocess_optimizations
from codeflash_lang_go.syntax import syntax_diagnostics
from codeflash_lang_go.testgen import postprocess_tests


@hookimpl
def codeflash_language_info() -> Sequence[LanguageInfo]:
    # The client sends "go" and crashes on any other fence tag than ``go``, so it is always the tag.
    return (
        LanguageInfo(
            name="go",
            api_version=PLUGIN_API_VERSION,
            aliases=("golang",),
            file_extensions=(".go",),
            fence_tag="go",
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
    del request  # the syntax is the same for every Go version the client runs; postprocess checks features
    return [problem for file in files for problem in syntax_diagnostics(file.code, file.path)]


@hookimpl
def postprocess(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    if request.task is Task.TESTGEN:
        return postprocess_tests(request, candidates)
    if request.task in OPTIMIZATION_TASKS:
        return postprocess_optimizations(request, candidates)
    return PostprocessResult(kept=tuple(candidates))
