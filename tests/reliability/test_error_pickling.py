"""Errors raised in hook worker processes survive the trip back to the server (pickling)."""

import pickle

import pytest

from codeflash_engine.errors import InvalidCodeError, LanguageNotImplementedError
from codeflash_engine.plugins.errors import PluginHookError, PluginReturnedNothingError, UnknownLanguageError


@pytest.mark.parametrize(
    "error",
    [
        PluginHookError("cf-x", "build_context", "RuntimeError: boom"),
        PluginReturnedNothingError("cf-x", "extract_code", "returned nothing"),
        UnknownLanguageError("cobol", ("python", "java")),
        InvalidCodeError("line 1: invalid syntax"),
        LanguageNotImplementedError("not yet"),
    ],
    ids=type,
)
def test_plugin_errors_round_trip_through_pickle(error: Exception) -> None:
    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)
