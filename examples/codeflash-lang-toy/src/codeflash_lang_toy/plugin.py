"""The hook implementations: what the ``codeflash_engine`` entry point names.

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
from codeflash_lang_toy import pipeline, prompts


@hookimpl
def codeflash_language_info() -> Sequence[LanguageInfo]:
    return (
        LanguageInfo(
            name="toy", api_version=PLUGIN_API_VERSION, aliases=("toylang",), file_extensions=(".toy",)
        ),
    )


@hookimpl
def build_context(request: TaskRequest) -> Prompt:
    return prompts.build_prompt(request)


@hookimpl
def extract_code(request: TaskRequest, reply: LLMReply) -> ExtractedCode:
    return pipeline.extract(request, reply)


@hookimpl
def validate(request: TaskRequest, files: Sequence[SourceFile]) -> list[Diagnostic]:
    del request  # Toy has one version
    return pipeline.validate(files)


@hookimpl
def postprocess(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    return pipeline.postprocess(request, candidates)
