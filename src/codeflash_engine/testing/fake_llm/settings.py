"""``LLMSettings`` that point the service at a ``FakeLLM`` and at nothing else."""

from typing import Any

from codeflash_engine.llm.settings import LLMSettings
from codeflash_engine.testing.fake_llm.server import FakeLLM
from codeflash_engine.testing.settings import env_free


def fake_llm_settings(fake: FakeLLM, *providers: str, **overrides: Any) -> LLMSettings:
    """The LLM settings for ``fake.env(*providers)`` (default: Azure and Bedrock) plus ``overrides``
    (by variable or field name, e.g. ``CODEFLASH_LLM_MAX_RETRIES=0``); nothing is read from the
    environment, so a real provider key in the developer's shell is never used."""
    field_of: dict[str, str] = {
        info.alias: name for name, info in LLMSettings.model_fields.items() if info.alias is not None
    }
    given: dict[str, Any] = {**fake.env(*providers), **overrides}
    values = {field_of.get(key, key): value for key, value in given.items()}
    return env_free(LLMSettings, **values)
