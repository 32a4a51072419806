"""``/healthcheck`` and ``/plugins`` tell the truth about what loaded."""

import time
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from pgserver import PostgresServer

from codeflash_engine.http.app import create_app
from codeflash_engine.http.health_probe import PROBE_INTERVAL_S
from codeflash_engine.plugins import RequiredPluginError
from codeflash_engine.settings import PluginSettings, Settings


def test_healthcheck_is_ok_with_the_workspace_plugins(engine_settings: Settings) -> None:
    settings = engine_settings.model_copy(update={"plugins": PluginSettings(strict=True)})
    with TestClient(create_app(settings)) as client:
        body = client.get("/healthcheck").json()
    assert body["status"] == "ok"
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
