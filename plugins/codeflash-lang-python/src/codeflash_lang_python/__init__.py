"""codeflash-lang-python: a language plugin for codeflash-engine."""
