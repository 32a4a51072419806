"""Per-language dispatch: a request only ever reaches the plugin that owns its language."""

import pytest

from codeflash_engine.domain import LLMReply, SourceFile, Task, TaskRequest
from codeflash_engine.errors import LanguageNotImplementedError
from codeflash_engine.plugins import PluginHookError, UnknownLanguageError, load_plugin_host
from codeflash_engine.settings import PluginSettings

pytestmark = pytest.mark.usefixtures("test_plugins_on_path")


def _request(language: str, code: str = "x = 1") -> TaskRequest:
    return TaskRequest(
        task=Task.OPTIMIZE, language=language, trace_id="trace", files=(SourceFile("main.src", code),)
    )


def test_a_broken_plugin_does_not_affect_another_language() -> None:
    host = load_plugin_host(PluginSettings(load_plugins=("cf-test-toy", "cf-test-exploding")))
    with pytest.raises(PluginHookError) as raised:
        host.for_language("exploding").validate(_request("exploding"), [SourceFile("a", "b")])
    assert (raised.value.plugin, raised.value.hook) == ("cf-test-exploding", "validate")

    toy = host.for_language("toylang")
    request = _request("toy", "ok\n!bang")
    assert [d.line for d in toy.validate(request, request.files)] == [2]
    assert toy.build_context(request).user == "ok\n!bang"
    assert toy.extract_code(request, LLMReply("faster", "m")).files == (SourceFile("main.src", "faster"),)


def test_a_hook_the_owner_does_not_implement_is_reported_as_returning_nothing() -> None:
    host = load_plugin_host(PluginSettings(load_plugins=("cf-test-exploding",)))
    with pytest.raises(PluginHookError, match="no plugin returned a result"):
        host.for_language("exploding").extract_code(_request("exploding"), LLMReply("", "m"))


def test_unknown_language_lists_what_is_available() -> None:
    host = load_plugin_host(PluginSettings(load_plugins=("cf-test-toy",)))
    with pytest.raises(UnknownLanguageError) as raised:
        host.for_language("cobol")
    assert raised.value.available == ("toy",)


def test_stub_plugins_refuse_with_not_implemented() -> None:
    host = load_plugin_host(PluginSettings(load_plugins=("codeflash-lang-java",)))
    for language in ("java",):
        with pytest.raises(LanguageNotImplementedError, match="is not implemented yet by codeflash-lang-"):
            host.for_language(language).build_context(_request(language))
