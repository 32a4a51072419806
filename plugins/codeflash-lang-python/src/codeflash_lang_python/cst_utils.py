"""libcst helpers that apply the postprocessing's edits to a module.

Decisions are taken on ``ast`` (fast); libcst only applies them, losslessly, so comments and
formatting of everything kept survive. Statements are addressed by ``ast`` position
(``StatementPath``): a libcst ``SimpleStatementLine`` holding ``a = 1; b = 2`` is two ``ast``
statements, so positions are translated by counting, never by matching text.
Only hand libcst code that passed ``validation.check_source``: its native parser crashes the
process on inputs ``ast`` rejects.
"""

from collections.abc import Mapping, Sequence

import libcst as cst

from codeflash_lang_python.ast_index import StatementPath

_CompoundOrSimple = cst.BaseStatement | cst.BaseSmallStatement


def _group_by_first(paths: frozenset[StatementPath]) -> dict[int, frozenset[StatementPath]]:
    groups: dict[int, set[StatementPath]] = {}
    for path in paths:
        groups.setdefault(path[0], set()).add(path[1:])
    return {index: frozenset(rest) for index, rest in groups.items()}


def _without_leading_blank_lines(statement: _CompoundOrSimple) -> _CompoundOrSimple:
    """A statement that moved up to the top of its block keeps its comments, not its spacing."""
    leading = getattr(statement, "leading_lines", ())
    if not leading or not isinstance(statement, cst.BaseStatement):
        return statement
    return statement.with_changes(leading_lines=[line for line in leading if line.comment is not None])


def _remove_in_body(
    body: Sequence[_CompoundOrSimple], removals: Mapping[int, frozenset[StatementPath]]
) -> list[_CompoundOrSimple]:
    kept: list[_CompoundOrSimple] = []
    ast_index = 0
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            smalls = [
                small
                for offset, small in enumerate(statement.body)
                if () not in removals.get(ast_index + offset, frozenset())
            ]
            ast_index += len(statement.body)
            if smalls:
                kept.append(
                    statement.with_changes(body=smalls) if len(smalls) != len(statement.body) else statement
                )
            continue
        wanted = removals.get(ast_index, frozenset())
        ast_index += 1
        if () in wanted:
            continue
        if wanted and isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            inner = _remove_in_body(statement.body.body, _group_by_first(wanted))
            if inner:  # a class must keep a body; an emptied one is left as it was
                kept.append(statement.with_changes(body=statement.body.with_changes(body=inner)))
                continue
        kept.append(statement)
    if kept and body and kept[0] is not body[0]:
        kept[0] = _without_leading_blank_lines(kept[0])
    return kept


def remove_statements(module: cst.Module, paths: frozenset[StatementPath]) -> cst.Module:
    """Drop the statements at ``paths`` (``ast`` positions) from the module and its classes."""
    if not paths:
        return module
    body = _remove_in_body(module.body, _group_by_first(paths))
    return module.with_changes(body=body)


def _is_import_line(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, cst.Import | cst.ImportFrom) for small in statement.body
    )


def _is_docstring_line(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def add_imports(module: cst.Module, import_lines: Sequence[str]) -> cst.Module:
    """Insert import statements after the module's leading docstring and import block."""
    if not import_lines:
        return module
    body = list(module.body)
    position = 1 if body and _is_docstring_line(body[0]) else 0
    while position < len(body) and _is_import_line(body[position]):
        position += 1
    new = [cst.parse_statement(line + "\n") for line in import_lines]
    return module.with_changes(body=[*body[:position], *new, *body[position:]])
