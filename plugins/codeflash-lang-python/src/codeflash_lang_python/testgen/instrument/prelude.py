"""The helper code we put at the top of an instrumented test module.

It is Python source text (not an AST) because it runs on the client's interpreter: it sticks to syntax
from Python 3.8 and to modules every codeflash client has (``dill`` is a dependency of the client).
All names start with ``_codeflash_`` so they cannot collide with the test's own names, and the helper
takes its bookkeeping arguments positionally-only so any keyword of the function under test passes through.
"""

from typing import Final

import libcst as cst

from codeflash_lang_python.testgen import format_version as fmt
from codeflash_lang_python.testgen.target import TestgenTarget

# The helper every wrapped call goes through:
# ``_codeflash_call(test_class, test_name, line_id, function, *args, **kwargs)``.
CALL_HELPER: Final = "_codeflash_call"
# Alias under which async-instrumented tests reach ``os``.
OS_ALIAS: Final = "_codeflash_os"

_CREATE_TABLE = "CREATE TABLE IF NOT EXISTS {table} ({columns})".format(
    table=fmt.RESULTS_TABLE, columns=", ".join(f"{name} {kind}" for name, kind in fmt.RESULTS_COLUMNS)
)
_INSERT = "INSERT INTO {table} VALUES ({marks})".format(
    table=fmt.RESULTS_TABLE, marks=", ".join("?" for _ in fmt.RESULTS_COLUMNS)
)
_RESULTS_FILE_PREFIX, _RESULTS_FILE_SUFFIX = fmt.RESULTS_FILE_TEMPLATE.split("{iteration}")

# Shared by both modes: identify the invocation and time the call with the collector off.
_COMMON = """
import gc as _codeflash_gc
import os as _codeflash_os
import time as _codeflash_time

_CODEFLASH_TEST_MODULE = {test_module!r}
_CODEFLASH_FUNCTION = {function!r}
_codeflash_invocations = {{}}


def _codeflash_invocation(test_class, test_name, line_id):
    loop_index = int(_codeflash_os.environ[{loop_env!r}])
    key = (test_class, test_name, line_id, loop_index)
    count = _codeflash_invocations.get(key, 0)
    _codeflash_invocations[key] = count + 1
    invocation_id = line_id + "_" + str(count)
    test = (test_class + "." if test_class else "") + test_name
    tag = ":".join((_CODEFLASH_TEST_MODULE, test, _CODEFLASH_FUNCTION, str(loop_index), invocation_id))
    return loop_index, invocation_id, tag


def _codeflash_timed(function, args, kwargs):
    collecting = _codeflash_gc.isenabled()
    _codeflash_gc.disable()
    started = _codeflash_time.perf_counter_ns()
    try:
        return function(*args, **kwargs), None, _codeflash_time.perf_counter_ns() - started
    except Exception as error:
        return None, error, _codeflash_time.perf_counter_ns() - started
    finally:
        if collecting:
            _codeflash_gc.enable()
"""

_BEHAVIOR = """

import sqlite3 as _codeflash_sqlite3

import dill as _codeflash_dill

_CODEFLASH_RESULTS_DIR = {results_dir!r}
_codeflash_connections = {{}}


def _codeflash_results():
    iteration = _codeflash_os.environ[{iteration_env!r}]
    connection = _codeflash_connections.get(iteration)
    if connection is None:
        path = _CODEFLASH_RESULTS_DIR + "/" + {file_prefix!r} + iteration + {file_suffix!r}
        connection = _codeflash_sqlite3.connect(path)
        # Every call commits; skipping fsync keeps a thousand-call test fast and loses nothing on exit.
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute({create_table!r})
        _codeflash_connections[iteration] = connection
    return connection


def {helper}(test_class, test_name, line_id, function, /, *args, **kwargs):
    loop_index, invocation_id, tag = _codeflash_invocation(test_class, test_name, line_id)
    print({start_open!r} + tag + {start_close!r})
    result, error, duration = _codeflash_timed(function, args, kwargs)
    print({end_open!r} + tag + {end_close!r})
    recorded = _codeflash_dill.dumps(error if error is not None else result)
    connection = _codeflash_results()
    connection.execute(
        {insert!r},
        (_CODEFLASH_TEST_MODULE, test_class, test_name, _CODEFLASH_FUNCTION, loop_index, invocation_id,
         duration, recorded, {verification!r}),
    )
    connection.commit()
    if error is not None:
        raise error
    return result
"""

_PERFORMANCE = """


def {helper}(test_class, test_name, line_id, function, /, *args, **kwargs):
    _, _, tag = _codeflash_invocation(test_class, test_name, line_id)
    print({start_open!r} + tag + {start_close!r})
    result, error, duration = _codeflash_timed(function, args, kwargs)
    print({end_open!r} + tag + ":" + str(duration) + {end_close!r})
    if error is not None:
        raise error
    return result
"""

_ASYNC = f"import os as {OS_ALIAS}\n"


def _format(template: str, target: TestgenTarget) -> str:
    return template.format(
        test_module=target.test_module_path,
        function=target.qualified_name,
        loop_env=fmt.LOOP_INDEX_ENV,
        iteration_env=fmt.TEST_ITERATION_ENV,
        results_dir=fmt.RUN_TMP_DIR_PLACEHOLDER,
        file_prefix=_RESULTS_FILE_PREFIX,
        file_suffix=_RESULTS_FILE_SUFFIX,
        create_table=_CREATE_TABLE,
        insert=_INSERT,
        verification=fmt.VERIFICATION_FUNCTION_CALL,
        helper=CALL_HELPER,
        start_open=fmt.START_MARKER_OPEN,
        start_close=fmt.START_MARKER_CLOSE,
        end_open=fmt.END_MARKER_OPEN,
        end_close=fmt.END_MARKER_CLOSE,
    )


def _statements(source: str) -> list[cst.BaseStatement]:
    return list(cst.parse_module(source).body)


def behavior_prelude(target: TestgenTarget) -> list[cst.BaseStatement]:
    return _statements(_format(_COMMON + _BEHAVIOR, target))


def performance_prelude(target: TestgenTarget) -> list[cst.BaseStatement]:
    return _statements(_format(_COMMON + _PERFORMANCE, target))


def async_prelude() -> list[cst.BaseStatement]:
    """Async targets are timed by the client's own decorator; the test only names the call site."""
    return _statements(_ASYNC)
