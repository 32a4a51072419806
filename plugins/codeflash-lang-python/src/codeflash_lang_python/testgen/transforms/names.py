"""Name queries the transformations share."""

from collections.abc import Sequence

import libcst as cst
import libcst.matchers as m


class _NameCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


def names_in(node: cst.CSTNode) -> set[str]:
    """Every identifier in ``node``, including attribute names and parameters.

    Deliberately over-approximate: the callers use it to decide what is still *used*, and keeping a
    definition that is not needed is harmless while removing one that is breaks the test.
    """
    collector = _NameCollector()
    node.visit(collector)
    return collector.names


def defined_name(statement: cst.CSTNode) -> str | None:
    """The single name a module-level ``def``/``class``/``name = ...`` statement binds, if any."""
    if isinstance(statement, cst.FunctionDef | cst.ClassDef):
        return statement.name.value
    if m.matches(
        statement,
        m.SimpleStatementLine(
            body=[m.Assign(targets=[m.AssignTarget(target=m.Name())]) | m.AnnAssign(target=m.Name())]
        ),
    ):
        assert isinstance(statement, cst.SimpleStatementLine)
        small = statement.body[0]
        if isinstance(small, cst.Assign):
            return cst.ensure_type(small.targets[0].target, cst.Name).value
        return cst.ensure_type(cst.ensure_type(small, cst.AnnAssign).target, cst.Name).value
    return None


def is_test_function(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.FunctionDef) and node.name.value.startswith("test")


def is_test_class(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.ClassDef) and node.name.value.startswith("Test")


def decorator_names(node: cst.FunctionDef | cst.ClassDef) -> set[str]:
    names: set[str] = set()
    for decorator in node.decorators:
        names |= names_in(decorator)
    return names


def header_end(body: Sequence[cst.BaseStatement]) -> int:
    """Index after a module docstring and ``from __future__`` imports, which must stay first."""
    index = 0
    for statement in body:
        is_docstring = index == 0 and m.matches(
            statement, m.SimpleStatementLine(body=[m.Expr(m.SimpleString())])
        )
        is_future = m.matches(
            statement, m.SimpleStatementLine(body=[m.ImportFrom(module=m.Name("__future__"))])
        )
        if not (is_docstring or is_future):
            break
        index += 1
    return index
