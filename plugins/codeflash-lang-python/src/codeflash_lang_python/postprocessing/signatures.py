"""Step 3: reject a candidate that drops the target or changes a signature the client keeps.

The client replaces the target and every helper the original defines by taking only the new
body and decorators; the original signature stays. A body written for a renamed, added or
re-defaulted parameter, or for ``async``, would then break at run time.
"""

import ast

from codeflash_lang_python.ast_index import definitions_by_name
from codeflash_lang_python.postprocessing.working import OriginalCode, WorkingCandidate

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def signature_text(function: FunctionNode) -> str:
    """Parameters (kinds, names, defaults), ``async`` and return annotation.

    Parameter annotations are left out: the client keeps the original ones whatever the candidate
    says, so a candidate that only adds type hints is still applied correctly.
    """
    arguments = function.args
    parts = [
        "async" if isinstance(function, ast.AsyncFunctionDef) else "def",
        "posonly:" + ",".join(arg.arg for arg in arguments.posonlyargs),
        "args:" + ",".join(arg.arg for arg in arguments.args),
        "vararg:" + (arguments.vararg.arg if arguments.vararg else ""),
        "kwonly:" + ",".join(arg.arg for arg in arguments.kwonlyargs),
        "kwarg:" + (arguments.kwarg.arg if arguments.kwarg else ""),
        "defaults:" + ",".join(ast.dump(default) for default in arguments.defaults),
        "kwdefaults:" + ",".join(ast.dump(default) if default else "-" for default in arguments.kw_defaults),
        "returns:" + (ast.dump(function.returns) if function.returns else ""),
    ]
    return "|".join(parts)


def signature_problem(candidate: WorkingCandidate, original: OriginalCode) -> str | None:
    """Why the candidate must be dropped, or ``None`` when every kept signature is intact."""
    found_target = False
    replaces_any = False
    for file in candidate.files:
        original_file = original.file(file.path)
        original_definitions = original_file.definitions if original_file is not None else {}
        for name, located in definitions_by_name(file.tree).items():
            if file.is_removed(located.path):
                continue
            found_target = found_target or name == original.target
            before = original_definitions.get(name)
            if before is None:
                continue
            replaces_any = True
            if isinstance(before.node, ast.ClassDef) or isinstance(located.node, ast.ClassDef):
                continue
            if signature_text(before.node) != signature_text(located.node):
                return f"changes the signature of {name}"
    if original.target is not None and not found_target:
        return f"the target function {original.target} is missing"
    if original.target is None and not replaces_any:
        return "defines none of the original's functions"
    return None
