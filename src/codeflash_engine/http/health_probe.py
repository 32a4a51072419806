"""Whether the database answers, for ``/healthcheck``, checked at most once a second.

Load balancers poll health often; one ``SELECT 1`` per second per process tells the truth about an
outage within a second without turning every poll into a database round trip.
"""

import asyncio
import time

from codeflash_engine.db import Database, DatabaseUnavailableError

PROBE_INTERVAL_S = 1.0
PROBE_TIMEOUT_S = 2.0


class DatabaseProbe:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._checked_at = float("-inf")
        self._reachable = True
        self._lock = asyncio.Lock()

    async def reachable(self) -> bool:
        async with self._lock:
            if time.monotonic() - self._checked_at >= PROBE_INTERVAL_S:
                self._reachable = await self._ping()
                self._checked_at = time.monotonic()
            return self._reachable

    async def _ping(self) -> bool:
        try:
            async with asyncio.timeout(PROBE_TIMEOUT_S), self.database.connection() as conn:
                await conn.fetchval("SELECT 1")
        except (DatabaseUnavailableError, TimeoutError):
            return False
        return True
