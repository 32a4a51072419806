"""Every SQL statement the service runs, as one async function each.

Each function takes an asyncpg connection (or pool) first. Statements that must be exact under
concurrency (rate limiting, quota) are single statements whose row lock serializes concurrent
callers; none of them reads a value and writes it back in a second statement.
"""

from typing import Any

from codeflash_engine.db.rows import (
    ApiKeyListing,
    ApiKeyRow,
    CandidateRow,
    KeyOwnerRow,
    LLMCallRecord,
    MigrationRecord,
    OptimizationErrorRecord,
    OptimizationFeaturesRecord,
    OrganizationRow,
    RateLimitHit,
    RecordedReply,
    RequestRow,
    SubscriptionRow,
    TraceDelta,
    UsageDelta,
    UserRow,
)

# asyncpg ships no type information; a connection and a pool share the query methods used here.
Executor = Any

MIGRATIONS_TABLE = "codeflash_schema_migrations"

# --- session-free settings ---------------------------------------------------------------------------


async def set_local_statement_timeout(conn: Executor, timeout_ms: int) -> None:
    """The statement timeout for the rest of this transaction (``0``: none). ``SET LOCAL`` ends with
    the transaction, so through a pooler it never leaks onto another client's queries the way a
    session ``SET`` would. ``SET`` takes no parameters; ``int`` keeps the text a number."""
    await conn.execute(f"SET LOCAL statement_timeout = {int(timeout_ms)}")


# --- migrations ------------------------------------------------------------------------------------


async def take_transaction_advisory_lock(conn: Executor, lock_id: int) -> None:
    """Wait for the lock; it is released when the transaction ends (never a session lock, which a
    transaction pooler could leave held on a server connection another client then gets)."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", lock_id)


async def migrations_table_exists(conn: Executor) -> bool:
    found = await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", MIGRATIONS_TABLE)
    return bool(found)


async def create_migrations_table(conn: Executor) -> None:
    await conn.execute(
        f"""
        CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} (
            version integer PRIMARY KEY,
            name text NOT NULL,
            checksum text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )


async def applied_migrations(conn: Executor) -> list[MigrationRecord]:
    records = await conn.fetch(
        f"SELECT version, name, checksum, applied_at FROM {MIGRATIONS_TABLE} ORDER BY version"
    )
    return [MigrationRecord.from_record(record) for record in records]


async def record_migration(conn: Executor, version: int, name: str, checksum: str) -> None:
    await conn.execute(
        f"INSERT INTO {MIGRATIONS_TABLE} (version, name, checksum) VALUES ($1, $2, $3)",
        version,
        name,
        checksum,
    )


# --- accounts and keys -----------------------------------------------------------------------------


async def get_or_create_organization(conn: Executor, name: str) -> OrganizationRow:
    # The no-op update makes RETURNING yield the existing row on conflict.
    record = await conn.fetchrow(
        """
        INSERT INTO organizations (name) VALUES ($1)
        ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
        RETURNING id, name, github_org_id, privacy_mode, created_at
        """,
        name,
    )
    return OrganizationRow.from_record(record)


async def get_or_create_user(conn: Executor, email: str, organization_id: str | None) -> UserRow:
    """The user with ``email``; a given organization replaces the user's current one."""
    record = await conn.fetchrow(
        """
        INSERT INTO users (email, organization_id) VALUES ($1, $2)
        ON CONFLICT (email) DO UPDATE
            SET organization_id = COALESCE(EXCLUDED.organization_id, users.organization_id)
        RETURNING user_id, github_username, email, organization_id, created_at
        """,
        email,
        organization_id,
    )
    return UserRow.from_record(record)


async def ensure_subscription(
    conn: Executor, user_id: str, plan_type: str, optimizations_limit: int | None, period_days: int
) -> SubscriptionRow:
    """Create the user's subscription, or move an existing one to ``plan_type`` and its limit.

    Usage in the current period is kept when the plan changes.
    """
    record = await conn.fetchrow(
        """
        INSERT INTO subscriptions AS s
            (user_id, plan_type, optimizations_limit, current_period_start, current_period_end)
        VALUES ($1, $2, $3, now(), now() + make_interval(days => $4))
        ON CONFLICT (user_id) DO UPDATE SET
            plan_type = EXCLUDED.plan_type,
            optimizations_limit = CASE WHEN s.plan_type = EXCLUDED.plan_type
                                       THEN s.optimizations_limit
                                       ELSE EXCLUDED.optimizations_limit END,
            updated_at = now()
        RETURNING user_id, plan_type, optimizations_used, optimizations_limit,
                  current_period_start, current_period_end
        """,
        user_id,
        plan_type,
        optimizations_limit,
        period_days,
    )
    return SubscriptionRow.from_record(record)


_KEY_COLUMNS = "id, suffix, user_id, tier, role, organization_id, created_at, revoked_at, last_used_at"


async def insert_api_key(
    conn: Executor,
    key_hash: str,
    *,
    suffix: str,
    user_id: str,
    tier: str,
    organization_id: str | None,
    role: str = "user",
) -> ApiKeyRow:
    record = await conn.fetchrow(
        f"""
        INSERT INTO cf_api_keys (key_hash, suffix, user_id, tier, organization_id, role)
        VALUES ($1, $2, $3, $4, $5, $6)
        RETURNING {_KEY_COLUMNS}
        """,
        key_hash,
        suffix,
        user_id,
        tier,
        organization_id,
        role,
    )
    return ApiKeyRow.from_record(record)


async def admit_request(
    conn: Executor, key_hash: str, window_ms: int
) -> tuple[KeyOwnerRow, RateLimitHit] | None:
    """The active (not revoked) key with this hash and its owner, with this request counted against
    the key's rate-limit window, in one round trip; ``None`` (and nothing counted) for no such key.

    The window starts anew if the last one ended. The database clock decides, so instances with
    skewed clocks still agree; the upsert's row lock makes concurrent requests from any number of
    processes count exactly.
    """
    record = await conn.fetchrow(
        """
        WITH owner AS (
            SELECT k.id AS key_id, k.suffix, k.tier, k.user_id, u.email, u.github_username,
                   COALESCE(k.organization_id, u.organization_id) AS organization_id,
                   COALESCE(o.privacy_mode, false) AS privacy_mode, k.last_used_at
            FROM cf_api_keys k
            JOIN users u ON u.user_id = k.user_id
            LEFT JOIN organizations o ON o.id = COALESCE(k.organization_id, u.organization_id)
            WHERE k.key_hash = $1 AND k.revoked_at IS NULL
        ),
        params AS (SELECT make_interval(secs => $2::double precision / 1000) AS window_length),
        hit AS (
            INSERT INTO rate_limit_windows AS w (key_id, window_start, request_count)
            SELECT key_id, clock_timestamp(), 1 FROM owner
            ON CONFLICT (key_id) DO UPDATE SET
                window_start = CASE
                    WHEN w.window_start + (SELECT window_length FROM params) <= EXCLUDED.window_start
                    THEN EXCLUDED.window_start ELSE w.window_start END,
                request_count = CASE
                    WHEN w.window_start + (SELECT window_length FROM params) <= EXCLUDED.window_start
                    THEN 1 ELSE w.request_count + 1 END
            RETURNING request_count, window_start + (SELECT window_length FROM params) AS resets_at,
                      clock_timestamp() AS db_now
        )
        SELECT owner.*, hit.* FROM owner CROSS JOIN hit
        """,
        key_hash,
        window_ms,
    )
    if record is None:
        return None
    return KeyOwnerRow.from_record(record), RateLimitHit.from_record(record)


async def touch_api_key(conn: Executor, key_id: int) -> None:
    await conn.execute("UPDATE cf_api_keys SET last_used_at = now() WHERE id = $1", key_id)


_LISTING_SELECT = """
    SELECT k.id, k.suffix, u.email, k.tier, k.role, o.name AS organization_name,
           k.created_at, k.revoked_at, k.last_used_at
    FROM cf_api_keys k
    JOIN users u ON u.user_id = k.user_id
    LEFT JOIN organizations o ON o.id = k.organization_id
"""


async def list_api_keys(conn: Executor, email: str | None = None) -> list[ApiKeyListing]:
    records = await conn.fetch(
        f"{_LISTING_SELECT} WHERE $1::text IS NULL OR u.email = $1 ORDER BY k.id", email
    )
    return [ApiKeyListing.from_record(record) for record in records]


async def find_active_keys(conn: Executor, suffix: str, key_id: int | None) -> list[ApiKeyListing]:
    """Active keys whose suffix is ``suffix`` or whose id is ``key_id``."""
    records = await conn.fetch(
        f"{_LISTING_SELECT} WHERE k.revoked_at IS NULL AND (k.suffix = $1 OR k.id = $2) ORDER BY k.id",
        suffix,
        key_id,
    )
    return [ApiKeyListing.from_record(record) for record in records]


async def revoke_api_key(conn: Executor, key_id: int) -> bool:
    """Revoke an active key; ``False`` if it does not exist or was already revoked."""
    revoked = await conn.fetchval(
        "UPDATE cf_api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id",
        key_id,
    )
    return revoked is not None


# --- rate limits and quotas ------------------------------------------------------------------------


_SUBSCRIPTION_COLUMNS = (
    "user_id, plan_type, optimizations_used, optimizations_limit, current_period_start, current_period_end"
)


# Whole periods between the period's start and now, evaluated on the row before the update.
_PERIODS_ELAPSED = (
    "floor(extract(epoch FROM now() - current_period_start)"
    " / extract(epoch FROM current_period_end - current_period_start))"
)


async def consume_optimization(conn: Executor, user_id: str) -> SubscriptionRow | None:
    """Count one optimization if the subscription has quota left; ``None`` if it has not.

    A period that has ended rolls forward by whole periods (keeping its anchor) and starts from
    zero. Concurrent callers queue on the row lock and PostgreSQL re-checks the ``WHERE`` against
    the row as the previous caller left it, so the limit is never exceeded.
    """
    record = await conn.fetchrow(
        f"""
        UPDATE subscriptions SET
            optimizations_used = CASE WHEN current_period_end <= now() THEN 1
                                      ELSE optimizations_used + 1 END,
            current_period_start = CASE WHEN current_period_end <= now()
                THEN current_period_start + {_PERIODS_ELAPSED} * (current_period_end - current_period_start)
                ELSE current_period_start END,
            current_period_end = CASE WHEN current_period_end <= now()
                THEN current_period_start
                     + ({_PERIODS_ELAPSED} + 1) * (current_period_end - current_period_start)
                ELSE current_period_end END,
            updated_at = now()
        WHERE user_id = $1
          AND (optimizations_limit IS NULL
               OR (current_period_end <= now() AND optimizations_limit > 0)
               OR optimizations_used < optimizations_limit)
        RETURNING {_SUBSCRIPTION_COLUMNS}
        """,
        user_id,
    )
    return None if record is None else SubscriptionRow.from_record(record)


async def get_subscription(conn: Executor, user_id: str) -> SubscriptionRow | None:
    record = await conn.fetchrow(
        f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE user_id = $1", user_id
    )
    return None if record is None else SubscriptionRow.from_record(record)


# --- optimization records --------------------------------------------------------------------------


async def insert_llm_call(conn: Executor, call: LLMCallRecord) -> str:
    """Insert one LLM call; returns its id (a UUID string)."""
    call_id = await conn.fetchval(
        """
        INSERT INTO llm_calls (
            trace_id, call_type, model, provider, prompt_tokens, completion_tokens,
            cached_read_tokens, cached_write_tokens, cost_usd, latency_ms, status, error, prompt,
            reply, call_sequence, experiment_metadata, endpoint, user_id, organization_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
        RETURNING id::text
        """,
        call.trace_id,
        call.call_type,
        call.model,
        call.provider,
        call.prompt_tokens,
        call.completion_tokens,
        call.cached_read_tokens,
        call.cached_write_tokens,
        call.cost_usd,
        call.latency_ms,
        call.status,
        call.error,
        call.prompt,
        call.reply,
        call.call_sequence,
        call.experiment_metadata,
        call.endpoint,
        call.user_id,
        call.organization_id,
    )
    return str(call_id)


async def insert_optimization_error(conn: Executor, error: OptimizationErrorRecord) -> None:
    await conn.execute(
        """
        INSERT INTO optimization_errors (trace_id, error_type, severity, message, stack_trace)
        VALUES ($1, $2, $3, $4, $5)
        """,
        error.trace_id,
        error.error_type,
        error.severity,
        error.message,
        error.stack_trace,
    )


async def insert_request(conn: Executor, request: RequestRow) -> None:
    await conn.execute(
        """
        INSERT INTO requests (trace_id, request_id, endpoint, language, status, latency_ms, user_id,
                              organization_id, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        """,
        request.trace_id,
        request.request_id,
        request.endpoint,
        request.language,
        request.status,
        request.latency_ms,
        request.user_id,
        request.organization_id,
        request.created_at,
    )


async def insert_candidates(conn: Executor, candidates: list[CandidateRow]) -> None:
    await conn.executemany(
        """
        INSERT INTO candidates (trace_id, request_id, candidate_id, endpoint, model, kept, step, reason,
                                code, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        """,
        [
            (c.trace_id, c.request_id, c.candidate_id, c.endpoint, c.model, c.kept, c.step, c.reason, c.code,
             c.created_at)
            for c in candidates
        ],
    )  # fmt: skip


def _merged_array(column: str) -> str:
    return f"ARRAY(SELECT DISTINCT unnest(t.{column} || EXCLUDED.{column}) ORDER BY 1)"


async def upsert_trace(conn: Executor, delta: TraceDelta) -> None:
    """Add one batch's requests, calls and candidates to the trace's summary row."""
    await conn.execute(
        f"""
        INSERT INTO console_traces AS t (
            trace_id, first_at, last_at, user_id, organization_id, endpoints, languages, requests,
            failed_requests, llm_calls, failed_llm_calls, cost_usd, candidates_kept, candidates_dropped)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
        ON CONFLICT (trace_id) DO UPDATE SET
            first_at = LEAST(t.first_at, EXCLUDED.first_at),
            last_at = GREATEST(t.last_at, EXCLUDED.last_at),
            user_id = COALESCE(EXCLUDED.user_id, t.user_id),
            organization_id = COALESCE(EXCLUDED.organization_id, t.organization_id),
            endpoints = {_merged_array("endpoints")},
            languages = {_merged_array("languages")},
            requests = t.requests + EXCLUDED.requests,
            failed_requests = t.failed_requests + EXCLUDED.failed_requests,
            llm_calls = t.llm_calls + EXCLUDED.llm_calls,
            failed_llm_calls = t.failed_llm_calls + EXCLUDED.failed_llm_calls,
            cost_usd = t.cost_usd + EXCLUDED.cost_usd,
            candidates_kept = t.candidates_kept + EXCLUDED.candidates_kept,
            candidates_dropped = t.candidates_dropped + EXCLUDED.candidates_dropped
        """,
        delta.trace_id,
        delta.first_at,
        delta.last_at,
        delta.user_id,
        delta.organization_id,
        list(delta.endpoints),
        list(delta.languages),
        delta.requests,
        delta.failed_requests,
        delta.llm_calls,
        delta.failed_llm_calls,
        delta.cost_usd,
        delta.candidates_kept,
        delta.candidates_dropped,
    )


async def upsert_usage(conn: Executor, delta: UsageDelta) -> None:
    await conn.execute(
        """
        INSERT INTO usage_daily AS u (day, model, organization_id, calls, failed_calls, cost_usd)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (day, model, organization_id) DO UPDATE SET
            calls = u.calls + EXCLUDED.calls,
            failed_calls = u.failed_calls + EXCLUDED.failed_calls,
            cost_usd = u.cost_usd + EXCLUDED.cost_usd
        """,
        delta.day,
        delta.model,
        delta.organization_id,
        delta.calls,
        delta.failed_calls,
        delta.cost_usd,
    )


# Oldest first within each table; ``console_traces`` by their last activity. Deleted in slices, so
# no statement holds its locks (or the recorder) for long on a big table.
_RETAINED = (
    ("llm_calls", "created_at"),
    ("optimization_errors", "created_at"),
    ("requests", "created_at"),
    ("candidates", "created_at"),
    ("console_traces", "last_at"),
)


async def prune_recorded(conn: Executor, older_than_days: int, *, slice_rows: int = 5000) -> int:
    """Delete recorded rows older than ``older_than_days`` days; returns how many were deleted."""
    deleted = 0
    for table, column in _RETAINED:
        while True:
            status = await conn.execute(
                f"""
                DELETE FROM {table} WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM {table}
                    WHERE {column} < now() - make_interval(days => $1) LIMIT $2))
                """,
                older_than_days,
                slice_rows,
            )
            count = int(status.split()[-1])
            deleted += count
            if count < slice_rows:
                break
    status = await conn.execute(
        "DELETE FROM usage_daily WHERE day < (now() AT TIME ZONE 'UTC')::date - $1::int", older_than_days
    )
    deleted += int(status.split()[-1])
    await conn.execute("DELETE FROM console_sessions WHERE expires_at < now()")
    return deleted


def _merged_json(column: str) -> str:
    """SQL for a jsonb column on upsert: objects merged (newer keys win), else the newer non-null."""
    return (
        f"CASE WHEN jsonb_typeof(f.{column}) = 'object' AND jsonb_typeof(EXCLUDED.{column}) = 'object' "
        f"THEN f.{column} || EXCLUDED.{column} ELSE COALESCE(EXCLUDED.{column}, f.{column}) END"
    )


async def upsert_optimization_features(conn: Executor, features: OptimizationFeaturesRecord) -> None:
    """Insert the trace's row or update it; columns given as ``None`` keep their stored value, and
    JSON objects (per-candidate maps) are merged key by key, so candidates of an earlier send stay."""
    await conn.execute(
        f"""
        INSERT INTO optimization_features AS f (
            trace_id, user_id, speedup_ratio, original_runtime, optimized_runtime, is_correct,
            optimized_line_profiler_results, metadata, optimizations_post, codeflash_version)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (trace_id) DO UPDATE SET
            user_id = COALESCE(EXCLUDED.user_id, f.user_id),
            speedup_ratio = {_merged_json("speedup_ratio")},
            original_runtime = COALESCE(EXCLUDED.original_runtime, f.original_runtime),
            optimized_runtime = {_merged_json("optimized_runtime")},
            is_correct = {_merged_json("is_correct")},
            optimized_line_profiler_results = {_merged_json("optimized_line_profiler_results")},
            metadata = {_merged_json("metadata")},
            optimizations_post = {_merged_json("optimizations_post")},
            codeflash_version = COALESCE(EXCLUDED.codeflash_version, f.codeflash_version),
            updated_at = now()
        """,
        features.trace_id,
        features.user_id,
        features.speedup_ratio,
        features.original_runtime,
        features.optimized_runtime,
        features.is_correct,
        features.optimized_line_profiler_results,
        features.metadata,
        features.optimizations_post,
        features.codeflash_version,
    )


async def recorded_replies(
    conn: Executor, *, trace_id: str, endpoint: str, user_id: str, call_sequence: int | None
) -> list[RecordedReply]:
    """The successful replies stored for one endpoint call of an earlier trace, oldest first.

    With a ``call_sequence`` only that call's replies; without one, every call of the endpoint.
    Only the trace's own user can replay it; privacy-mode calls stored no reply and never match.
    """
    rows = await conn.fetch(
        """
        SELECT model, reply FROM llm_calls
        WHERE trace_id = $1 AND endpoint = $2 AND user_id = $3 AND status = 'ok' AND reply IS NOT NULL
          AND ($4::integer IS NULL OR call_sequence = $4)
        ORDER BY created_at, id
        """,
        trace_id,
        endpoint,
        user_id,
        call_sequence,
    )
    return [RecordedReply(model=row["model"], reply=row["reply"]) for row in rows]
