"""A language plugin that declares its languages and implements nothing yet.

A new language starts here: it is listed, owns its languages (so no other plugin can claim them by
accident), and every pipeline hook answers ``LanguageNotImplementedError``, which clients receive
as a clear 501 instead of an invented result.
"""

from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

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
from codeflash_engine.hookspecs import hookimpl


class UnimplementedLanguagePlugin:
    """Register an instance under the ``codeflash_engine`` entry point (``module:attribute``)."""

    def __init__(self, distribution: str, languages: Sequence[LanguageInfo]) -> None:
        self.distribution = distribution
        self.languages = tuple(languages)

    def _refusal(self, request: TaskRequest) -> LanguageNotImplementedError:
        try:
            release = version(self.distribution)
        except PackageNotFoundError:
            release = "(not installed)"
        return LanguageNotImplementedError(
            f"language '{request.language}' is not implemented yet by {self.distribution} {release}"
        )

    @hookimpl
    def codeflash_language_info(self) -> Sequence[LanguageInfo]:
        return self.languages

    @hookimpl
    def build_context(self, request: TaskRequest) -> Prompt:
        raise self._refusal(request)

    @hookimpl
    def extract_code(self, request: TaskRequest, reply: LLMReply) -> ExtractedCode:
        raise self._refusal(request)

    @hookimpl
    def validate(self, request: TaskRequest, files: Sequence[SourceFile]) -> list[Diagnostic]:
        raise self._refusal(request)

    @hookimpl
    def postprocess(self, request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
        raise self._refusal(request)
