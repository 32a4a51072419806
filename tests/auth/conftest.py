"""An app with guarded test routes running in-process (lifespan included), and key issuing."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from attrs import frozen
from fastapi import FastAPI

from codeflash_engine.auth.accounts import IssuedKey, issue_key
from codeflash_engine.auth.settings import AuthSettings, Tier
from codeflash_engine.settings import Settings
from tests.auth import protected_app


@frozen
class RunningApp:
    app: FastAPI
    client: httpx.AsyncClient

    @property
    def resources(self) -> Any:
        return self.app.state.resources

    async def issue(self, tier: Tier = "free", email: str = "dev@example.com") -> IssuedKey:
        return await issue_key(self.resources.database, email, tier, None, self.resources.settings.auth)


StartApp = Callable[..., Awaitable[RunningApp]]


@pytest.fixture
async def start_app(engine_settings: Settings) -> AsyncIterator[StartApp]:
    """``await start_app(RATE_LIMIT_MAX=3, ...)``: the protected app with these auth settings."""
    module = protected_app
    stack: list[Any] = []

    async def start(**auth_overrides: Any) -> RunningApp:
        auth = AuthSettings(**{**engine_settings.auth.model_dump(by_alias=True), **auth_overrides})
        settings = engine_settings.model_copy(update={"auth": auth})
        app = module.create_protected_app(settings)
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
        stack.append((lifespan, client))
        return RunningApp(app=app, client=client)

    yield start
    for lifespan, client in reversed(stack):
        await client.aclose()
        await lifespan.__aexit__(None, None, None)
