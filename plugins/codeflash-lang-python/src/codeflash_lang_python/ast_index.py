"""Fast facts about a parsed module, with ``ast``: its definitions, imports and the names it uses."""

import ast
from collections.abc import Iterable, Iterator

from attrs import frozen

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
StatementPath = tuple[int, ...]
"""Where a statement sits: ``(i,)`` is ``module.body[i]``, ``(i, j)`` is ``module.body[i].body[j]``."""


@frozen
class LocatedDefinition:
    qualified_name: str
    path: StatementPath
    node: Definition


def iter_definitions(tree: ast.Module) -> Iterator[LocatedDefinition]:
    """Top-level functions and classes and, recursively, the methods and classes of classes.

    Functions nested inside functions are part of their parent: the client replaces top-level
    functions and methods, never an inner function on its own.
    """
    stack: list[tuple[str, StatementPath, list[ast.stmt]]] = [("", (), tree.body)]
    while stack:
        prefix, parent_path, body = stack.pop()
        for index, statement in enumerate(body):
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                path = (*parent_path, index)
                yield LocatedDefinition(prefix + statement.name, path, statement)
                if isinstance(statement, ast.ClassDef):
                    stack.append((f"{prefix}{statement.name}.", path, statement.body))


def definitions_by_name(tree: ast.Module) -> dict[str, LocatedDefinition]:
    """Qualified name -> definition; a redefinition wins, as it does at run time."""
    return {definition.qualified_name: definition for definition in iter_definitions(tree)}


def import_bindings(statements: Iterable[ast.stmt]) -> dict[str, str]:
    """Name bound by each top-level import -> a one-name import statement that binds it."""
    bindings: dict[str, str] = {}
    for statement in statements:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                bound = alias.asname or alias.name.split(".")[0]
                bindings[bound] = ast.unparse(ast.Import(names=[alias]))
        elif isinstance(statement, ast.ImportFrom) and statement.module != "__future__":
            for alias in statement.names:
                if alias.name != "*":
                    bindings[alias.asname or alias.name] = ast.unparse(
                        ast.ImportFrom(module=statement.module, names=[alias], level=statement.level)
                    )
    return bindings


def loaded_names(nodes: Iterable[ast.AST]) -> set[str]:
    """Every name read anywhere under ``nodes`` (attribute roots included)."""
    return {
        node.id
        for root in nodes
        for node in ast.walk(root)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }


def bound_names(nodes: Iterable[ast.AST]) -> set[str]:
    """Every name anything under ``nodes`` binds: assignments, defs, imports, parameters, handlers."""
    names: set[str] = set()
    for root in nodes:
        for node in ast.walk(root):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                names.add(node.id)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
            elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
                names.add(node.name)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                names.add(node.rest)
    return names


def call_root_name(call: ast.Call) -> str | None:
    """``f`` for ``f(...)``, ``obj`` for ``obj.method(...)``; ``None`` for anything else."""
    func = call.func
    while isinstance(func, ast.Attribute):
        func = func.value
    return func.id if isinstance(func, ast.Name) else None
