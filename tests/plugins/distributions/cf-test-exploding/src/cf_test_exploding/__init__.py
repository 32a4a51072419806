"""A plugin that loads fine but whose every pipeline hook raises."""

from codeflash_engine.domain import LanguageInfo
from codeflash_engine.hookspecs import PLUGIN_API_VERSION, hookimpl


@hookimpl
def codeflash_language_info():
    return [LanguageInfo(name="exploding", api_version=PLUGIN_API_VERSION)]


@hookimpl
def build_context(request):
    raise RuntimeError("boom in build_context")


@hookimpl
def validate(request, files):
    raise RuntimeError("boom in validate")
