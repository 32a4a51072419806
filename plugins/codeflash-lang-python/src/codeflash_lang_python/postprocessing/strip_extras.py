"""Step 2: strip what is not part of the optimization.

LLMs like to show their work: a ``if __name__ == "__main__":`` demo, a pytest function, an example
call, a ``print`` of the result. The client would paste module-level statements into the user's
file, so anything at module level that the original does not have and that only demonstrates or
tests the code goes. Module-level code that may be part of the optimization (a precomputed table,
a compiled regex) stays.
"""

import ast

from codeflash_lang_python.ast_index import StatementPath, call_root_name, loaded_names
from codeflash_lang_python.postprocessing.working import OriginalFile, WorkingFile

DEBUG_PRINTERS = frozenset({"print", "pprint", "pp", "breakpoint"})


def is_main_guard(statement: ast.stmt) -> bool:
    """``if __name__ == "__main__":``, either way round."""
    if not isinstance(statement, ast.If) or not isinstance(statement.test, ast.Compare):
        return False
    test = statement.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    has_name = any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides)
    has_main = any(isinstance(side, ast.Constant) and side.value == "__main__" for side in sides)
    return has_name and has_main


def is_test_definition(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
        return statement.name.startswith("test")
    if isinstance(statement, ast.ClassDef):
        return statement.name.startswith("Test") or any(_names_test_case(base) for base in statement.bases)
    return False


def _names_test_case(base: ast.expr) -> bool:
    return (isinstance(base, ast.Attribute) and base.attr == "TestCase") or (
        isinstance(base, ast.Name) and base.id == "TestCase"
    )


def _calls(node: ast.AST) -> list[ast.Call]:
    return [call for call in ast.walk(node) if isinstance(call, ast.Call)]


def _prints(node: ast.AST) -> bool:
    return any(call_root_name(call) in DEBUG_PRINTERS for call in _calls(node))


def _calls_module_code(node: ast.AST, module_names: set[str]) -> bool:
    return any(call_root_name(call) in module_names for call in _calls(node))


def _is_demo_statement(statement: ast.stmt, module_names: set[str]) -> bool:
    """A call, assert or loop that only exercises the module's own code or prints."""
    if isinstance(statement, ast.Assert):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call | ast.Await):
        return _prints(statement) or _calls_module_code(statement, module_names)
    if isinstance(statement, ast.For | ast.AsyncFor | ast.While | ast.With):
        return _prints(statement)
    return False


def _defined_names(tree: ast.Module, original: OriginalFile | None) -> set[str]:
    names = {
        statement.name
        for statement in tree.body
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    if original is not None:
        names.update(name.split(".")[0] for name in original.definitions)
    return names


def strip_extras(file: WorkingFile, original: OriginalFile | None) -> WorkingFile:
    """Mark the file's non-optimization module-level statements as removed."""
    original_dumps = original.top_level_dumps if original is not None else frozenset()
    original_names = set(original.definitions) if original is not None else set()
    module_names = _defined_names(file.tree, original)
    removed: set[StatementPath] = set()
    for index, statement in enumerate(file.tree.body):
        if is_test_definition(statement):
            if getattr(statement, "name", "") not in original_names:
                removed.add((index,))
        elif (is_main_guard(statement) or _is_demo_statement(statement, module_names)) and ast.dump(
            statement
        ) not in original_dumps:
            removed.add((index,))
    file = file.remove(frozenset(removed))
    return file.remove(_unused_demo_results(file, module_names, original_dumps))


def _unused_demo_results(
    file: WorkingFile, module_names: set[str], original_dumps: frozenset[str]
) -> frozenset[StatementPath]:
    """``result = target(10)`` whose ``result`` only fed a removed ``print``."""
    kept = file.kept_top_level()
    used = loaded_names(kept)
    removed: set[StatementPath] = set()
    for index, statement in enumerate(file.tree.body):
        if file.is_removed((index,)) or not isinstance(statement, ast.Assign):
            continue
        if not isinstance(statement.value, ast.Call):
            continue
        targets = {target.id for target in statement.targets if isinstance(target, ast.Name)}
        if (
            len(targets) == len(statement.targets)
            and call_root_name(statement.value) in module_names
            and not targets & used
            and ast.dump(statement) not in original_dumps
        ):
            removed.add((index,))
    return frozenset(removed)
