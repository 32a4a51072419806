"""Prompts for each task, filled from the request."""

from codeflash_engine.domain import Prompt, Task, TaskRequest
from codeflash_engine.errors import LanguageNotImplementedError
from codeflash_lang_python.markdown import render_files
from codeflash_lang_python.prompt_templates import template

OPTIMIZING_TASKS = frozenset({Task.OPTIMIZE, Task.OPTIMIZE_LINE_PROFILER})


def _python_version(request: TaskRequest) -> str:
    return request.language_version or "3.11"


def _qualified_name(request: TaskRequest) -> str:
    if request.target is not None:
        return request.target.qualified_name
    return str(request.details.get("qualified_name") or "the function in the code below")


def build_prompt(request: TaskRequest) -> Prompt:
    fields = {
        "qualified_name": _qualified_name(request),
        "python_version": _python_version(request),
        "source_markdown": render_files(request.files),
        "dependency_code": request.dependency_code or "(none)",
    }
    if request.task in OPTIMIZING_TASKS:
        profile = request.details.get("line_profiler_results") or ""
        extra = f"\nLine profiler results of the original code:\n{profile}\n" if profile else ""
        return Prompt(
            system=template("optimize_system").format(**fields),
            user=template("optimize_user").format(**fields, extra_sections=extra),
        )
    if request.task is Task.TESTGEN:
        module_path = str(request.details.get("module_path", ""))
        test_path = str(request.details.get("test_module_path", "test_generated")).replace(".", "/") + ".py"
        return Prompt(
            system=template("testgen_system").format(test_path=test_path),
            user=template("testgen_user").format(**fields, module_path=module_path),
        )
    raise LanguageNotImplementedError(
        f"task '{request.task}' is not implemented yet for python by codeflash-lang-python"
    )
