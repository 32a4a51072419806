"""``build_context``: the prompt for each task the Go flow calls.

Templates live in ``prompts/``; values are inserted by ``str.format`` and never re-parsed, so code
with braces in it is safe.
"""

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib.resources import files
from typing import Any

from codeflash_engine.domain import Prompt, Task, TaskRequest
from codeflash_engine.errors import LanguageNotImplementedError, UnsupportedTaskError
from codeflash_engine.extraction import RenderError, render_markdown
from codeflash_lang_go.candidates import import_merge_risk
from codeflash_lang_go.syntax import read_file
from codeflash_lang_go.target import Target, find_target, package_of, target_file
from codeflash_lang_go.versions import GoVersion

MAX_FIELD_CHARS = 6_000


@cache
def template(name: str) -> str:
    return (files("codeflash_lang_go") / "prompts" / f"{name}.md").read_text(encoding="utf-8")


def _text(details: Mapping[str, Any], key: str, default: str = "(not provided)") -> str:
    value = details.get(key)
    return str(value) if value not in (None, "") else default


def _clip(text: str, limit: int = MAX_FIELD_CHARS) -> str:
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}\n... [{len(text) - limit} characters left out] ...\n{text[-half:]}"


def _markdown(request: TaskRequest) -> str:
    try:
        return render_markdown(request.files, "go")
    except RenderError:
        return "\n".join(f"````go:{file.path or ''}\n{file.code}\n````" for file in request.files)


def _common_fields(request: TaskRequest) -> dict[str, str]:
    target = find_target(request)
    version = GoVersion.parse(request.language_version)
    paths = [file.path for file in request.files if file.path]
    fields = {
        "qualified_name": target.qualified_name if target else "the first function below",
        "function_name": target.name if target else "the first function below",
        "package": package_of(request) or "main",
        "go_version": version.label,
        "version_notes": version.notes(),
        "source_markdown": _markdown(request) or "(no code was sent)",
        "dependency_code": request.dependency_code.strip()
        or _text(request.details, "read_only_dependency_code", "(none)"),
        "example_path": paths[0] if paths else "pkg/file.go",
        "imports_rule": _imports_rule(request, target),
    }
    fields["reply_format"] = template("reply_format").format(**fields)
    return fields


def _imports_rule(request: TaskRequest, target: Target | None) -> str:
    file = target_file(request, target.path if target else None)
    imports = read_file(file.code).imports if file is not None else ()
    if import_merge_risk(imports):
        return (
            "Do not add imports: this file's import cannot be extended by the tool that applies your "
            "code. Use only the packages it already imports and the builtins."
        )
    return "Import only the standard library or packages the file already imports; the build is offline."


def _test_diffs(test_diffs: object) -> str:
    if not isinstance(test_diffs, Sequence) or isinstance(test_diffs, str) or not test_diffs:
        return "(the client reported no details)"
    lines = []
    for number, diff in enumerate(test_diffs, 1):
        if not isinstance(diff, Mapping):
            continue
        original = "passed" if diff.get("original_pass") else "failed"
        candidate = "passed" if diff.get("candidate_pass") else "failed"
        name = diff.get("test_function_name") or diff.get("test_src_code") or f"test {number}"
        lines.append(f"- {_clip(str(name), 2_000)}: original {original}, optimized {candidate}")
        for key in ("candidate_pytest_error", "original_pytest_error"):
            if error := diff.get(key):
                lines.append(f"  {key.split('_')[0]} output: {_clip(str(error), 2_000)}")
    return "\n".join(lines) or "(the client reported no details)"


def _previous_candidates(candidates: object) -> str:
    if not isinstance(candidates, Sequence) or isinstance(candidates, str):
        return "(none)"
    parts = []
    for number, candidate in enumerate(candidates, 1):
        if not isinstance(candidate, Mapping):
            continue
        outcome = candidate.get("speedup") or candidate.get("error") or "unknown result"
        parts.append(
            f"### Attempt {number}: {outcome}\n{_clip(str(candidate.get('source_code', '')))}\n"
            f"{_clip(str(candidate.get('explanation') or ''), 1_000)}"
        )
    return "\n\n".join(parts) or "(none)"


def _optimize(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    return Prompt(template("optimize_system").format(**fields), template("optimize_user").format(**fields))


def _refine(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    details = request.details
    return Prompt(
        template("optimize_system").format(**fields),
        template("refine_user").format(
            **fields,
            original_runtime=_text(details, "original_code_runtime", "runtime unknown"),
            optimized_markdown=_text(details, "optimized_source_code"),
            optimized_runtime=_text(details, "optimized_code_runtime", "runtime unknown"),
            speedup=_text(details, "speedup", "unknown"),
            optimized_explanation=_clip(_text(details, "optimized_explanation")),
        ),
    )


def _repair(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    return Prompt(
        template("optimize_system").format(**fields),
        template("repair_user").format(
            **fields,
            modified_markdown=_text(request.details, "modified_source_code"),
            test_diffs=_test_diffs(request.details.get("test_diffs")),
        ),
    )


def _adaptive(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    return Prompt(
        template("optimize_system").format(**fields),
        template("adaptive_user").format(
            **fields, previous_candidates=_previous_candidates(request.details.get("candidates"))
        ),
    )


def _testgen(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    helpers = request.details.get("helper_function_names") or ()
    helper_note = (
        "It calls these helpers of the same package, which the tests must not redefine: "
        + ", ".join(f"`{helper}`" for helper in helpers)
        + "."
        if helpers
        else ""
    )
    return Prompt(
        template("testgen_system").format(**fields),
        template("testgen_user").format(
            **fields,
            module_path=_text(request.details, "module_path", "shown below"),
            helper_note=helper_note,
        ),
    )


def _no_line_profiler(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    raise UnsupportedTaskError("Go has no line profiler: the client never asks for line-profiled candidates")


def _no_jit(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    raise UnsupportedTaskError("JIT rewrites are for numerical Python only")


def _not_yet(request: TaskRequest, fields: dict[str, str]) -> Prompt:
    raise LanguageNotImplementedError(f"{request.task} is not implemented for Go yet")


_BUILDERS: dict[Task, Callable[[TaskRequest, dict[str, str]], Prompt]] = {
    Task.OPTIMIZE: _optimize,
    Task.REFINE: _refine,
    Task.CODE_REPAIR: _repair,
    Task.ADAPTIVE_OPTIMIZE: _adaptive,
    Task.TESTGEN: _testgen,
    Task.OPTIMIZE_LINE_PROFILER: _no_line_profiler,
    Task.JIT_REWRITE: _no_jit,
    Task.TESTGEN_REVIEW: _not_yet,
    Task.TESTGEN_REPAIR: _not_yet,
}


def build_prompt(request: TaskRequest) -> Prompt:
    return _BUILDERS[request.task](request, _common_fields(request))
