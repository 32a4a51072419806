"""Ordered plain-SQL migrations shipped in ``db/migrations/``, applied once each.

A run is one transaction that first takes a transaction-scoped PostgreSQL advisory lock, so
instances starting together (or a ``db migrate`` next to a starting service) apply each migration
exactly once, one after another. The lock ends with the transaction, which keeps it safe through a
pooler in transaction mode (a session lock could be taken on one server connection and released on
another); and the pending migrations are applied all or none.
"""

import hashlib
import re
from datetime import datetime
from importlib import resources

import structlog
from attrs import frozen

from codeflash_engine.db import queries
from codeflash_engine.db.queries import Executor

logger = structlog.get_logger(__name__)

# Any fixed 64-bit number; it only has to differ from advisory locks other software on the same
# database takes.
MIGRATION_LOCK_ID = 0x0C0DEF1A5_0001

_FILE_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.sql$")


class MigrationError(Exception):
    """The migrations on disk and those recorded in the database disagree."""


@frozen
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


@frozen
class MigrationState:
    migration: Migration
    applied_at: datetime | None
    # False when the file changed after it was applied.
    checksum_matches: bool


def load_migrations() -> tuple[Migration, ...]:
    """The packaged migrations in version order."""
    folder = resources.files("codeflash_engine.db").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _FILE_NAME.match(entry.name)
        if match is None:
            continue
        found.append(Migration(int(match["version"]), match["name"], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    versions = [migration.version for migration in found]
    if versions != list(range(1, len(found) + 1)):
        raise MigrationError(f"migration versions must be 1, 2, 3 ... without gaps, found {versions}")
    return tuple(found)


def _check_recorded(migrations: tuple[Migration, ...], recorded: dict[int, str]) -> None:
    known = {migration.version: migration for migration in migrations}
    for version, checksum in recorded.items():
        if version not in known:
            raise MigrationError(
                f"the database has migration {version}, which this version of codeflash-engine does not "
                "know; it was migrated by a newer version"
            )
        if known[version].checksum != checksum:
            raise MigrationError(
                f"migration {version} ({known[version].name}) changed after it was applied; "
                "add a new migration instead of editing an applied one"
            )


async def apply_migrations(conn: Executor) -> list[Migration]:
    """Apply every pending migration on ``conn`` in one transaction (a savepoint if ``conn`` is in
    one already); returns those applied."""
    migrations = load_migrations()
    applied: list[Migration] = []
    async with conn.transaction():
        # No statement timeout, even one a role or database default sets: a migration may be slow.
        await queries.set_local_statement_timeout(conn, 0)
        await queries.take_transaction_advisory_lock(conn, MIGRATION_LOCK_ID)
        # Only under the lock: a concurrent runner may have just created the table or applied some.
        await queries.create_migrations_table(conn)
        recorded = {record.version: record.checksum for record in await queries.applied_migrations(conn)}
        _check_recorded(migrations, recorded)
        for migration in migrations:
            if migration.version in recorded:
                continue
            await conn.execute(migration.sql)
            await queries.record_migration(conn, migration.version, migration.name, migration.checksum)
            applied.append(migration)
    for migration in applied:
        logger.info("applied migration", version=migration.version, name=migration.name)
    return applied


async def migration_states(conn: Executor) -> list[MigrationState]:
    """Each packaged migration and whether (and when) it was applied; changes nothing."""
    recorded = (
        {record.version: record for record in await queries.applied_migrations(conn)}
        if await queries.migrations_table_exists(conn)
        else {}
    )
    states = []
    for migration in load_migrations():
        record = recorded.get(migration.version)
        states.append(
            MigrationState(
                migration=migration,
                applied_at=None if record is None else record.applied_at,
                checksum_matches=record is None or record.checksum == migration.checksum,
            )
        )
    return states
