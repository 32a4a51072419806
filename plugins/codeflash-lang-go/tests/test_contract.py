"""The engine's contract for language plugins, run against Go with the public harness only."""

import pytest
from codeflash_lang_go import plugin
from golang_samples import JOIN_REPEAT, JOIN_REPEAT_BUILDER, JOIN_REPEAT_TESTS

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
