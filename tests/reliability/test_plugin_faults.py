"""A plugin that raises, kills its worker process or hangs fails its own language only.

Real installed distributions (built and installed by uv into a scratch directory, the
``faulty_plugins`` fixture, found through their entry points, loaded by each spawned worker
process): ``cf-test-exploding`` (every pipeline hook raises, from ``tests/plugins/distributions``)
and ``cf-test-crashing`` (``build_context`` calls ``os._exit``, or sleeps for an hour), next to the
real Python plugin.
"""

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from codeflash_engine.http.app import create_app
from codeflash_engine.settings import Settings
from codeflash_engine.testing.fake_llm import FakeLLM, Reply
from codeflash_engine.testing.fake_llm.settings import fake_llm_settings
from codeflash_engine.testing.keys import issue_test_key
from codeflash_engine.testing.settings import harness_plugin_settings

from .conftest import LLM_REPLY

HOOK_TIMEOUT_S = 2.0


@pytest.fixture
def client(
    faulty_plugins: Path,
    monkeypatch: pytest.MonkeyPatch,
    engine_settings: Settings,
    codeflash_fake_llm: FakeLLM,
) -> Iterator[TestClient]:
    # Spawned workers inherit sys.path, so they find the distributions too.
    monkeypatch.syspath_prepend(str(faulty_plugins))
    codeflash_fake_llm.default = Reply(LLM_REPLY)
    settings = engine_settings.model_copy(
        update={
            "plugins": harness_plugin_settings(
                isolation="process", workers=1, hook_timeout_seconds=HOOK_TIMEOUT_S
            ),
            "llm": fake_llm_settings(codeflash_fake_llm, CODEFLASH_LLM_MAX_RETRIES=0),
        }
    )
    app = create_app(settings, load_entry_points=True)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.portal is not None
        key = client.portal.call(issue_test_key, app.state.resources)
        client.headers["Authorization"] = f"Bearer {key}"
        yield client
    for name in [module for module in sys.modules if module.startswith("cf_test_")]:
        del sys.modules[name]


def optimize(
    client: TestClient, language: str, source: str = "def f(x):\n    return x + 1\n"
) -> httpx.Response:
    body = {"trace_id": f"plugin-fault-{language}", "source_code": source, "language": language}
    return client.post("/ai/optimize", json=body)


def assert_python_still_works(client: TestClient) -> None:
    response = optimize(client, "python")
    assert response.status_code == 200, response.text
    assert response.json()["optimizations"]


def test_a_raising_crashing_or_hanging_hook_fails_only_its_language(client: TestClient) -> None:
    assert {"python", "exploding", "crashing"} <= set(client.get("/healthcheck").json()["languages"])
    assert_python_still_works(client)

    raised = optimize(client, "exploding")
    assert raised.status_code == 502
    body = raised.json()
    assert (body["plugin"], body["hook"]) == ("cf-test-exploding", "build_context")
    assert "boom in build_context" in body["error"]
    assert_python_still_works(client)

    for _ in range(2):  # the replacement pool is replaced again
        crashed = optimize(client, "crashing")
        assert crashed.status_code == 502
        body = crashed.json()
        assert (body["plugin"], body["hook"]) == ("cf-test-crashing", "build_context")
        assert "worker process crashed" in body["error"]
        assert_python_still_works(client)

    hung = optimize(client, "crashing", source="hang")
    assert hung.status_code == 502
    assert hung.json()["error"].endswith(f"did not finish within {HOOK_TIMEOUT_S:g} s")
    assert_python_still_works(client)
