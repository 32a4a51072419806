"""Canonical text of Python code for equality checks: docstrings dropped, local names canonicalized.

The client de-duplicates candidates with its own key (docstrings removed, assigned names renamed to
``var_0, var_1 ...`` per function/class scope, parameters, builtins, imported and ``global`` names
kept). If our key were finer than the client's, the client would silently throw away candidates we
counted as distinct, so this key applies the same renaming rules and is coarser where it differs:
docstrings are dropped at every depth, and formatting, comments, parentheses and string-prefix
spelling never reach the key. ``ast`` only: this runs on every candidate and libcst is ~10x slower.
"""

import ast
import builtins
from collections.abc import Iterable

from attrs import define, field

_BUILTINS = frozenset(dir(builtins))
_SKIPPED_FIELDS = frozenset({"ctx", "kind", "type_comment"})
_DOCSTRING_OWNERS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _parameter_names(arguments: ast.arguments) -> set[str]:
    # Positional-only parameters are left renamable on purpose: the client's key does not protect
    # them, and ours must merge at least everything the client merges.
    names = {arg.arg for arg in (*arguments.args, *arguments.kwonlyargs)}
    names.update(arg.arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None)
    return names


@define
class _Canonicalizer:
    """Writes a node as text, renaming local names as it goes (one instance per key)."""

    mapping: dict[str, str] = field(factory=dict)
    counter: int = 0
    parameters: set[str] = field(factory=set)
    imported: set[str] = field(factory=set)
    declared: set[str] = field(factory=set)
    parts: list[str] = field(factory=list)

    def _protected(self, name: str) -> bool:
        return name in _BUILTINS or name in self.imported or name in self.declared or name in self.parameters

    def _canonical(self, name: str) -> str:
        if self._protected(name):
            return name
        if name not in self.mapping:
            self.mapping[name] = f"var_{self.counter}"
            self.counter += 1
        return self.mapping[name]

    def write(self, node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            self._write_name(node)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            self._write_scope(node)
        elif isinstance(node, ast.comprehension):
            saved = (dict(self.mapping), self.counter)
            self._write_fields(node)
            self.mapping, self.counter = saved
        else:
            self._record_bindings(node)
            self._write_fields(node)

    def _write_name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.parts.append(self.mapping.get(node.id, node.id))
        else:
            self.parts.append(self._canonical(node.id))

    def _record_bindings(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            self.imported.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            self.imported.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            self.declared.update(node.names)

    def _write_scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        saved = (dict(self.mapping), self.counter, set(self.parameters))
        if not isinstance(node, ast.ClassDef):
            self.parameters |= _parameter_names(node.args)
        self._write_fields(node)
        self.mapping, self.counter, self.parameters = saved

    def _write_fields(self, node: ast.AST) -> None:
        self.parts.append(type(node).__name__)
        self.parts.append("(")
        for name in node._fields:
            if name in _SKIPPED_FIELDS:
                continue
            value = getattr(node, name, None)
            if isinstance(node, ast.ExceptHandler) and name == "name" and value:
                value = self._canonical(value)
            if name == "body" and isinstance(node, _DOCSTRING_OWNERS) and value and _is_docstring(value[0]):
                value = value[1:]
            self._write_value(value)
            self.parts.append(",")
        self.parts.append(")")

    def _write_value(self, value: object) -> None:
        if isinstance(value, ast.AST):
            self.write(value)
        elif isinstance(value, list):
            self.parts.append("[")
            for item in value:
                self._write_value(item)
                self.parts.append(";")
            self.parts.append("]")
        else:
            self.parts.append(repr(value))


def canonical_key(statements: Iterable[ast.stmt], imported: Iterable[str] = ()) -> str:
    """The key of a sequence of statements (a whole module, or one definition).

    ``imported`` names the module's imports when a single definition is keyed on its own, so names
    the module imports stay protected as they are in a whole-module key.
    """
    canonicalizer = _Canonicalizer(imported=set(imported))
    for statement in statements:
        if _is_docstring(statement):
            continue
        canonicalizer.write(statement)
        canonicalizer.parts.append("\n")
    return "".join(canonicalizer.parts)


def source_key(code: str) -> str:
    """The key of source text; text that does not parse is its own key (as on the client)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return code
    return canonical_key(tree.body)
