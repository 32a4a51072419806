"""Turn assertions on capped data into plain calls of the function under test.

An LLM writes ``data = [i % 7 for i in range(10**8)]`` and ``assert f(data) == 42857142``. Once the
range is capped the expected value no longer applies: the assertion would fail on the original code
and the released client would drop the test. The client compares the return values of the original
and a candidate itself (one recorded row per call), so the assertion becomes ``f(data)``: the call
the instrumentation records stays, the comparison with a number computed for other data goes.
Assertions that do not depend on a capped size are kept as written.

Dependence is followed statement by statement through each function: a name becomes *tainted* when a
statement binding or mutating it (``x = ...``, ``x += ...``, ``x[i] = ...``, ``x.append(...)``) uses
a capped node or a tainted name, and a function (a fixture, a helper) when its body does, so a test
parameter named after a tainted fixture is tainted too. A loop whose iteration count was capped runs
a prefix of its original iterations: assertions inside it still hold, but everything it binds or
mutates is tainted after it. Assertions are ``assert`` statements and ``assert*(...)`` calls
(``self.assertEqual``, ``np.testing.assert_allclose``); one that depends on tainted data keeps the
calls of the function under test it contains, in order (a comprehension calling it is kept whole, a
generator expression as a list so it runs), and is dropped if it has none.
"""

from collections.abc import Sequence

import libcst as cst

from codeflash_lang_python.testgen.transforms.bounds import CallPredicate, contains_call
from codeflash_lang_python.testgen.transforms.names import is_test_function

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_MUTATED_RECEIVER = (cst.Attribute, cst.Subscript)


class _Uses(cst.CSTVisitor):
    """Whether a node contains a capped node or reads a tainted name (attribute and keyword names
    are not variables, so ``obj.data`` does not read ``data``)."""

    def __init__(self, capped: frozenset[cst.CSTNode], tainted: set[str]) -> None:
        self.capped = capped
        self.tainted = tainted
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.found:
            return False
        if node in self.capped or (isinstance(node, cst.Name) and node.value in self.tainted):
            self.found = True
            return False
        if isinstance(node, cst.Attribute):
            node.value.visit(self)
            return False
        if isinstance(node, cst.Arg):
            node.value.visit(self)
            return False
        return True


def _base_name(node: cst.BaseExpression) -> str | None:
    """``data`` for ``data``, ``data[i]``, ``data.items``, ``data[i].x``."""
    while isinstance(node, _MUTATED_RECEIVER):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _target_names(node: cst.BaseExpression) -> set[str]:
    if isinstance(node, cst.Tuple | cst.List):
        return {name for element in node.elements for name in _target_names(element.value)}
    if isinstance(node, cst.StarredElement):
        return _target_names(node.value)
    name = _base_name(node)
    return {name} if name else set()


class _BoundNames(cst.CSTVisitor):
    """Names a block binds or mutates: assignment and loop targets, ``with ... as``, receivers of
    method calls made as statements (``acc.append(x)``)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.names |= _target_names(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.names |= _target_names(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.names |= _target_names(node.target)

    def visit_For(self, node: cst.For) -> None:
        self.names |= _target_names(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        if isinstance(node.name, cst.BaseExpression):
            self.names |= _target_names(node.name)

    def visit_Expr(self, node: cst.Expr) -> None:
        if _is_assertion_call(node):  # ``self.assertEqual(...)`` does not change ``self``
            return
        if isinstance(node.value, cst.Call) and isinstance(node.value.func, cst.Attribute):
            name = _base_name(node.value.func.value)
            if name:
                self.names.add(name)


def _bound_names(node: cst.CSTNode) -> set[str]:
    collector = _BoundNames()
    node.visit(collector)
    return collector.names


def _is_assertion_call(node: cst.BaseSmallStatement) -> bool:
    if not (isinstance(node, cst.Expr) and isinstance(node.value, cst.Call)):
        return False
    func = node.value.func
    name = (
        func.value
        if isinstance(func, cst.Name)
        else func.attr.value
        if isinstance(func, cst.Attribute)
        else ""
    )
    return name.startswith("assert")


class _Relaxer:
    def __init__(self, capped: frozenset[cst.CSTNode], is_target_call: CallPredicate) -> None:
        self.capped = capped
        self.is_target_call = is_target_call

    def uses(self, node: cst.CSTNode, tainted: set[str]) -> bool:
        visitor = _Uses(self.capped, tainted)
        node.visit(visitor)
        return visitor.found

    def _calls_target(self, node: cst.CSTNode) -> bool:
        return contains_call(node, self.is_target_call)

    def kept_calls(self, node: cst.CSTNode) -> list[cst.BaseExpression] | None:
        """The expressions of ``node`` to evaluate so its calls of the target still happen, in source
        order; ``None`` when a call sits where it cannot be lifted out (a lambda)."""
        if isinstance(node, cst.Call) and self.is_target_call(node):
            return [node]
        if isinstance(node, _COMPREHENSIONS) and self._calls_target(node):
            if isinstance(node, cst.GeneratorExp):
                return [cst.ListComp(elt=node.elt, for_in=node.for_in)]
            return [node]
        if isinstance(node, cst.Lambda) and self._calls_target(node):
            return None
        kept: list[cst.BaseExpression] = []
        for child in node.children:
            inner = self.kept_calls(child)
            if inner is None:
                return None
            kept.extend(inner)
        return kept

    def relaxed(self, checked: cst.BaseExpression) -> list[cst.BaseSmallStatement]:
        calls = self.kept_calls(checked)
        if calls is None:  # evaluate the whole check, without asserting on it
            return [cst.Expr(checked)]
        return [cst.Expr(call) for call in calls]

    def small_statement(
        self, small: cst.BaseSmallStatement, tainted: set[str], straight_line: bool
    ) -> list[cst.BaseSmallStatement]:
        if isinstance(small, cst.Assert):
            return self.relaxed(small.test) if self.uses(small.test, tainted) else [small]
        if _is_assertion_call(small):
            call = cst.ensure_type(cst.ensure_type(small, cst.Expr).value, cst.Call)
            if any(self.uses(arg, tainted) for arg in call.args):
                return self.relaxed(cst.Tuple([cst.Element(arg.value) for arg in call.args]))
            return [small]
        if isinstance(small, cst.Assign | cst.AugAssign | cst.AnnAssign):
            names = _bound_names(small)
            if small.value is not None and self.uses(small.value, tainted):
                tainted |= names
            elif straight_line and isinstance(small, cst.Assign):
                # Rebound to fresh data on every path: no longer capped (``x[i] = v`` keeps ``x``'s state).
                tainted -= {
                    target.target.value for target in small.targets if isinstance(target.target, cst.Name)
                }
            return [small]
        if isinstance(small, cst.Expr) and self.uses(small, tainted):
            tainted |= _bound_names(small)
        return [small]

    def simple_line(
        self, line: cst.SimpleStatementLine, tainted: set[str], straight_line: bool
    ) -> list[cst.BaseStatement]:
        smalls = [new for small in line.body for new in self.small_statement(small, tainted, straight_line)]
        if len(smalls) == len(line.body) and all(a is b for a, b in zip(smalls, line.body, strict=True)):
            return [line]
        return [
            cst.SimpleStatementLine(
                body=[small.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)],
                leading_lines=line.leading_lines if index == 0 else (),
            )
            for index, small in enumerate(smalls)
        ]

    def block(
        self, body: Sequence[cst.BaseStatement], tainted: set[str], straight_line: bool
    ) -> list[cst.BaseStatement]:
        out: list[cst.BaseStatement] = []
        for statement in body:
            out.extend(self.statement(statement, tainted, straight_line))
        return out

    def suite(self, suite: cst.BaseSuite, tainted: set[str], straight_line: bool) -> cst.BaseSuite:
        if isinstance(suite, cst.SimpleStatementSuite):  # ``if x: assert f(x) == 1``
            smalls = [
                new for small in suite.body for new in self.small_statement(small, tainted, straight_line)
            ]
            return suite.with_changes(
                body=[small.with_changes(semicolon=cst.MaybeSentinel.DEFAULT) for small in smalls]
                or [cst.Pass()]
            )
        body = self.block(cst.ensure_type(suite, cst.IndentedBlock).body, tainted, straight_line)
        return suite.with_changes(body=body or [cst.SimpleStatementLine([cst.Pass()])])

    def loop_body(self, suite: cst.BaseSuite, tainted: set[str]) -> cst.BaseSuite:
        # A later iteration sees what an earlier one tainted: run once for the taint, then relax.
        self.suite(suite, tainted, straight_line=False)
        return self.suite(suite, tainted, straight_line=False)

    def statement(
        self, statement: cst.BaseStatement, tainted: set[str], straight_line: bool
    ) -> list[cst.BaseStatement]:
        if isinstance(statement, cst.SimpleStatementLine):
            return self.simple_line(statement, tainted, straight_line)
        if isinstance(statement, cst.For):
            capped_iteration = self.uses(statement.iter, tainted)
            if capped_iteration and statement.iter not in self.capped:
                # Capped data, not a capped count: its elements may differ too (shorter rows).
                tainted |= _target_names(statement.target)
            body = self.loop_body(statement.body, tainted)
            if capped_iteration:  # after the loop: what it built, and where its variable stopped
                tainted |= _bound_names(statement.body) | _target_names(statement.target)
            return [statement.with_changes(body=body, orelse=self.else_part(statement.orelse, tainted))]
        if isinstance(statement, cst.While):
            capped_count = self.uses(statement.test, tainted)
            body = self.loop_body(statement.body, tainted)
            if capped_count:
                tainted |= _bound_names(statement.body)
            return [statement.with_changes(body=body, orelse=self.else_part(statement.orelse, tainted))]
        if isinstance(statement, cst.If):
            body = self.suite(statement.body, tainted, straight_line=False)
            orelse: cst.If | cst.Else | None = statement.orelse
            if isinstance(orelse, cst.If):
                orelse = cst.ensure_type(self.statement(orelse, tainted, straight_line=False)[0], cst.If)
            else:
                orelse = self.else_part(orelse, tainted)
            return [statement.with_changes(body=body, orelse=orelse)]
        if isinstance(statement, cst.With):
            if any(self.uses(item.item, tainted) for item in statement.items):
                tainted |= {
                    name for item in statement.items if item.asname for name in _bound_names(item.asname)
                }
            return [statement.with_changes(body=self.suite(statement.body, tainted, straight_line))]
        if isinstance(statement, cst.Try):
            return [
                statement.with_changes(
                    body=self.suite(statement.body, tainted, straight_line=False),
                    handlers=[
                        handler.with_changes(body=self.suite(handler.body, tainted, straight_line=False))
                        for handler in statement.handlers
                    ],
                    orelse=self.else_part(statement.orelse, tainted),
                    finalbody=statement.finalbody
                    and statement.finalbody.with_changes(
                        body=self.suite(statement.finalbody.body, tainted, straight_line=False)
                    ),
                )
            ]
        if isinstance(statement, cst.FunctionDef):
            if self.uses(statement.body, tainted):
                tainted.add(statement.name.value)
            return [statement.with_changes(body=self.suite(statement.body, set(tainted), straight_line=True))]
        return [statement]

    def else_part(self, orelse: cst.Else | None, tainted: set[str]) -> cst.Else | None:
        if orelse is None:
            return None
        return orelse.with_changes(body=self.suite(orelse.body, tainted, straight_line=False))


def _class_body(node: cst.ClassDef) -> Sequence[cst.BaseStatement]:
    return node.body.body if isinstance(node.body, cst.IndentedBlock) else ()


def _module_taint(relaxer: _Relaxer, module: cst.Module) -> set[str]:
    """Module-level names (data, fixtures, helpers) that depend on capped sizes, to a fixed point."""
    tainted: set[str] = set()
    while True:
        before = set(tainted)
        for statement in module.body:
            functions: Sequence[cst.BaseStatement] = [statement]
            if isinstance(statement, cst.ClassDef):  # fixtures and helpers of a test class
                functions = _class_body(statement)
            for function in functions:
                if (
                    isinstance(function, cst.FunctionDef)
                    and not is_test_function(function)
                    and relaxer.uses(function.body, tainted)
                ):
                    tainted.add(function.name.value)
            if isinstance(statement, cst.SimpleStatementLine):
                relaxer.simple_line(statement, tainted, straight_line=False)
        if tainted == before:
            return tainted


class _FunctionRewriter(cst.CSTTransformer):
    def __init__(self, relaxer: _Relaxer, tainted: set[str]) -> None:
        self.relaxer = relaxer
        self.tainted = tainted
        self.class_taint: list[set[str]] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        # ``setup_method``/``setUp``/a fixture method storing capped data on ``self``: attributes are
        # not followed one by one, so every use of ``self`` in the class's tests depends on it.
        stores_capped_data = any(
            isinstance(method, cst.FunctionDef)
            and not is_test_function(method)
            and self.relaxer.uses(method.body, self.tainted)
            for method in _class_body(node)
        )
        self.class_taint.append({"self"} if stores_capped_data else set())

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        self.class_taint.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # nested functions are handled with their enclosing function's taint

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        tainted = self.tainted | (self.class_taint[-1] if self.class_taint else set())
        if any(self.relaxer.uses(decorator, tainted) for decorator in updated_node.decorators):
            # ``@pytest.mark.parametrize("data", [list(range(10**8))])``: the parameters carry it.
            params = updated_node.params
            tainted |= {param.name.value for param in (*params.params, *params.kwonly_params)}
        body = self.relaxer.suite(updated_node.body, tainted, straight_line=True)
        return updated_node.with_changes(body=body)


def relax_capped_assertions(
    module: cst.Module, capped: frozenset[cst.CSTNode], is_target_call: CallPredicate
) -> cst.Module:
    """Relax the assertions of ``module`` that depend on the ``capped`` nodes (see the module doc)."""
    if not capped:
        return module
    relaxer = _Relaxer(capped, is_target_call)
    return module.visit(_FunctionRewriter(relaxer, _module_taint(relaxer, module)))
