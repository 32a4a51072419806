"""Fixtures for the LLM layer: settings and clients pointed at the fake LLM."""

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from codeflash_engine.llm import LLMClient, LLMSettings
from codeflash_engine.testing.fake_llm import PROVIDER_ENV_VARS, FakeLLM

MakeSettings = Callable[..., LLMSettings]
MakeClient = Callable[..., LLMClient]


@pytest.fixture
def make_llm_settings(monkeypatch: pytest.MonkeyPatch, codeflash_fake_llm: FakeLLM) -> MakeSettings:
    """``make_llm_settings("azure", "bedrock", max_retries=0)``: settings for those providers on the
    fake, with nothing leaking in from the machine's environment or a ``.env`` file."""
    for name in PROVIDER_ENV_VARS:
        monkeypatch.delenv(name, raising=False)

    def make(*providers: str, **overrides: Any) -> LLMSettings:
        values: dict[str, Any] = dict(codeflash_fake_llm.env(*providers)) if providers else {}
        values |= overrides
        return LLMSettings(_env_file=None, **values)  # type: ignore[call-arg]

    return make


@pytest.fixture
async def make_llm_client(make_llm_settings: MakeSettings) -> AsyncIterator[MakeClient]:
    """``make_llm_client("openai", max_retries=0)``: a real ``LLMClient`` on the fake, closed after
    the test."""
    clients: list[LLMClient] = []

    def make(*providers: str, **overrides: Any) -> LLMClient:
        client = LLMClient.from_settings(make_llm_settings(*providers, **overrides))
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()
