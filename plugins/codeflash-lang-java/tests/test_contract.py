"""codeflash-lang-java against the engine's language plugin contract."""

import pytest
from codeflash_lang_java import plugin

from codeflash_engine.testing import LanguagePluginContract


class TestJavaContract(LanguagePluginContract):
    distribution = "codeflash-lang-java"

    @pytest.fixture
    def language_plugin(self) -> object:
        return plugin

    @pytest.fixture
    def language_name(self) -> str:
        return "java"

    @pytest.fixture
    def sample_path(self) -> str:
        return "src/main/java/com/example/Sample.java"

    @pytest.fixture
    def sample_function_name(self) -> str:
        return "sumTo"

    @pytest.fixture
    def sample_source(self) -> str:
        return (
            "public class Sample {\n"
            "    public static int sumTo(int n) {\n"
            "        int total = 0;\n"
            "        for (int i = 1; i <= n; i++) {\n"
            "            total = total + i;\n"
            "        }\n"
            "        return total;\n"
            "    }\n"
            "}\n"
        )

    @pytest.fixture
    def optimized_source(self) -> str:
        return (
            "public class Sample {\n"
            "    public static int sumTo(int n) {\n"
            "        return n <= 0 ? 0 : n * (n + 1) / 2;\n"
            "    }\n"
            "}\n"
        )

    @pytest.fixture
    def invalid_source(self) -> str:
        return (
            "public class Sample {\n    public static int sumTo(int n) {\n"
            "        return n * (n + 1) / 2\n    }\n}\n"
        )

    @pytest.fixture
    def sample_test_source(self) -> str:
        return (
            "import static org.junit.jupiter.api.Assertions.assertEquals;\n\n"
            "import org.junit.jupiter.api.Test;\n\n"
            "class SampleTest {\n"
            "    @Test\n"
            "    void sumsTheFirstIntegers() {\n"
            "        assertEquals(10, Sample.sumTo(4));\n"
            "        assertEquals(0, Sample.sumTo(0));\n"
            "    }\n"
            "}\n"
        )


class TestJavaContractWithoutADatabase(TestJavaContract):
    """The same contract with the app on no database: its round trips need no PostgreSQL."""

    @pytest.fixture
    def codeflash_use_database(self) -> bool:
        return False
