"""codeflash-lang-python against the engine's language plugin contract."""

import pytest
from codeflash_lang_python import plugin

from codeflash_engine.testing import LanguagePluginContract


class TestPythonContract(LanguagePluginContract):
    distribution = "codeflash-lang-python"

    @pytest.fixture
    def language_plugin(self) -> object:
        return plugin

    @pytest.fixture
    def language_name(self) -> str:
        return "python"

    @pytest.fixture
    def sample_function_name(self) -> str:
        return "sum_of_squares"

    @pytest.fixture
    def sample_source(self) -> str:
        return (
            "def sum_of_squares(numbers):\n"
            "    total = 0\n"
            "    for number in numbers:\n"
            "        total = total + number ** 2\n"
            "    return total\n"
        )

    @pytest.fixture
    def optimized_source(self) -> str:
        return "def sum_of_squares(numbers):\n    return sum(number * number for number in numbers)\n"

    @pytest.fixture
    def invalid_source(self) -> str:
        return "def sum_of_squares(numbers):\n    return sum(number * number for number in numbers\n"

    @pytest.fixture
    def sample_test_source(self) -> str:
        return (
            "from sample import sum_of_squares\n\n\n"
            "def test_sum_of_squares():\n"
            "    assert sum_of_squares([1, 2, 3]) == 14\n"
            "    assert sum_of_squares([]) == 0\n"
        )


class TestPythonContractWithoutADatabase(TestPythonContract):
    """The same contract with the app on no database: its round trips need no PostgreSQL."""

    @pytest.fixture
    def codeflash_use_database(self) -> bool:
        return False
