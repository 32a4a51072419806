"""Retention: recorded rows (LLM calls, errors, requests, candidates, trace summaries) older than
``CODEFLASH_RETENTION_DAYS`` are deleted, at start-up and then every ``interval_s``.

It runs in the background on the service's pool, never on a request's path; several workers or
instances pruning at once only do the same idempotent deletes.
"""

import asyncio
import contextlib

import structlog

from codeflash_engine.db import Database, DatabaseUnavailableError, queries

logger = structlog.get_logger(__name__)

PRUNE_INTERVAL_S = 3600.0


async def prune_once(database: Database, retention_days: int) -> int:
    """Delete what is older than ``retention_days``; returns the number of rows deleted."""
    async with database.connection() as conn:
        deleted = await queries.prune_recorded(conn, retention_days)
    if deleted:
        logger.info("pruned recorded rows", deleted=deleted, retention_days=retention_days)
    return deleted


class Pruner:
    """The background task; ``start()`` it in the lifespan and ``aclose()`` it at shutdown."""

    def __init__(self, database: Database, retention_days: int, interval_s: float = PRUNE_INTERVAL_S) -> None:
        self._database = database
        self._retention_days = retention_days
        self._interval_s = interval_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="codeflash-retention")

    async def _run(self) -> None:
        while True:
            try:
                await prune_once(self._database, self._retention_days)
            except (DatabaseUnavailableError, OSError) as exc:
                logger.warning("pruning failed; retrying at the next interval", error=repr(exc))
            except Exception as exc:
                logger.exception("pruning failed", exc_info=exc)
            await asyncio.sleep(self._interval_s)

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
