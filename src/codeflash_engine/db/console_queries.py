"""The operator console's SQL: admin sessions, the trace list (keyset pages on an index), a trace's
details and usage totals.

Filters are added to the trace list's ``WHERE`` only when given (never ``$1 IS NULL OR ...``), so
each combination gets a plan that uses the index for it; only placeholders carry values.
"""

from collections.abc import Callable
from datetime import date, datetime

from attrs import frozen

from codeflash_engine.db.queries import Executor
from codeflash_engine.db.rows import (
    AdminPrincipal,
    CandidateListing,
    ConsoleSession,
    ErrorListing,
    LLMCallListing,
    RequestListing,
    TraceListRow,
    UsageRow,
)

# --- admins and sessions ---------------------------------------------------------------------------


async def find_admin_key(conn: Executor, key_hash: str) -> AdminPrincipal | None:
    """The active admin key with this hash; ``None`` for an unknown, revoked or non-admin key."""
    record = await conn.fetchrow(
        """
        SELECT k.id AS key_id, k.suffix, u.email
        FROM cf_api_keys k JOIN users u ON u.user_id = k.user_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND k.role = 'admin'
        """,
        key_hash,
    )
    return None if record is None else AdminPrincipal.from_record(record)


async def create_session(
    conn: Executor, token_hash: str, key_id: int, csrf_token: str, lifetime_s: int
) -> None:
    await conn.execute(
        """
        INSERT INTO console_sessions (token_hash, key_id, csrf_token, expires_at)
        VALUES ($1, $2, $3, now() + make_interval(secs => $4))
        """,
        token_hash,
        key_id,
        csrf_token,
        float(lifetime_s),
    )


async def find_session(conn: Executor, token_hash: str) -> ConsoleSession | None:
    """The live session with this token hash, while its key is an active admin key."""
    record = await conn.fetchrow(
        """
        SELECT s.key_id, k.suffix, u.email, s.csrf_token, s.expires_at
        FROM console_sessions s
        JOIN cf_api_keys k ON k.id = s.key_id
        JOIN users u ON u.user_id = k.user_id
        WHERE s.token_hash = $1 AND s.expires_at > now() AND k.revoked_at IS NULL AND k.role = 'admin'
        """,
        token_hash,
    )
    return None if record is None else ConsoleSession.from_record(record)


async def delete_session(conn: Executor, token_hash: str) -> None:
    await conn.execute("DELETE FROM console_sessions WHERE token_hash = $1", token_hash)


# --- traces ----------------------------------------------------------------------------------------


@frozen
class TraceFilter:
    """What the trace list is narrowed to; ``None`` means any. ``user`` is an email or user id,
    ``organization`` a name or id; ``status`` is ``ok`` (no failed request or call) or ``failed``."""

    user: str | None = None
    organization: str | None = None
    endpoint: str | None = None
    language: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@frozen
class TraceCursor:
    """Where the next page starts: after this trace in newest-first order."""

    last_at: datetime
    trace_id: str


_TRACE_COLUMNS = """
    t.trace_id, t.first_at, t.last_at, t.user_id, u.email, t.organization_id, o.name AS organization_name,
    t.endpoints, t.languages, t.requests, t.failed_requests, t.llm_calls, t.failed_llm_calls, t.cost_usd,
    t.candidates_kept, t.candidates_dropped
"""


def _one_of(column: str, ids: list[str], value: Callable[[object], str]) -> str:
    # One id (the usual case) as an equality, so the (owner, last_at) index yields rows in page order.
    return f"{column} = {value(ids[0])}" if len(ids) == 1 else f"{column} = ANY({value(ids)}::text[])"


async def list_traces(
    conn: Executor, where: TraceFilter, *, after: TraceCursor | None = None, limit: int = 50
) -> list[TraceListRow]:
    """Traces newest first (by last activity), ``limit`` of them after ``after``."""
    conditions: list[str] = []
    values: list[object] = []

    def value(item: object) -> str:
        values.append(item)
        return f"${len(values)}"

    # Users and organizations are resolved first, so the plan filters on the trace table's own
    # (owner, last_at) index instead of scanning every trace by time for a rare owner.
    if where.user is not None:
        user_ids = await conn.fetch(
            "SELECT user_id FROM users WHERE user_id = $1 OR email = lower($1)", where.user
        )
        if not user_ids:
            return []
        conditions.append(_one_of("t.user_id", [row["user_id"] for row in user_ids], value))
    if where.organization is not None:
        organization_ids = await conn.fetch(
            "SELECT id FROM organizations WHERE id = $1 OR name = $1", where.organization
        )
        if not organization_ids:
            return []
        conditions.append(
            f"t.organization_id = ANY({value([row['id'] for row in organization_ids])}::text[])"
        )
    if where.endpoint is not None:
        conditions.append(f"{value(where.endpoint)} = ANY(t.endpoints)")
    if where.language is not None:
        conditions.append(f"{value(where.language)} = ANY(t.languages)")
    if where.status == "ok":
        conditions.append("t.failed_requests = 0 AND t.failed_llm_calls = 0")
    elif where.status == "failed":
        conditions.append("(t.failed_requests > 0 OR t.failed_llm_calls > 0)")
    if where.since is not None:
        conditions.append(f"t.last_at >= {value(where.since)}")
    if where.until is not None:
        conditions.append(f"t.last_at < {value(where.until)}")
    if after is not None:
        conditions.append(f"(t.last_at, t.trace_id) < ({value(after.last_at)}, {value(after.trace_id)})")
    where_sql = " AND ".join(conditions) or "true"
    records = await conn.fetch(
        f"""
        SELECT {_TRACE_COLUMNS}
        FROM console_traces t
        LEFT JOIN users u ON u.user_id = t.user_id
        LEFT JOIN organizations o ON o.id = t.organization_id
        WHERE {where_sql}
        ORDER BY t.last_at DESC, t.trace_id DESC
        LIMIT {value(limit)}
        """,
        *values,
    )
    return [TraceListRow.from_record(record) for record in records]


async def get_trace(conn: Executor, trace_id: str) -> TraceListRow | None:
    record = await conn.fetchrow(
        f"""
        SELECT {_TRACE_COLUMNS}
        FROM console_traces t
        LEFT JOIN users u ON u.user_id = t.user_id
        LEFT JOIN organizations o ON o.id = t.organization_id
        WHERE t.trace_id = $1
        """,
        trace_id,
    )
    return None if record is None else TraceListRow.from_record(record)


async def trace_requests(conn: Executor, trace_id: str) -> list[RequestListing]:
    records = await conn.fetch(
        """
        SELECT request_id, endpoint, language, status, latency_ms, created_at
        FROM requests WHERE trace_id = $1 ORDER BY created_at, id
        """,
        trace_id,
    )
    return [RequestListing.from_record(record) for record in records]


async def trace_llm_calls(conn: Executor, trace_id: str) -> list[LLMCallListing]:
    records = await conn.fetch(
        """
        SELECT id::text, call_type, endpoint, provider, model, status, error, prompt_tokens,
               completion_tokens, cached_read_tokens, cached_write_tokens, cost_usd, latency_ms, prompt,
               reply, created_at
        FROM llm_calls WHERE trace_id = $1 ORDER BY created_at, call_sequence NULLS LAST, id
        """,
        trace_id,
    )
    return [LLMCallListing.from_record(record) for record in records]


async def trace_candidates(conn: Executor, trace_id: str) -> list[CandidateListing]:
    records = await conn.fetch(
        """
        SELECT request_id, candidate_id, endpoint, model, kept, step, reason, code, created_at
        FROM candidates WHERE trace_id = $1 ORDER BY created_at, id
        """,
        trace_id,
    )
    return [CandidateListing.from_record(record) for record in records]


async def trace_errors(conn: Executor, trace_id: str) -> list[ErrorListing]:
    records = await conn.fetch(
        """
        SELECT error_type, severity, message, stack_trace, created_at
        FROM optimization_errors WHERE trace_id = $1 ORDER BY created_at, id
        """,
        trace_id,
    )
    return [ErrorListing.from_record(record) for record in records]


# --- usage -----------------------------------------------------------------------------------------

_USAGE_GROUPS = {
    "day": "to_char(u.day, 'YYYY-MM-DD')",
    "model": "u.model",
    "organization": "COALESCE(o.name, NULLIF(u.organization_id, ''), '(none)')",
}


async def usage(conn: Executor, group: str, since: date) -> list[UsageRow]:
    """LLM calls and their cost from the UTC day ``since`` on, per ``day`` (oldest first), ``model``
    or ``organization`` (costliest first); read from the recorder's daily totals."""
    label = _USAGE_GROUPS[group]
    order = "label" if group == "day" else "cost_usd DESC, label"
    records = await conn.fetch(
        f"""
        SELECT {label} AS label, sum(u.calls)::bigint AS calls, sum(u.failed_calls)::bigint AS failed_calls,
               sum(u.cost_usd) AS cost_usd
        FROM usage_daily u
        LEFT JOIN organizations o ON o.id = u.organization_id
        WHERE u.day >= $1
        GROUP BY 1
        ORDER BY {order}
        """,
        since,
    )
    return [UsageRow.from_record(record) for record in records]


@frozen
class TraceDetail:
    """Everything the console shows about one trace; ``privacy_mode`` says its text was not kept."""

    trace: TraceListRow
    privacy_mode: bool
    requests: list[RequestListing]
    llm_calls: list[LLMCallListing]
    candidates: list[CandidateListing]
    errors: list[ErrorListing]


async def trace_detail(conn: Executor, trace_id: str) -> TraceDetail | None:
    trace = await get_trace(conn, trace_id)
    if trace is None:
        return None
    privacy = await conn.fetchval(
        "SELECT COALESCE(bool_or(privacy_mode), false) FROM organizations WHERE id = $1",
        trace.organization_id,
    )
    return TraceDetail(
        trace=trace,
        privacy_mode=bool(privacy),
        requests=await trace_requests(conn, trace_id),
        llm_calls=await trace_llm_calls(conn, trace_id),
        candidates=await trace_candidates(conn, trace_id),
        errors=await trace_errors(conn, trace_id),
    )
