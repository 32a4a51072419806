"""The hooks a codeflash-engine plugin can implement.

A language plugin is a module (or object) registered under the ``codeflash_engine`` entry-point
group. It implements ``codeflash_language_info`` to say which languages it owns, and the four
pipeline hooks for those languages. The engine only ever calls a language plugin's pipeline hooks
for requests in a language it owns, so a plugin never needs to check the language itself.

Hooks are synchronous; the engine runs them off the event loop, by default in worker processes
that load the plugin from its entry point themselves, so hook arguments and results cross a process
boundary (the engine's attrs types pickle; keep anything a plugin adds to them picklable). Raise
``codeflash_engine.errors.LanguageNotImplementedError`` for a task the plugin does not support
yet (the client gets a 501); any other exception becomes a 502 naming the plugin and the hook.
"""

from collections.abc import Sequence

import pluggy

from codeflash_engine.domain import (
    Candidate,
    Diagnostic,
    ExtractedCode,
    LanguageInfo,
    LLMReply,
    PostprocessResult,
    Prompt,
    SourceFile,
    TaskRequest,
)

PROJECT_NAME = "codeflash_engine"
PLUGIN_API_VERSION = 1
"""Bumped when a hook changes incompatibly; plugins declaring another version are not loaded."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def codeflash_language_info() -> Sequence[LanguageInfo]:
    """Declare the languages this plugin owns.

    Called once per plugin while the engine loads plugins, before any request. Return one
    ``LanguageInfo`` per language (a JavaScript plugin returns ``javascript`` and ``typescript``).
    A plugin that does not implement this hook is *generic*: its pipeline hooks run for every
    language, alongside the owning plugin's. Two plugins claiming one language are both refused.
    An exception marks the plugin ``failed``.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def build_context(request: TaskRequest) -> Prompt | None:
    """Write the prompt for one LLM call of ``request.task``.

    Called once per request before the LLM fan-out (the same prompt goes to every model).
    Receives the parsed request; returns the system and user messages. The first non-``None``
    result wins, so a generic plugin marked ``tryfirst`` can replace the owner's prompt.
    Raising ``LanguageNotImplementedError`` answers 501; ``UnsupportedTaskError`` answers 400.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def extract_code(request: TaskRequest, reply: LLMReply) -> ExtractedCode | None:
    """Pull the code out of one LLM reply and map it onto the request's files.

    Called once per successful LLM reply. Receives the request (its ``files`` are the originals an
    edit-format reply applies to) and the reply. Returns the files the reply proposes (empty when
    nothing usable was found, with the reasons in ``problems``); it never raises for a bad reply.
    """
    raise NotImplementedError


@hookspec
def validate(request: TaskRequest, files: Sequence[SourceFile]) -> list[Diagnostic]:
    """Check that code is valid for the client that will receive it.

    Called for every extracted candidate before postprocessing, and by postprocessing itself.
    Receives the request (for ``language_version``) and the files to check. Returns the problems
    found; an empty list means valid. Every plugin serving the language contributes (the owner and
    generic validators); the engine concatenates their lists.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def postprocess(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult | None:
    """Clean, filter and de-duplicate the candidates of one request.

    Called with the candidates extracted from the fan-out, in reply order: with several hook
    workers, first once per candidate (in parallel), then once with every survivor, so it must be
    idempotent (a kept candidate postprocessed again comes back unchanged); cross-candidate work
    such as de-duplication happens in the call that sees them all. Returns the candidates to send,
    in order, and the dropped ones with the step and reason.
    For testgen tasks, a candidate's single file is the test module and the result may carry
    ``artifacts`` (the instrumented test variants).
    """
    raise NotImplementedError


HOOK_NAMES = ("codeflash_language_info", "build_context", "extract_code", "validate", "postprocess")
PIPELINE_HOOKS = ("build_context", "extract_code", "validate", "postprocess")
