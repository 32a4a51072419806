"""The harness helpers behave as documented (they are what plugin authors build on)."""

from collections.abc import Sequence
from types import SimpleNamespace

import pluggy
import pytest
from codeflash_lang_python import plugin as python_plugin

from codeflash_engine.domain import Diagnostic, SourceFile, Task, TaskRequest
from codeflash_engine.errors import InvalidCodeError
from codeflash_engine.hookspecs import hookimpl
from codeflash_engine.plugins import PluginHost, PluginStatus
from codeflash_engine.testing import (
    HookRecorder,
    assert_plugin_installed,
    harness_settings,
    make_plugin_host,
    registered,
)


def python_request(code: str = "x = 1\n") -> TaskRequest:
    return TaskRequest(
        task=Task.OPTIMIZE, language="python", trace_id="t", files=(SourceFile(path="a.py", code=code),)
    )


class Strict:
    """A generic validator that refuses everything it is shown, for the recorder's error path."""

    @hookimpl
    def validate(self, request: TaskRequest, files: Sequence[SourceFile]) -> list[Diagnostic]:
        raise InvalidCodeError("refused")


def test_assert_plugin_installed_returns_the_loaded_record() -> None:
    record = assert_plugin_installed("codeflash-lang-python")
    assert record.status is PluginStatus.LOADED
    assert record.languages == ("python",)
    assert record.module == "codeflash_lang_python.plugin"


def test_assert_plugin_installed_fails_for_a_missing_distribution() -> None:
    with pytest.raises(AssertionError, match="codeflash-lang-cobol has no entry point"):
        assert_plugin_installed("codeflash-lang-cobol")


def test_harness_settings_ignore_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEFLASH_DISABLE_PLUGINS", "python")
    monkeypatch.setenv("CODEFLASH_PLUGIN_ISOLATION", "process")
    settings = harness_settings()
    assert settings.plugins.disable_plugins == ()
    assert settings.plugins.isolation == "thread"
    assert settings.plugins.strict is True


def test_make_plugin_host_ignores_installed_plugins_unless_asked() -> None:
    assert make_plugin_host().languages == ()
    assert "python" in make_plugin_host(entry_points=True).languages


def test_registered_unregisters_at_the_end() -> None:
    host = make_plugin_host(python_plugin)
    hooks = host.for_language("python")
    with registered(host.manager, Strict()), pytest.raises(InvalidCodeError):
        hooks.validate(python_request(), python_request().files)
    assert hooks.validate(python_request(), python_request().files) == []


def test_registered_refuses_a_language_plugin_and_unknown_hooks() -> None:
    manager = make_plugin_host().manager
    with pytest.raises(ValueError, match="generic plugins only"), registered(manager, python_plugin):
        pass
    misspelt = SimpleNamespace(validat=hookimpl(lambda request, files: []))
    with pytest.raises(ValueError, match="unknown hooks: validat"), registered(manager, misspelt):
        pass
    assert manager.get_plugins() == set()


def test_the_recorder_records_results_errors_and_plugins(
    codeflash_host: PluginHost, codeflash_hook_recorder: HookRecorder, codeflash_register: object
) -> None:
    hooks = codeflash_host.for_language("python")
    hooks.validate(python_request("def f(:\n"), python_request().files)
    ok = codeflash_hook_recorder.assert_called("validate", language="python")
    assert ok.plugins == ("codeflash_lang_python.plugin",)
    assert ok.result == [[]]
    assert ok.error is None
    codeflash_register(Strict(), name="strict")  # type: ignore[operator]
    with pytest.raises(InvalidCodeError):
        hooks.validate(python_request(), python_request().files)
    failed = codeflash_hook_recorder.getcalls("validate")[-1]
    assert failed.plugins == ("strict", "codeflash_lang_python.plugin")
    assert isinstance(failed.error, InvalidCodeError)
    with pytest.raises(AssertionError, match="no call of validate matching"):
        codeflash_hook_recorder.assert_called("validate", language="java")


@pytest.fixture
def codeflash_plugins() -> tuple[object, ...]:
    return (python_plugin,)


def test_the_recorder_stops_at_close() -> None:
    manager = pluggy.PluginManager("codeflash_engine")
    recorder = HookRecorder()
    recorder.attach(manager)
    recorder.close()
    host = make_plugin_host(python_plugin)
    recorder.attach(host.manager)
    host.for_language("python").validate(python_request(), python_request().files)
    recorder.close()
    host.for_language("python").validate(python_request(), python_request().files)
    assert len(recorder.getcalls("validate")) == 1


@pytest.mark.asyncio
async def test_the_async_client_runs_the_lifespan(codeflash_client: object) -> None:
    response = await codeflash_client.get("/healthcheck")  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.json()["languages"] == ["python"]
