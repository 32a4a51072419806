"""``codeflash-engine plugins``: what would load, with the same settings the service uses."""

import json

import click

from codeflash_engine.observability.logging import configure_logging
from codeflash_engine.plugins import load_plugin_host
from codeflash_engine.settings import Settings

COLUMNS = ("name", "entry_point", "version", "status", "languages", "error")


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print the plugin records as JSON.")
def plugins_command(as_json: bool) -> None:
    """List installed language plugins and whether they load."""
    settings = Settings()
    configure_logging(settings.http.model_copy(update={"log_level": "ERROR"}))
    host = load_plugin_host(settings.plugins)
    records = [record.to_json() for record in host.records]
    if as_json:
        click.echo(json.dumps(records, indent=2))
        return
    if not records:
        click.echo("no plugins installed")
        return
    rows = [
        {**record, "languages": ",".join(record["languages"]) or "-", "error": record["error"] or ""}
        for record in records
    ]
    widths = {column: max(len(column), *(len(str(row[column])) for row in rows)) for column in COLUMNS}
    click.echo("  ".join(column.upper().ljust(widths[column]) for column in COLUMNS).rstrip())
    for row in rows:
        click.echo("  ".join(str(row[column]).ljust(widths[column]) for column in COLUMNS).rstrip())
