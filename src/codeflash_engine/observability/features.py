"""Where ``/ai/log_features`` keeps what the client measured for a trace."""

from typing import Protocol

from codeflash_engine.db import Database, queries
from codeflash_engine.db.rows import OptimizationFeaturesRecord
from codeflash_engine.db.storable import storable_row


class FeatureStore(Protocol):
    """Stores one send of a trace's features; raises ``DatabaseUnavailableError`` when it cannot."""

    async def save(self, features: OptimizationFeaturesRecord) -> None: ...


class DatabaseFeatureStore:
    """Upserts the trace's ``optimization_features`` row (a re-send merges into it). The client's
    metadata may carry NUL characters or lone surrogates, which PostgreSQL refuses: they are
    replaced rather than the send lost."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def save(self, features: OptimizationFeaturesRecord) -> None:
        async with self._database.connection() as conn:
            await queries.upsert_optimization_features(conn, storable_row(features))
