"""The codeflash-lang-js plugin: declares its languages; its pipeline hooks are not implemented yet.

Every pipeline hook raises ``LanguageNotImplementedError``, which the engine answers with 501, so
clients get a clear refusal rather than an invented result.
"""

from collections.abc import Sequence
from importlib.metadata import version

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
from codeflash_engine.errors import LanguageNotImplementedError
from codeflash_engine.hookspecs import PLUGIN_API_VERSION, hookimpl

DISTRIBUTION = "codeflash-lang-js"


def _not_implemented(request: TaskRequest) -> LanguageNotImplementedError:
    return LanguageNotImplementedError(
        f"language '{request.language}' is not implemented yet by {DISTRIBUTION} {version(DISTRIBUTION)}"
    )


@hookimpl
def codeflash_language_info() -> Sequence[LanguageInfo]:
    return (
        LanguageInfo(
            name="javascript",
            api_version=PLUGIN_API_VERSION,
            aliases=("js",),
            file_extensions=(".js", ".jsx", ".mjs", ".cjs"),
        ),
        LanguageInfo(
            name="typescript",
            api_version=PLUGIN_API_VERSION,
            aliases=("ts",),
            file_extensions=(".ts", ".tsx"),
        ),
    )


@hookimpl
def build_context(request: TaskRequest) -> Prompt:
    raise _not_implemented(request)


@hookimpl
def extract_code(request: TaskRequest, reply: LLMReply) -> ExtractedCode:
    del reply
    raise _not_implemented(request)


@hookimpl
def validate(request: TaskRequest, files: Sequence[SourceFile]) -> list[Diagnostic]:
    del files
    raise _not_implemented(request)


@hookimpl
def postprocess(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    del candidates
    raise _not_implemented(request)
