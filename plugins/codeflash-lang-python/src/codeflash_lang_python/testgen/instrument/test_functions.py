"""Apply a rewrite to every test function pytest would collect from a module."""

from collections.abc import Callable

import libcst as cst

from codeflash_lang_python.testgen.transforms.names import is_test_function

# (test function, its class name or None) -> (rewritten function, number of call sites it instrumented)
TestRewrite = Callable[[cst.FunctionDef, str | None], tuple[cst.FunctionDef, int]]


def rewrite_tests(module: cst.Module, rewrite: TestRewrite) -> tuple[cst.Module, int]:
    """Rewrite module-level tests and test methods of module-level classes; count instrumented sites."""
    total = 0
    body: list[cst.BaseStatement] = []
    for statement in module.body:
        new_statement: cst.BaseStatement = statement
        if is_test_function(statement):
            new_statement, count = rewrite(cst.ensure_type(statement, cst.FunctionDef), None)
            total += count
        elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            methods: list[cst.BaseStatement] = []
            for inner in statement.body.body:
                new_inner: cst.BaseStatement = inner
                if is_test_function(inner):
                    new_inner, count = rewrite(cst.ensure_type(inner, cst.FunctionDef), statement.name.value)
                    total += count
                methods.append(new_inner)
            new_statement = statement.with_changes(body=statement.body.with_changes(body=methods))
        body.append(new_statement)
    return module.with_changes(body=body), total
