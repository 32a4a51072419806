"""Toy support for codeflash-engine: an example of a complete language plugin."""
