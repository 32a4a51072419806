"""Top-level command group; each sub-command lives in its own module."""

import click

from codeflash_engine import __version__
from codeflash_engine.cli.db import db_group
from codeflash_engine.cli.keys import keys_group
from codeflash_engine.cli.plugins import plugins_command
from codeflash_engine.cli.serve import serve_command
from codeflash_engine.cli.traces import traces_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="codeflash-engine")
def cli() -> None:
    """codeflash-engine: the AI service behind the codeflash CLI."""


cli.add_command(serve_command)
cli.add_command(plugins_command)
cli.add_command(db_group)
cli.add_command(keys_group)
cli.add_command(traces_group)


def main() -> None:
    cli()
