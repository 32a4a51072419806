"""Remove module-level definitions nothing uses.

Leftovers (a helper the LLM wrote and never called, the scaffolding of a removed redefinition) cost
import time in every benchmark loop and can fail on the client for no reason.
"""

import libcst as cst

from codeflash_lang_python.testgen.transforms.names import (
    decorator_names,
    defined_name,
    is_test_class,
    is_test_function,
    names_in,
)

# Names pytest looks up by convention rather than through a reference in the module.
_PYTEST_MAGIC = frozenset(
    {"pytestmark", "pytest_plugins", "setup_module", "teardown_module", "setup_function", "teardown_function"}
)


def _always_kept(statement: cst.CSTNode, name: str) -> bool:
    if is_test_function(statement) or is_test_class(statement) or name in _PYTEST_MAGIC:
        return True
    # Fixtures are reached through parameter names, hooks through pytest: keep anything decorated so.
    return isinstance(statement, cst.FunctionDef) and bool(
        decorator_names(statement) & {"fixture", "hookimpl"}
    )


def remove_unused_definitions(module: cst.Module) -> cst.Module:
    body = list(module.body)
    changed = True
    while changed:  # removing one definition can orphan the ones only it used
        changed = False
        for index, statement in enumerate(body):
            name = defined_name(statement)
            if name is None or _always_kept(statement, name):
                continue
            used_elsewhere = any(name in names_in(other) for i, other in enumerate(body) if i != index)
            if not used_elsewhere:
                del body[index]
                changed = True
                break
    return module.with_changes(body=body)
