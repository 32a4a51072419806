"""The quota is charged only for requests that reach an LLM: refusals before that cost nothing."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from codeflash_engine.auth.accounts import IssuedKey, issue_key
from codeflash_engine.auth.settings import AuthSettings
from codeflash_engine.domain import LanguageInfo
from codeflash_engine.hookspecs import PLUGIN_API_VERSION
from codeflash_engine.plugins.unimplemented import UnimplementedLanguagePlugin
from codeflash_engine.settings import Settings
from codeflash_engine.testing.fake_llm import FakeLLM

REPLY = "Closed form.\n```python:m.py\ndef f(n):\n    return n * (n - 1) // 2\n```"


@pytest.fixture
def codeflash_entry_points() -> bool:
    return True


@pytest.fixture
def codeflash_plugins() -> tuple[object, ...]:
    # Every first-party language is implemented: a declared-only language answers 501.
    stub = UnimplementedLanguagePlugin(
        "codeflash-lang-kotlin",
        (LanguageInfo(name="kotlin", api_version=PLUGIN_API_VERSION, file_extensions=(".kt",)),),
    )
    return (stub,)


@pytest.fixture
def codeflash_settings(codeflash_settings: Settings) -> Settings:
    return codeflash_settings.model_copy(update={"auth": AuthSettings(CODEFLASH_QUOTA_FREE=1)})


@pytest.fixture
def free_key(codeflash_sync_client: TestClient) -> Iterator[IssuedKey]:
    resources = codeflash_sync_client.app.state.resources  # type: ignore[attr-defined]
    assert codeflash_sync_client.portal is not None
    issued = codeflash_sync_client.portal.call(
        issue_key, resources.database, "free@example.com", "free", None, resources.settings.auth
    )
    yield issued


def _body(language: str, code: str, path: str) -> dict[str, object]:
    return {
        "source_code": f"```{language}:{path}\n{code}\n```",
        "dependency_code": "",
        "trace_id": "a3c0b1e2-0000-4000-8000-00000000c0de",
        "language": language,
        "n_candidates": 1,
    }


def _used(client: TestClient, user_id: str) -> int:
    resources = client.app.state.resources  # type: ignore[attr-defined]

    async def read() -> int:
        async with resources.database.connection() as conn:
            used: int = await conn.fetchval(
                "SELECT optimizations_used FROM subscriptions WHERE user_id = $1", user_id
            )
            return used

    assert client.portal is not None
    return client.portal.call(read)


def test_refused_requests_cost_nothing_and_the_served_one_costs_one(
    codeflash_sync_client: TestClient, codeflash_fake_llm: FakeLLM, free_key: IssuedKey
) -> None:
    headers = {"Authorization": f"Bearer {free_key.key}"}
    python = _body("python", "def f(n):\n    return sum(range(n))", "m.py")
    refusals = [
        ({key: value for key, value in python.items() if key != "source_code"}, 422),
        ({**python, "n_candidates": "many"}, 422),
        (_body("cobol", "DISPLAY 'HI'.", "a.cob"), 422),
        (_body("kotlin", "fun f() = 1", "a.kt"), 501),
    ]
    for body, status in refusals:
        response = codeflash_sync_client.post("/ai/optimize", json=body, headers=headers)
        assert response.status_code == status, response.text
        assert set(response.json()) >= {"error"}
    assert _used(codeflash_sync_client, free_key.user.user_id) == 0
    assert codeflash_fake_llm.requests == []

    codeflash_fake_llm.reply(REPLY)
    served = codeflash_sync_client.post("/ai/optimize", json=python, headers=headers)
    assert served.status_code == 200, served.text
    assert len(served.json()["optimizations"]) == 1
    assert _used(codeflash_sync_client, free_key.user.user_id) == 1

    # The quota of 1 is now used up: refused with 403 before any LLM call.
    calls_before = len(codeflash_fake_llm.requests)
    refused = codeflash_sync_client.post("/ai/optimize", json=python, headers=headers)
    assert refused.status_code == 403
    assert "quota exhausted" in refused.json()["error"]
    assert len(codeflash_fake_llm.requests) == calls_before
