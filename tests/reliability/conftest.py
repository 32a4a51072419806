"""A real service for the reliability tests, started once per module.

``service``: the app with a migrated database of its own, the installed language plugins (python,
javascript, java) with hooks in worker processes (as in production), LLM providers on a fake LLM
over HTTP (Azure and Bedrock paths, no SDK retries) whose default reply holds Python code, and a
``TestClient`` sending an enterprise API key; the rate limit is high enough never to interfere.

``running_app(settings)``: an async context with the app (its lifespan run, hook workers started)
and an ``httpx.AsyncClient`` over it sending an enterprise API key, for tests that build their own
settings.

``faulty_plugins``: a directory with the faulty plugin distributions installed (``cf-test-exploding``,
every pipeline hook raises; ``cf-test-crashing``, ``build_context`` calls ``os._exit`` or, for code
containing "hang", sleeps for an hour); put it on ``sys.path`` (spawned hook workers inherit it).
"""

import shutil
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from attrs import frozen
from fastapi import FastAPI
from fastapi.testclient import TestClient

from codeflash_engine.auth.accounts import issue_key
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.http.app import create_app
from codeflash_engine.settings import Settings
from codeflash_engine.testing.fake_llm import FakeLLM, Reply
from codeflash_engine.testing.fake_llm.settings import fake_llm_settings
from codeflash_engine.testing.keys import issue_test_key
from codeflash_engine.testing.settings import env_free, harness_plugin_settings, harness_settings

FAULTY_DISTRIBUTIONS = [
    Path(__file__).parents[1] / "plugins" / "distributions" / "cf-test-exploding",
    Path(__file__).parent / "distributions" / "cf-test-crashing",
]


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings, load_entry_points=True)
    async with LifespanManager(app) as lifespan:
        # The lifespan starts hook workers in the background: no timing under test should include it.
        await app.state.resources.hooks.warm_up()
        key = await issue_test_key(app.state.resources)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=lifespan.app),
            base_url="http://service",
            headers={"Authorization": f"Bearer {key}"},
            timeout=60,
        ) as client:
            yield app, client


# An LLM reply with code in it, so the optimize family runs extraction and postprocessing too.
LLM_REPLY = "Faster:\n```python\ndef f(x):\n    return x * 2\n```\n"


@frozen
class Service:
    app: FastAPI
    client: TestClient
    fake: FakeLLM
    key: str
    settings: Settings


@pytest.fixture(scope="module")
def service(
    request: pytest.FixtureRequest, postgres_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    """A module may set ``LLM_OVERRIDES`` (e.g. ``{"CODEFLASH_LLM_TIMEOUT": 0.5}``)."""
    llm_overrides = {"CODEFLASH_LLM_MAX_RETRIES": 0, **getattr(request.module, "LLM_OVERRIDES", {})}
    name = f"reliability_{uuid.uuid4().hex[:12]}"
    postgres_server.psql(f"CREATE DATABASE {name} TEMPLATE codeflash_template;")
    try:
        with FakeLLM() as fake:
            fake.default = Reply(LLM_REPLY)
            data_dir: Path = tmp_path_factory.mktemp("reliability-data")
            base = harness_settings()
            settings = Settings(
                http=base.http,
                plugins=harness_plugin_settings(isolation="process", workers=2),
                database=env_free(
                    DatabaseSettings, DATABASE_URL=postgres_server.get_uri(name), CODEFLASH_DATA_DIR=data_dir
                ),
                auth=base.auth.model_copy(update={"rate_limit_max": 1_000_000}),
                llm=fake_llm_settings(fake, "azure", "bedrock", **llm_overrides),
                observability=base.observability,
            )
            app = create_app(settings, load_entry_points=True)
            with TestClient(app, raise_server_exceptions=False) as client:
                assert client.portal is not None
                issued = client.portal.call(
                    issue_key, app.state.resources.database, "reliability@example.com", "enterprise", None,
                    settings.auth,
                )  # fmt: skip
                client.headers["Authorization"] = f"Bearer {issued.key}"
                yield Service(app=app, client=client, fake=fake, key=issued.key, settings=settings)
    finally:
        postgres_server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")


@pytest.fixture
def fresh_fake(service: Service) -> Iterator[FakeLLM]:
    """The module's fake LLM with no rules and the default reply, and put back so after the test."""
    service.fake.clear()
    service.fake.default = Reply(LLM_REPLY)
    yield service.fake
    service.fake.clear()
    service.fake.default = Reply(LLM_REPLY)
    service.fake.latency = 0.0


@pytest.fixture(scope="session")
def faulty_plugins(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("faulty-plugins")
    uv = shutil.which("uv")
    assert uv is not None, "uv builds the throwaway plugin distributions"
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--no-deps", "--python", sys.executable, "--target", str(target)]
        + [str(path) for path in FAULTY_DISTRIBUTIONS],
        check=True,
    )
    return target
