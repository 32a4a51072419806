"""The codeflash-lang-python plugin: hook implementations for the ``python`` language.

Each hook delegates to a module named for its concern; this module only wires them to the engine.
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
from codeflash_lang_python import context, extraction, postprocessing, validation


@hookimpl
def codeflash_language_info() -> Sequence[LanguageInfo]:
    return (
        LanguageInfo(
            name="python",
            api_version=PLUGIN_API_VERSION,
            aliases=("py", "python3"),
            file_extensions=(".py", ".pyi"),
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
    return postprocessing.postprocess(request, candidates)
