"""Settings for tests: defaults only, never the machine's environment or a ``.env`` file.

A developer's shell may export ``CODEFLASH_DISABLE_PLUGINS`` or a real provider key; a plugin's
tests must not change behaviour (or call a real LLM) because of it.
"""

from typing import Any, TypeVar

from pydantic_settings import BaseSettings

from codeflash_engine.settings import PluginSettings, Settings

GroupT = TypeVar("GroupT", bound=BaseSettings)


def env_free(group: type[GroupT], **values: Any) -> GroupT:
    """``group`` with its defaults and ``values``; every field is passed explicitly, so nothing is
    read from the environment (init arguments win over every other settings source)."""
    defaults = {
        name: field.get_default(call_default_factory=True) for name, field in group.model_fields.items()
    }
    return group(_env_file=None, **(defaults | values))


def harness_plugin_settings(**values: Any) -> PluginSettings:
    """Plugin settings for tests: strict (a loading error fails the test instead of being recorded)
    and hooks in threads (so the hook recorder sees every call)."""
    return env_free(PluginSettings, **({"strict": True, "isolation": "thread"} | values))


def harness_settings(**groups: BaseSettings) -> Settings:
    """``Settings`` with every group env-free, the harness plugin settings, and ``groups`` on top
    (``harness_settings(plugins=harness_plugin_settings(strict=False))``)."""
    values: dict[str, Any] = {}
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseSettings):
            values[name] = env_free(annotation)
    values["plugins"] = harness_plugin_settings()
    return Settings(**(values | groups))
