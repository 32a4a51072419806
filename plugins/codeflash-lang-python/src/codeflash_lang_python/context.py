"""Prompts for each task, filled from the request.

Templates live in ``prompts/`` (``prompt_templates``); this module only decides which ones a task
uses and computes their fields. Values are inserted by ``str.format`` and never re-parsed, so code
with braces in it is safe.
"""

from collections.abc import Callable, Mapping
from typing import Any

from codeflash_engine.domain import Prompt, SourceFile, Task, TaskRequest
from codeflash_engine.extraction import RenderError, render_markdown
from codeflash_lang_python import context_sections as sections
from codeflash_lang_python.prompt_templates import template
from codeflash_lang_python.python_version import describe

JIT_LIBRARIES = ("numba", "torch", "jax")
EDIT_FORMAT_TASKS = frozenset({Task.REFINE, Task.CODE_REPAIR, Task.ADAPTIVE_OPTIMIZE})
"""Tasks whose reply may be SEARCH/REPLACE edits of the code the prompt shows as the starting point."""


def code_markdown(files: tuple[SourceFile, ...]) -> str:
    """The files as the client writes them; a file the client's regex cannot carry gets a longer fence."""
    try:
        return render_markdown(files, "python")
    except RenderError:
        return "\n".join(f"````python:{file.path or ''}\n{file.code}\n````" for file in files)


def _text(details: Mapping[str, Any], key: str, default: str = "(not provided)") -> str:
    value = details.get(key)
    return str(value) if value not in (None, "") else default


def _function_to_optimize(request: TaskRequest) -> Mapping[str, Any]:
    value = request.details.get("function_to_optimize")
    return value if isinstance(value, Mapping) else {}


def qualified_name(request: TaskRequest) -> str:
    if request.target is not None:
        return request.target.qualified_name
    if isinstance(name := request.details.get("qualified_name"), str) and name:
        return name
    function = _function_to_optimize(request)
    if function.get("function_name"):
        parents = [
            str(parent.get("name")) for parent in function.get("parents") or () if isinstance(parent, Mapping)
        ]
        return ".".join([*parents, str(function["function_name"])])
    return "the function to optimize (the code below and its helpers)"


def _is_async(request: TaskRequest) -> bool:
    if request.target is not None:
        return request.target.is_async
    return bool(request.details.get("is_async") or _function_to_optimize(request).get("is_async"))


def _common_fields(request: TaskRequest) -> dict[str, str]:
    paths = [file.path for file in request.files if file.path]
    python_version = describe(request.language_version)
    fields = {
        "qualified_name": qualified_name(request),
        "python_version": python_version,
        "async_note": " (an `async` function; keep it `async`)" if _is_async(request) else "",
        "source_markdown": code_markdown(request.files) or "(no code was sent)",
        "dependency_code": request.dependency_code.strip()
        or _text(request.details, "read_only_dependency_code", "(none)"),
        "example_path": paths[0] if paths else "path/to/module.py",
    }
    reply_name = "reply_edits" if request.task in EDIT_FORMAT_TASKS else "reply_fences"
    fields["persona"] = template("_persona")
    fields["rules"] = template("_rules").format(**fields)
    fields["reply_format"] = template(reply_name).format(**fields)
    return fields


def _extra_sections(request: TaskRequest, *, with_profile: bool) -> str:
    parts = []
    if with_profile and (profile := request.details.get("line_profiler_results")):
        parts.append(template("line_profile_section").format(line_profiler_results=profile))
    if references := request.details.get("function_references"):
        parts.append(template("references_section").format(function_references=references))
    if request.details.get("is_numerical_code") and request.task is not Task.JIT_REWRITE:
        parts.append(
            "\nThis is numerical code: vectorizing with a library it already imports, or a JIT "
            "(numba) it already depends on, may be the biggest win.\n"
        )
    return "".join(parts)


def _jit_libraries(request: TaskRequest) -> str:
    code = "\n".join(file.code for file in request.files) + request.dependency_code
    found = [name for name in JIT_LIBRARIES if f"import {name}" in code or f"from {name}" in code]
    return " or ".join(found) if found else "numba"


def _plain_code(request: TaskRequest) -> str:
    """The request's files as plain code, for fields the client may leave out."""
    return "\n\n".join(file.code for file in request.files) or "(not provided)"


def _test_path(request: TaskRequest) -> str:
    module = str(request.details.get("test_module_path") or "tests.test_generated")
    return module.replace(".", "/") + ".py"


def _optimize(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    profile = request.task is Task.OPTIMIZE_LINE_PROFILER
    return Prompt(
        system=template("optimize_system").format(**fields),
        user=template("optimize_user").format(
            **fields, extra_sections=_extra_sections(request, with_profile=profile)
        ),
    )


def _jit(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    return Prompt(
        system=template("jit_system").format(**fields, jit_libraries=_jit_libraries(request)),
        user=template("jit_user").format(
            **fields, extra_sections=_extra_sections(request, with_profile=True)
        ),
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
            extra_sections=_extra_sections(request, with_profile=False),
        ),
    )


def _repair(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    return Prompt(
        system=template("repair_system").format(**fields),
        user=template("repair_user").format(
            **fields,
            modified_markdown=_text(request.details, "modified_source_code"),
            test_diffs=sections.format_test_diffs(request.details.get("test_diffs")),
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


def _testgen(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    helpers = request.details.get("helper_function_names") or ()
    helper_note = (
        "It calls these helpers, which the tests must not replace: "
        + ", ".join(f"`{h}`" for h in helpers)
        + "."
        if helpers
        else ""
    )
    function_name = str(_function_to_optimize(request).get("function_name") or fields["qualified_name"])
    return Prompt(
        system=template("testgen_system").format(function_name=function_name, test_path=_test_path(request)),
        user=template("testgen_user").format(
            **fields,
            module_path=_text(request.details, "module_path", "the module shown below"),
            test_timeout=_text(request.details, "test_timeout", "15"),
            helper_note=helper_note,
        ),
    )


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
        system=template("testgen_review_system").format(),
        user=template("testgen_review_user").format(
            **fields,
            function_name=_text(details, "function_name", fields["qualified_name"]),
            function_source_code=_text(details, "function_source_code", _plain_code(request)),
            coverage_section=coverage_section,
            tests=sections.format_review_tests(details.get("tests")),
        ),
    )


def _testgen_repair(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    details = request.details
    errors = details.get("previous_repair_errors")
    errors_section = (
        f"\nYour previous repair failed with these errors; avoid them:\n<previous_errors>\n"
        f"{sections.format_json(errors)}\n</previous_errors>\n"
        if errors
        else ""
    )
    return Prompt(
        system=template("testgen_repair_system").format(test_path=_test_path(request)),
        user=template("testgen_repair_user").format(
            **fields,
            module_path=_text(details, "module_path"),
            test_timeout=_text(details, "test_timeout", "15"),
            functions_to_repair=sections.format_functions_to_repair(details.get("functions_to_repair")),
            previous_errors_section=errors_section,
            test_source=_text(details, "test_source"),
            function_source_code=_text(details, "function_source_code", _plain_code(request)),
            module_source_code=_text(details, "module_source_code", _plain_code(request)),
        ),
    )


_BUILDERS: dict[Task, Callable[[TaskRequest, dict[str, str]], Prompt]] = {
    Task.OPTIMIZE: _optimize,
    Task.OPTIMIZE_LINE_PROFILER: _optimize,
    Task.JIT_REWRITE: _jit,
    Task.REFINE: _refine,
    Task.CODE_REPAIR: _repair,
    Task.ADAPTIVE_OPTIMIZE: _adaptive,
    Task.TESTGEN: _testgen,
    Task.TESTGEN_REVIEW: _testgen_review,
    Task.TESTGEN_REPAIR: _testgen_repair,
}


def build_prompt(request: TaskRequest) -> Prompt:
    return _BUILDERS[request.task](request, _common_fields(request))
