"""A key's life through the CLI and the HTTP API; the plaintext never reaches the database or logs."""

import asyncio
import hashlib
import logging
from pathlib import Path

import asyncpg
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from codeflash_engine.cli.main import cli
from codeflash_engine.settings import HTTPSettings, Settings
from tests.auth import protected_app


async def database_dump(url: str) -> str:
    """Every row of every table, as text."""
    conn = await asyncpg.connect(url)
    try:
        tables = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        dumps = [
            await conn.fetchval(f"SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM {row[0]} t")
            for row in tables
        ]
        return "\n".join(dumps)
    finally:
        await conn.close()


async def stored_hashes(url: str) -> list[str]:
    conn = await asyncpg.connect(url)
    try:
        return [row[0] for row in await conn.fetch("SELECT key_hash FROM cf_api_keys")]
    finally:
        await conn.close()


def test_key_lifecycle_through_cli_and_http(
    database_url: str,
    engine_settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    runner = CliRunner()
    env = {"DATABASE_URL": database_url, "CODEFLASH_DATA_DIR": str(tmp_path)}

    created = runner.invoke(
        cli, ["keys", "create", "--email", "Dev@Example.com", "--tier", "pro", "--org", "Acme"], env=env
    )
    assert created.exit_code == 0, created.output
    *report, key = created.stdout.strip().splitlines()
    assert key.startswith("cf-") and len(key) >= 35
    assert not any(key in line for line in report)
    assert f"(cf-…{key[-4:]}) for dev@example.com, tier pro, organization Acme" in report[0]

    assert asyncio.run(stored_hashes(database_url)) == [hashlib.sha384(key.encode()).hexdigest()]

    listed = runner.invoke(cli, ["keys", "list", "--email", "dev@example.com"], env=env)
    assert listed.exit_code == 0
    assert f"cf-…{key[-4:]}" in listed.stdout and "active" in listed.stdout
    assert key not in listed.stdout

    settings = engine_settings.model_copy(update={"http": HTTPSettings(CODEFLASH_LOG_LEVEL="DEBUG")})
    app = protected_app.create_protected_app(settings)
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {key}"}
        assert client.get("/ai/test-whoami", headers=headers).status_code == 200
        assert client.post("/ai/test-optimize", headers=headers).status_code == 200

        revoked = runner.invoke(cli, ["keys", "revoke", key[-4:]], env=env)
        assert revoked.exit_code == 0, revoked.output
        assert f"revoked key 1 (cf-…{key[-4:]}) of dev@example.com" in revoked.stdout
        # The CLI quiets the root logger to WARNING in this same process; listen at DEBUG again.
        caplog.set_level(logging.DEBUG)

        response = client.get("/ai/test-whoami", headers=headers)
        assert response.status_code == 401
        assert response.json() == {"error": f"invalid or revoked API key (cf-…{key[-4:]})"}

    again = runner.invoke(cli, ["keys", "revoke", key[-4:]], env=env)
    assert again.exit_code == 1
    assert "no active key" in again.output

    secret = key.removeprefix("cf-")
    dump = asyncio.run(database_dump(database_url))
    assert "dev@example.com" in dump  # the dump does cover the tables
    assert secret not in dump
    captured = capfd.readouterr()
    logs = caplog.text + captured.out + captured.err
    assert "rejected unknown or revoked API key" in logs  # logging was captured at DEBUG
    assert secret not in logs


def test_revoke_refuses_an_ambiguous_suffix(database_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": database_url, "CODEFLASH_DATA_DIR": str(tmp_path)}
    for _ in range(2):
        assert runner.invoke(cli, ["keys", "create", "--email", "a@example.com"], env=env).exit_code == 0

    async def give_both_keys_the_same_suffix() -> None:
        conn = await asyncpg.connect(database_url)
        try:
            await conn.execute("UPDATE cf_api_keys SET suffix = 'abcd'")
        finally:
            await conn.close()

    asyncio.run(give_both_keys_the_same_suffix())
    ambiguous = runner.invoke(cli, ["keys", "revoke", "cf-…abcd"], env=env)
    assert ambiguous.exit_code == 1
    assert "2 active keys match" in ambiguous.output and "ids 1, 2" in ambiguous.output
    by_id = runner.invoke(cli, ["keys", "revoke", "2"], env=env)
    assert by_id.exit_code == 0
    listed = runner.invoke(cli, ["keys", "list"], env=env).stdout.splitlines()
    assert listed[1].startswith("1 ") and listed[1].endswith("active")
    assert listed[2].startswith("2 ") and " revoked " in listed[2]
