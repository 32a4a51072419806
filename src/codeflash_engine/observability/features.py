"""Where ``/ai/log_features`` keeps what the client measured for a trace."""

from typing import Protocol

from codeflash_engine.db import Database, queries
from codeflash_engine.db.rows import OptimizationFeaturesRecord


class FeatureStore(Protocol):
    """Stores one send of a trace's features; raises ``DatabaseUnavailableError`` when it cannot."""

    async def save(self, features: OptimizationFeaturesRecord) -> None: ...


class DatabaseFeatureStore:
    """Upserts the trace's ``optimization_features`` row (a re-send merges into it)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def save(self, features: OptimizationFeaturesRecord) -> None:
        async with self._database.connection() as conn:
            await queries.upsert_optimization_features(conn, features)
