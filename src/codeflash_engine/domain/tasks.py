"""The unit of work a language plugin is asked to help with."""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from attrs import field, frozen

from codeflash_engine.domain.code import SourceFile


class Task(StrEnum):
    """Language-specific tasks; each maps to one or more ``/ai/*`` endpoints."""

    OPTIMIZE = "optimize"
    OPTIMIZE_LINE_PROFILER = "optimize_line_profiler"
    REFINE = "refine"
    CODE_REPAIR = "code_repair"
    ADAPTIVE_OPTIMIZE = "adaptive_optimize"
    TESTGEN = "testgen"
    TESTGEN_REVIEW = "testgen_review"
    TESTGEN_REPAIR = "testgen_repair"
    JIT_REWRITE = "jit_rewrite"


@frozen
class TargetFunction:
    """The function being optimized, when the client names it."""

    name: str
    qualified_name: str
    file_path: str | None = None
    class_name: str | None = None
    is_async: bool = False
    is_method: bool = False


@frozen
class TaskRequest:
    """Everything a plugin needs to know about one request.

    ``files`` is always the original read-writable code (parsed from the client's markdown), also for
    refinement and repair, whose candidate under work stays in ``details`` (``optimized_source_code``,
    ``modified_source_code``); ``dependency_code`` is the read-only context as the client sent it.
    ``details`` holds the endpoint's remaining validated fields by their wire names
    (``line_profiler_results``, ``test_diffs``, ``module_path`` ...), so a plugin can use any field
    the client sends without the engine growing a class per endpoint.
    """

    task: Task
    language: str
    trace_id: str
    files: tuple[SourceFile, ...] = ()
    dependency_code: str = ""
    language_version: str | None = None
    target: TargetFunction | None = None
    details: Mapping[str, Any] = field(factory=dict)


@frozen
class ExtractedCode:
    """Code pulled out of one LLM reply and mapped onto the request's files.

    ``problems`` lists what was dropped and why (a block that maps to no file, a truncated fence).
    """

    files: tuple[SourceFile, ...]
    explanation: str = ""
    problems: tuple[str, ...] = ()
