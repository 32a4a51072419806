"""``codeflash-engine db``: apply and inspect schema migrations."""

import click

from codeflash_engine.cli._database import cli_settings, run_database_command
from codeflash_engine.db import Database
from codeflash_engine.db.migrate import MigrationState, apply_migrations, migration_states


@click.group("db")
def db_group() -> None:
    """Database schema (uses DATABASE_URL, or the embedded PostgreSQL in CODEFLASH_DATA_DIR)."""


@db_group.command("migrate")
def migrate_command() -> None:
    """Apply pending migrations (the service also does this at start-up)."""

    async def migrate(database: Database) -> list[str]:
        async with database.connection() as conn:
            return [f"{m.version:04d}_{m.name}" for m in await apply_migrations(conn)]

    applied = run_database_command(cli_settings(), migrate, migrate=False)
    for name in applied:
        click.echo(f"applied {name}")
    click.echo(f"{len(applied)} migration(s) applied; the schema is up to date")


def _describe(state: MigrationState) -> str:
    name = f"{state.migration.version:04d}_{state.migration.name}"
    if state.applied_at is None:
        return f"{name}  pending"
    changed = "  CHANGED SINCE APPLIED" if not state.checksum_matches else ""
    return f"{name}  applied {state.applied_at.isoformat(timespec='seconds')}{changed}"


@db_group.command("status")
def status_command() -> None:
    """Show which database is used and which migrations are applied or pending."""

    async def status(database: Database) -> list[MigrationState]:
        async with database.connection() as conn:
            return await migration_states(conn)

    states = run_database_command(cli_settings(), status, migrate=False)
    for state in states:
        click.echo(_describe(state))
    pending = sum(state.applied_at is None for state in states)
    click.echo(f"{len(states) - pending} applied, {pending} pending")
