"""Translation between the wire (pydantic schemas) and the pipeline (attrs domain models)."""

from collections.abc import Iterable

import structlog
from pydantic import BaseModel

from codeflash_engine.auth.service import AuthenticatedUser
from codeflash_engine.domain import Candidate, SourceFile, TargetFunction, Task, TaskRequest
from codeflash_engine.extraction import (
    CLIENT_MARKDOWN_PATTERN,
    RenderError,
    parse_markdown_files,
    render_markdown,
)
from codeflash_engine.http.errors import APIError
from codeflash_engine.http.schemas.common import CandidateOut, FunctionToOptimize
from codeflash_engine.observability.context import bind_trace_id, note_language
from codeflash_engine.pipeline.ports import CallInfo
from codeflash_engine.plugins import PluginHost

logger = structlog.get_logger(__name__)


def code_files(markdown: str, field: str) -> tuple[SourceFile, ...]:
    """The files of a client markdown field; plain code (no fence) is taken as one path-less file."""
    files = parse_markdown_files(markdown)
    if files:
        return files
    if markdown.strip():
        return (SourceFile(path=None, code=markdown),)
    raise APIError(422, f"invalid request: {field}: no code")


def language_of(raw: str | None, plugins: PluginHost, *, markdown: str = "") -> str:
    """The canonical language; requests from older Python-only clients carry none, and the client's
    ``/ai/adaptive_optimize`` never does (whatever the project's language): then the tag of the
    first fence of ``markdown``, the code it sends, names it when a plugin owns that tag."""
    if not raw and (fence := CLIENT_MARKDOWN_PATTERN.search(markdown)) is not None:
        tag = fence.group(1).strip().lower()
        raw = tag if tag in plugins.languages else None
    language = plugins.canonical_language(raw or "python")
    note_language(language)
    return language


def target_of(function: FunctionToOptimize) -> TargetFunction:
    parents = function.parents
    return TargetFunction(
        name=function.function_name,
        qualified_name=function.qualified_name,
        file_path=function.file_path,
        class_name=parents[-1].name if parents and parents[-1].type == "ClassDef" else None,
        is_async=function.is_async,
        is_method=function.is_method,
    )


def task_request(
    task: Task,
    body: BaseModel,
    *,
    language: str,
    files: tuple[SourceFile, ...],
    dependency_code: str | None = "",
    target: TargetFunction | None = None,
    language_version: str | None = None,
) -> TaskRequest:
    return TaskRequest(
        task=task,
        language=language,
        trace_id=str(getattr(body, "trace_id", "")),
        files=files,
        dependency_code=dependency_code or "",
        language_version=language_version,
        target=target,
        details=body.model_dump(mode="json"),
    )


def call_info(body: BaseModel, user: AuthenticatedUser, *, call_type: str, endpoint: str) -> CallInfo:
    """What the pipeline needs to know about the call. Also makes the body's ``trace_id`` the
    request's from here on (logs, ``X-Trace-Id``, recorded errors), so a request that fails or
    times out in a plugin hook, before any LLM call, is filed under the client's trace id too."""
    trace_id = str(getattr(body, "trace_id", ""))
    if trace_id:
        bind_trace_id(trace_id)
    metadata = getattr(body, "experiment_metadata", None)
    return CallInfo(
        trace_id=trace_id,
        call_type=call_type,
        endpoint=endpoint,
        call_sequence=getattr(body, "call_sequence", None),
        user_id=user.user_id,
        organization_id=user.organization_id,
        privacy_mode=user.privacy_mode,
        rerun_trace_id=getattr(body, "rerun_trace_id", None),
        experiment_metadata=metadata.model_dump() if metadata is not None else None,
    )


def rendered_candidates(candidates: Iterable[Candidate], fence_tag: str) -> list[CandidateOut]:
    """Candidates as the client parses them; one that cannot be rendered safely is left out."""
    rendered = []
    for candidate in candidates:
        try:
            source = render_markdown(candidate.files, fence_tag)
        except RenderError as exc:
            logger.warning("candidate not renderable", candidate=candidate.candidate_id, error=str(exc))
            continue
        rendered.append(
            CandidateOut(
                source_code=source,
                explanation=candidate.explanation,
                optimization_id=candidate.candidate_id,
                parent_id=candidate.parent_id,
                model=candidate.model,
            )
        )
    return rendered
