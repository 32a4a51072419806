"""A plugin whose ``build_context`` kills its own worker process, or hangs, as a native parser might."""

import os
import time

from codeflash_engine.domain import LanguageInfo
from codeflash_engine.hookspecs import PLUGIN_API_VERSION, hookimpl


@hookimpl
def codeflash_language_info():
    return [LanguageInfo(name="crashing", api_version=PLUGIN_API_VERSION)]


@hookimpl
def build_context(request):
    if "hang" in request.files[0].code:
        time.sleep(3600)
    os._exit(3)  # as a segfault in a C extension would: no exception, no cleanup
