"""A plugin written against a plugin API version this engine does not speak."""

from codeflash_engine.domain import LanguageInfo
from codeflash_engine.hookspecs import hookimpl


@hookimpl
def codeflash_language_info():
    return [LanguageInfo(name="oldapi", api_version=0)]
