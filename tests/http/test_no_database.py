"""An app built with ``NoDatabase``: no PostgreSQL is started or connected, ``/ai/*`` admits only
the keys given in code (no rate limit, no quota), and what it would have stored stays in memory."""

import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from attrs import frozen
from codeflash_lang_python import plugin as python_plugin

from codeflash_engine.auth.keys import generate_api_key
from codeflash_engine.auth.settings import AuthSettings
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.http.app import create_app
from codeflash_engine.http.resources import AppResources
from codeflash_engine.http.storage import NoDatabase
from codeflash_engine.testing import env_free, harness_settings
from codeflash_engine.testing.fake_llm import FakeLLM
from codeflash_engine.testing.fake_llm.settings import fake_llm_settings

KEY = generate_api_key()
OPTIMIZE = {
    "trace_id": "trace-nodb-1",
    "language": "python",
    "n_candidates": 1,
    "call_sequence": 1,
    "source_code": "```python:pkg/m.py\ndef total(values):\n    result = 0\n    for v in values:\n"
    "        result += v\n    return result\n```",
}
REPLY = "Use the builtin.\n```python:pkg/m.py\ndef total(values):\n    return sum(values)\n```"


@frozen
class Running:
    client: httpx.AsyncClient
    resources: AppResources

    async def optimize(self, **changes: object) -> httpx.Response:
        return await self.client.post("/ai/optimize", json=OPTIMIZE | changes, headers=bearer(KEY))


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def database_port() -> Iterator[socket.socket]:
    """A port that listens but is never accepted on: any connection attempt to it stays queued."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        yield listener


@pytest.fixture
async def running(
    codeflash_fake_llm: FakeLLM, database_port: socket.socket, tmp_path: Path
) -> AsyncIterator[Running]:
    port = database_port.getsockname()[1]
    settings = harness_settings(
        # Both would be used by an app with a database: the URL's server, or else an embedded one.
        database=env_free(
            DatabaseSettings, url=f"postgresql://nobody@127.0.0.1:{port}/none", data_dir=tmp_path / "data"
        ),
        # One request per window and a zero quota: a gate that counted would refuse the second call.
        auth=env_free(AuthSettings, rate_limit_max=1, quota_enterprise=0),
        llm=fake_llm_settings(codeflash_fake_llm),
    )
    app = create_app(
        settings, plugins=(python_plugin,), load_entry_points=False, no_database=NoDatabase(api_keys=(KEY,))
    )
    async with LifespanManager(app) as lifespan:
        transport = httpx.ASGITransport(app=lifespan.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Running(client, app.state.resources)


async def test_no_postgresql_is_connected_or_started(
    running: Running, codeflash_fake_llm: FakeLLM, database_port: socket.socket, tmp_path: Path
) -> None:
    codeflash_fake_llm.reply(REPLY)
    assert (await running.optimize()).status_code == 200
    assert (await running.client.get("/healthcheck")).status_code == 200
    assert running.resources.database is None
    with pytest.raises(BlockingIOError):
        database_port.accept()  # nothing ever knocked
    assert not (tmp_path / "data").exists(), "an embedded PostgreSQL was set up"


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({}, "missing API key"),
        (bearer(generate_api_key()), "accepts only the API keys it was created with"),
        (bearer("cf-x"), "accepts only the API keys it was created with"),
    ],
)
async def test_a_missing_or_other_key_is_401(
    running: Running, codeflash_fake_llm: FakeLLM, headers: dict[str, str], fragment: str
) -> None:
    response = await running.client.post("/ai/optimize", json=OPTIMIZE, headers=headers)
    assert response.status_code == 401, response.text
    assert fragment in response.json()["error"]
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert codeflash_fake_llm.requests == []


async def test_the_given_key_is_served_without_rate_limit_or_quota(
    running: Running, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.reply(REPLY)
    for attempt in range(3):
        response = await running.optimize(trace_id=f"trace-nodb-{attempt}")
        assert response.status_code == 200, response.text
        assert "return sum(values)" in response.json()["optimizations"][0]["source_code"]
        # No invented numbers: there is no limit to report.
        assert "X-RateLimit-Limit" not in response.headers


async def test_llm_calls_and_errors_are_recorded_in_memory(
    running: Running, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.reply(REPLY, times=1)
    assert (await running.optimize()).status_code == 200
    codeflash_fake_llm.fail(400, message="Unsupported parameter")
    explain = {"trace_id": "trace-nodb-2", "source_code": "x = 1\n", "optimized_code": "x = 2\n"}
    response = await running.client.post("/ai/explain", json=explain, headers=bearer(KEY))
    assert response.status_code == 502, response.text

    recorded = running.resources.recorded
    assert recorded is not None
    await running.resources.recorder.flush()
    ok, failed = recorded.llm_calls
    assert (ok.trace_id, ok.endpoint, ok.status, ok.reply) == (
        "trace-nodb-1",
        "/ai/optimize",
        "ok",
        REPLY,
    )
    assert ok.user_id == (await running.resources.gate.admit(KEY)).user.user_id
    assert (failed.trace_id, failed.status) == ("trace-nodb-2", "permanent")
    [error] = recorded.errors
    assert (error.trace_id, error.error_type) == ("trace-nodb-2", "llm_unavailable")


async def test_log_features_keeps_every_send_in_memory(running: Running) -> None:
    first = {"trace_id": "trace-f", "original_runtime": 1000, "speedup_ratio": {"a": 2.0}}
    second = {"trace_id": "trace-f", "is_correct": {"a": True}}
    for body in (first, second):
        response = await running.client.post("/ai/log_features", json=body, headers=bearer(KEY))
        assert (response.status_code, response.json()) == (200, {})

    assert running.resources.recorded is not None
    sent = running.resources.recorded.features
    assert [(f.trace_id, f.original_runtime, f.speedup_ratio, f.is_correct) for f in sent] == [
        ("trace-f", 1000, {"a": 2.0}, None),
        ("trace-f", None, None, {"a": True}),
    ]
    assert {f.user_id for f in sent} == {(await running.resources.gate.admit(KEY)).user.user_id}


async def test_a_rerun_finds_nothing_and_asks_the_llm(running: Running, codeflash_fake_llm: FakeLLM) -> None:
    codeflash_fake_llm.reply(REPLY)
    assert (await running.optimize()).status_code == 200
    response = await running.optimize(trace_id="trace-nodb-rerun", rerun_trace_id="trace-nodb-1")
    assert response.status_code == 200, response.text
    assert len(codeflash_fake_llm.requests) == 2


async def test_the_healthcheck_says_there_is_no_database(running: Running) -> None:
    response = await running.client.get("/healthcheck")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["database"]) == ("ok", "none")
