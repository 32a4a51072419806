"""Go support for codeflash-engine."""
