"""``codeflash-engine traces``: what the console shows, in the terminal (tables, or ``--json``)."""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs
import click

from codeflash_engine.cli._database import cli_settings, run_database_command
from codeflash_engine.db import Database, console_queries
from codeflash_engine.db.console_queries import TraceDetail, TraceFilter
from codeflash_engine.db.rows import TraceListRow

LIST_COLUMNS = (
    "LAST ACTIVITY",
    "TRACE",
    "USER",
    "ORGANIZATION",
    "ENDPOINTS",
    "CALLS",
    "COST",
    "KEPT/DROPPED",
    "STATUS",
)


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _usd(value: Decimal | None) -> str:
    return "-" if value is None else f"${value:.4f}"


def _json_default(value: object) -> str | float:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _print_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, default=_json_default))


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(header), *(len(row[i]) for row in rows)) for i, header in enumerate(headers)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _status(trace: TraceListRow) -> str:
    return "failed" if trace.failed_requests or trace.failed_llm_calls else "ok"


@click.group("traces")
def traces_group() -> None:
    """Recorded traces: requests, LLM calls, candidates and errors (uses DATABASE_URL, or the
    embedded PostgreSQL in CODEFLASH_DATA_DIR)."""


@traces_group.command("list")
@click.option("--user", default=None, help="Email or user id.")
@click.option("--org", default=None, help="Organization name or id.")
@click.option("--endpoint", default=None, help="e.g. /ai/optimize")
@click.option("--language", default=None)
@click.option("--status", type=click.Choice(("ok", "failed")), default=None)
@click.option("--since", type=click.DateTime(), default=None, help="UTC, e.g. 2026-12-01")
@click.option("--until", type=click.DateTime(), default=None, help="UTC, e.g. 2026-12-31")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_command(
    *,
    user: str | None,
    org: str | None,
    endpoint: str | None,
    language: str | None,
    status: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    as_json: bool,
) -> None:
    """Traces, newest first."""
    where = TraceFilter(
        user=user,
        organization=org,
        endpoint=endpoint,
        language=language,
        status=status,
        since=None if since is None else since.replace(tzinfo=UTC),
        until=None if until is None else until.replace(tzinfo=UTC),
    )

    async def fetch(database: Database) -> list[TraceListRow]:
        async with database.connection() as conn:
            return await console_queries.list_traces(conn, where, limit=limit)

    traces = run_database_command(cli_settings(), fetch)
    if as_json:
        _print_json([attrs.asdict(trace) for trace in traces])
        return
    if not traces:
        click.echo("no traces")
        return
    _table(
        LIST_COLUMNS,
        [
            (
                _when(t.last_at),
                t.trace_id,
                t.email or t.user_id or "-",
                t.organization_name or "-",
                ",".join(t.endpoints) or "-",
                str(t.llm_calls),
                _usd(t.cost_usd),
                f"{t.candidates_kept}/{t.candidates_dropped}",
                _status(t),
            )
            for t in traces
        ],
    )


@traces_group.command("show")
@click.argument("trace_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (prompts and replies included).")
def show_command(trace_id: str, as_json: bool) -> None:
    """One trace: its requests, LLM calls, candidates and errors."""

    async def fetch(database: Database) -> TraceDetail | None:
        async with database.connection() as conn:
            return await console_queries.trace_detail(conn, trace_id)

    detail = run_database_command(cli_settings(), fetch)
    if detail is None:
        raise click.ClickException(f"no trace {trace_id!r} is recorded")
    if as_json:
        _print_json(attrs.asdict(detail))
        return
    trace = detail.trace
    privacy = " (privacy mode)" if detail.privacy_mode else ""
    click.echo(f"trace {trace.trace_id}: {_status(trace)}")
    click.echo(
        f"user {trace.email or trace.user_id or '-'}, organization {trace.organization_name or '-'}{privacy}"
    )
    click.echo(f"{_when(trace.first_at)} to {_when(trace.last_at)}, cost {_usd(trace.cost_usd)}")
    sections: list[tuple[str, Sequence[str], list[tuple[str, ...]]]] = [
        (
            "requests",
            ("TIME", "ENDPOINT", "LANGUAGE", "STATUS", "LATENCY MS"),
            [(_when(r.created_at), r.endpoint, r.language or "-", str(r.status), str(r.latency_ms))
             for r in detail.requests],
        ),
        (
            "LLM calls",
            ("TIME", "CALL", "PROVIDER", "MODEL", "IN", "OUT", "CACHED", "COST", "LATENCY MS", "STATUS"),
            [(_when(c.created_at), c.call_type, c.provider, c.model, str(c.prompt_tokens or 0),
              str(c.completion_tokens or 0), str(c.cached_read_tokens or 0), _usd(c.cost_usd),
              str(c.latency_ms or 0), c.status if c.error is None else f"{c.status}: {c.error}")
             for c in detail.llm_calls],
        ),
        (
            "candidates",
            ("CANDIDATE", "ENDPOINT", "MODEL", "OUTCOME", "STEP", "REASON"),
            [(c.candidate_id[:8], c.endpoint, c.model or "-", "kept" if c.kept else "dropped", c.step or "-",
              c.reason or "-") for c in detail.candidates],
        ),
        (
            "errors",
            ("TIME", "TYPE", "SEVERITY", "MESSAGE"),
            [(_when(e.created_at), e.error_type, e.severity, e.message) for e in detail.errors],
        ),
    ]  # fmt: skip
    for title, headers, rows in sections:
        click.echo("")
        click.echo(f"{title}: {len(rows)}")
        if rows:
            _table(headers, rows)
