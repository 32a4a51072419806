"""``build_context``: the prompts for the tasks Toy supports."""

from codeflash_engine.domain import Prompt, Task, TaskRequest
from codeflash_engine.errors import LanguageNotImplementedError, UnsupportedTaskError

LANGUAGE_GUIDE = (
    "Toy has one statement per line: `fn name(params) = expression`, `let name = expression` and "
    "`assert expression == expression`; expressions use numbers, names, calls, parentheses and "
    "+ - * / %. Comments start with #."
)

OPTIMIZE_SYSTEM = (
    "You make Toy code faster without changing what it computes.\n"
    f"{LANGUAGE_GUIDE}\n"
    "Answer with the whole file in one fenced block tagged with its path: ```toy:<path>"
)

TESTGEN_SYSTEM = (
    "You write regression tests in Toy as `assert` statements.\n"
    f"{LANGUAGE_GUIDE}\n"
    "Answer with the test file in one fenced block tagged ```toy"
)


def _code(request: TaskRequest) -> str:
    return "\n".join(f"```toy:{file.path or 'main.toy'}\n{file.code.rstrip()}\n```" for file in request.files)


def _target(request: TaskRequest) -> str:
    return request.target.qualified_name if request.target is not None else "the code below"


def build_prompt(request: TaskRequest) -> Prompt:
    if request.task in (Task.OPTIMIZE, Task.OPTIMIZE_LINE_PROFILER):
        return Prompt(system=OPTIMIZE_SYSTEM, user=f"Optimize {_target(request)}.\n\n{_code(request)}")
    if request.task is Task.TESTGEN:
        return Prompt(
            system=TESTGEN_SYSTEM,
            user=f"Write tests for {_target(request)}.\n\n{_code(request)}",
        )
    if request.task is Task.JIT_REWRITE:
        raise UnsupportedTaskError("Toy has no JIT compiler to rewrite for")
    raise LanguageNotImplementedError(f"task {request.task} is not implemented for toy yet")
