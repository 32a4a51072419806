"""Which calls in a test module are calls of the function under test."""

import libcst as cst
from attrs import frozen

from codeflash_lang_python.testgen.target import TestgenTarget


@frozen
class TargetCallMatcher:
    """Matches ``f(...)`` (or an alias) for functions and ``<anything>.f(...)`` for functions and methods.

    The attribute form covers ``obj.method(...)``, ``Cls.method(...)`` and ``module.f(...)``; the
    receiver is not checked because tests reach instances through fixtures and locals.
    """

    function_name: str
    plain_names: frozenset[str]

    def matches(self, call: cst.Call) -> bool:
        func = call.func
        if isinstance(func, cst.Name):
            return func.value in self.plain_names
        return isinstance(func, cst.Attribute) and func.attr.value == self.function_name


def _aliases(module: cst.Module, module_path: str, name: str) -> set[str]:
    """Local names of ``from <module_path> import name as alias`` lines."""
    aliases: set[str] = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                continue
            if small.module is None or cst.Module([]).code_for_node(small.module) != module_path:
                continue
            aliases |= {
                alias.evaluated_alias
                for alias in small.names
                if alias.evaluated_name == name and alias.evaluated_alias
            }
    return aliases


def matcher_for(module: cst.Module, target: TestgenTarget) -> TargetCallMatcher:
    if target.is_method:
        return TargetCallMatcher(target.function_name, frozenset())
    names = {target.function_name, *_aliases(module, target.module_path, target.function_name)}
    return TargetCallMatcher(target.function_name, frozenset(names))
