"""The shipped pytest plugin must be harmless to projects that never ask for its fixtures."""

import inspect

import pytest

from codeflash_engine.testing import pytest_plugin


def test_no_fixture_is_autouse() -> None:
    fixtures = [
        value
        for name, value in inspect.getmembers(pytest_plugin)
        if name.startswith("codeflash_") and callable(value)
    ]
    assert len(fixtures) >= 10
    for fixture in fixtures:
        definition = getattr(fixture, "_fixture_function_marker", None) or fixture._pytestfixturefunction
        assert definition.autouse is False, fixture


def test_a_project_not_using_the_fixtures_imports_none_of_the_engine(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys

        def test_engine_not_imported(request):
            assert "codeflash_engine.testing.pytest_plugin" in sys.modules
            heavy = [m for m in ("fastapi", "codeflash_engine.plugins", "codeflash_engine.http")
                     if m in sys.modules]
            assert heavy == []
            assert not [name for name in request.fixturenames if name.startswith("codeflash_")]
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_fixtures_are_listed_for_a_project(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider")
    for name in ("codeflash_host", "codeflash_client", "codeflash_hook_recorder", "codeflash_register"):
        result.stdout.fnmatch_lines([f"{name}*"])
