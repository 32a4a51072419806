"""Running a CLI command against the same database ``serve`` would use."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from codeflash_engine.db import Database, DatabaseUnavailableError, open_database
from codeflash_engine.db.connect import UNAVAILABLE_ERRORS
from codeflash_engine.db.migrate import MigrationError
from codeflash_engine.observability.logging import configure_logging
from codeflash_engine.settings import Settings

T = TypeVar("T")

_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (DatabaseUnavailableError, *UNAVAILABLE_ERRORS)


def cli_settings() -> Settings:
    settings = Settings()
    # Only problems go to stderr; the commands print what the operator asked for.
    configure_logging(settings.http.model_copy(update={"log_level": "WARNING"}))
    return settings


def run_database_command(
    settings: Settings, command: Callable[[Database], Awaitable[T]], *, migrate: bool | None = None
) -> T:
    """Open the database (embedded or ``DATABASE_URL``), run ``command``, close it again."""

    async def run() -> T:
        # An operator's command should answer at once, not wait for a database to come up.
        async with open_database(settings.database, migrate=migrate, wait_s=0) as database:
            click.echo(f"database: {database.description}", err=True)
            return await command(database)

    try:
        return asyncio.run(run())
    except _CONNECTION_ERRORS as exc:
        raise click.ClickException(f"cannot reach the database: {exc}") from exc
    except MigrationError as exc:
        raise click.ClickException(str(exc)) from exc
