"""``/healthcheck`` and ``/plugins`` with real broken distributions installed."""

import pytest
from fastapi.testclient import TestClient

from codeflash_engine.http.app import create_app
from codeflash_engine.llm import LLMSettings
from codeflash_engine.settings import PluginSettings, Settings
from codeflash_engine.testing.fake_llm import FakeLLM


@pytest.mark.usefixtures("test_plugins_on_path")
def test_a_failed_plugin_degrades_health_and_is_listed(
    engine_settings: Settings, codeflash_fake_llm: FakeLLM
) -> None:
    plugins = PluginSettings(load_plugins=("cf-test-import-error", "codeflash-lang-python"))
    # With an LLM configured, so the plugin is the only thing that can make it degraded.
    llm = LLMSettings(_env_file=None, **codeflash_fake_llm.env())  # type: ignore[call-arg]
    settings = engine_settings.model_copy(update={"plugins": plugins, "llm": llm})
    with TestClient(create_app(settings)) as client:
        health = client.get("/healthcheck")
        listing = client.get("/plugins").json()
    assert health.status_code == 200
    assert (health.json()["status"], health.json()["llm"]["state"]) == ("degraded", "ok")
    assert health.json()["plugins"]["failed"] == ["cf-test-import-error"]
    statuses = {record["name"]: record["status"] for record in listing["plugins"]}
    assert statuses["cf-test-import-error"] == "failed"
    assert statuses["codeflash-lang-python"] == "loaded"
    assert statuses["codeflash-lang-java"] == "disabled"
    assert listing["languages"] == ["python"]
