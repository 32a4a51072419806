"""Table rows as immutable attrs classes; ``from_record`` maps an asyncpg record by column name."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

from attrs import fields, frozen


class _FromRecord:
    @classmethod
    def from_record(cls, record: Any) -> Self:
        return cls(**{field.name: record[field.name] for field in fields(cls)})  # type: ignore[arg-type]


@frozen
class OrganizationRow(_FromRecord):
    id: str
    name: str
    github_org_id: int | None
    privacy_mode: bool
    created_at: datetime


@frozen
class UserRow(_FromRecord):
    user_id: str
    github_username: str | None
    email: str | None
    organization_id: str | None
    created_at: datetime


@frozen
class SubscriptionRow(_FromRecord):
    user_id: str
    plan_type: str
    optimizations_used: int
    optimizations_limit: int | None
    current_period_start: datetime
    current_period_end: datetime


@frozen
class ApiKeyRow(_FromRecord):
    id: int
    suffix: str
    user_id: str
    tier: str
    role: str
    organization_id: str | None
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


@frozen
class ApiKeyListing(_FromRecord):
    """A key with its owner's email and organization name, for operators."""

    id: int
    suffix: str
    email: str | None
    tier: str
    role: str
    organization_name: str | None
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


@frozen
class KeyOwnerRow(_FromRecord):
    """What authentication needs about an active key and whom it belongs to."""

    key_id: int
    suffix: str
    tier: str
    user_id: str
    email: str | None
    github_username: str | None
    organization_id: str | None
    privacy_mode: bool
    last_used_at: datetime | None


@frozen
class RateLimitHit(_FromRecord):
    """The count in the key's current window after counting this request, and when it ends."""

    request_count: int
    resets_at: datetime
    db_now: datetime


@frozen
class MigrationRecord(_FromRecord):
    version: int
    name: str
    checksum: str
    applied_at: datetime


@frozen
class LLMCallRecord:
    """One LLM call to record; ``prompt`` and ``reply`` must be ``None`` in privacy mode."""

    trace_id: str
    call_type: str
    model: str
    provider: str
    status: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cached_read_tokens: int | None = None
    cached_write_tokens: int | None = None
    cost_usd: Decimal | None = None
    latency_ms: int | None = None
    error: str | None = None
    prompt: Any = None
    reply: str | None = None
    call_sequence: int | None = None
    experiment_metadata: Any = None
    endpoint: str | None = None
    user_id: str | None = None
    organization_id: str | None = None


@frozen
class OptimizationErrorRecord:
    trace_id: str
    error_type: str
    severity: str
    message: str
    stack_trace: str | None = None


@frozen
class OptimizationFeaturesRecord:
    """Columns to set for one trace; ``None`` leaves an existing value as it is."""

    trace_id: str
    user_id: str | None = None
    speedup_ratio: Any = None
    original_runtime: int | None = None
    optimized_runtime: Any = None
    is_correct: Any = None
    optimized_line_profiler_results: Any = None
    metadata: Any = None
    optimizations_post: Any = None
    codeflash_version: str | None = None


@frozen
class RecordedReply:
    """A reply stored for an earlier LLM call, replayed by ``rerun_trace_id``."""

    model: str
    reply: str


@frozen
class RequestRow:
    """One answered ``/ai/*`` request to record."""

    trace_id: str
    request_id: str
    endpoint: str
    status: int
    latency_ms: int
    created_at: datetime
    language: str | None = None
    user_id: str | None = None
    organization_id: str | None = None


@frozen
class CandidateRow:
    """One candidate a request produced; ``code`` must be ``None`` in privacy mode."""

    trace_id: str
    request_id: str
    candidate_id: str
    endpoint: str
    kept: bool
    created_at: datetime
    model: str | None = None
    step: str | None = None
    reason: str | None = None
    code: str | None = None


@frozen
class TraceDelta:
    """What one recorder batch adds to a trace's ``console_traces`` summary row."""

    trace_id: str
    first_at: datetime
    last_at: datetime
    user_id: str | None
    organization_id: str | None
    endpoints: tuple[str, ...]
    languages: tuple[str, ...]
    requests: int
    failed_requests: int
    llm_calls: int
    failed_llm_calls: int
    cost_usd: Decimal
    candidates_kept: int
    candidates_dropped: int


@frozen
class UsageDelta:
    """What one recorder batch adds to a ``usage_daily`` row."""

    day: date
    model: str
    organization_id: str
    calls: int
    failed_calls: int
    cost_usd: Decimal


@frozen
class AdminPrincipal(_FromRecord):
    """An active admin key, as the console knows its operator (never the key itself)."""

    key_id: int
    suffix: str
    email: str | None


@frozen
class ConsoleSession(_FromRecord):
    """A live console session of an active admin key."""

    key_id: int
    suffix: str
    email: str | None
    csrf_token: str
    expires_at: datetime


@frozen
class TraceListRow(_FromRecord):
    """A trace in the console's list: its summary row with its owner's email and organization."""

    trace_id: str
    first_at: datetime
    last_at: datetime
    user_id: str | None
    email: str | None
    organization_id: str | None
    organization_name: str | None
    endpoints: list[str]
    languages: list[str]
    requests: int
    failed_requests: int
    llm_calls: int
    failed_llm_calls: int
    cost_usd: Decimal
    candidates_kept: int
    candidates_dropped: int


@frozen
class RequestListing(_FromRecord):
    request_id: str
    endpoint: str
    language: str | None
    status: int
    latency_ms: int
    created_at: datetime


@frozen
class LLMCallListing(_FromRecord):
    """An LLM call as the console shows it; ``prompt``/``reply`` are ``None`` in privacy mode."""

    id: str
    call_type: str
    endpoint: str | None
    provider: str
    model: str
    status: str
    error: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    cached_read_tokens: int | None
    cached_write_tokens: int | None
    cost_usd: Decimal | None
    latency_ms: int | None
    prompt: Any
    reply: str | None
    created_at: datetime


@frozen
class CandidateListing(_FromRecord):
    request_id: str
    candidate_id: str
    endpoint: str
    model: str | None
    kept: bool
    step: str | None
    reason: str | None
    code: str | None
    created_at: datetime


@frozen
class ErrorListing(_FromRecord):
    error_type: str
    severity: str
    message: str
    stack_trace: str | None
    created_at: datetime


@frozen
class UsageRow(_FromRecord):
    """Calls and cost of one group (a day, a model or an organization)."""

    label: str
    calls: int
    failed_calls: int
    cost_usd: Decimal
