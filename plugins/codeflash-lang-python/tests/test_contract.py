"""codeflash-lang-python against the engine's language plugin contract."""

from typing import ClassVar

import pytest
from codeflash_lang_python import plugin

from codeflash_engine.testing import LanguagePluginContract


class TestPythonContract(LanguagePluginContract):
    distribution = "codeflash-lang-python"
    known_gaps: ClassVar[dict[str, str]] = {
        "test_extract_code_reads_fence_and_xml_variants[xml code tag with file attribute]": (
            "the plugin reads fenced blocks only; issue 6 moves it onto the engine's extraction "
            "(fences and XML tags)"
        ),
    }

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
