"""``build_context``: the prompt of each task, filled from the request.

Templates live in ``prompts/``; this module decides which ones a task uses and computes their
fields. Values are inserted by ``str.format`` and never re-parsed, so code with braces is safe.
"""

import json
from collections.abc import Callable, Mapping
from typing import Any

from codeflash_engine.domain import Prompt, SourceFile, Task, TaskRequest
from codeflash_engine.errors import UnsupportedTaskError
from codeflash_engine.extraction import RenderError, render_markdown
from codeflash_lang_java.java_version import parse_java_version
from codeflash_lang_java.prompt_templates import template
from codeflash_lang_java.structure import Signature
from codeflash_lang_java.target import find_target, target_name
from codeflash_lang_java.testgen.frameworks import framework_named
from codeflash_lang_java.testgen.pipeline import package_of

MAX_FIELD_CHARS = 20_000


def code_markdown(files: tuple[SourceFile, ...]) -> str:
    """The files as the client writes them; a file the client's regex cannot carry gets a longer fence."""
    try:
        return render_markdown(files, "java")
    except RenderError:
        return "\n".join(f"````java:{file.path or ''}\n{file.code}\n````" for file in files)


def _text(details: Mapping[str, Any], key: str, default: str = "(not provided)") -> str:
    value = details.get(key)
    return str(value)[:MAX_FIELD_CHARS] if value not in (None, "") else default


def _json(value: object) -> str:
    return json.dumps(value, indent=1, default=str)[:MAX_FIELD_CHARS]


def qualified_name(request: TaskRequest) -> str:
    if request.target is not None:
        return request.target.qualified_name
    if isinstance(name := request.details.get("qualified_name"), str) and name:
        return name
    method = target_name(request)
    return method or "the method in the class below"


def _common_fields(request: TaskRequest) -> dict[str, str]:
    paths = [file.path for file in request.files if file.path]
    method = target_name(request) or "the method"
    fields = {
        "qualified_name": qualified_name(request),
        "method_name": method,
        "java_version": parse_java_version(request.language_version).describe(),
        "source_markdown": code_markdown(request.files) or "(no code was sent)",
        "dependency_code": request.dependency_code.strip()
        or _text(request.details, "read_only_dependency_code", "(none)"),
        "example_path": paths[0] if paths else "src/main/java/Example.java",
    }
    fields["persona"] = template("_persona")
    fields["rules"] = template("_rules").format(**fields)
    fields["reply_format"] = template("reply_fences").format(**fields)
    return fields


def _optimize(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    extra = ""
    if request.task is Task.OPTIMIZE_LINE_PROFILER and (
        profile := request.details.get("line_profiler_results")
    ):
        extra = template("line_profile_section").format(**fields, line_profiler_results=profile)
    return Prompt(
        system=template("optimize_system").format(**fields),
        user=template("optimize_user").format(**fields, extra_sections=extra),
    )


def _refine(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    details = request.details
    return Prompt(
        system=template("optimize_system").format(**fields),
        user=template("refine_user").format(
            **fields,
            original_runtime=_text(details, "original_code_runtime", "runtime unknown"),
            optimized_markdown=_text(details, "optimized_source_code"),
            optimized_runtime=_text(details, "optimized_code_runtime", "runtime unknown"),
            speedup=_text(details, "speedup", "unknown"),
            optimized_explanation=_text(details, "optimized_explanation"),
            original_line_profiler_results=_text(details, "original_line_profiler_results"),
            optimized_line_profiler_results=_text(details, "optimized_line_profiler_results"),
        ),
    )


def _repair(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    return Prompt(
        system=template("optimize_system").format(**fields),
        user=template("repair_user").format(
            **fields,
            modified_markdown=_text(request.details, "modified_source_code"),
            test_diffs=_json(request.details.get("test_diffs") or []),
        ),
    )


def _adaptive(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    return Prompt(
        system=template("optimize_system").format(**fields),
        user=template("adaptive_user").format(
            **fields, previous_candidates=_json(request.details.get("candidates") or [])
        ),
    )


def _call_hint(signature: Signature | None, class_name: str | None) -> str:
    owner = class_name or "Class"
    if signature is None:
        return f"`{owner}.method(...)` when it is static, `new {owner}(...).method(...)` otherwise"
    if signature.is_static:
        return f"it is static: `{owner}.{signature.name}(...)`"
    return f"it is an instance method: `new {owner}(...).{signature.name}(...)` or on a variable"


def _test_fields(request: TaskRequest, fields: dict[str, str]) -> dict[str, str]:
    framework = framework_named(request.details.get("test_framework"))
    module_path = _text(request.details, "module_path", "the class shown below")
    package = package_of(request)
    if package is None:
        package_rule = "starts with the `package` line of the class under test"
    elif package:
        package_rule = f"starts with `package {package};`"
    else:
        package_rule = "has no `package` line (the class under test is in the default package)"
    target = find_target(request)
    signature = target.methods.get(fields["method_name"]) if target is not None else None
    helpers = request.details.get("helper_function_names") or ()
    return {
        **fields,
        "framework": framework.display,
        "test_import": framework.test_import,
        "assertions_import": framework.assertions_import,
        "class_keyword": "public class" if framework.public_members else "class",
        "package_rule": package_rule,
        "module_path": module_path,
        "call_hint": _call_hint(signature, target.class_name if target is not None else None),
        "test_timeout": _text(request.details, "test_timeout", "15"),
        "helper_note": (
            "It uses these helpers, which the tests must call for real, never replace: "
            + ", ".join(f"`{h}`" for h in helpers)
            + "."
        )
        if helpers
        else "",
    }


def _testgen(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    test_fields = _test_fields(request, fields)
    return Prompt(
        system=template("testgen_system").format(**test_fields),
        user=template("testgen_user").format(**test_fields),
    )


def _testgen_repair(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    test_fields = _test_fields(request, fields)
    errors = request.details.get("previous_repair_errors")
    return Prompt(
        system=template("testgen_system").format(**test_fields),
        user=template("testgen_repair_user").format(
            **test_fields,
            functions_to_repair=_json(request.details.get("functions_to_repair") or []),
            previous_errors_section=(
                f"\nYour previous repair failed with these errors; avoid them:\n<previous_errors>\n"
                f"{_json(errors)}\n</previous_errors>\n"
                if errors
                else ""
            ),
            test_source=_text(request.details, "test_source"),
        ),
    )


def _testgen_review(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    details = request.details
    return Prompt(
        system=template("testgen_review_system").format(),
        user=template("testgen_review_user").format(
            **fields,
            function_source_code=_text(details, "function_source_code", fields["source_markdown"]),
            tests=_json(details.get("tests") or []),
        ),
    )


def _jit(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    raise UnsupportedTaskError("rewrite_jit targets numerical Python; Java has no JIT rewrite task")


_BUILDERS: dict[Task, Callable[[TaskRequest, dict[str, str]], Prompt]] = {
    Task.OPTIMIZE: _optimize,
    Task.OPTIMIZE_LINE_PROFILER: _optimize,
    Task.REFINE: _refine,
    Task.CODE_REPAIR: _repair,
    Task.ADAPTIVE_OPTIMIZE: _adaptive,
    Task.TESTGEN: _testgen,
    Task.TESTGEN_REPAIR: _testgen_repair,
    Task.TESTGEN_REVIEW: _testgen_review,
    Task.JIT_REWRITE: _jit,
}


def build_prompt(request: TaskRequest) -> Prompt:
    return _BUILDERS[request.task](request, _common_fields(request))
