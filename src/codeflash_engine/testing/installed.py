"""``assert_plugin_installed``: the first test every plugin should have."""

from codeflash_engine.plugins import PluginRecord, PluginStatus, load_plugin_host
from codeflash_engine.plugins.loader import ENTRY_POINT_GROUP
from codeflash_engine.testing.settings import harness_plugin_settings


def assert_plugin_installed(distribution: str) -> PluginRecord:
    """Load ``distribution``'s real entry points, and only those, in strict mode; return its record.

    Fails when the distribution has no ``codeflash_engine`` entry point in this environment (not
    installed, or the entry point is misspelt in ``pyproject.toml``), when importing or registering
    it raises, when it implements a hook the engine does not know, or when it declares no language
    or another plugin API version.
    """
    settings = harness_plugin_settings(load_plugins=(distribution,))
    try:
        host = load_plugin_host(settings)
    except Exception as exc:
        raise AssertionError(f"{distribution} does not load: {exc}") from exc
    records = [record for record in host.records if record.name.lower() == distribution.lower()]
    if not records:
        raise AssertionError(
            f"{distribution} has no entry point in the {ENTRY_POINT_GROUP!r} group in this environment "
            f"(is it installed, and does its pyproject.toml declare "
            f"[project.entry-points.{ENTRY_POINT_GROUP}]?)"
        )
    record = records[0]
    if record.status is not PluginStatus.LOADED:
        raise AssertionError(f"{distribution} is {record.status}: {record.error}")
    if not record.languages:
        raise AssertionError(f"{distribution} loaded but declares no language (codeflash_language_info)")
    return record
