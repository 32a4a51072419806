"""Toy-specific behaviour, through the engine's harness fixtures."""

from collections.abc import Sequence
from typing import Any

import pytest
from codeflash_lang_toy import plugin

from codeflash_engine.domain import Diagnostic, Severity, SourceFile, Task, TaskRequest
from codeflash_engine.errors import UnsupportedTaskError
from codeflash_engine.hookspecs import hookimpl
from codeflash_engine.plugins import PluginHost
from codeflash_engine.testing import HookRecorder, assert_plugin_installed


@pytest.fixture
def codeflash_plugins() -> tuple[object, ...]:
    return (plugin,)


def request_for(code: str, task: Task = Task.OPTIMIZE) -> TaskRequest:
    return TaskRequest(
        task=task, language="toy", trace_id="t", files=(SourceFile(path="src/main.toy", code=code),)
    )


def test_the_entry_point_loads() -> None:
    record = assert_plugin_installed("codeflash-lang-toy")
    assert record.languages == ("toy",)
    assert record.module == "codeflash_lang_toy.plugin"


@pytest.mark.parametrize(
    ("code", "line", "column", "message"),
    [
        ("let x = 1\nlet y = (x + 2", 2, 15, "expected ')', found the end of the line"),
        ("fn f(a, b) = a $ b", 1, 16, "unexpected character '$'"),
        ("let let = 3", 1, 5, "'let' is a keyword"),
        ("print(3)", 1, 1, "a statement starts with fn, let or assert, not 'print'"),
        ("assert f(2) = 4", 1, 13, "expected '==', found '='"),
    ],
)
def test_syntax_errors_have_their_position(
    codeflash_host: PluginHost, code: str, line: int, column: int, message: str
) -> None:
    request = request_for(code)
    [diagnostic] = codeflash_host.for_language("toy").validate(request, request.files)
    assert (diagnostic.line, diagnostic.column, diagnostic.message) == (line, column, message)


def test_jit_rewrite_is_refused_as_unsupported(codeflash_host: PluginHost) -> None:
    with pytest.raises(UnsupportedTaskError):
        codeflash_host.for_language("toylang").build_context(request_for("let x = 1", Task.JIT_REWRITE))


def test_the_recorder_sees_which_plugin_answered(
    codeflash_host: PluginHost, codeflash_hook_recorder: HookRecorder
) -> None:
    request = request_for("let x = 1")
    codeflash_host.for_language("toy").validate(request, request.files)
    call = codeflash_hook_recorder.assert_called("validate", language="toy")
    assert call.plugin == "codeflash_lang_toy.plugin"
    assert call.result == [[]]
    assert call.duration >= 0


class NoMagicNumbers:
    """A generic plugin (no language of its own): its diagnostics join the owner's."""

    @hookimpl
    def validate(self, request: TaskRequest, files: Sequence[SourceFile]) -> list[Diagnostic]:
        return [
            Diagnostic("magic number 42", path=file.path, severity=Severity.WARNING)
            for file in files
            if "42" in file.code
        ]


def test_a_generic_plugin_registered_for_one_test_adds_diagnostics(
    codeflash_host: PluginHost, codeflash_register: object
) -> None:
    request = request_for("let answer = 42")
    assert codeflash_host.for_language("toy").validate(request, request.files) == []
    codeflash_register(NoMagicNumbers())  # type: ignore[operator]
    [warning] = codeflash_host.for_language("toy").validate(request, request.files)
    assert warning.severity is Severity.WARNING


def test_the_service_lists_toy(codeflash_sync_client: "object") -> None:
    body = codeflash_sync_client.get("/plugins").json()  # type: ignore[attr-defined]
    assert body["languages"] == ["toy"]
    [record] = body["plugins"]
    assert record["status"] == "loaded"


class TestWithoutADatabase:
    """The app on no database: the harness's client sends the one key it accepts, and what the
    service would have stored (LLM calls, errors, features) is kept in ``resources.recorded``."""

    @pytest.fixture
    def codeflash_use_database(self) -> bool:
        return False

    @pytest.mark.asyncio
    async def test_optimize_is_recorded_in_memory(
        self, codeflash_fake_llm: Any, codeflash_client: Any, codeflash_app: Any
    ) -> None:
        codeflash_fake_llm.reply("Double it once.\n```toy:src/a.toy\nfn f(n) = n * 2\n```")
        response = await codeflash_client.post(
            "/ai/optimize",
            json={
                "trace_id": "toy-trace-1",
                "language": "toy",
                "n_candidates": 1,
                "source_code": "```toy:src/a.toy\nfn f(n) = n + n\n```",
            },
        )
        assert response.status_code == 200, response.text
        resources = codeflash_app.state.resources
        await resources.recorder.flush()  # the recorder writes in the background
        [call] = resources.recorded.llm_calls
        assert (call.trace_id, call.endpoint, call.status) == ("toy-trace-1", "/ai/optimize", "ok")
