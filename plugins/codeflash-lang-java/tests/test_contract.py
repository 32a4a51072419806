"""codeflash-lang-java against the engine's language plugin contract, as a stub: its pipeline hooks are not
written yet, so the contract checks the declaration, the listing and the 501 answer."""

import pytest
from codeflash_lang_java.plugin import plugin

from codeflash_engine.testing import LanguagePluginContract


class TestJavaStubContract(LanguagePluginContract):
    stub = True
    distribution = "codeflash-lang-java"

    @pytest.fixture
    def language_plugin(self) -> object:
        return plugin

    @pytest.fixture(params=["java"])
    def language_name(self, request: pytest.FixtureRequest) -> str:
        return str(request.param)
