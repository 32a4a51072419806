"""A tiny working language plugin: ``toy`` code is valid when it has no line starting with ``!``."""

from codeflash_engine.domain import (
    Diagnostic,
    ExtractedCode,
    LanguageInfo,
    PostprocessResult,
    Prompt,
    SourceFile,
)
from codeflash_engine.hookspecs import PLUGIN_API_VERSION, hookimpl


@hookimpl
def codeflash_language_info():
    return [LanguageInfo(name="toy", aliases=("toylang",), api_version=PLUGIN_API_VERSION)]


@hookimpl
def build_context(request):
    return Prompt(system="You optimize toy code.", user="\n".join(f.code for f in request.files))


@hookimpl
def extract_code(request, reply):
    return ExtractedCode(files=(SourceFile(path=request.files[0].path, code=reply.text),))


@hookimpl
def validate(request, files):
    return [
        Diagnostic(message="bang line", path=f.path, line=number)
        for f in files
        for number, line in enumerate(f.code.splitlines(), 1)
        if line.startswith("!")
    ]


@hookimpl
def postprocess(request, candidates):
    return PostprocessResult(kept=tuple(candidates))
