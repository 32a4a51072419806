"""What the request being served carries through every layer: its ids (for logs and response
headers) and its deadline."""

import asyncio
from contextvars import ContextVar

import structlog
from attrs import define, field, frozen


@define
class RequestIds:
    """Mutable on purpose: a handler learns the client's trace id from the body after the
    middleware created this, and the ``X-Trace-Id`` response header must show that one."""

    request_id: str
    trace_id: str


_current: ContextVar[RequestIds | None] = ContextVar("codeflash_request_ids", default=None)


def current_ids() -> RequestIds | None:
    return _current.get()


def set_request_ids(ids: RequestIds) -> None:
    _current.set(ids)
    structlog.contextvars.bind_contextvars(request_id=ids.request_id, trace_id=ids.trace_id)


def bind_trace_id(trace_id: str) -> None:
    """Make ``trace_id`` the current request's trace id (logs and the ``X-Trace-Id`` header).

    The LLM client calls it with every call's trace id, so endpoints whose body carries the
    client's ``trace_id`` report that one without doing anything.
    """
    ids = _current.get()
    if ids is None:
        return
    ids.trace_id = trace_id
    # Bound in this context even when ``ids`` already has it: fan-out calls run in sibling tasks,
    # each with its own copy of the log context, and the first one to run updates the shared ids.
    if structlog.contextvars.get_contextvars().get("trace_id") != trace_id:
        structlog.contextvars.bind_contextvars(trace_id=trace_id)


@frozen
class Deadline:
    """When the current request must be answered: ``at`` in event-loop time, of ``seconds`` in all."""

    at: float
    seconds: float

    def remaining(self) -> float:
        return self.at - asyncio.get_running_loop().time()


_deadline: ContextVar[Deadline | None] = ContextVar("codeflash_request_deadline", default=None)


def current_deadline() -> Deadline | None:
    """The deadline of the request being served (``None`` outside one, or on exempt paths)."""
    return _deadline.get()


def set_deadline(seconds: float) -> Deadline:
    """Start the current request's deadline: ``seconds`` from now."""
    deadline = Deadline(at=asyncio.get_running_loop().time() + seconds, seconds=seconds)
    _deadline.set(deadline)
    return deadline


@frozen
class CandidateOutcome:
    """One candidate a request produced: kept, or dropped at ``step`` for ``reason``. ``code`` is
    ``None`` for privacy-mode callers and for replies no code could be extracted from."""

    candidate_id: str
    model: str | None
    kept: bool
    step: str | None = None
    reason: str | None = None
    code: str | None = None


@define
class RequestFacts:
    """What the layers learn about an ``/ai/*`` request while serving it (its caller, language and
    candidates); the middleware records them with its status and latency once it is answered.
    Mutable on purpose, like ``RequestIds``: dependencies and the pipeline fill it in."""

    user_id: str | None = None
    organization_id: str | None = None
    privacy_mode: bool = False
    language: str | None = None
    candidates: list[CandidateOutcome] = field(factory=list)


_facts: ContextVar[RequestFacts | None] = ContextVar("codeflash_request_facts", default=None)


def start_request_facts() -> RequestFacts:
    facts = RequestFacts()
    _facts.set(facts)
    return facts


def note_caller(user_id: str, organization_id: str | None, privacy_mode: bool) -> None:
    facts = _facts.get()
    if facts is not None:
        facts.user_id, facts.organization_id, facts.privacy_mode = user_id, organization_id, privacy_mode


def note_language(language: str) -> None:
    facts = _facts.get()
    if facts is not None:
        facts.language = language


def note_candidates(outcomes: list[CandidateOutcome]) -> None:
    """Add candidates to the current request's record (no-op outside a recorded request)."""
    facts = _facts.get()
    if facts is not None:
        facts.candidates.extend(outcomes)
