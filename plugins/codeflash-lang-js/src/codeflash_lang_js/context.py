"""Prompts for each task, filled from the request.

Templates live in ``prompts/``; this module only decides which ones a task uses and computes their
fields. Values are inserted by ``str.format`` and never re-parsed, so code with braces is safe.
"""

from collections.abc import Callable, Mapping
from typing import Any

from codeflash_engine.domain import Prompt, SourceFile, Task, TaskRequest
from codeflash_engine.errors import UnsupportedTaskError
from codeflash_engine.extraction import RenderError, render_markdown
from codeflash_engine.treesitter import ParseTimeoutError
from codeflash_lang_js import context_sections as sections
from codeflash_lang_js import project
from codeflash_lang_js.postprocessing.parsed import parse_originals
from codeflash_lang_js.prompt_templates import template

EDIT_FORMAT_TASKS = frozenset({Task.REFINE, Task.CODE_REPAIR, Task.ADAPTIVE_OPTIMIZE})
"""Tasks whose reply may be SEARCH/REPLACE edits of the code the prompt shows as the starting point."""

_FRAMEWORK_NOTES = {
    "vitest": "Import `describe`, `it` and `expect` from 'vitest'.",
    "jest": "Use jest's globals (`describe`, `it`, `expect`); import nothing from a test library.",
    "mocha": "Use mocha's `describe`/`it` and `node:assert/strict` for assertions.",
}


def code_markdown(files: tuple[SourceFile, ...], tag: str) -> str:
    """The files as the client writes them; a file the client's regex cannot carry gets a longer fence."""
    try:
        return render_markdown(files, tag)
    except RenderError:
        return "\n".join(f"````{tag}:{file.path or ''}\n{file.code}\n````" for file in files)


def _text(details: Mapping[str, Any], key: str, default: str = "(not provided)") -> str:
    value = details.get(key)
    return str(value) if value not in (None, "") else default


UNNAMED_TARGET = "the function to optimize (the first function of the code below; keep its helpers working)"


def _target_name(request: TaskRequest) -> str:
    """The target as the request names it, else as the client's layout shows it (it sends the
    target first, after the imports; a class's fields and constructor come before it)."""
    named = project.qualified_target(request)
    if named is not None:
        return named
    try:
        return parse_originals(request).target or UNNAMED_TARGET
    except ParseTimeoutError:
        return UNNAMED_TARGET


def _common_fields(request: TaskRequest) -> dict[str, str]:
    paths = [file.path for file in request.files if file.path]
    framework = project.test_framework(request)
    tag = request.language
    fields = {
        "language_name": project.language_name(request),
        "node_version": project.node_version(request),
        "module_system": project.describe_module_system(project.module_system(request)),
        "test_framework_note": f", tested with {framework}" if framework else "",
        "tag": tag,
        "qualified_name": _target_name(request),
        "async_note": " (an `async` function; keep it `async`)" if project.is_async(request) else "",
        "source_markdown": code_markdown(request.files, tag) or "(no code was sent)",
        "dependency_code": request.dependency_code.strip()
        or _text(request.details, "read_only_dependency_code", "(none)"),
        "example_path": paths[0] if paths else ("src/module.ts" if tag == "typescript" else "src/module.js"),
    }
    reply_name = "reply_edits" if request.task in EDIT_FORMAT_TASKS else "reply_fences"
    fields["persona"] = template("_persona").format(**fields)
    fields["rules"] = template("_rules").format(**fields)
    fields["reply_format"] = template(reply_name).format(**fields)
    return fields


def _optimize(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    extra = ""
    if request.task is Task.OPTIMIZE_LINE_PROFILER and (
        profile := request.details.get("line_profiler_results")
    ):
        extra = template("line_profile_section").format(line_profiler_results=profile)
    return Prompt(
        system=template("optimize_system").format(**fields),
        user=template("optimize_user").format(**fields, extra_sections=extra),
    )


def _refine(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    details = request.details
    return Prompt(
        system=template("refine_system").format(**fields),
        user=template("refine_user").format(
            **fields,
            original_runtime=_text(details, "original_code_runtime", "runtime unknown"),
            original_line_profiler_results=_text(details, "original_line_profiler_results"),
            optimized_markdown=_text(details, "optimized_source_code"),
            optimized_runtime=_text(details, "optimized_code_runtime", "runtime unknown"),
            speedup=_text(details, "speedup", "unknown"),
            optimized_explanation=sections.clip(_text(details, "optimized_explanation")),
            optimized_line_profiler_results=_text(details, "optimized_line_profiler_results"),
        ),
    )


def _repair(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    return Prompt(
        system=template("repair_system").format(**fields),
        user=template("repair_user").format(
            **fields,
            modified_markdown=_text(request.details, "modified_source_code"),
            test_diffs=sections.format_test_diffs(request.details.get("test_diffs"), fields["tag"]),
        ),
    )


def _adaptive(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    return Prompt(
        system=template("optimize_system").format(**fields),
        user=template("adaptive_user").format(
            **fields,
            previous_candidates=sections.format_previous_candidates(request.details.get("candidates")),
        ),
    )


def import_line(request: TaskRequest) -> str:
    """How the generated test imports the code under test, in the project's module system."""
    function = project.function_to_optimize(request)
    name = str(function.get("function_name") or "")
    class_name = request.details.get("class_name") or (request.target.class_name if request.target else None)
    imported = str(class_name or name or "target")
    module_path = _text(request.details, "module_path", "../src/module")
    if project.module_system(request) == "esm":
        return f"import {{ {imported} }} from '{module_path}';"
    return f"const {{ {imported} }} = require('{module_path}');"


def _call_example(request: TaskRequest, name: str) -> str:
    class_name = request.details.get("class_name") or (request.target.class_name if request.target else None)
    call = f"new {class_name}(...).{name}(...)" if class_name else f"{name}(...)"
    return f"await {call}" if project.is_async(request) else call


def _testgen(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    helpers = request.details.get("helper_function_names") or ()
    helper_note = (
        "It calls these helpers, which the tests must not replace: "
        + ", ".join(f"`{helper}`" for helper in helpers)
        + "."
        if helpers
        else ""
    )
    framework = project.test_framework(request) or "vitest"
    function_name = str(
        project.function_to_optimize(request).get("function_name") or fields["qualified_name"]
    )
    testgen_fields = {
        **fields,
        "test_framework": framework,
        "function_name": function_name,
        "call_example": _call_example(request, function_name),
        "module_path": _text(request.details, "module_path", "the module shown below"),
        "test_timeout": _text(request.details, "test_timeout", "15"),
        "helper_note": helper_note,
        "import_line": import_line(request),
        "framework_note": _FRAMEWORK_NOTES[framework],
    }
    return Prompt(
        system=template("testgen_system").format(**testgen_fields),
        user=template("testgen_user").format(**testgen_fields),
    )


def _plain_code(request: TaskRequest) -> str:
    return "\n\n".join(file.code for file in request.files) or "(not provided)"


def _testgen_review(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    details = request.details
    coverage = details.get("coverage_details") or details.get("coverage_summary")
    coverage_section = (
        "\nCoverage of the function by these tests:\n"
        f"<coverage>\n{sections.format_json(coverage)}\n</coverage>\n"
        if coverage
        else ""
    )
    return Prompt(
        system=template("testgen_review_system").format(**fields),
        user=template("testgen_review_user").format(
            **fields,
            function_name=_text(details, "function_name", fields["qualified_name"]),
            function_source_code=_text(details, "function_source_code", _plain_code(request)),
            coverage_section=coverage_section,
            tests=sections.format_review_tests(details.get("tests"), fields["tag"]),
        ),
    )


def _testgen_repair(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    details = request.details
    errors = details.get("previous_repair_errors")
    errors_section = (
        "\nYour previous repair failed with these errors; avoid them:\n<previous_errors>\n"
        f"{sections.format_json(errors)}\n</previous_errors>\n"
        if errors
        else ""
    )
    return Prompt(
        system=template("testgen_repair_system").format(**fields),
        user=template("testgen_repair_user").format(
            **fields,
            test_framework=project.test_framework(request) or "the project's test framework",
            module_path=_text(details, "module_path"),
            test_timeout=_text(details, "test_timeout", "15"),
            functions_to_repair=sections.format_functions_to_repair(details.get("functions_to_repair")),
            previous_errors_section=errors_section,
            test_source=_text(details, "test_source"),
            function_source_code=_text(details, "function_source_code", _plain_code(request)),
            module_source_code=_text(details, "module_source_code", _plain_code(request)),
        ),
    )


def _jit(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    raise UnsupportedTaskError("rewrite_jit rewrites numerical Python code only; JavaScript has no JIT task")


_BUILDERS: dict[Task, Callable[[TaskRequest, dict[str, str]], Prompt]] = {
    Task.OPTIMIZE: _optimize,
    Task.OPTIMIZE_LINE_PROFILER: _optimize,
    Task.REFINE: _refine,
    Task.CODE_REPAIR: _repair,
    Task.ADAPTIVE_OPTIMIZE: _adaptive,
    Task.TESTGEN: _testgen,
    Task.TESTGEN_REVIEW: _testgen_review,
    Task.TESTGEN_REPAIR: _testgen_repair,
    Task.JIT_REWRITE: _jit,
}


def build_prompt(request: TaskRequest) -> Prompt:
    return _BUILDERS[request.task](request, _common_fields(request))
