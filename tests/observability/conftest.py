"""Fixtures for observability tests: an app wired to the fake LLM, and an in-memory record sink."""

import asyncio
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient

from codeflash_engine.http.app import create_app
from codeflash_engine.llm import LLMSettings
from codeflash_engine.observability.recorder import Record
from codeflash_engine.settings import HTTPSettings, PluginSettings, Settings
from codeflash_engine.testing.fake_llm import PROVIDER_ENV_VARS, FakeLLM

MakeApp = Callable[..., TestClient]


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch, codeflash_fake_llm: FakeLLM) -> Iterator[MakeApp]:
    """``make_app("azure", log_level="DEBUG", **llm_overrides)``: a started ``TestClient`` whose
    LLM providers are the fake; no plugins load (these tests are about the plumbing)."""
    for name in PROVIDER_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    opened: list[TestClient] = []

    def make(*providers: str, log_level: str = "INFO", **llm_overrides: Any) -> TestClient:
        values: dict[str, Any] = dict(codeflash_fake_llm.env(*providers)) if providers else {}
        llm = LLMSettings(_env_file=None, **(values | llm_overrides))  # type: ignore[call-arg]
        settings = Settings(
            http=HTTPSettings(CODEFLASH_LOG_LEVEL=log_level),  # type: ignore[call-arg]
            plugins=PluginSettings(CODEFLASH_LOAD_PLUGINS=""),  # type: ignore[call-arg]
            llm=llm,
        )
        client = TestClient(create_app(settings, load_entry_points=False))
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


class MemorySink:
    """A ``RecordSink`` for unit tests: keeps what it is given, can be made to fail or be slow."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.failures_left = 0
        self.delay = 0.0
        self.attempts = 0

    async def write(self, records: Sequence[Record]) -> None:
        self.attempts += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.failures_left:
            self.failures_left -= 1
            raise ConnectionRefusedError("database is down")
        self.records.extend(records)


@pytest.fixture
def memory_sink() -> MemorySink:
    return MemorySink()
