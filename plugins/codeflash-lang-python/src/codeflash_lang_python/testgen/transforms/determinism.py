"""Seed the random number generators a test module uses, at the start of every test.

The client runs the same tests against the original and against each candidate in separate processes
and compares every recorded return value: unseeded random inputs make identical code look different.
Seeding per test and fixture (not only once per module) keeps a test's inputs independent of which
tests ran before it and of how many loops the benchmark runner made; the module-level seed covers data
built at import time.
"""

import libcst as cst
import libcst.matchers as m

from codeflash_lang_python.testgen.transforms.names import decorator_names, is_test_class, is_test_function

SEED = 0


def _module_aliases(module: cst.Module, wanted: str) -> set[str]:
    """Local names bound to module ``wanted`` by ``import wanted [as alias]``."""
    aliases: set[str] = set()
    for imp in m.findall(module, m.Import()):
        assert isinstance(imp, cst.Import)
        for alias in imp.names:
            if m.matches(alias.name, m.Name(wanted)):
                aliases.add(alias.evaluated_alias or wanted)
    return aliases


def _uses_stdlib_random(module: cst.Module) -> bool:
    if m.findall(module, m.ImportFrom(module=m.Name("random"))):
        return True
    aliases = _module_aliases(module, "random")
    return any(
        m.findall(module, m.Attribute(value=m.Name(alias), attr=m.Name(m.MatchIfTrue(lambda n: n != "seed"))))
        for alias in aliases
    )


def _numpy_random_users(module: cst.Module) -> set[str]:
    """numpy aliases whose legacy global generator (``np.random.rand``...) the module uses."""
    return {
        alias
        for alias in _module_aliases(module, "numpy")
        if m.findall(module, m.Attribute(value=m.Attribute(value=m.Name(alias), attr=m.Name("random"))))
    }


class _UnseededGeneratorFixer(cst.CSTTransformer):
    """``default_rng()`` / ``random.Random()`` without a seed get one."""

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        name = updated_node.func
        callee = (
            name.attr.value
            if isinstance(name, cst.Attribute)
            else name.value
            if isinstance(name, cst.Name)
            else ""
        )
        if callee in {"default_rng", "Random", "RandomState"} and not updated_node.args:
            return updated_node.with_changes(args=[cst.Arg(cst.Integer(str(SEED)))])
        return updated_node


def _seed_statements(module: cst.Module) -> list[cst.SimpleStatementLine]:
    statements: list[cst.SimpleStatementLine] = []
    if _uses_stdlib_random(module):
        # ``random`` may be bound only by ``from random import x``: the imports step adds ``import random``.
        statements.append(cst.parse_statement(f"random.seed({SEED})"))  # type: ignore[arg-type]
    for alias in sorted(_numpy_random_users(module)):
        statements.append(cst.parse_statement(f"{alias}.random.seed({SEED})"))  # type: ignore[arg-type]
    return statements


def _already_seeds(body: cst.BaseSuite, seed: cst.SimpleStatementLine) -> bool:
    return isinstance(body, cst.IndentedBlock) and any(
        statement.deep_equals(seed) for statement in body.body[:3]
    )


def _with_seeds(function: cst.FunctionDef, seeds: list[cst.SimpleStatementLine]) -> cst.FunctionDef:
    body = function.body
    if not isinstance(body, cst.IndentedBlock):
        return function
    missing = [seed for seed in seeds if not _already_seeds(body, seed)]
    return function.with_changes(body=body.with_changes(body=[*missing, *body.body]))


def _seeded_scope(statement: cst.CSTNode) -> bool:
    return is_test_function(statement) or (
        isinstance(statement, cst.FunctionDef) and "fixture" in decorator_names(statement)
    )


def _after_imports(body: list[cst.BaseStatement]) -> int:
    """Index just past the leading docstring/import block."""
    leading = m.SimpleStatementLine(
        body=[m.AtLeastN(m.Import() | m.ImportFrom() | m.Expr(m.SimpleString()), n=1)]
    )
    return next((i for i, statement in enumerate(body) if not m.matches(statement, leading)), len(body))


def seed_randomness(module: cst.Module) -> cst.Module:
    module = module.visit(_UnseededGeneratorFixer())
    seeds = _seed_statements(module)
    if not seeds:
        return module
    body: list[cst.BaseStatement] = []
    for statement in module.body:
        if _seeded_scope(statement):
            body.append(_with_seeds(cst.ensure_type(statement, cst.FunctionDef), seeds))
        elif isinstance(statement, cst.ClassDef) and is_test_class(statement):
            methods = [
                _with_seeds(inner, seeds)
                if isinstance(inner, cst.FunctionDef) and _seeded_scope(inner)
                else inner
                for inner in cst.ensure_type(statement.body, cst.IndentedBlock).body
            ]
            body.append(statement.with_changes(body=statement.body.with_changes(body=methods)))
        else:
            body.append(statement)
    insert_at = _after_imports(body)
    body[insert_at:insert_at] = seeds
    return module.with_changes(body=body)
