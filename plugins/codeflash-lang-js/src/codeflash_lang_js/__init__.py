"""codeflash-lang-js: a language plugin for codeflash-engine."""
