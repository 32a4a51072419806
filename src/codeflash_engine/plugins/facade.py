"""The typed facade routes use: ``host.for_language("python").validate(...)``.

Each facade calls the hooks of the plugin that owns its language plus the generic plugins, through
pluggy subset hook callers, so another language's plugin never runs for this request.
"""

from collections.abc import Sequence
from typing import Any

import pluggy

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
from codeflash_engine.errors import PluginError
from codeflash_engine.plugins.errors import PluginHookError, PluginReturnedNothingError
from codeflash_engine.plugins.records import PluginRecord


class LanguageHooks:
    """The pipeline hooks for one language. Thread-safe: it holds no mutable state."""

    def __init__(
        self,
        language: LanguageInfo,
        owner: PluginRecord,
        manager: pluggy.PluginManager,
        excluded_plugins: Sequence[object],
    ) -> None:
        self.language = language
        self.owner = owner
        self._callers = {
            name: manager.subset_hook_caller(name, remove_plugins=excluded_plugins)
            for name in ("build_context", "extract_code", "validate", "postprocess")
        }

    def _call(self, hook: str, expected: type[Any], **kwargs: Any) -> Any:
        try:
            result = self._callers[hook](**kwargs)
        except PluginError:
            raise
        except Exception as exc:
            raise PluginHookError(self.owner.name, hook, f"{type(exc).__name__}: {exc}") from exc
        if result is None:
            raise PluginReturnedNothingError(self.owner.name, hook, "no plugin returned a result")
        if not isinstance(result, expected):
            raise PluginHookError(
                self.owner.name, hook, f"returned {type(result).__name__}, expected {expected.__name__}"
            )
        return result

    def build_context(self, request: TaskRequest) -> Prompt:
        result: Prompt = self._call("build_context", Prompt, request=request)
        return result

    def extract_code(self, request: TaskRequest, reply: LLMReply) -> ExtractedCode:
        result: ExtractedCode = self._call("extract_code", ExtractedCode, request=request, reply=reply)
        return result

    def validate(self, request: TaskRequest, files: Sequence[SourceFile]) -> list[Diagnostic]:
        results: list[list[Diagnostic]] = self._call("validate", list, request=request, files=files)
        return [diagnostic for per_plugin in results for diagnostic in _checked_list(self.owner, per_plugin)]

    def postprocess(self, request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
        result: PostprocessResult = self._call(
            "postprocess", PostprocessResult, request=request, candidates=candidates
        )
        return result


def _checked_list(owner: PluginRecord, diagnostics: object) -> list[Diagnostic]:
    if not isinstance(diagnostics, list) or not all(isinstance(item, Diagnostic) for item in diagnostics):
        raise PluginHookError(owner.name, "validate", "must return a list of Diagnostic")
    return diagnostics
