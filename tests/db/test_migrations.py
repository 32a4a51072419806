"""Migrations: applied once, recorded, safe with two concurrent migrators, edits detected."""

import asyncio
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest
from click.testing import CliRunner

from codeflash_engine.cli.main import cli
from codeflash_engine.db import queries
from codeflash_engine.db.migrate import MigrationError, apply_migrations, load_migrations, migration_states

EXPECTED_TABLES = {
    "organizations",
    "users",
    "subscriptions",
    "cf_api_keys",
    "rate_limit_windows",
    "llm_calls",
    "optimization_errors",
    "optimization_features",
    # 0002_console
    "console_sessions",
    "requests",
    "candidates",
    "console_traces",
    "usage_daily",
    queries.MIGRATIONS_TABLE,
}
CLI = Path(sys.executable).with_name("codeflash-engine")


async def public_tables(conn: asyncpg.Connection) -> set[str]:
    rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {row[0] for row in rows}


def test_packaged_migrations_are_numbered_from_one() -> None:
    migrations = load_migrations()
    assert [migration.version for migration in migrations] == list(range(1, len(migrations) + 1))
    assert migrations[0].name == "initial"


async def test_migrations_apply_once_and_are_recorded(empty_database_url: str) -> None:
    conn = await asyncpg.connect(empty_database_url)
    try:
        assert [state.applied_at for state in await migration_states(conn)] == [None] * len(load_migrations())
        applied = await apply_migrations(conn)
        assert [m.version for m in applied] == [m.version for m in load_migrations()]
        assert await public_tables(conn) == EXPECTED_TABLES

        assert await apply_migrations(conn) == []
        recorded = await queries.applied_migrations(conn)
        assert [(r.version, r.checksum) for r in recorded] == [(m.version, m.checksum) for m in applied]
        assert all(state.applied_at and state.checksum_matches for state in await migration_states(conn))
    finally:
        await conn.close()


async def test_two_concurrent_migrators_apply_each_migration_once(empty_database_url: str) -> None:
    env = {"DATABASE_URL": empty_database_url, "PATH": "/usr/bin:/bin"}
    migrators = [
        await asyncio.create_subprocess_exec(
            CLI, "db", "migrate", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [await migrator.communicate() for migrator in migrators]
    assert [migrator.returncode for migrator in migrators] == [0, 0], outputs
    applied_lines = [
        line for stdout, _ in outputs for line in stdout.decode().splitlines() if line.startswith("applied ")
    ]
    assert applied_lines == [f"applied {m.version:04d}_{m.name}" for m in load_migrations()]

    conn = await asyncpg.connect(empty_database_url)
    try:
        assert [r.version for r in await queries.applied_migrations(conn)] == [
            m.version for m in load_migrations()
        ]
        assert await public_tables(conn) == EXPECTED_TABLES
    finally:
        await conn.close()


async def test_an_applied_migration_that_changed_is_refused(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(f"UPDATE {queries.MIGRATIONS_TABLE} SET checksum = 'edited' WHERE version = 1")
        with pytest.raises(MigrationError, match="changed after it was applied"):
            await apply_migrations(conn)
        assert not (await migration_states(conn))[0].checksum_matches
    finally:
        await conn.close()


def test_db_status_and_migrate_commands(empty_database_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": empty_database_url, "CODEFLASH_DATA_DIR": str(tmp_path)}
    before = runner.invoke(cli, ["db", "status"], env=env)
    assert before.exit_code == 0
    assert "0001_initial  pending" in before.stdout
    assert runner.invoke(cli, ["db", "migrate"], env=env).exit_code == 0
    after = runner.invoke(cli, ["db", "status"], env=env)
    assert "0001_initial  applied" in after.stdout
    assert after.stdout.strip().endswith(f"{len(load_migrations())} applied, 0 pending")


def test_cli_reports_an_unreachable_database(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"postgresql://nobody@/none?host={tmp_path}", "CODEFLASH_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(cli, ["db", "status"], env=env)
    assert result.exit_code == 1
    assert "cannot reach the database" in result.output
