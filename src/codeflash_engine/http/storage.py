"""Everything the app keeps beyond a request: in PostgreSQL (always, in production), or in memory
for an app built in code with ``NoDatabase`` (tests, plugin authors).

Request handlers see only the ports (``AccessGate``, ``RecordSink``, ``FeatureStore``,
``RecordedReplies``, ``HealthProbe``); this module is the one place that picks their side.
"""

from contextlib import AsyncExitStack

from attrs import frozen

from codeflash_engine.auth.gate import AccessGate, DatabaseGate, StaticGate
from codeflash_engine.db import Database, open_database
from codeflash_engine.http.health_probe import DatabaseProbe, HealthProbe, NoDatabaseProbe
from codeflash_engine.observability.db_sink import DatabaseSink
from codeflash_engine.observability.features import DatabaseFeatureStore, FeatureStore
from codeflash_engine.observability.memory import InMemoryRecords
from codeflash_engine.observability.recorder import RecordSink
from codeflash_engine.pipeline.replay import DatabaseReplies, NoRecordedReplies, RecordedReplies
from codeflash_engine.settings import Settings


@frozen
class NoDatabase:
    """Run the app without PostgreSQL: nothing is started or connected.

    Only code asks for it (tests, plugin authors); no setting or environment variable does, so a
    deployment cannot be switched into it by mistake. ``/ai/*`` accepts exactly ``api_keys``, with
    no rate limit and no quota; LLM calls, errors and features are kept in memory
    (``resources.recorded``); a rerun finds nothing recorded; ``/healthcheck`` reports the
    database as ``none``.
    """

    api_keys: tuple[str, ...]


@frozen
class Storage:
    """One side of every storage port; ``database`` or ``recorded``, as ``AppResources`` has them."""

    gate: AccessGate
    records: RecordSink
    features: FeatureStore
    replies: RecordedReplies
    probe: HealthProbe
    database: Database | None = None
    recorded: InMemoryRecords | None = None


def memory_storage(options: NoDatabase) -> Storage:
    memory = InMemoryRecords()
    return Storage(
        gate=StaticGate(options.api_keys),
        records=memory,
        features=memory,
        replies=NoRecordedReplies(),
        probe=NoDatabaseProbe(),
        recorded=memory,
    )


async def open_database_storage(settings: Settings, stack: AsyncExitStack) -> Storage:
    """Connect to the database (starting the embedded one if configured so); ``stack`` closes it."""
    database = await stack.enter_async_context(open_database(settings.database))
    return Storage(
        gate=DatabaseGate(database, settings.auth),
        records=DatabaseSink(database),
        features=DatabaseFeatureStore(database),
        replies=DatabaseReplies(database),
        probe=DatabaseProbe(database),
        database=database,
    )
