"""Writes the recorder's batches to PostgreSQL: ``llm_calls``, ``optimization_errors``, ``requests``
and ``candidates``, and keeps each trace's ``console_traces`` summary row up to date."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date
from decimal import Decimal
from typing import Any

import asyncpg
import attrs
import structlog

from codeflash_engine.db import Database, queries, rows
from codeflash_engine.db.connect import UNAVAILABLE_ERRORS
from codeflash_engine.db.storable import storable_row
from codeflash_engine.observability.recorder import ErrorRecord, LLMCallRecord, Record, RequestRecord

logger = structlog.get_logger(__name__)

# A row that can never be stored (a value PostgreSQL refuses, or one asyncpg cannot encode; its
# DataError is also an InterfaceError, which would otherwise read as an outage and retry forever).
_BAD_ROW_ERRORS = (asyncpg.DataError, asyncpg.PostgresError, TypeError, ValueError)
# Errors that say "not now" rather than "never": the batch is retried whole. Besides an outage, a
# deadlock or serialization failure (class 40), which PostgreSQL asks the client to retry.
_RETRY_BATCH_ERRORS = (*UNAVAILABLE_ERRORS, asyncpg.exceptions.TransactionRollbackError)


def _llm_call_row(record: LLMCallRecord, *, keep_owner: bool = True) -> rows.LLMCallRecord:
    return storable_row(_raw_llm_call_row(record, keep_owner=keep_owner))


def _raw_llm_call_row(record: LLMCallRecord, *, keep_owner: bool = True) -> rows.LLMCallRecord:
    return rows.LLMCallRecord(
        trace_id=record.trace_id,
        call_type=record.call_type,
        model=record.model,
        provider=record.provider,
        status=record.status,
        prompt_tokens=record.prompt_tokens,
        completion_tokens=record.completion_tokens,
        cached_read_tokens=record.cached_read_tokens,
        cached_write_tokens=record.cached_write_tokens,
        cost_usd=record.cost_usd,
        latency_ms=round(record.latency_ms),
        error=record.error,
        prompt=None if record.prompt is None else dict(record.prompt),
        reply=record.reply,
        call_sequence=record.call_sequence,
        experiment_metadata=None if record.experiment_metadata is None else dict(record.experiment_metadata),
        endpoint=record.endpoint,
        user_id=record.user_id if keep_owner else None,
        organization_id=record.organization_id if keep_owner else None,
    )


def _request_row(record: RequestRecord, *, keep_owner: bool = True) -> rows.RequestRow:
    return storable_row(
        rows.RequestRow(
            trace_id=record.trace_id,
            request_id=record.request_id,
            endpoint=record.endpoint,
            status=record.status,
            latency_ms=round(record.latency_ms),
            created_at=record.created_at,
            language=record.language,
            user_id=record.user_id if keep_owner else None,
            organization_id=record.organization_id if keep_owner else None,
        )
    )


def _candidate_rows(record: RequestRecord) -> list[rows.CandidateRow]:
    return [
        storable_row(
            rows.CandidateRow(
                trace_id=record.trace_id,
                request_id=record.request_id,
                candidate_id=outcome.candidate_id,
                endpoint=record.endpoint,
                kept=outcome.kept,
                created_at=record.created_at,
                model=outcome.model,
                step=outcome.step,
                reason=outcome.reason,
                code=outcome.code,
            )
        )
        for outcome in record.candidates
    ]


_OK_CALL_STATUSES = frozenset({"ok", "truncated"})


def trace_deltas(records: Sequence[Record]) -> list[rows.TraceDelta]:
    """What ``records`` add to each trace's summary, one delta per trace, in trace-id order (so two
    batches touching the same traces lock their rows in the same order)."""
    grouped: dict[str, list[LLMCallRecord | RequestRecord]] = defaultdict(list)
    for record in records:
        if isinstance(record, LLMCallRecord | RequestRecord) and record.trace_id:
            grouped[record.trace_id].append(record)
    deltas = []
    for trace_id in sorted(grouped):
        group = grouped[trace_id]
        requests = [r for r in group if isinstance(r, RequestRecord)]
        calls = [r for r in group if isinstance(r, LLMCallRecord)]
        outcomes = [outcome for request in requests for outcome in request.candidates]
        deltas.append(
            rows.TraceDelta(
                trace_id=trace_id,
                first_at=min(r.created_at for r in group),
                last_at=max(r.created_at for r in group),
                user_id=next((r.user_id for r in reversed(group) if r.user_id), None),
                organization_id=next((r.organization_id for r in reversed(group) if r.organization_id), None),
                endpoints=tuple(sorted({r.endpoint for r in group if r.endpoint})),
                languages=tuple(sorted({r.language for r in requests if r.language})),
                requests=len(requests),
                failed_requests=sum(r.status >= 400 for r in requests),
                llm_calls=len(calls),
                failed_llm_calls=sum(c.status not in _OK_CALL_STATUSES for c in calls),
                cost_usd=sum((c.cost_usd for c in calls), Decimal(0)),
                candidates_kept=sum(o.kept for o in outcomes),
                candidates_dropped=sum(not o.kept for o in outcomes),
            )
        )
    return deltas


def usage_deltas(records: Sequence[Record]) -> list[rows.UsageDelta]:
    """What ``records`` add to ``usage_daily``, one delta per UTC day, model and organization, in key
    order (so concurrent batches lock rows in the same order)."""
    grouped: dict[tuple[date, str, str], list[LLMCallRecord]] = defaultdict(list)
    for record in records:
        if isinstance(record, LLMCallRecord):
            day = record.created_at.astimezone(UTC).date()
            grouped[(day, record.model, record.organization_id or "")].append(record)
    return [
        rows.UsageDelta(
            day=day,
            model=model,
            organization_id=organization_id,
            calls=len(calls),
            failed_calls=sum(c.status not in _OK_CALL_STATUSES for c in calls),
            cost_usd=sum((c.cost_usd for c in calls), Decimal(0)),
        )
        for (day, model, organization_id), calls in sorted(grouped.items())
    ]


class DatabaseSink:
    """A ``RecordSink`` on the service's pool.

    A batch is one transaction, so a connection lost half-way rolls it back and the recorder's
    retry writes it again without duplicates. Each row has its own savepoint: a row the database
    refuses (bad data) is logged and skipped instead of blocking the queue forever.
    """

    def __init__(self, database: Database) -> None:
        self._database = database
        self.rejected = 0

    async def write(self, records: Sequence[Record]) -> None:
        async with self._database.transaction() as conn:
            stored: list[Record] = []
            for record in records:
                if await self._stored(conn, record, self._insert):
                    stored.append(record)
            for delta in trace_deltas(stored):
                await self._stored(conn, delta, self._upsert_trace)
            for usage in usage_deltas(stored):
                await self._stored(conn, usage, self._upsert_usage)

    async def _stored(self, conn: Any, item: Any, insert: Any) -> bool:
        try:
            async with conn.transaction():
                await insert(conn, item)
        except _BAD_ROW_ERRORS as exc:
            if isinstance(exc, _RETRY_BATCH_ERRORS) and not isinstance(exc, asyncpg.DataError):
                raise  # not a bad row: the recorder retries the whole batch
            self.rejected += 1
            logger.error(
                "record rejected by the database",
                record_type=type(item).__name__,
                trace_id=getattr(item, "trace_id", None),
                error=repr(exc),
            )
            return False
        return True

    @staticmethod
    async def _upsert_usage(conn: Any, delta: rows.UsageDelta) -> None:
        await queries.upsert_usage(conn, storable_row(delta))

    @staticmethod
    async def _upsert_trace(conn: Any, delta: rows.TraceDelta) -> None:
        try:
            async with conn.transaction():
                await queries.upsert_trace(conn, storable_row(delta))
        except asyncpg.ForeignKeyViolationError:
            await queries.upsert_trace(
                conn, storable_row(attrs.evolve(delta, user_id=None, organization_id=None))
            )

    async def _insert(self, conn: Any, record: Record) -> None:
        if isinstance(record, RequestRecord):
            try:
                async with conn.transaction():
                    await queries.insert_request(conn, _request_row(record))
            except asyncpg.ForeignKeyViolationError:
                await queries.insert_request(conn, _request_row(record, keep_owner=False))
            if record.candidates:
                await queries.insert_candidates(conn, _candidate_rows(record))
            return
        if isinstance(record, ErrorRecord):
            await queries.insert_optimization_error(
                conn,
                storable_row(
                    rows.OptimizationErrorRecord(
                        trace_id=record.trace_id,
                        error_type=record.error_type,
                        severity=record.severity,
                        message=record.message,
                        stack_trace=record.stack_trace,
                    )
                ),
            )
            return
        try:
            async with conn.transaction():
                await queries.insert_llm_call(conn, _llm_call_row(record))
        except asyncpg.ForeignKeyViolationError:
            # The user or organization is gone (or never existed): keep the call, unattributed.
            await queries.insert_llm_call(conn, _llm_call_row(record, keep_owner=False))
