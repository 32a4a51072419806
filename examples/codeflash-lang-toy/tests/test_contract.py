"""The engine's contract for language plugins, run against Toy."""

import pytest
from codeflash_lang_toy import plugin

from codeflash_engine.testing import LanguagePluginContract


class TestToyContract(LanguagePluginContract):
    distribution = "codeflash-lang-toy"

    @pytest.fixture
    def language_plugin(self) -> object:
        return plugin

    @pytest.fixture
    def language_name(self) -> str:
        return "toy"

    @pytest.fixture
    def sample_function_name(self) -> str:
        return "sum_to"

    @pytest.fixture
    def sample_source(self) -> str:
        return "# adds 1..n one call at a time\nfn sum_to(n) = n + sum_to(n - 1)\nlet limit = 10\n"

    @pytest.fixture
    def optimized_source(self) -> str:
        return "# Gauss\nfn sum_to(n) = n * (n + 1) / 2\nlet limit = 10\n"

    @pytest.fixture
    def invalid_source(self) -> str:
        return "fn sum_to(n) = n * (n + 1 / 2\n"

    @pytest.fixture
    def sample_test_source(self) -> str:
        return "assert sum_to(1) == 1\nassert sum_to(4) == 10\n"


class TestToyContractWithoutADatabase(TestToyContract):
    """The contract again, its round trips on an app without PostgreSQL: all a machine without
    PostgreSQL can run (see ``codeflash_use_database``)."""

    @pytest.fixture
    def codeflash_use_database(self) -> bool:
        return False
