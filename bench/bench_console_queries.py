# ruff: noqa: E501 - the fill statements read better unwrapped
"""The console's page queries at a million ``llm_calls`` rows, with their plans.

Run: uv run python bench/bench_console_queries.py [--calls 1000000]
A throwaway embedded PostgreSQL (or ``DATABASE_URL``'s, into a new database) is migrated and filled
with 30 days of traffic: ``--calls`` LLM calls over ``calls / 10`` traces (10 calls, 2 requests and
3 candidates each), 1,000 users in 20 organizations. Each query runs as the console runs it
(``db/console_queries.py``); the median of 15 runs is printed with its ratio to the goal, then the
first lines of its ``EXPLAIN ANALYZE`` plan.
"""

import argparse
import asyncio
import statistics
import tempfile
import time
import warnings
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from codeflash_engine.db import console_queries
from codeflash_engine.db.console_queries import TraceCursor, TraceFilter
from codeflash_engine.db.migrate import apply_migrations

RUNS = 15
PAGE_GOAL_MS = 50.0
USAGE_GOAL_MS = 50.0

FILL = """
INSERT INTO organizations (id, name) SELECT 'org-' || o, 'organization ' || o FROM generate_series(1, 20) o;
INSERT INTO users (user_id, email, organization_id)
    SELECT 'user-' || u, 'user' || u || '@example.com', 'org-' || (u % 20 + 1) FROM generate_series(1, 1000) u;
INSERT INTO console_traces (trace_id, first_at, last_at, user_id, organization_id, endpoints, languages,
                            requests, failed_requests, llm_calls, failed_llm_calls, cost_usd,
                            candidates_kept, candidates_dropped)
    SELECT 'trace-' || t, now() - (t * interval '30 days' / $1::int) - interval '5 seconds',
           now() - (t * interval '30 days' / $1::int), 'user-' || (t % 1000 + 1), 'org-' || ((t % 1000 + 1) % 20 + 1),
           CASE WHEN t % 4 = 0 THEN ARRAY['/ai/optimize', '/ai/testgen'] ELSE ARRAY['/ai/optimize'] END,
           CASE WHEN t % 10 = 0 THEN ARRAY['java'] ELSE ARRAY['python'] END,
           2, (t % 25 = 0)::int, 10, (t % 25 = 0)::int, 0.02, 1, 2
    FROM generate_series(1, $1::int) t;
INSERT INTO llm_calls (trace_id, call_type, model, provider, prompt_tokens, completion_tokens, cost_usd,
                       latency_ms, status, prompt, reply, endpoint, user_id, organization_id, created_at)
    SELECT 'trace-' || (c / 10 + 1), 'optimize', CASE WHEN c % 2 = 0 THEN 'gpt-5-mini' ELSE 'claude-sonnet-4-5' END,
           CASE WHEN c % 2 = 0 THEN 'azure' ELSE 'bedrock' END, 2000, 800, 0.002, 3000,
           CASE WHEN c % 250 = 0 THEN 'timeout' ELSE 'ok' END,
           jsonb_build_object('system', 'You are a performance engineer.', 'user', repeat('def f(): pass ', 40)),
           repeat('return sum(x) ', 60), '/ai/optimize',
           'user-' || ((c / 10 + 1) % 1000 + 1), 'org-' || (((c / 10 + 1) % 1000 + 1) % 20 + 1),
           now() - ((c / 10 + 1) * interval '30 days' / $1::int)
    FROM generate_series(0, $1::int * 10 - 1) c;
INSERT INTO usage_daily (day, model, organization_id, calls, failed_calls, cost_usd)
    SELECT (created_at AT TIME ZONE 'UTC')::date, model, COALESCE(organization_id, ''), count(*),
           count(*) FILTER (WHERE status NOT IN ('ok', 'truncated')), sum(cost_usd)
    FROM llm_calls GROUP BY 1, 2, 3;
INSERT INTO requests (trace_id, request_id, endpoint, language, status, latency_ms, user_id, organization_id,
                      created_at)
    SELECT 'trace-' || (r / 2 + 1), md5(r::text), '/ai/optimize', 'python', 200, 4000,
           'user-' || ((r / 2 + 1) % 1000 + 1), 'org-' || (((r / 2 + 1) % 1000 + 1) % 20 + 1),
           now() - ((r / 2 + 1) * interval '30 days' / $1::int)
    FROM generate_series(0, $1::int * 2 - 1) r;
INSERT INTO candidates (trace_id, request_id, candidate_id, endpoint, model, kept, step, reason, code, created_at)
    SELECT 'trace-' || (c / 3 + 1), md5((c / 3)::text), md5(c::text), '/ai/optimize', 'gpt-5-mini', c % 3 = 0,
           CASE WHEN c % 3 = 0 THEN NULL ELSE 'deduplicate' END,
           CASE WHEN c % 3 = 0 THEN NULL ELSE 'duplicate of candidate x' END, repeat('x = 1 ', 50),
           now() - ((c / 3 + 1) * interval '30 days' / $1::int)
    FROM generate_series(0, $1::int * 3 - 1) c;
"""


class Explaining:
    """A connection stand-in that also runs each query under ``EXPLAIN ANALYZE`` and keeps the plans."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self.plans: list[str] = []

    async def _explain(self, sql: str, *args: Any) -> None:
        rows = await self._conn.fetch(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}", *args)
        self.plans.append("\n".join(row[0] for row in rows))

    # The real answer too: a query may need an earlier one's rows (the trace list resolves the
    # user or organization first).
    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        await self._explain(sql, *args)
        return list(await self._conn.fetch(sql, *args))

    async def fetchrow(self, sql: str, *args: Any) -> Any:
        await self._explain(sql, *args)
        return await self._conn.fetchrow(sql, *args)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        await self._explain(sql, *args)
        return await self._conn.fetchval(sql, *args)


async def measure(conn: Any, name: str, query: Callable[[Any], Awaitable[Any]], goal_ms: float) -> float:
    await query(conn)  # warm the cache and the statement cache
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await query(conn)
        times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    print(
        f"{name:<46} median {median:8.2f} ms  min {min(times):8.2f} ms  goal {goal_ms:.0f} ms  "
        f"{median / goal_ms:.2f} of goal"
    )
    explaining = Explaining(conn)
    await query(explaining)
    for plan in explaining.plans:
        # The plan's top and every scan: which index serves the page.
        lines = plan.splitlines()
        for line in lines[:2] + [line for line in lines[2:] if "Scan" in line or "Cond" in line]:
            print(f"    {line}")
    return median


async def run(dsn: str, traces: int) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await apply_migrations(conn)
        started = time.perf_counter()
        await conn.execute("SET synchronous_commit = off")
        for statement in FILL.strip().split(";\n"):
            if statement.strip():
                await conn.execute(statement, *([traces] if "$1" in statement else []))
        await conn.execute("VACUUM ANALYZE")
        calls = await conn.fetchval("SELECT count(*) FROM llm_calls")
        print(f"filled {calls:,} llm_calls, {traces:,} traces in {time.perf_counter() - started:.0f} s\n")

        newest = await console_queries.list_traces(conn, TraceFilter(), limit=5000)
        deep = TraceCursor(last_at=newest[-1].last_at, trace_id=newest[-1].trace_id)
        middle = f"trace-{traces // 2}"
        month = datetime.now(UTC) - timedelta(days=30)
        week = datetime.now(UTC) - timedelta(days=7)
        month_day, week_day = month.date(), week.date()
        cases: list[tuple[str, Callable[[Any], Awaitable[Any]], float]] = [
            (
                "traces: first page",
                lambda c: console_queries.list_traces(c, TraceFilter(), limit=51),
                PAGE_GOAL_MS,
            ),
            (
                "traces: page after 5,000 (keyset)",
                lambda c: console_queries.list_traces(c, TraceFilter(), after=deep, limit=51),
                PAGE_GOAL_MS,
            ),
            (
                "traces: one user (by email)",
                lambda c: console_queries.list_traces(c, TraceFilter(user="user7@example.com"), limit=51),
                PAGE_GOAL_MS,
            ),
            (
                "traces: one organization, failed",
                lambda c: console_queries.list_traces(
                    c, TraceFilter(organization="organization 3", status="failed"), limit=51
                ),
                PAGE_GOAL_MS,
            ),
            (
                "traces: endpoint /ai/testgen, language java",
                lambda c: console_queries.list_traces(
                    c, TraceFilter(endpoint="/ai/testgen", language="java"), limit=51
                ),
                PAGE_GOAL_MS,
            ),
            (
                "traces: last 7 days, 3 days ago page",
                lambda c: console_queries.list_traces(
                    c, TraceFilter(since=week, until=week + timedelta(days=4)), limit=51
                ),
                PAGE_GOAL_MS,
            ),
            (
                "trace page: summary, requests, calls, cand., errors",
                lambda c: console_queries.trace_detail(c, middle),
                PAGE_GOAL_MS,
            ),
            (
                "trace page: its llm_calls alone",
                lambda c: console_queries.trace_llm_calls(c, middle),
                PAGE_GOAL_MS,
            ),
            ("usage: 30 days per day", lambda c: console_queries.usage(c, "day", month_day), USAGE_GOAL_MS),
            (
                "usage: 30 days per model",
                lambda c: console_queries.usage(c, "model", month_day),
                USAGE_GOAL_MS,
            ),
            (
                "usage: 30 days per organization",
                lambda c: console_queries.usage(c, "organization", month_day),
                USAGE_GOAL_MS,
            ),
            ("usage: 7 days per day", lambda c: console_queries.usage(c, "day", week_day), USAGE_GOAL_MS),
        ]
        for name, query, goal in cases:
            await measure(conn, name, query, goal)
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000, help="llm_calls rows (10 per trace)")
    args = parser.parse_args()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        from pgserver.postgres_server import get_server

    with tempfile.TemporaryDirectory(prefix="bench-console-") as parent:
        server = get_server(Path(parent) / "pgdata", cleanup_mode="delete")
        try:
            server.psql("CREATE DATABASE bench_console;")
            asyncio.run(run(server.get_uri("bench_console"), args.calls // 10))
        finally:
            server.cleanup()


if __name__ == "__main__":
    main()
