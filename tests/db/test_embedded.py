"""Without DATABASE_URL the service runs an embedded PostgreSQL that keeps its data across restarts."""

from pathlib import Path

import pytest
from structlog.testing import capture_logs

from codeflash_engine.db import open_database, queries
from codeflash_engine.db.settings import DatabaseSettings


@pytest.mark.slow
async def test_embedded_database_survives_a_restart(stable_tmp_path: Path) -> None:
    settings = DatabaseSettings(DATABASE_URL=None, CODEFLASH_DATA_DIR=stable_tmp_path / "data")
    pgdata = stable_tmp_path / "data" / "postgres"

    with capture_logs() as logs:
        async with open_database(settings) as database, database.connection() as conn:
            assert database.embedded
            await queries.get_or_create_organization(conn, "Acme")
    assert {
        "event": "using database",
        "database": f"embedded PostgreSQL in {pgdata}",
        "embedded": True,
        "pooler": "none",
        "log_level": "info",
    } in logs
    assert (pgdata / "PG_VERSION").exists()
    # Stopped when its last user closed it.
    assert not (pgdata / "postmaster.pid").exists()

    async with open_database(settings) as database, database.connection() as conn:
        names = [row["name"] for row in await conn.fetch("SELECT name FROM organizations")]
    assert names == ["Acme"]
