"""``codeflash-engine traces list`` and ``traces show``: the console's data in the terminal."""

import json

from click.testing import CliRunner

from codeflash_engine.cli.main import cli

from .conftest import Console, make_trace


def env(console: Console) -> dict[str, str]:
    database = console.settings.database
    assert database.url is not None
    return {"DATABASE_URL": database.url.get_secret_value(), "CODEFLASH_DATA_DIR": str(database.data_dir)}


def test_traces_list_and_show(console: Console) -> None:
    trace_id = make_trace(console)
    runner = CliRunner()

    listed = runner.invoke(cli, ["traces", "list", "--user", "dev@example.com"], env=env(console))
    assert listed.exit_code == 0, listed.output
    header, *rows = listed.stdout.splitlines()
    assert header.split()[:3] == ["LAST", "ACTIVITY", "TRACE"]
    assert any(trace_id in row and "dev@example.com" in row and "1/2" in row for row in rows)

    as_json = runner.invoke(cli, ["traces", "list", "--json", "--limit", "1"], env=env(console))
    [latest] = json.loads(as_json.stdout)
    assert latest["trace_id"] == trace_id and latest["llm_calls"] == 3 and latest["cost_usd"] > 0

    shown = runner.invoke(cli, ["traces", "show", trace_id], env=env(console))
    assert shown.exit_code == 0, shown.output
    assert "LLM calls: 3" in shown.stdout and "candidates: 3" in shown.stdout
    assert "deduplicate" in shown.stdout and "extract" in shown.stdout and "dropped" in shown.stdout

    detail = json.loads(runner.invoke(cli, ["traces", "show", trace_id, "--json"], env=env(console)).stdout)
    assert {c["step"] for c in detail["candidates"]} == {None, "deduplicate", "extract"}

    missing = runner.invoke(cli, ["traces", "show", "no-such-trace"], env=env(console))
    assert missing.exit_code == 1 and "no trace 'no-such-trace'" in missing.output


def test_keys_create_role_admin_prints_a_key_that_opens_the_console(console: Console) -> None:
    created = CliRunner().invoke(
        cli, ["keys", "create", "--email", "cli-ops@example.com", "--role", "admin"], env=env(console)
    )
    assert created.exit_code == 0, created.output
    *report, key = created.stdout.strip().splitlines()
    assert "role admin" in report[0] and key.startswith("cf-") and key not in "\n".join(report)
    answer = console.client.get("/console/api/traces", headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 200
    listed = CliRunner().invoke(cli, ["keys", "list", "--email", "cli-ops@example.com"], env=env(console))
    assert "admin" in listed.stdout and key not in listed.stdout
