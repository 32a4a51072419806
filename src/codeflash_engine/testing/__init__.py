"""Test utilities for the engine and for plugin authors (install ``codeflash-engine[testing]``)."""
