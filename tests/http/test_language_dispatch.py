"""Language dispatch over HTTP: unknown languages, stub plugins, Python-only tasks, no LLM."""

import pytest
from fastapi.testclient import TestClient

from codeflash_engine.domain import LanguageInfo
from codeflash_engine.hookspecs import PLUGIN_API_VERSION
from codeflash_engine.llm.settings import LLMSettings
from codeflash_engine.plugins.unimplemented import UnimplementedLanguagePlugin
from codeflash_engine.settings import Settings
from codeflash_engine.testing.fake_llm import FakeLLM

# Every first-party language is implemented: the 501 path is checked on a stub
# declared here, next to the installed plugins.
KOTLIN_STUB = UnimplementedLanguagePlugin(
    "codeflash-lang-kotlin",
    (LanguageInfo(name="kotlin", api_version=PLUGIN_API_VERSION, aliases=("kt",), file_extensions=(".kt",)),),
)


@pytest.fixture
def codeflash_entry_points() -> bool:
    return True


@pytest.fixture
def codeflash_plugins() -> tuple[object, ...]:
    return (KOTLIN_STUB,)


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


@pytest.mark.parametrize("language", ["kotlin", "kt"])
def test_stub_languages_answer_501(codeflash_sync_client: TestClient, language: str) -> None:
    response = codeflash_sync_client.post("/ai/optimize", json=_optimize_body(language, "class A", "a.kt"))
    assert response.status_code == 501
    assert "is not implemented yet by codeflash-lang-kotlin" in response.json()["error"]


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


JAVA_CLASS = "class A {\n    int f() {\n        return 1 + 1;\n    }\n}"


def test_adaptive_optimize_reads_the_language_off_the_fences(
    codeflash_sync_client: TestClient, codeflash_fake_llm: FakeLLM
) -> None:
    """The 0.20.6 client sends no ``language`` to /ai/adaptive_optimize, whatever the project's."""
    codeflash_fake_llm.reply(
        "Folded.\n```java:A.java\nclass A {\n    int f() {\n        return 2;\n    }\n}\n```"
    )
    source = f"```java:A.java\n{JAVA_CLASS}\n```"
    response = codeflash_sync_client.post(
        "/ai/adaptive_optimize",
        json={
            "trace_id": "a3c0b1e2-0000-4000-8000-000000000002",
            "original_source_code": source,
            "candidates": [
                {"optimization_id": "c1", "source_code": source, "speedup": "Performance gain: 3%"}
            ],
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["source_code"].startswith("```java:A.java\n")
    assert "Java" in codeflash_fake_llm.requests[0].system


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
            "/ai/optimize", json=_optimize_body("kotlin", "class A", "a.kt")
        )
        assert response.status_code == 501
