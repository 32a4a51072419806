"""Cap loop counts and data sizes that would make one test outlive the client's per-test timeout.

The released client runs each generated test once for behaviour (under coverage, for the original
code) and then at least five times for timing, each run within a 15 s per-test timeout. A test that
times out is lost, and ``range(10**8)`` or ``np.random.rand(10**9)`` cannot finish. Sizes that
merely look large (a 2 000-element input an LLM builds to show an O(n^2) function's cost) must stay:
they are the tests that make a speedup measurable. The bounds in ``Limits`` were measured with the
client's own runner (``bench/bench_testgen_caps.py``; figures in docs/testgen.md).

Only sizes written as integer constants are touched. A ``range`` that a ``for`` or a comprehension
iterates is a loop count when the loop calls code under test (the target, or a function the test
module defines), capped at ``max_loop_iterations``: each such call is recorded by the
instrumentation, which is what costs. Any other size (``list(range(n))``, a comprehension building
data, ``[0] * n``, numpy/torch/random constructors) is data, capped at ``max_elements``.

Each replaced node is reported in ``CappedSizes.capped`` so that the assertions depending on it can
be relaxed (``capped_assertions``).
"""

import math
from collections.abc import Callable

import libcst as cst
import libcst.matchers as m
from attrs import frozen


@frozen
class Limits:
    """Upper bounds on constant sizes; anything at or below them is left exactly as written.

    ``max_loop_iterations``: iterations of a loop or comprehension that calls code under test.
    ``max_elements``: elements of data (a range used as data, a repeated sequence, an array).
    """

    max_loop_iterations: int = 10_000
    max_elements: int = 1_000_000


@frozen
class CappedSizes:
    module: cst.Module
    capped: frozenset[cst.CSTNode]
    """The replaced nodes, as they occur in ``module`` (compared by identity)."""


# numpy/torch/random constructors whose positional ints or ``size``/``shape`` are element counts.
ARRAY_CONSTRUCTORS = frozenset(
    {
        "zeros",
        "ones",
        "empty",
        "full",
        "rand",
        "randn",
        "randint",
        "random",
        "random_sample",
        "standard_normal",
        "normal",
        "uniform",
        "integers",
        "choice",
        "arange",
        "linspace",
        "choices",
        "sample",
    }
)
_SIZE_KEYWORDS = frozenset({"size", "shape", "num", "k", "n"})


def _int_value(node: cst.BaseExpression) -> int | None:
    """Evaluate small integer constant expressions: ``1000``, ``10**6``, ``2 * 10_000``, ``-5``."""
    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = _int_value(node.expression)
        return None if inner is None else -inner
    if isinstance(node, cst.BinaryOperation):
        left, right = _int_value(node.left), _int_value(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.operator, cst.Power) and 0 <= right <= 64:
            return int(left**right)
        if isinstance(node.operator, cst.Multiply):
            return left * right
        if isinstance(node.operator, cst.Add):
            return left + right
        if isinstance(node.operator, cst.Subtract):
            return left - right
    return None


def _integer(value: int) -> cst.BaseExpression:
    if value < 0:
        return cst.UnaryOperation(operator=cst.Minus(), expression=cst.Integer(str(-value)))
    return cst.Integer(f"{value:_}" if value >= 10_000 else str(value))


def _capped_range_args(args: list[int], limit: int) -> list[int] | None:
    start, stop, step = (
        (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) > 2 else 1)
    )
    if step == 0 or len(range(start, stop, step)) <= limit:
        return None
    new_stop = start + limit * step
    return [new_stop] if len(args) == 1 else [start, new_stop, *args[2:]]


CallPredicate = Callable[[cst.Call], bool]


class _CallFinder(cst.CSTVisitor):
    def __init__(self, calls_code_under_test: CallPredicate) -> None:
        self.calls_code_under_test = calls_code_under_test
        self.found = False

    def visit_Call(self, node: cst.Call) -> bool:
        self.found = self.found or self.calls_code_under_test(node)
        return not self.found


def contains_call(node: cst.CSTNode, predicate: CallPredicate) -> bool:
    """Whether ``node`` contains a call satisfying ``predicate``."""
    finder = _CallFinder(predicate)
    node.visit(finder)
    return finder.found


def _callee_name(call: cst.Call) -> str | None:
    if isinstance(call.func, cst.Name):
        return call.func.value
    if isinstance(call.func, cst.Attribute):
        return call.func.attr.value
    return None


class _SizeCapper(cst.CSTTransformer):
    def __init__(self, limits: Limits, calls_code_under_test: CallPredicate) -> None:
        self.limits = limits
        self.calls_code_under_test = calls_code_under_test
        self._loop_iterables: set[int] = set()
        self.capped: set[cst.CSTNode] = set()

    def visit_For(self, node: cst.For) -> None:
        if contains_call(node.body, self.calls_code_under_test):
            self._loop_iterables.add(id(node.iter))

    def _visit_comprehension(self, node: cst.BaseComp) -> None:
        if not contains_call(node, self.calls_code_under_test):
            return
        for_in: cst.CompFor | None = node.for_in
        while for_in is not None:
            self._loop_iterables.add(id(for_in.iter))
            for_in = for_in.inner_for_in

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._visit_comprehension(node)

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._visit_comprehension(node)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._visit_comprehension(node)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._visit_comprehension(node)

    def _mark(self, original: cst.CSTNodeT, updated: cst.CSTNodeT) -> cst.CSTNodeT:
        if updated is not original and not updated.deep_equals(original):
            self.capped.add(updated)
        return updated

    def _cap_range(self, call: cst.Call, limit: int | None = None) -> cst.Call:
        if not 1 <= len(call.args) <= 3 or any(arg.keyword or arg.star for arg in call.args):
            return call
        values = [_int_value(arg.value) for arg in call.args]
        if any(value is None for value in values):
            return call
        capped = _capped_range_args(
            [v for v in values if v is not None], limit or self.limits.max_loop_iterations
        )
        if capped is None:
            return call
        args = [arg.with_changes(value=_integer(value)) for arg, value in zip(call.args, capped, strict=True)]
        return call.with_changes(args=args)

    def _cap_dimensions(self, node: cst.BaseExpression) -> cst.BaseExpression:
        """Cap one size argument: an int, or a tuple/list of ints whose product is the element count."""
        value = _int_value(node)
        if value is not None:
            return _integer(self.limits.max_elements) if value > self.limits.max_elements else node
        if isinstance(node, cst.Tuple | cst.List):
            dims = [_int_value(element.value) for element in node.elements]
            if any(d is None or d < 0 for d in dims) or not dims:
                return node
            sizes = [d for d in dims if d is not None]
            if math.prod(sizes) <= self.limits.max_elements:
                return node
            # Shrink every dimension by the same factor so the shape keeps its proportions.
            factor = (math.prod(sizes) / self.limits.max_elements) ** (1 / len(sizes))
            elements = [
                element.with_changes(value=_integer(max(1, int(size / factor))))
                for element, size in zip(node.elements, sizes, strict=True)
            ]
            return node.with_changes(elements=elements)
        return node

    def _cap_array(self, call: cst.Call) -> cst.Call:
        name = _callee_name(call)
        if name in {
            "arange",
            "linspace",
            "randint",
            "integers",
            "uniform",
            "normal",
            "choice",
            "choices",
            "sample",
        }:
            # Positional arguments are bounds or values here, not sizes: only size keywords count.
            args = [
                arg.with_changes(value=self._cap_dimensions(arg.value))
                if arg.keyword and arg.keyword.value in _SIZE_KEYWORDS
                else arg
                for arg in call.args
            ]
            if name == "arange":
                return self._cap_range(call)
            return call.with_changes(args=args)
        args = [
            arg.with_changes(value=self._cap_dimensions(arg.value))
            if (arg.keyword is None and not arg.star) or (arg.keyword and arg.keyword.value in _SIZE_KEYWORDS)
            else arg
            for arg in call.args
        ]
        return call.with_changes(args=args)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        name = _callee_name(updated_node)
        if name == "range" and isinstance(updated_node.func, cst.Name):
            if id(original_node) in self._loop_iterables:
                return self._mark(updated_node, self._cap_range(updated_node))
            return self._mark(updated_node, self._cap_range(updated_node, self.limits.max_elements))
        if name in ARRAY_CONSTRUCTORS and isinstance(updated_node.func, cst.Attribute):
            return self._mark(updated_node, self._cap_array(updated_node))
        return updated_node

    def leave_BinaryOperation(
        self, original_node: cst.BinaryOperation, updated_node: cst.BinaryOperation
    ) -> cst.BaseExpression:
        return self._mark(updated_node, self._cap_repetition(updated_node))

    def _cap_repetition(self, updated_node: cst.BinaryOperation) -> cst.BinaryOperation:
        # ``[0] * 10**7``, ``"x" * 10**8``, ``10**7 * [1]``: sequence repetition with a constant count.
        if not isinstance(updated_node.operator, cst.Multiply):
            return updated_node
        sequence = m.List() | m.Tuple() | m.SimpleString() | m.ListComp()
        if m.matches(updated_node.left, sequence):
            count = _int_value(updated_node.right)
            if count is not None and count > self.limits.max_elements:
                return updated_node.with_changes(right=_integer(self.limits.max_elements))
        elif m.matches(updated_node.right, sequence):
            count = _int_value(updated_node.left)
            if count is not None and count > self.limits.max_elements:
                return updated_node.with_changes(left=_integer(self.limits.max_elements))
        return updated_node


def cap_sizes(
    module: cst.Module, limits: Limits | None = None, is_target_call: CallPredicate | None = None
) -> CappedSizes:
    """Cap the module's constant sizes. A loop is a loop count when it calls the target
    (``is_target_call``; default: any call) or a function the module defines, which may call it."""
    local_functions = {
        statement.name.value for statement in module.body if isinstance(statement, cst.FunctionDef)
    }
    is_target = is_target_call or (lambda _call: True)

    def calls_code_under_test(call: cst.Call) -> bool:
        return is_target(call) or (isinstance(call.func, cst.Name) and call.func.value in local_functions)

    capper = _SizeCapper(limits or Limits(), calls_code_under_test)
    capped = module.visit(capper)
    return CappedSizes(module=capped, capped=frozenset(capper.capped))
