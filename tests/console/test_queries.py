"""The queries behind the console's pages, on the real PostgreSQL: trace list filters and keyset
pages, a trace's details, usage per day, model and organization."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from codeflash_engine.db import Database, console_queries, queries
from codeflash_engine.db.console_queries import TraceCursor, TraceFilter
from codeflash_engine.db.rows import UsageDelta

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


async def seed(database: Database) -> None:
    async with database.connection() as conn:
        await conn.execute(
            """
            INSERT INTO organizations (id, name) VALUES ('org-a', 'acme'), ('org-b', 'globex');
            INSERT INTO users (user_id, email, organization_id) VALUES
                ('u1', 'one@example.com', 'org-a'), ('u2', 'two@example.com', 'org-b');
            """
        )
        for number in range(30):
            await conn.execute(
                """
                INSERT INTO console_traces (trace_id, first_at, last_at, user_id, organization_id, endpoints,
                    languages, requests, failed_requests, llm_calls, cost_usd)
                VALUES ($1, $2, $2, $3, $4, $5, $6, 1, $7, 2, 0.01)
                """,
                f"t{number:02d}",
                NOW - timedelta(hours=number),
                "u1" if number % 2 == 0 else "u2",
                "org-a" if number % 2 == 0 else "org-b",
                ["/ai/optimize"] if number % 3 else ["/ai/testgen"],
                ["python"] if number % 5 else ["java"],
                1 if number % 7 == 0 else 0,
            )
            await conn.execute(
                """
                INSERT INTO llm_calls (
                    trace_id, call_type, model, provider, status, cost_usd, organization_id, created_at)
                VALUES ($1, 'optimize', $2, 'azure', 'ok', 0.01, $3, $4)
                """,
                f"t{number:02d}",
                "gpt-5-mini" if number % 2 else "claude-sonnet-4-5",
                "org-a" if number % 2 == 0 else "org-b",
                NOW - timedelta(hours=number),
            )
            await queries.upsert_usage(
                conn,
                UsageDelta(
                    day=(NOW - timedelta(hours=number)).date(),
                    model="gpt-5-mini" if number % 2 else "claude-sonnet-4-5",
                    organization_id="org-a" if number % 2 == 0 else "org-b",
                    calls=1,
                    failed_calls=0,
                    cost_usd=Decimal("0.01"),
                ),
            )


async def test_trace_list_filters_and_pages_newest_first(database: Database) -> None:
    await seed(database)
    async with database.connection() as conn:
        everything = await console_queries.list_traces(conn, TraceFilter(), limit=100)
        assert [t.trace_id for t in everything] == [f"t{n:02d}" for n in range(30)]

        pages: list[str] = []
        after = None
        while True:
            page = await console_queries.list_traces(conn, TraceFilter(), after=after, limit=7)
            pages += [t.trace_id for t in page]
            if len(page) < 7:
                break
            after = TraceCursor(last_at=page[-1].last_at, trace_id=page[-1].trace_id)
        assert pages == [t.trace_id for t in everything]

        async def ids(**where: object) -> list[str]:
            found = await console_queries.list_traces(conn, TraceFilter(**where), limit=100)  # type: ignore[arg-type]
            return [t.trace_id for t in found]

        assert await ids(user="ONE@example.com") == [f"t{n:02d}" for n in range(0, 30, 2)]
        assert await ids(user="u2") == [f"t{n:02d}" for n in range(1, 30, 2)]
        assert await ids(organization="globex") == await ids(user="u2")
        assert await ids(endpoint="/ai/testgen") == [f"t{n:02d}" for n in range(0, 30, 3)]
        assert await ids(language="java") == [f"t{n:02d}" for n in range(0, 30, 5)]
        assert await ids(status="failed") == [f"t{n:02d}" for n in range(0, 30, 7)]
        assert len(await ids(status="ok")) == 30 - 5
        assert await ids(since=NOW - timedelta(hours=2), until=NOW) == ["t01", "t02"]
        assert await ids(user="nobody@example.com") == []
        [first] = await console_queries.list_traces(conn, TraceFilter(user="u1"), limit=1)
        assert (first.email, first.organization_name, first.cost_usd) == (
            "one@example.com",
            "acme",
            Decimal("0.01"),
        )


async def test_trace_detail_and_usage(database: Database) -> None:
    await seed(database)
    async with database.connection() as conn:
        detail = await console_queries.trace_detail(conn, "t03")
        assert detail is not None and not detail.privacy_mode
        assert [c.model for c in detail.llm_calls] == ["gpt-5-mini"]
        assert await console_queries.trace_detail(conn, "missing") is None

        since = (NOW - timedelta(days=3)).date()
        per_day = await console_queries.usage(conn, "day", since)
        assert [row.label for row in per_day] == ["2026-12-03", "2026-12-04"]
        assert sum(row.calls for row in per_day) == 30
        per_model = await console_queries.usage(conn, "model", since)
        assert {(row.label, row.calls) for row in per_model} == {
            ("gpt-5-mini", 15),
            ("claude-sonnet-4-5", 15),
        }
        per_org = await console_queries.usage(conn, "organization", since)
        assert {(row.label, row.cost_usd) for row in per_org} == {
            ("acme", Decimal("0.15")),
            ("globex", Decimal("0.15")),
        }
