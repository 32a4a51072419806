"""``/healthcheck`` and ``/plugins`` with real broken distributions installed."""

import pytest
from fastapi.testclient import TestClient

from codeflash_engine.http.app import create_app
from codeflash_engine.settings import PluginSettings, Settings


@pytest.mark.usefixtures("test_plugins_on_path")
def test_a_failed_plugin_degrades_health_and_is_listed(engine_settings: Settings) -> None:
    plugins = PluginSettings(load_plugins=("cf-test-import-error", "codeflash-lang-python"))
    settings = engine_settings.model_copy(update={"plugins": plugins})
    with TestClient(create_app(settings)) as client:
        health = client.get("/healthcheck")
        listing = client.get("/plugins").json()
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["plugins"]["failed"] == ["cf-test-import-error"]
    statuses = {record["name"]: record["status"] for record in listing["plugins"]}
    assert statuses["cf-test-import-error"] == "failed"
    assert statuses["codeflash-lang-python"] == "loaded"
    assert statuses["codeflash-lang-java"] == "disabled"
    assert listing["languages"] == ["python"]
