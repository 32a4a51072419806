"""The database's state for ``/healthcheck``: ``ok``, ``unavailable``, or ``none`` for an app built
in code without a database.

Load balancers poll health often; one ``SELECT 1`` per second per process tells the truth about an
outage within a second without turning every poll into a database round trip.
"""

import asyncio
import time
from typing import Literal, Protocol

from codeflash_engine.db import Database, DatabaseUnavailableError

PROBE_INTERVAL_S = 1.0
PROBE_TIMEOUT_S = 2.0

DatabaseState = Literal["ok", "unavailable", "none"]


class HealthProbe(Protocol):
    """What ``/healthcheck`` says about the database."""

    async def database_state(self) -> DatabaseState: ...


class DatabaseProbe:
    """Pings the database at most once per ``PROBE_INTERVAL_S``."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._checked_at = float("-inf")
        self._reachable = True
        self._lock = asyncio.Lock()

    async def database_state(self) -> DatabaseState:
        async with self._lock:
            if time.monotonic() - self._checked_at >= PROBE_INTERVAL_S:
                self._reachable = await self._ping()
                self._checked_at = time.monotonic()
            return "ok" if self._reachable else "unavailable"

    async def _ping(self) -> bool:
        try:
            async with asyncio.timeout(PROBE_TIMEOUT_S), self.database.connection() as conn:
                await conn.fetchval("SELECT 1")
        except (DatabaseUnavailableError, TimeoutError):
            return False
        return True


class NoDatabaseProbe:
    """The probe of an app without a database: there is nothing to lose, so nothing is degraded."""

    async def database_state(self) -> DatabaseState:
        return "none"
