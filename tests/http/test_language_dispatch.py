"""Language dispatch over HTTP: unknown languages, stub plugins, Python-only tasks, no LLM."""

import pytest
from fastapi.testclient import TestClient

from codeflash_engine.llm.settings import LLMSettings
from codeflash_engine.settings import Settings
from codeflash_engine.testing.fake_llm import FakeLLM


@pytest.fixture
def codeflash_entry_points() -> bool:
    return True


def _optimize_body(
    language: str | None, code: str = "def f():\n    return 1", path: str = "m.py"
) -> dict[str, object]:
    body: dict[str, object] = {
        "source_code": f"```{language or 'python'}:{path}\n{code}\n```",
        "dependency_code": "",
        "trace_id": "a3c0b1e2-0000-4000-8000-000000000001",
        "n_candidates": 1,
    }
    if language is not None:
        body["language"] = language
    return body


def test_unknown_language_is_422_with_the_available_ones(codeflash_sync_client: TestClient) -> None:
    response = codeflash_sync_client.post("/ai/optimize", json=_optimize_body("cobol"))
    assert response.status_code == 422
    body = response.json()
    assert "cobol" in body["error"]
    assert {"python", "java", "javascript", "typescript"} <= set(body["available_languages"])


@pytest.mark.parametrize(("language", "distribution"), [("java", "java")])
def test_stub_languages_answer_501(
    codeflash_sync_client: TestClient, language: str, distribution: str
) -> None:
    response = codeflash_sync_client.post(
        "/ai/optimize", json=_optimize_body(language, "class A {}", "A.java")
    )
    assert response.status_code == 501
    assert f"is not implemented yet by codeflash-lang-{distribution}" in response.json()["error"]


def test_jit_rewrite_is_python_only(codeflash_sync_client: TestClient) -> None:
    response = codeflash_sync_client.post(
        "/ai/rewrite_jit", json=_optimize_body("java", "class A {}", "A.java")
    )
    assert response.status_code == 400
    assert "numerical Python code only" in response.json()["error"]


def test_a_request_without_language_is_python(
    codeflash_sync_client: TestClient, codeflash_fake_llm: FakeLLM
) -> None:
    codeflash_fake_llm.reply("Cached the constant.\n```python:m.py\ndef f():\n    return 1 + 0\n```")
    response = codeflash_sync_client.post("/ai/optimize", json=_optimize_body(None))
    assert response.status_code == 200
    assert response.json()["optimizations"][0]["source_code"].startswith("```python:m.py\n")


class TestWithoutAnyLLMProvider:
    @pytest.fixture
    def codeflash_settings(self, codeflash_settings: Settings) -> Settings:
        return codeflash_settings.model_copy(update={"llm": LLMSettings.model_construct()})

    def test_python_answers_503_naming_the_variables(self, codeflash_sync_client: TestClient) -> None:
        response = codeflash_sync_client.post("/ai/optimize", json=_optimize_body("python"))
        assert response.status_code == 503
        assert "no LLM provider configured" in response.json()["error"]

    def test_a_stub_language_still_answers_501(self, codeflash_sync_client: TestClient) -> None:
        response = codeflash_sync_client.post(
            "/ai/optimize", json=_optimize_body("java", "class A {}", "A.java")
        )
        assert response.status_code == 501
