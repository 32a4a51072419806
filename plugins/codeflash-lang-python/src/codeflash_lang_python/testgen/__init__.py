"""Postprocessing and instrumentation of LLM-generated Python regression tests.

Entry point: :func:`postprocess_tests`, called by the plugin's ``postprocess`` hook for
``Task.TESTGEN`` and ``Task.TESTGEN_REPAIR``. The instrumented format is pinned in ``format_version``.
"""

from codeflash_lang_python.testgen.pipeline import (
    INSTRUMENTED_BEHAVIOR_TESTS,
    INSTRUMENTED_PERF_TESTS,
    RAW_GENERATED_TESTS,
    postprocess_tests,
)

__all__ = [
    "INSTRUMENTED_BEHAVIOR_TESTS",
    "INSTRUMENTED_PERF_TESTS",
    "RAW_GENERATED_TESTS",
    "postprocess_tests",
]
