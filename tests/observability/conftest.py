"""Fixtures for observability tests: an app wired to the fake LLM, and an in-memory record sink."""

import asyncio
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from codeflash_engine.auth.accounts import issue_key
from codeflash_engine.http.app import create_app
from codeflash_engine.llm import LLMSettings
from codeflash_engine.observability.recorder import Record
from codeflash_engine.observability.settings import ObservabilitySettings
from codeflash_engine.settings import HTTPSettings, Settings
from codeflash_engine.testing.fake_llm import PROVIDER_ENV_VARS, FakeLLM

MakeApp = Callable[..., TestClient]


@pytest.fixture
def make_app(
    monkeypatch: pytest.MonkeyPatch, codeflash_fake_llm: FakeLLM, engine_settings: Settings
) -> Iterator[MakeApp]:
    """``make_app("azure", log_level="DEBUG", privacy_mode=True, **llm_overrides)``: a started
    ``TestClient`` on the test database, its LLM providers on the fake, no plugins, and an API key
    (of an organization in privacy mode if asked) in its ``Authorization`` header. ``configure``
    sees the app before it starts (to add a route)."""
    for name in PROVIDER_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    opened: list[TestClient] = []

    def make(
        *providers: str,
        log_level: str = "INFO",
        privacy_mode: bool = False,
        observability: ObservabilitySettings | None = None,
        configure: Callable[[FastAPI], None] | None = None,
        **llm_overrides: Any,
    ) -> TestClient:
        values: dict[str, Any] = dict(codeflash_fake_llm.env(*providers)) if providers else {}
        settings = engine_settings.model_copy(
            update={
                "http": HTTPSettings(CODEFLASH_LOG_LEVEL=log_level),  # type: ignore[call-arg]
                "llm": LLMSettings(_env_file=None, **(values | llm_overrides)),  # type: ignore[call-arg]
                "observability": observability or ObservabilitySettings(_env_file=None),  # type: ignore[call-arg]
            }
        )
        app = create_app(settings, load_entry_points=False)
        if configure is not None:
            configure(app)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        key = client.portal.call(_issue_key, client.app.state.resources, privacy_mode)  # type: ignore[attr-defined]
        client.headers["Authorization"] = f"Bearer {key}"
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


async def _issue_key(resources: Any, privacy_mode: bool) -> str:
    organization = "private-org" if privacy_mode else None
    issued = await issue_key(
        resources.database, "dev@example.com", "free", organization, resources.settings.auth
    )
    if privacy_mode:
        async with resources.database.connection() as conn:
            await conn.execute("UPDATE organizations SET privacy_mode = true WHERE name = $1", organization)
    return issued.key


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
