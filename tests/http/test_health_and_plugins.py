"""``/healthcheck`` and ``/plugins`` tell the truth about what loaded."""

import pytest
from fastapi.testclient import TestClient

from codeflash_engine.http.app import create_app
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
