"""codeflash-lang-js against the engine's language plugin contract, as a stub: its pipeline hooks are not
written yet, so the contract checks the declaration, the listing and the 501 answer."""

import pytest
from codeflash_lang_js.plugin import plugin

from codeflash_engine.testing import LanguagePluginContract


class TestJavaScriptStubContract(LanguagePluginContract):
    stub = True
    distribution = "codeflash-lang-js"

    @pytest.fixture
    def language_plugin(self) -> object:
        return plugin

    @pytest.fixture(params=["javascript", "typescript"])
    def language_name(self, request: pytest.FixtureRequest) -> str:
        return str(request.param)
