"""The codeflash-lang-java plugin: owns ``java``; its pipeline hooks are not implemented yet (501)."""

from codeflash_engine.domain import LanguageInfo
from codeflash_engine.hookspecs import PLUGIN_API_VERSION
from codeflash_engine.plugins.unimplemented import UnimplementedLanguagePlugin

plugin = UnimplementedLanguagePlugin(
    "codeflash-lang-java",
    (LanguageInfo(name="java", api_version=PLUGIN_API_VERSION, file_extensions=(".java",)),),
)
