"""Writes the recorder's batches to PostgreSQL: ``llm_calls`` and ``optimization_errors``."""

from collections.abc import Sequence
from typing import Any

import asyncpg
import structlog

from codeflash_engine.db import Database, queries, rows
from codeflash_engine.db.connect import UNAVAILABLE_ERRORS
from codeflash_engine.db.storable import storable_row
from codeflash_engine.observability.recorder import ErrorRecord, LLMCallRecord, Record

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
            for record in records:
                try:
                    async with conn.transaction():
                        await self._insert(conn, record)
                except _BAD_ROW_ERRORS as exc:
                    if isinstance(exc, _RETRY_BATCH_ERRORS) and not isinstance(exc, asyncpg.DataError):
                        raise  # not a bad row: the recorder retries the whole batch
                    self.rejected += 1
                    logger.error(
                        "record rejected by the database",
                        record_type=type(record).__name__,
                        trace_id=record.trace_id,
                        error=repr(exc),
                    )

    async def _insert(self, conn: Any, record: Record) -> None:
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
