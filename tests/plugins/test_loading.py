"""Loading real installed plugin distributions: every failure is recorded, none takes the engine down."""

from pathlib import Path

import pytest

from codeflash_engine.plugins import PluginHost, PluginStatus, RequiredPluginError, load_plugin_host
from codeflash_engine.settings import PluginSettings


def _load(*allow: str, **settings: object) -> PluginHost:
    return load_plugin_host(PluginSettings(load_plugins=allow or None, **settings))


def _record(host: PluginHost, name: str):  # type: ignore[no-untyped-def]
    return next(record for record in host.records if record.name == name)


pytestmark = pytest.mark.usefixtures("test_plugins_on_path")


def test_a_plugin_that_fails_to_import_is_recorded_as_failed() -> None:
    host = _load("cf-test-import-error", "cf-test-toy")
    record = _record(host, "cf-test-import-error")
    assert record.status is PluginStatus.FAILED
    assert "needs a library that is not installed" in (record.error or "")
    assert record.version == "1.2.3"
    assert host.languages == ("toy",)


def test_an_invalid_hook_signature_fails_only_that_plugin() -> None:
    host = _load("cf-test-bad-signature", "cf-test-toy")
    record = _record(host, "cf-test-bad-signature")
    assert record.status is PluginStatus.FAILED
    assert "colour" in (record.error or "")
    assert host.languages == ("toy",)
    assert host.manager.get_plugin("cf-test-bad-signature:badsig") is None


def test_an_unknown_hook_fails_the_plugin() -> None:
    host = _load("cf-test-unknown-hook")
    record = _record(host, "cf-test-unknown-hook")
    assert record.status is PluginStatus.FAILED
    assert "build_contexts" in (record.error or "")


def test_a_plugin_for_another_api_version_is_incompatible() -> None:
    host = _load("cf-test-old-api")
    record = _record(host, "cf-test-old-api")
    assert record.status is PluginStatus.INCOMPATIBLE
    assert "version" in (record.error or "")
    assert host.languages == ()


def test_two_plugins_claiming_one_language_are_both_refused() -> None:
    host = _load("cf-test-cobol-a", "cf-test-cobol-b", "cf-test-toy")
    for name, rival in (("cf-test-cobol-a", "cf-test-cobol-b"), ("cf-test-cobol-b", "cf-test-cobol-a")):
        record = _record(host, name)
        assert record.status is PluginStatus.CONFLICT
        assert rival in (record.error or "")
    assert host.languages == ("toy",)


@pytest.mark.parametrize("blocked", ["cf-test-toy", "toy", "toylang"])
def test_a_plugin_can_be_disabled_by_distribution_entry_point_or_language(blocked: str) -> None:
    host = _load("cf-test-toy", disable_plugins=(blocked,))
    record = _record(host, "cf-test-toy")
    assert record.status is PluginStatus.DISABLED
    assert host.languages == ()


def test_an_empty_allow_list_loads_nothing() -> None:
    host = load_plugin_host(PluginSettings(load_plugins=()))
    assert host.languages == ()
    assert {record.status for record in host.records} == {PluginStatus.DISABLED}


def test_a_missing_required_plugin_stops_start_up() -> None:
    with pytest.raises(RequiredPluginError, match="codeflash-lang-cobol"):
        _load("cf-test-toy", required_plugins=("codeflash-lang-cobol",))


def test_a_failed_required_plugin_stops_start_up_with_its_error() -> None:
    with pytest.raises(RequiredPluginError, match="failed"):
        _load("cf-test-import-error", required_plugins=("cf-test-import-error",))


def test_a_present_required_plugin_is_satisfied_by_its_language_name() -> None:
    host = _load("cf-test-toy", required_plugins=("toy",))
    assert host.languages == ("toy",)


def test_strict_mode_re_raises_the_first_loading_error() -> None:
    with pytest.raises(RuntimeError, match="cf-test-import-error"):
        _load("cf-test-import-error", strict=True)


def test_everything_installed_loads_side_by_side(test_plugins_on_path: Path) -> None:
    host = _load()
    statuses = {record.name: record.status for record in host.records}
    assert statuses["cf-test-toy"] is PluginStatus.LOADED
    assert statuses["cf-test-exploding"] is PluginStatus.LOADED
    assert statuses["codeflash-lang-python"] is PluginStatus.LOADED
    assert statuses["cf-test-import-error"] is PluginStatus.FAILED
    assert {"python", "toy", "exploding"} <= set(host.languages)
    assert test_plugins_on_path.exists()
