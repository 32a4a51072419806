"""Which PostgreSQL to use, and the connection pool the service shares.

``DATABASE_URL`` set: that server. Unset: an embedded PostgreSQL (the ``pgserver`` wheel) with its
data in ``CODEFLASH_DATA_DIR``; it is started on first use, shared by every process that uses the
same directory, and stopped when the last of them closes it.

Everything here works unchanged through a connection pooler (PgBouncer and its managed
equivalents). In transaction mode consecutive transactions of one client connection may run on
different server connections, so the service keeps no session state: through a pooler no startup
parameter but ``application_name`` (which poolers understand) and timeouts per statement and per
transaction instead of per session; a transaction-scoped migration lock; no reset query; and behind
a transaction pooler no named prepared statements (``CODEFLASH_DB_POOLER``).
"""

import asyncio
import json
import logging
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio.to_thread
import asyncpg
import structlog
from attrs import field, frozen

from codeflash_engine.db import queries
from codeflash_engine.db.migrate import Migration, apply_migrations
from codeflash_engine.db.settings import DatabaseSettings, Pooler
from codeflash_engine.observability.timing import timed

logger = structlog.get_logger(__name__)

POOL_CLOSE_TIMEOUT_S = 10.0

# Errors meaning "the database cannot serve us now", as opposed to a wrong query. A slow database
# shows up as the last three: ``statement_timeout`` (a ``QueryCanceledError``, listed although it is
# an ``OperatorInterventionError`` too, so the intent survives a reshuffle), a server-side
# ``lock_timeout`` (``LockNotAvailableError``), and the pool's ``command_timeout`` or acquire timeout
# (``TimeoutError``) when no answer arrives at all.
UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.QueryCanceledError,
    asyncpg.exceptions.LockNotAvailableError,
    asyncpg.exceptions.InsufficientResourcesError,
    asyncpg.exceptions.InvalidCatalogNameError,
    asyncpg.exceptions.InvalidAuthorizationSpecificationError,
)


class DatabaseUnavailableError(Exception):
    """The database could not be reached or refused to serve the request."""


@frozen
class DatabaseTarget:
    dsn: str = field(repr=False)
    description: str
    embedded: bool
    pooler: Pooler


def resolve_pooler(settings: DatabaseSettings, *, embedded: bool) -> Pooler:
    """``CODEFLASH_DB_POOLER``, or by default ``none`` for the embedded PostgreSQL (the service
    started it and talks to it directly) and ``transaction`` for ``DATABASE_URL``. A pooler cannot be
    detected (it forwards the server's version and parameters, and transaction and session mode look
    the same to a client), and the two possible wrong guesses differ: assuming none behind a
    transaction pooler fails at start-up, assuming one on a direct connection only costs a Parse
    round trip per query (docs/benchmarks.md)."""
    if settings.pooler is not None:
        return settings.pooler
    return "none" if embedded else "transaction"


def statement_cache(pooler: Pooler) -> dict[str, Any]:
    """asyncpg's prepared-statement cache, for the pool and the migration connection. Behind a
    transaction pooler a named prepared statement lives on whichever server connection parsed it,
    which the next transaction may not get (``prepared statement "__asyncpg_stmt_1__" already
    exists``), so it is off there; asyncpg then sends each query's Parse with its Bind."""
    return {"statement_cache_size": 0} if pooler == "transaction" else {}


def server_settings(settings: DatabaseSettings, pooler: Pooler) -> dict[str, str]:
    """Startup parameters of the pool's connections. Directly connected, ``statement_timeout`` is
    one: the server enforces it on every statement at no cost per request. A pooler refuses it
    (``unsupported startup parameter: statement_timeout``; ``application_name`` it understands), so
    there statements are bounded one by one instead (``command_timeout_s``)."""
    if pooler == "none":
        return {
            "application_name": "codeflash-engine",
            "statement_timeout": str(settings.statement_timeout_ms),
        }
    return {"application_name": "codeflash-engine"}


@frozen
class Database:
    """The service's connection pool; use ``connection()`` so outages surface as one error type."""

    pool: Any
    description: str
    embedded: bool
    acquire_timeout_s: float
    statement_timeout_ms: int

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Any]:
        """A pooled connection; each statement commits on its own (use ``transaction()`` for
        several together). Connection failures, here or in the block, raise
        ``DatabaseUnavailableError``. The time spent counts as ``db`` in the request's
        ``Server-Timing`` header."""
        try:
            with timed("db"):
                async with self.pool.acquire(timeout=self.acquire_timeout_s) as conn:
                    yield conn
        except UNAVAILABLE_ERRORS as exc:
            raise DatabaseUnavailableError(f"database unavailable: {type(exc).__name__}") from exc

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Any]:
        """A pooled connection inside one transaction, committed when the block ends and rolled back
        if it raises (``conn.transaction()`` within it is a savepoint), with the statement timeout
        ``SET LOCAL``, which a pooler keeps for exactly this transaction."""
        async with self.connection() as conn, conn.transaction():
            await queries.set_local_statement_timeout(conn, self.statement_timeout_ms)
            yield conn


def describe_url(url: str) -> str:
    """``postgresql://host:port/db`` without user or password, for logs."""
    parts = urlsplit(url)
    host = parts.hostname or "local socket"
    port = f":{parts.port}" if parts.port else ""
    return f"PostgreSQL at {host}{port}{parts.path or '/'}"


def _start_embedded(pgdata: Path) -> Any:
    # Imported here: only the embedded mode needs it. Its import warns when XDG_RUNTIME_DIR is unset
    # (containers, cron) and falls back to a usable directory, so the warning only adds noise.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        from pgserver.postgres_server import get_server

    # pgserver logs every pg_ctl command line and its output at INFO; only its problems matter here.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    return get_server(pgdata, cleanup_mode="stop")


@asynccontextmanager
async def database_target(settings: DatabaseSettings) -> AsyncIterator[DatabaseTarget]:
    """Resolve the database to use, starting (and afterwards releasing) the embedded one if needed."""
    if settings.url is not None:
        url = settings.url.get_secret_value()
        yield DatabaseTarget(
            dsn=url,
            description=describe_url(url),
            embedded=False,
            pooler=resolve_pooler(settings, embedded=False),
        )
        return
    pgdata = settings.embedded_pgdata
    server = await anyio.to_thread.run_sync(_start_embedded, pgdata)
    try:
        yield DatabaseTarget(
            dsn=server.get_uri(),
            description=f"embedded PostgreSQL in {pgdata}",
            embedded=True,
            pooler=resolve_pooler(settings, embedded=True),
        )
    finally:
        # Stops the server only if no other process still uses it.
        await anyio.to_thread.run_sync(server.cleanup)


async def run_migrations(dsn: str, settings: DatabaseSettings, *, embedded: bool = False) -> list[Migration]:
    """Apply pending migrations on a dedicated connection, without the pool's statement timeout."""
    conn = await asyncpg.connect(
        dsn,
        timeout=settings.connect_timeout_s,
        server_settings={"application_name": "codeflash-engine migrate"},
        **statement_cache(resolve_pooler(settings, embedded=embedded)),
    )
    try:
        return await apply_migrations(conn)
    finally:
        await conn.close()


async def _init_connection(conn: Any) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(type_name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


def command_timeout_s(settings: DatabaseSettings) -> float | None:
    """How long the client waits for any one query's answer: the statement timeout plus
    ``CODEFLASH_DB_CONNECT_TIMEOUT_S`` for the round trip; at it asyncpg cancels the query on the
    server (a pooler forwards the cancel) and the request gets 503. ``None`` (no bound) when the
    statement timeout is off.

    Directly connected, and in every explicit transaction, the server's statement timeout normally
    ends a slow query first, with a clear error; this bounds the wait when no answer can arrive at
    all (a network that drops packets, a server that stopped responding), which the server cannot.
    Through a pooler it is what bounds a statement outside a transaction: no session carries a
    statement timeout there, and wrapping every statement in a transaction to ``SET LOCAL`` one
    would hold its row locks (a key's rate-limit window) for two more round trips, serializing one
    key's concurrent requests."""
    if settings.statement_timeout_ms == 0:
        return None
    return settings.statement_timeout_ms / 1000 + settings.connect_timeout_s


async def _keep_as_is(conn: Any) -> None:
    """The pool's reset on release. asyncpg's default (``RESET ALL``, ``UNLISTEN *``, unlocking
    session advisory locks) undoes session state, of which the service has none; behind a
    transaction pooler it would only cost a round trip and reset whichever server connection it
    landed on. An open transaction is still rolled back by the pool before this runs."""


async def create_pool(dsn: str, settings: DatabaseSettings, pooler: Pooler) -> Any:
    return await asyncpg.create_pool(
        dsn,
        min_size=min(settings.pool_min_size, settings.pool_max_size),
        max_size=settings.pool_max_size,
        timeout=settings.connect_timeout_s,
        command_timeout=command_timeout_s(settings),
        init=_init_connection,
        reset=_keep_as_is,
        server_settings=server_settings(settings, pooler),
        **statement_cache(pooler),
    )


async def close_pool(pool: Any) -> None:
    try:
        await asyncio.wait_for(pool.close(), timeout=POOL_CLOSE_TIMEOUT_S)
    except TimeoutError:
        logger.warning("database connections still busy at shutdown; terminating them")
        pool.terminate()


# Errors that mean "not reachable yet" (a database still starting, a network blip), worth waiting out
# at start-up; a refused login or a missing database is not, and fails at once.
_STARTUP_RETRYABLE: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.ConnectionDoesNotExistError,
)


async def _connect_with_backoff(
    target: DatabaseTarget, settings: DatabaseSettings, wait_s: float, migrate: bool
) -> Any:
    """Migrate (if asked) and open the pool, retrying with exponential backoff for ``wait_s`` seconds."""
    deadline = asyncio.get_running_loop().time() + wait_s
    delay = 0.25
    attempt = 1
    while True:
        try:
            if migrate:
                await run_migrations(target.dsn, settings, embedded=target.embedded)
            return await create_pool(target.dsn, settings, target.pooler)
        except _STARTUP_RETRYABLE as exc:
            remaining = deadline - asyncio.get_running_loop().time()
            reason = f"{type(exc).__name__}: {exc}"
            if remaining <= 0:
                raise DatabaseUnavailableError(
                    f"cannot reach the database ({target.description}) after {attempt} "
                    f"attempt{'s' if attempt > 1 else ''} in {wait_s:g} s: {reason}"
                ) from exc
            logger.warning(
                "database not reachable yet; retrying",
                database=target.description,
                attempt=attempt,
                retry_in_s=round(min(delay, remaining), 2),
                error=reason,
            )
            await asyncio.sleep(min(delay, remaining))
            delay = min(delay * 2, 5.0)
            attempt += 1


@asynccontextmanager
async def open_database(
    settings: DatabaseSettings, *, migrate: bool | None = None, wait_s: float | None = None
) -> AsyncIterator[Database]:
    """Resolve the database, apply pending migrations (unless turned off) and open the pool.

    An unreachable database is retried with backoff for ``wait_s`` seconds (default
    ``CODEFLASH_DB_STARTUP_WAIT_S``), so instances started together with their database wait for it;
    after that, start-up fails: an instance that cannot authenticate anybody should not serve.
    """
    async with database_target(settings) as target:
        logger.info(
            "using database", database=target.description, embedded=target.embedded, pooler=target.pooler
        )
        should_migrate = settings.migrate_on_startup if migrate is None else migrate
        pool = await _connect_with_backoff(
            target, settings, settings.startup_wait_s if wait_s is None else wait_s, should_migrate
        )
        try:
            yield Database(
                pool=pool,
                description=target.description,
                embedded=target.embedded,
                acquire_timeout_s=settings.connect_timeout_s,
                statement_timeout_ms=settings.statement_timeout_ms,
            )
        finally:
            await close_pool(pool)
