"""What the generated tests are about, read once from a testgen request.

The testgen wire fields arrive in ``TaskRequest.details`` by their client names; ``request.target``
may also be set. Everything downstream works from this one small value instead of the raw mapping.
"""

from collections.abc import Mapping
from typing import Any

from attrs import frozen

from codeflash_engine.domain import TaskRequest


class TestgenRequestError(ValueError):
    """The request lacks what testgen postprocessing needs (a function name or module path)."""


@frozen
class TestgenTarget:
    """The function under test and where its tests will live on the client.

    ``qualified_name`` is ``name`` or ``Class.name``; ``class_name`` is the immediate parent class of a
    method. ``helper_imports`` maps each helper to ``(module, module-level name)``, the import a test
    needs to reach it (``helper`` or, for a helper method, its class).
    """

    function_name: str
    qualified_name: str
    module_path: str
    test_module_path: str
    class_name: str | None = None
    is_async: bool = False
    helper_imports: tuple[tuple[str, str], ...] = ()
    codeflash_version: str | None = None

    @property
    def top_level_name(self) -> str:
        """The module-level name tests import: the class for a method, else the function."""
        return self.qualified_name.split(".", 1)[0]

    @property
    def is_method(self) -> bool:
        return self.class_name is not None

    def module_level_imports(self) -> dict[str, str]:
        """Module-level names of the code under test -> the module to import each from."""
        imports = {name: module for module, name in self.helper_imports}
        imports[self.top_level_name] = self.module_path
        return imports


def _parents(function: Mapping[str, Any]) -> list[str]:
    parents = function.get("parents") or []
    return [
        str(parent.get("name")) for parent in parents if isinstance(parent, Mapping) and parent.get("name")
    ]


def _helper_import(name: str, module_path: str) -> tuple[str, str] | None:
    """``mypkg.slow.Cls.helper`` -> ``("mypkg.slow", "Cls")``.

    The client sends fully qualified names without marking where the module ends; for helpers outside
    the module under test we take the first capitalised component as the start of a class (PEP 8 naming).
    """
    prefix = f"{module_path}."
    if name.startswith(prefix):
        return module_path, name[len(prefix) :].split(".", 1)[0]
    parts = name.split(".")
    if len(parts) < 2:
        return None
    split = next((i for i, part in enumerate(parts) if part[:1].isupper()), len(parts) - 1)
    if split == 0:
        return None
    return ".".join(parts[:split]), parts[split]


def target_from_request(request: TaskRequest) -> TestgenTarget:
    details = request.details
    function = details.get("function_to_optimize")
    function = function if isinstance(function, Mapping) else {}
    known = request.target
    name = str(function.get("function_name") or (known.name if known else "") or "")
    parents = _parents(function)
    qualified = str(
        details.get("qualified_name") or (known.qualified_name if known else "") or ".".join([*parents, name])
    )
    if not name:
        name = qualified.rsplit(".", 1)[-1]
    class_name = details.get("class_name") or (known.class_name if known else None)
    if class_name is None and "." in qualified:
        class_name = qualified.rsplit(".", 2)[-2]
    module_path = str(details.get("module_path") or "")
    if not name or not module_path:
        raise TestgenRequestError("testgen needs function_to_optimize.function_name and module_path")
    test_module_path = str(details.get("test_module_path") or f"tests.test_{name}__unit_test_0")
    is_async = bool(
        details.get("is_async") or function.get("is_async") or (known.is_async if known else False)
    )
    helpers = [_helper_import(str(h), module_path) for h in details.get("helper_function_names") or () if h]
    version = details.get("codeflash_version")
    return TestgenTarget(
        function_name=name,
        qualified_name=qualified,
        module_path=module_path,
        test_module_path=test_module_path,
        class_name=str(class_name) if class_name else None,
        is_async=is_async,
        helper_imports=tuple(dict.fromkeys(h for h in helpers if h is not None)),
        codeflash_version=str(version) if version else None,
    )
