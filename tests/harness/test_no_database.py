"""``codeflash_use_database`` False: the harness's app and clients without PostgreSQL."""

import httpx
import pytest
from codeflash_lang_python import plugin as python_plugin
from fastapi import FastAPI
from fastapi.testclient import TestClient

from codeflash_engine.testing.fake_llm import FakeLLM
from codeflash_engine.testing.keys import NO_DATABASE_API_KEY

OPTIMIZE = {
    "trace_id": "trace-harness-1",
    "language": "python",
    "n_candidates": 1,
    "source_code": "```python:m.py\ndef double(n):\n    return n + n\n```",
}
REPLY = "```python:m.py\ndef double(n):\n    return n * 2\n```"


@pytest.fixture
def codeflash_use_database() -> bool:
    return False


@pytest.fixture
def codeflash_plugins() -> tuple[object, ...]:
    return (python_plugin,)


async def test_the_async_client_works_without_any_postgresql(
    codeflash_client: httpx.AsyncClient,
    codeflash_app: FastAPI,
    codeflash_fake_llm: FakeLLM,
    request: pytest.FixtureRequest,
) -> None:
    codeflash_fake_llm.reply(REPLY)
    response = await codeflash_client.post("/ai/optimize", json=OPTIMIZE)
    assert response.status_code == 200, response.text
    assert codeflash_client.headers["Authorization"] == f"Bearer {NO_DATABASE_API_KEY}"
    health = (await codeflash_client.get("/healthcheck")).json()
    assert (health["status"], health["database"]) == ("ok", "none")

    resources = codeflash_app.state.resources
    await resources.recorder.flush()
    [call] = resources.recorded.llm_calls
    assert (call.trace_id, call.endpoint) == ("trace-harness-1", "/ai/optimize")
    assert not {"codeflash_database", "codeflash_postgres"} & set(request.fixturenames)


def test_the_sync_client_works_without_a_database(
    codeflash_sync_client: TestClient, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.reply(REPLY)
    assert codeflash_sync_client.post("/ai/optimize", json=OPTIMIZE).status_code == 200
    assert (
        codeflash_sync_client.post("/ai/optimize", json=OPTIMIZE, headers={"Authorization": ""}).status_code
        == 401
    )


def test_a_plugin_project_without_postgresql_runs_http_tests(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import sys

        sys.modules["pgserver"] = None  # this machine has no PostgreSQL to embed
        """
    )
    pytester.makepyfile(
        f"""
        import pytest
        from codeflash_lang_python import plugin

        @pytest.fixture
        def codeflash_use_database():
            return False

        @pytest.fixture
        def codeflash_plugins():
            return (plugin,)

        def test_postgresql_is_really_missing():
            with pytest.raises(ImportError):
                import pgserver.postgres_server

        @pytest.mark.asyncio
        async def test_optimize(codeflash_fake_llm, codeflash_client):
            codeflash_fake_llm.reply({REPLY!r})
            response = await codeflash_client.post("/ai/optimize", json={OPTIMIZE!r})
            assert response.status_code == 200, response.text
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
