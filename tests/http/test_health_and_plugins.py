"""``/healthcheck`` and ``/plugins`` tell the truth about what loaded."""

import logging
import time
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from pgserver import PostgresServer

from codeflash_engine.http.app import create_app
from codeflash_engine.http.health_probe import PROBE_INTERVAL_S
from codeflash_engine.http.storage import NoDatabase
from codeflash_engine.llm import LLMSettings
from codeflash_engine.plugins import RequiredPluginError
from codeflash_engine.settings import PluginSettings, Settings
from codeflash_engine.testing.fake_llm import PROVIDER_ENV_VARS, FakeLLM


@pytest.fixture
def no_provider_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROVIDER_ENV_VARS:
        monkeypatch.delenv(name, raising=False)


def llm_settings(**values: str) -> LLMSettings:
    return LLMSettings(_env_file=None, **values)  # type: ignore[call-arg]


def test_healthcheck_is_ok_with_the_workspace_plugins(
    engine_settings: Settings, codeflash_fake_llm: FakeLLM
) -> None:
    settings = engine_settings.model_copy(
        update={"plugins": PluginSettings(strict=True), "llm": llm_settings(**codeflash_fake_llm.env())}
    )
    with TestClient(create_app(settings)) as client:
        body = client.get("/healthcheck").json()
    assert body["status"] == "ok"
    assert (body["llm"]["state"], body["llm"]["providers"]) == ("ok", ["azure", "bedrock"])
    assert {"python", "javascript", "typescript", "java"} <= set(body["languages"])
    assert "codeflash-lang-python" in body["plugins"]["loaded"]


def test_the_app_refuses_to_start_without_a_required_plugin(engine_settings: Settings) -> None:
    settings = engine_settings.model_copy(
        update={"plugins": PluginSettings(required_plugins=("codeflash-lang-cobol",))}
    )
    with pytest.raises(RequiredPluginError), TestClient(create_app(settings)):
        pass


def test_healthcheck_reports_a_database_that_stopped_answering(
    engine_settings: Settings, postgres_server: PostgresServer, database_url: str
) -> None:
    with TestClient(create_app(engine_settings)) as client:
        assert client.get("/healthcheck").json()["database"] == "ok"
        name = urlsplit(database_url).path.lstrip("/")
        postgres_server.psql(f"DROP DATABASE {name} WITH (FORCE);")
        time.sleep(PROBE_INTERVAL_S)
        health = client.get("/healthcheck")
    assert health.status_code == 200
    assert (health.json()["status"], health.json()["database"]) == ("degraded", "unavailable")


def started_without_database(llm: LLMSettings) -> TestClient:
    """An app on ``llm`` and nothing else (no database, no plugins, hooks in threads): quick to start."""
    settings = Settings(
        plugins=PluginSettings(CODEFLASH_LOAD_PLUGINS=(), CODEFLASH_PLUGIN_ISOLATION="thread"),  # type: ignore[call-arg]
        llm=llm,
    )
    return TestClient(create_app(settings, load_entry_points=False, no_database=NoDatabase(api_keys=())))


@pytest.mark.usefixtures("no_provider_env")
def test_without_an_llm_provider_start_up_says_so_and_health_is_degraded(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    with started_without_database(llm_settings()) as client:
        health = client.get("/healthcheck")
    assert health.status_code == 200
    body = health.json()
    assert (body["status"], body["llm"]) == (
        "degraded",
        {"providers": [], "state": "not configured", "models": []},
    )
    assert {"version", "database", "languages", "plugins"} <= set(body)  # every earlier key is still there
    [warning] = [record for record in caplog.records if "no LLM provider configured" in record.getMessage()]
    assert warning.levelno == logging.WARNING
    assert "ANTHROPIC_API_KEY" in warning.getMessage()


@pytest.mark.usefixtures("no_provider_env")
def test_a_retired_model_is_logged_at_start_up_and_reported(
    codeflash_fake_llm: FakeLLM, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    llm = llm_settings(**codeflash_fake_llm.env("bedrock"), CODEFLASH_LLM_CLAUDE_MODEL="claude-sonnet-4-5")
    with started_without_database(llm) as client:
        body = client.get("/healthcheck").json()
    assert body["llm"]["models"] == [
        {
            "family": "claude",
            "provider": "bedrock",
            "model": "claude-sonnet-4-5",
            "retires_on": "2026-11-30",
            "retirement": "retired",
        }
    ]
    [error] = [record for record in caplog.records if "claude-sonnet-4-5 was retired" in record.getMessage()]
    assert error.levelno == logging.ERROR
    assert "CODEFLASH_LLM_CLAUDE_MODEL" in error.getMessage()
    assert codeflash_fake_llm.requests == []  # reported without calling it
