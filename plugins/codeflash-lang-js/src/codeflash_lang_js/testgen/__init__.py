"""Generated tests: a complete test file the client can rewrite, instrument and run."""

from codeflash_lang_js.testgen.pipeline import postprocess_tests

__all__ = ["postprocess_tests"]
