"""One of two plugins that both claim the language ``cobol``."""

from codeflash_engine.domain import LanguageInfo
from codeflash_engine.hookspecs import PLUGIN_API_VERSION, hookimpl


@hookimpl
def codeflash_language_info():
    return [LanguageInfo(name="cobol", api_version=PLUGIN_API_VERSION)]
