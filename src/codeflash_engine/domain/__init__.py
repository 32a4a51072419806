"""The engine's domain models: small frozen attrs classes shared by the pipeline and the plugins.

Nothing here depends on pydantic or on the HTTP layer; plugins receive and return these types.
"""

from codeflash_engine.domain.candidates import Candidate, DroppedCandidate, PostprocessResult
from codeflash_engine.domain.code import SourceFile
from codeflash_engine.domain.diagnostics import Diagnostic, Severity
from codeflash_engine.domain.language import LanguageInfo
from codeflash_engine.domain.llm import LLMReply, Prompt
from codeflash_engine.domain.tasks import ExtractedCode, TargetFunction, Task, TaskRequest

__all__ = [
    "Candidate",
    "Diagnostic",
    "DroppedCandidate",
    "ExtractedCode",
    "LLMReply",
    "LanguageInfo",
    "PostprocessResult",
    "Prompt",
    "Severity",
    "SourceFile",
    "TargetFunction",
    "Task",
    "TaskRequest",
]
