"""The ``codeflash-engine`` command line."""

from codeflash_engine.cli.main import main

__all__ = ["main"]
