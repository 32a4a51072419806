"""codeflash-lang-java: a language plugin for codeflash-engine."""
