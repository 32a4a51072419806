"""The codeflash-lang-js plugin: hook implementations for ``javascript`` and ``typescript``.

Each hook delegates to a module named for its concern; this module only wires them to the engine.
Parsing uses the engine's tree-sitter kit inside the hooks, which run in the hook worker
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
    TaskRequest,
)
from codeflash_engine.hookspecs import PLUGIN_API_VERSION, hookimpl
from codeflash_lang_js import context, extraction, validation
from codeflash_lang_js.postprocessing import OPTIMIZATION_TASKS, postprocess_optimizations
from codeflash_lang_js.testgen import postprocess_tests


@hookimpl
def codeflash_language_info() -> Sequence[LanguageInfo]:
    return (
        LanguageInfo(
            name="javascript",
            api_version=PLUGIN_API_VERSION,
            aliases=("js", "jsx", "mjs", "cjs"),
            file_extensions=(".js", ".jsx", ".mjs", ".cjs"),
            fence_tag="javascript",
        ),
        LanguageInfo(
            name="typescript",
            api_version=PLUGIN_API_VERSION,
            aliases=("ts", "tsx", "mts"),
            file_extensions=(".ts", ".tsx", ".mts"),
            fence_tag="typescript",
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
    return validation.validate_files(files, request.language)


@hookimpl
def postprocess(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    if request.task in extraction.TEST_TASKS:
        return postprocess_tests(request, candidates)
    if request.task in OPTIMIZATION_TASKS:
        return postprocess_optimizations(request, candidates)
    return PostprocessResult(kept=tuple(candidates))
