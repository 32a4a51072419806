"""The engine's contract for language plugins, run against Go with the public harness only."""

from typing import Any

import pytest
from codeflash_lang_go import plugin
from golang_samples import JOIN_REPEAT, JOIN_REPEAT_BUILDER, JOIN_REPEAT_TESTS

from codeflash_engine.extraction import CLIENT_MARKDOWN_PATTERN
from codeflash_engine.testing import LanguagePluginContract


class TestGoContract(LanguagePluginContract):
    distribution = "codeflash-lang-go"

    @pytest.fixture
    def language_plugin(self) -> object:
        return plugin

    @pytest.fixture
    def language_name(self) -> str:
        return "go"

    @pytest.fixture
    def sample_function_name(self) -> str:
        return "JoinRepeat"

    @pytest.fixture
    def sample_source(self) -> str:
        return JOIN_REPEAT

    @pytest.fixture
    def optimized_source(self) -> str:
        return JOIN_REPEAT_BUILDER

    @pytest.fixture
    def invalid_source(self) -> str:
        return "package textx\n\nfunc JoinRepeat(s string) string {\n\treturn s +\n"

    @pytest.fixture
    def sample_test_source(self) -> str:
        return JOIN_REPEAT_TESTS


class TestGoContractWithoutADatabase(TestGoContract):
    @pytest.fixture
    def codeflash_use_database(self) -> bool:
        return False


class TestTheGolangAlias:
    """The client sends ``go``; a request saying ``golang`` is routed here too, and the answer's
    fences still say ``go`` (the client crashes on any other tag)."""

    @pytest.fixture
    def codeflash_plugins(self) -> tuple[object, ...]:
        return (plugin,)

    @pytest.fixture
    def codeflash_use_database(self) -> bool:
        return False

    @pytest.mark.asyncio
    async def test_golang_requests_get_go_fences(
        self, codeflash_fake_llm: Any, codeflash_client: Any
    ) -> None:
        codeflash_fake_llm.reply(f"Faster.\n```golang:textx/join.go\n{JOIN_REPEAT_BUILDER}```\n")
        response = await codeflash_client.post(
            "/ai/optimize",
            json={
                "trace_id": "golang-alias",
                "language": "golang",
                "language_version": "1.19",
                "n_candidates": 1,
                "source_code": f"```go:textx/join.go\n{JOIN_REPEAT}```",
            },
        )
        assert response.status_code == 200, response.text
        [candidate] = response.json()["optimizations"]
        [(tag, path, code)] = CLIENT_MARKDOWN_PATTERN.findall(candidate["source_code"])
        assert (tag, path, code.strip()) == ("go", "textx/join.go", JOIN_REPEAT_BUILDER.strip())
