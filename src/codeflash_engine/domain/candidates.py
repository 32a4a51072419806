"""Candidates: code an LLM proposed, before and after postprocessing."""

from collections.abc import Mapping

from attrs import field, frozen

from codeflash_engine.domain.code import SourceFile


@frozen
class Candidate:
    """One proposal for the request's files.

    ``artifacts`` carries extra named outputs a task needs besides the files
    (for testgen: ``instrumented_behavior_tests`` and ``instrumented_perf_tests``).
    """

    candidate_id: str
    files: tuple[SourceFile, ...]
    explanation: str = ""
    model: str | None = None
    parent_id: str | None = None
    artifacts: Mapping[str, str] = field(factory=dict)


@frozen
class DroppedCandidate:
    """A candidate postprocessing threw away, and why (for logs and metrics)."""

    candidate_id: str
    step: str
    reason: str


@frozen
class PostprocessResult:
    kept: tuple[Candidate, ...]
    dropped: tuple[DroppedCandidate, ...] = ()
