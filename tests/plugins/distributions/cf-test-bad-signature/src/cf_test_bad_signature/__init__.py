"""A plugin whose hook asks for an argument the spec does not have."""

from codeflash_engine.domain import LanguageInfo
from codeflash_engine.hookspecs import PLUGIN_API_VERSION, hookimpl


@hookimpl
def codeflash_language_info():
    return [LanguageInfo(name="badsig", api_version=PLUGIN_API_VERSION)]


@hookimpl
def validate(request, files, colour):
    return []
