"""The codeflash-lang-js plugin: owns ``javascript`` and ``typescript``; its pipeline hooks are not
implemented yet (501)."""

from codeflash_engine.domain import LanguageInfo
from codeflash_engine.hookspecs import PLUGIN_API_VERSION
from codeflash_engine.plugins.unimplemented import UnimplementedLanguagePlugin

plugin = UnimplementedLanguagePlugin(
    "codeflash-lang-js",
    (
        LanguageInfo(
            name="javascript",
            api_version=PLUGIN_API_VERSION,
            aliases=("js",),
            file_extensions=(".js", ".jsx", ".mjs", ".cjs"),
        ),
        LanguageInfo(
            name="typescript",
            api_version=PLUGIN_API_VERSION,
            aliases=("ts",),
            file_extensions=(".ts", ".tsx"),
        ),
    ),
)
