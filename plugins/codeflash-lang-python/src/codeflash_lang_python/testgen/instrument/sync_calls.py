"""Route every call of a synchronous function under test through the recording helper.

``f(a, k=1)`` inside ``test_x`` becomes ``_codeflash_call(None, "test_x", "<line_id>", f, a, k=1)``.
The callee expression is evaluated once, exactly where the original evaluated it, so
``make().method(x)`` still constructs one object; arguments pass through unchanged.

Call-site ids (``line_id``) follow the client's numbering, because the client maps them back to
statements of ``generated_tests`` when it annotates runtimes: ``"i"`` is the i-th statement of the
test function (``ast`` numbering, so ``a; b`` counts twice) and ``"i_j"`` the j-th statement in the
body of a ``for``/``while``/``if``/``with`` at position i. Deeper statements share their depth-2
ancestor's id; a compound statement's header and ``else`` parts use ``"i"``. The helper appends the
per-site call count, so ids stay unique in loops.
"""

from collections.abc import Iterable, Iterator

import libcst as cst
from attrs import define

from codeflash_lang_python.testgen.instrument.call_sites import TargetCallMatcher
from codeflash_lang_python.testgen.instrument.prelude import CALL_HELPER
from codeflash_lang_python.testgen.instrument.test_functions import rewrite_tests

_NUMBERED_BODY = (cst.For, cst.While, cst.If, cst.With)


def _string(value: str | None) -> cst.BaseExpression:
    return cst.Name("None") if value is None else cst.SimpleString(repr(value))


class _CallWrapper(cst.CSTTransformer):
    def __init__(
        self, matcher: TargetCallMatcher, test_class: str | None, test_name: str, line_id: str
    ) -> None:
        super().__init__()
        self.matcher = matcher
        self.test_class = test_class
        self.test_name = test_name
        self.line_id = line_id
        self.wrapped = 0

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.matcher.matches(original_node):
            return updated_node
        self.wrapped += 1
        bookkeeping = [
            cst.Arg(_string(self.test_class)),
            cst.Arg(_string(self.test_name)),
            cst.Arg(_string(self.line_id)),
            cst.Arg(updated_node.func),
        ]
        return cst.Call(func=cst.Name(CALL_HELPER), args=[*bookkeeping, *updated_node.args])


def _numbered(statements: Iterable[cst.CSTNode]) -> Iterator[tuple[int, cst.CSTNode]]:
    """Statements with their ``ast`` index; a ``SimpleStatementLine`` uses one index per small statement."""
    index = 0
    for statement in statements:
        yield index, statement
        if isinstance(statement, cst.SimpleStatementLine | cst.SimpleStatementSuite):
            index += len(statement.body)
        else:
            index += 1


@define
class _TestRewriter:
    matcher: TargetCallMatcher
    test_class: str | None
    test_name: str
    wrapped: int = 0

    def wrap(self, node: cst.CSTNodeT, line_id: str) -> cst.CSTNodeT:
        wrapper = _CallWrapper(self.matcher, self.test_class, self.test_name, line_id)
        result = node.visit(wrapper)
        self.wrapped += wrapper.wrapped
        return cst.ensure_type(result, type(node))

    def _simple(
        self, line: cst.SimpleStatementLine | cst.SimpleStatementSuite, first: int, prefix: str
    ) -> cst.CSTNode:
        smalls = [self.wrap(small, f"{prefix}{first + k}") for k, small in enumerate(line.body)]
        return line.with_changes(body=smalls)

    def statement(self, statement: cst.CSTNode, index: int) -> cst.CSTNode:
        """Rewrite one statement of the test body, at ``ast`` index ``index``."""
        if isinstance(statement, cst.SimpleStatementLine):
            return self._simple(statement, index, "")
        if isinstance(statement, _NUMBERED_BODY):
            body = statement.body
            if isinstance(body, cst.IndentedBlock):
                inner = [
                    self._simple(child, j, f"{index}_")
                    if isinstance(child, cst.SimpleStatementLine)
                    else self.wrap(child, f"{index}_{j}")
                    for j, child in _numbered(body.body)
                ]
                statement = statement.with_changes(body=body.with_changes(body=inner))
            elif isinstance(body, cst.SimpleStatementSuite):
                statement = statement.with_changes(body=self._simple(body, 0, f"{index}_"))
        # Whatever is left (headers, ``else``, ``try`` bodies) belongs to the statement itself.
        return self.wrap(statement, str(index))

    def body(self, suite: cst.BaseSuite) -> cst.BaseSuite:
        if isinstance(suite, cst.SimpleStatementSuite):
            return cst.ensure_type(self._simple(suite, 0, ""), cst.SimpleStatementSuite)
        assert isinstance(suite, cst.IndentedBlock)
        statements = [self.statement(child, i) for i, child in _numbered(suite.body)]
        return suite.with_changes(body=statements)


def wrap_target_calls(module: cst.Module, matcher: TargetCallMatcher) -> tuple[cst.Module, int]:
    def rewrite(function: cst.FunctionDef, test_class: str | None) -> tuple[cst.FunctionDef, int]:
        rewriter = _TestRewriter(matcher, test_class, function.name.value)
        return function.with_changes(body=rewriter.body(function.body)), rewriter.wrapped

    return rewrite_tests(module, rewrite)
