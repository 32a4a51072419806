"""An embedded PostgreSQL for a test session, and a fresh migrated database per test.

The service authenticates every ``/ai/*`` call against its database, so the harness gives each app
a database of its own: created from a migrated template (one ``CREATE DATABASE``, no migration
per test) on one embedded server started once per session.
"""

import asyncio
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from codeflash_engine.db.connect import run_migrations
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.testing.settings import env_free

TEMPLATE = "codeflash_harness_template"


class EmbeddedPostgres:
    """One embedded server; ``database()`` yields the settings of a fresh migrated database."""

    def __init__(self, server: Any, root: Path) -> None:
        self._server = server
        self.root = root

    def settings_for(self, url: str) -> DatabaseSettings:
        return env_free(DatabaseSettings, url=url, data_dir=self.root / "data", pool_max_size=5)

    @contextmanager
    def database(self) -> Iterator[DatabaseSettings]:
        name = f"harness_{uuid.uuid4().hex[:16]}"
        self._server.psql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE};")
        try:
            yield self.settings_for(self._server.get_uri(name))
        finally:
            self._server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")


@contextmanager
def embedded_postgres() -> Iterator[EmbeddedPostgres]:
    # Not under pytest's basetemp: another pytest run on the machine may prune it mid-session.
    root = Path(tempfile.mkdtemp(prefix="codeflash-harness-"))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        from pgserver.postgres_server import get_server

    server = get_server(root / "pgdata", cleanup_mode="delete")
    try:
        server.psql(f"CREATE DATABASE {TEMPLATE};")
        postgres = EmbeddedPostgres(server, root)
        template_url = server.get_uri(TEMPLATE)
        # Outside any running event loop: the fixture may be set up from within an async test.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(
                asyncio.run, run_migrations(template_url, postgres.settings_for(template_url))
            ).result()
        yield postgres
    finally:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)
