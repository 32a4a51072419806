"""The one place that says which client versions our instrumented-test format is written for.

The released Python client (0.20.6) does not instrument generated tests itself: it writes the
``instrumented_*`` strings to disk and parses what they record. That format is internal to the client,
so it is pinned here. A later client that instruments locally can be served raw tests only by
answering ``False`` from :func:`client_needs_instrumented_tests` for it.
"""

from typing import Final

# Bump when the recorded format (markers, sqlite schema, env vars, placeholder) changes.
INSTRUMENTATION_FORMAT: Final = "codeflash-python-instrumented/1"

# The client versions whose parser this format was verified against (tests/testgen e2e test).
VERIFIED_CLIENT_VERSIONS: Final = ("0.20.6",)

# Placeholder the client substitutes (``str.replace``) with its run tmp dir before writing the files.
RUN_TMP_DIR_PLACEHOLDER: Final = "{codeflash_run_tmp_dir_client_side}"

# Environment variables the client sets for every test process / loop.
LOOP_INDEX_ENV: Final = "CODEFLASH_LOOP_INDEX"
TEST_ITERATION_ENV: Final = "CODEFLASH_TEST_ITERATION"
# Async targets: the client decorates the function itself and reads the call site from this variable.
CURRENT_LINE_ID_ENV: Final = "CODEFLASH_CURRENT_LINE_ID"

# sqlite file (relative to the run tmp dir) and table the client reads behaviour results from.
RESULTS_FILE_TEMPLATE: Final = "test_return_values_{iteration}.sqlite"
RESULTS_TABLE: Final = "test_results"
RESULTS_COLUMNS: Final = (
    ("test_module_path", "TEXT"),
    ("test_class_name", "TEXT"),
    ("test_function_name", "TEXT"),
    ("function_getting_tested", "TEXT"),
    ("loop_index", "INTEGER"),
    ("iteration_id", "TEXT"),
    ("runtime", "INTEGER"),
    ("return_value", "BLOB"),
    ("verification_type", "TEXT"),
)
# ``VerificationType.FUNCTION_CALL`` in the client.
VERIFICATION_FUNCTION_CALL: Final = "function_call"

# stdout markers: start ``!$######<tag>######$!`` + newline, end ``!######<tag>[:<runtime ns>]######!``,
# tag = ``<test module>:<Class.>?<test function>:<function tested>:<loop index>:<invocation id>``.
START_MARKER_OPEN: Final = "!$######"
START_MARKER_CLOSE: Final = "######$!"
END_MARKER_OPEN: Final = "!######"
END_MARKER_CLOSE: Final = "######!"


# First client version that instruments generated Python tests itself (then the service sends raw
# tests in all three fields). ``None``: no such client is known; every released one needs ours.
CLIENT_INSTRUMENTS_LOCALLY_FROM: Final[tuple[int, ...] | None] = None


def _version_tuple(version: str) -> tuple[int, ...]:
    parts: list[int] = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def client_needs_instrumented_tests(codeflash_version: str | None) -> bool:
    """Whether a client of this version needs the service to instrument Python tests.

    Unknown or missing versions get instrumented tests: an uninstrumented answer makes every
    released client fail, while an instrumented one is merely ignored by a client that does not need it.
    """
    if CLIENT_INSTRUMENTS_LOCALLY_FROM is None or not codeflash_version:
        return True
    parsed = _version_tuple(codeflash_version)
    return not parsed or parsed < CLIENT_INSTRUMENTS_LOCALLY_FROM
