"""A plugin implementing a hook the engine does not define."""

from codeflash_engine.domain import LanguageInfo
from codeflash_engine.hookspecs import PLUGIN_API_VERSION, hookimpl


@hookimpl
def codeflash_language_info():
    return [LanguageInfo(name="unknownhook", api_version=PLUGIN_API_VERSION)]


@hookimpl
def build_contexts(request):
    return None
